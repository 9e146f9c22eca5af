/**
 * Kernel OOM killer evidence from dmesg, journalctl -k and syslog, old and new kernels, cgroup v1
 * and v2. Fixtures: test/fixtures/diagnose/container (sources in its README).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createKernelDetector, looksLikeKernel, stripKernelPrefix } from '../../src/diagnose/detectors/kernel.js';
import { MAX_EVIDENCE_PER_KIND, type Evidence } from '../../src/diagnose/evidence.js';
import { fixture, lineOf, linesOf, runFixture, runText } from './container-helpers.js';

const run = (name: string): Evidence[] => runFixture(createKernelDetector, name);
const runInline = (text: string): Evidence[] => runText(createKernelDetector, 'inline', text);

const SCOPE =
  '/kubepods.slice/kubepods-pod7c0e3c2a_9f1b_4c1e_8d2a_5b6f0e9a1c34.slice/cri-containerd-3f1c9a7be52d4c0f8e6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f506.scope';

/** What the cgroup v2 block of kernel-dmesg-cgroup-v2.txt states, whatever the prefixes. */
const V2_FACTS = {
  pid: 41840,
  process: 'java',
  cgroup: true,
  anonRssBytes: '4263211008',
  totalVmBytes: '6997245952',
  fileRssBytes: '4567040',
  shmemRssBytes: '0',
  pgtablesBytes: '8900608',
  uid: 9999,
  oomScoreAdj: -997,
  invokedBy: 'java',
  constraint: 'CONSTRAINT_MEMCG',
  limitBytes: '4294967296',
  usedBytes: '4294967296',
  oomMemcg: SCOPE,
  taskMemcg: SCOPE,
  podUid: '7c0e3c2a-9f1b-4c1e-8d2a-5b6f0e9a1c34',
  containerId: '3f1c9a7be52d4c0f8e6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f506',
};
const V2_SUMMARY = 'kernel OOM killer (memory cgroup out of memory) killed java (pid 41840), anon-rss 4163292kB at its cgroup limit of 4194304kB';

test('line prefixes: uptime, syslog, journal ISO, dmesg -T, dmesg --time-format=iso, Talos, priority, relative', () => {
  assert.deepEqual(stripKernelPrefix('[ 8412.773019] java invoked oom-killer: x'), { rest: 'java invoked oom-killer: x', uptimeSeconds: 8412.773019 });
  assert.deepEqual(stripKernelPrefix('Jul  9 00:15:25 db-primary kernel: [  536.583722] msg'), { rest: 'msg', uptimeSeconds: 536.583722, host: 'db-primary', syslogTime: 'Jul 9 00:15:25' });
  assert.deepEqual(stripKernelPrefix('Nov 1 16:11:42 lab kernel: msg'), { rest: 'msg', host: 'lab', syslogTime: 'Nov 1 16:11:42' });
  assert.deepEqual(stripKernelPrefix('2024-01-01T10:02:27+0000 ip-10-0-3-17 kernel: msg'), { rest: 'msg', epochMs: 1704103347000, host: 'ip-10-0-3-17' });
  assert.deepEqual(stripKernelPrefix('2024-01-01T10:02:27.412906+00:00 ip-10-0-3-17 kernel: msg'), { rest: 'msg', epochMs: 1704103347412, host: 'ip-10-0-3-17' });
  assert.deepEqual(stripKernelPrefix('2024-01-01T10:02:27,123456+01:00 msg'), { rest: 'msg', epochMs: 1704099747123 });
  assert.deepEqual(stripKernelPrefix('[Thu Dec  7 00:05:15 2017] msg'), { rest: 'msg', epochMs: 1512605115000 });
  assert.deepEqual(stripKernelPrefix('10.200.70.91: kern:    info: [2025-06-04T04:51:57.572293906Z]: memory: usage 4194304kB, limit 4194304kB, failcnt 2084326'), {
    rest: 'memory: usage 4194304kB, limit 4194304kB, failcnt 2084326',
    epochMs: 1749012717572,
  });
  assert.deepEqual(stripKernelPrefix('<3>[   12.500000] msg'), { rest: 'msg', uptimeSeconds: 12.5 });
  assert.deepEqual(stripKernelPrefix('[  +0.000022] Memory cgroup out of memory: x'), { rest: 'Memory cgroup out of memory: x' });
  assert.deepEqual(stripKernelPrefix('no prefix at all'), { rest: 'no prefix at all' });
});

test('format detection', () => {
  const head = (name: string): string[] => linesOf(readFileSync(fixture(name), 'latin1')).slice(0, 50);
  assert.equal(looksLikeKernel(head('kernel-dmesg-cgroup-v2.txt')), true);
  assert.equal(looksLikeKernel(head('kernel-journal-short-iso-precise.txt')), true);
  assert.equal(looksLikeKernel(head('kernel-syslog-cgroup-v1.txt')), true);
  assert.equal(looksLikeKernel(head('kernel-dmesg-T-kubepods.txt')), true);
  // A syslog whose first lines are not the kernel's still is one.
  assert.equal(
    looksLikeKernel([
      'Jan  1 10:00:01 ip-10-0-3-17 systemd[1]: Started Session 12 of user ubuntu.',
      'Jan  1 10:00:02 ip-10-0-3-17 sshd[812]: Accepted publickey for ubuntu from 10.0.0.4 port 50022 ssh2',
      'Jan  1 10:00:03 ip-10-0-3-17 containerd[604]: time="2024-01-01T10:00:03Z" level=info msg="StartContainer"',
    ]),
    true,
  );
  assert.equal(looksLikeKernel(head('jobmanager-kubernetes.log')), false);
  assert.equal(looksLikeKernel(head('describe-taskmanager-oomkilled.txt')), false);
  assert.equal(looksLikeKernel(['[0.004s][info][gc] Using G1', '[0.081s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(64M) 4.030ms', '[0.093s][info][gc] GC(1) Pause Young']), false);
});

test('dmesg, Linux 5.15, cgroup v2 pod: the kill with the cgroup limit, the pod UID and the container id', () => {
  const file = 'kernel-dmesg-cgroup-v2.txt';
  assert.deepEqual(run(file), [
    { kind: 'container-killed', at: { file, line: 36, text: lineOf(file, 36) }, summary: V2_SUMMARY, facts: { ...V2_FACTS, uptimeSeconds: 8412.773124 } },
  ]);
});

test('journalctl -k -o short-iso-precise: the same kill with its wall-clock time and host', () => {
  const file = 'kernel-journal-short-iso-precise.txt';
  assert.deepEqual(run(file), [
    { kind: 'container-killed', at: { file, line: 36, text: lineOf(file, 36) }, epochMs: 1704103347412, summary: V2_SUMMARY, facts: { ...V2_FACTS, host: 'ip-10-0-3-17' } },
  ]);
});

test('syslog, Linux 3.13: a docker cgroup v1 kill ("Kill process … or sacrifice child", then "Killed process") and a system-wide one', () => {
  const file = 'kernel-syslog-cgroup-v1.txt';
  const docker = 'd016ee8e9db20608c9f6e63c110e4085dd36b06dcfff51d3ef1b6d23a51f1c5b';
  assert.deepEqual(run(file), [
    {
      kind: 'container-killed',
      at: { file, line: 20, text: lineOf(file, 20) },
      summary: 'kernel OOM killer (memory cgroup out of memory) killed java (pid 12833), anon-rss 2090684kB at its cgroup limit of 2097152kB',
      facts: {
        pid: 12833,
        process: 'java',
        cgroup: true,
        anonRssBytes: '2140860416',
        totalVmBytes: '4677517312',
        fileRssBytes: '7327744',
        invokedBy: 'java',
        limitBytes: '2147483648',
        usedBytes: '2147483648',
        oomMemcg: `/docker/${docker}`,
        taskMemcg: `/docker/${docker}`,
        containerId: docker,
        score: 1002,
        uptimeSeconds: 536.583846,
        host: 'db-primary',
        syslogTime: 'Jul 9 00:15:25',
      },
    },
    {
      kind: 'container-killed',
      at: { file, line: 29, text: lineOf(file, 29) },
      summary: 'kernel OOM killer (system out of memory) killed java (pid 2345), anon-rss 7634212kB',
      facts: {
        pid: 2345,
        process: 'java',
        cgroup: false,
        anonRssBytes: '7817433088',
        totalVmBytes: '12312113152',
        fileRssBytes: '1048576',
        invokedBy: 'kafka',
        score: 912,
        uptimeSeconds: 12878.120641,
        host: 'db-primary',
        syslogTime: 'Jul 9 03:41:07',
      },
    },
  ]);
});

test('dmesg -T, Kubernetes cgroup v1: wall-clock time, and the child killed instead of the selected process', () => {
  const file = 'kernel-dmesg-T-kubepods.txt';
  const [kill, ...rest] = run(file);
  assert.equal(rest.length, 0);
  assert.equal(kill!.at.line, 11);
  assert.equal(kill!.epochMs, 1512605115000);
  assert.deepEqual(
    [kill!.facts['pid'], kill!.facts['selectedPid'], kill!.facts['anonRssBytes'], kill!.facts['limitBytes'], kill!.facts['podUid'], kill!.facts['containerId']],
    [28438, 24572, '477347840', '536870912', '95387fa4-da9c-11e7-9d36-5254b24cbf5e', '6895a3e13439535852d3184ac2aadd26d7363cc035f171545ec7d4ce74073b0b'],
  );
});

test('memory.oom.group kills share their report; a kill reported without a header does not borrow an old one', () => {
  const lines = [
    '[  100.000001] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[  100.000002] memory: usage 2097152kB, limit 2097152kB, failcnt 12',
    '[  100.000003] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/burstable/pod1,task_memcg=/kubepods/burstable/pod1/c,task=java,pid=200,uid=0',
    '[  100.000004] Memory cgroup out of memory: Killed process 200 (java) total-vm:4000000kB, anon-rss:2000000kB, file-rss:1000kB, shmem-rss:0kB, UID:0 pgtables:4000kB oom_score_adj:0',
    '[  100.000005] Tasks in /kubepods/burstable/pod1/c are going to be killed due to memory.oom.group set',
    '[  100.000006] Memory cgroup out of memory: Killed process 201 (bash) total-vm:5000kB, anon-rss:100kB, file-rss:900kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0',
    ...Array.from({ length: 20 }, (_, i) => `[  1${String(i).padStart(2, '0')}.500000] eth0: link up`),
    '[  200.000001] Memory cgroup out of memory: Killed process 300 (java) total-vm:4000000kB, anon-rss:2000000kB, file-rss:1000kB, shmem-rss:0kB, UID:0 pgtables:4000kB oom_score_adj:0',
  ];
  const evidence = runInline(lines.join('\n'));
  assert.deepEqual(
    evidence.map((e) => [e.at.line, e.facts['pid'], e.facts['cgroup'], e.facts['limitBytes'], e.facts['constraint']]),
    [
      [4, 200, true, '2147483648', 'CONSTRAINT_MEMCG'],
      [6, 201, true, '2147483648', 'CONSTRAINT_MEMCG'],
      [27, 300, true, undefined, undefined],
    ],
  );
});

test('Talos: the bracketed ISO time after "kern: info:"', () => {
  const evidence = runInline(
    [
      '10.200.70.91: kern:    info: [2025-06-04T04:51:57.571893906Z]: java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=999',
      '10.200.70.91: kern:    info: [2025-06-04T04:51:57.572293906Z]: memory: usage 4194304kB, limit 4194304kB, failcnt 2084326',
      '10.200.70.91: kern:    info: [2025-06-04T04:51:57.601002906Z]: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/burstable/pod84c5437e-9503-4b52-8470-984c54f7e9f3,task_memcg=/kubepods/burstable/pod84c5437e-9503-4b52-8470-984c54f7e9f3/2b0c,task=java,pid=3311,uid=1000',
      '10.200.70.91: kern:    err: [2025-06-04T04:51:57.601104906Z]: Memory cgroup out of memory: Killed process 3311 (java) total-vm:9034884kB, anon-rss:4171748kB, file-rss:23456kB, shmem-rss:0kB, UID:1000 pgtables:8852kB oom_score_adj:999',
    ].join('\n'),
  );
  assert.deepEqual(evidence.map((e) => [e.at.line, e.epochMs, e.facts['podUid'], e.facts['limitBytes']]), [[4, 1749012717601, '84c5437e-9503-4b52-8470-984c54f7e9f3', '4294967296']]);
});

test('bad input never throws and states nothing', () => {
  assert.deepEqual(runInline(''), []);
  assert.deepEqual(runInline('[ 1.0] Killed process x (java)\n[ 2.0] memory: usage NaNkB'), []);
  assert.deepEqual(runInline('oom-kill:constraint=,,,,=,==\nTask in  killed as a result of limit of'), []);
  assert.deepEqual(runInline(`${' invoked oom-killer: '.repeat(10_000)}\nOut of memory: Kill process`), []);
});

test('evidence is capped; the rest is counted on the last one kept', () => {
  const lines = Array.from({ length: MAX_EVIDENCE_PER_KIND + 7 }, (_, i) => `[ ${i}.000000] Out of memory: Killed process ${1000 + i} (java) total-vm:1000kB, anon-rss:800kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0`);
  const evidence = runInline(lines.join('\n'));
  assert.equal(evidence.length, MAX_EVIDENCE_PER_KIND);
  assert.equal(evidence.at(-1)!.facts['notShown'], 7);
  assert.equal(evidence[0]!.facts['cgroup'], false);
  assert.equal(evidence[0]!.facts['anonRssBytes'], '819200');
});
