/**
 * YARN container kills: Hadoop 2 and 3 NodeManager messages, Flink's JobManager log of them, the
 * exit status/exit code lines. Fixtures: test/fixtures/diagnose/container (sources in its README).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createYarnDetector, looksLikeYarn, parseYarnSize } from '../../src/diagnose/detectors/yarn.js';
import { MAX_EVIDENCE_PER_KIND, type Evidence } from '../../src/diagnose/evidence.js';
import { fixture, lineOf, linesOf, runFixture, runText } from './container-helpers.js';

const run = (name: string): Evidence[] => runFixture(createYarnDetector, name);
const runInline = (text: string): Evidence[] => runText(createYarnDetector, 'inline', text);

test("Hadoop's sizes: binary prefixes; a value without a fraction is exact, one with a fraction is rounded", () => {
  assert.deepEqual(parseYarnSize('4 GB'), { bytes: '4294967296', exact: true });
  assert.deepEqual(parseYarnSize('4.1 GB'), { bytes: '4402341478', exact: false });
  assert.deepEqual(parseYarnSize('8.4 GB'), { bytes: '9019431322', exact: false });
  assert.deepEqual(parseYarnSize('517.7 MB'), { bytes: '542847795', exact: false });
  assert.deepEqual(parseYarnSize('512 MB'), { bytes: '536870912', exact: true });
  assert.deepEqual(parseYarnSize('2.0 GB'), { bytes: '2147483648', exact: false });
  assert.deepEqual(parseYarnSize('512B'), { bytes: '512', exact: true });
  assert.deepEqual(parseYarnSize('1 TB'), { bytes: '1099511627776', exact: true });
  assert.equal(parseYarnSize('4 gb'), undefined);
  assert.equal(parseYarnSize('4 GiB'), undefined);
  assert.equal(parseYarnSize('GB'), undefined);
});

test('format detection', () => {
  const head = (name: string): string[] => linesOf(readFileSync(fixture(name), 'latin1')).slice(0, 50);
  assert.equal(looksLikeYarn(head('nodemanager-hadoop2.log')), true);
  assert.equal(looksLikeYarn(head('yarn-diagnostics-vmem.txt')), true);
  assert.equal(looksLikeYarn(['[2023-08-01 18:31:12.536]Container killed on request. Exit code is 143']), true);
  assert.equal(looksLikeYarn(['2021-12-06 00:16:35,872 INFO org.apache.hadoop.yarn.server.nodemanager.containermanager.container.ContainerImpl: Container container_e10_1634010428940_125776_01_000003 transitioned from RUNNING to KILLING']), true);
  assert.equal(looksLikeYarn(head('kernel-dmesg-cgroup-v2.txt')), false);
  assert.equal(looksLikeYarn(head('describe-taskmanager-oomkilled.txt')), false);
});

test("Flink's JobManager log on YARN: a Hadoop 3 physical-memory kill with exact bytes, and a -103 kill known only by its exit status", () => {
  const file = 'jobmanager-yarn.log';
  const evidence = run(file);
  assert.equal(evidence.length, 2);
  const [pmem, vmem] = evidence;
  assert.deepEqual(pmem, {
    kind: 'container-killed',
    at: { file, line: 3, text: lineOf(file, 3).slice(0, 500) },
    epochMs: 1690913875924,
    summary: 'YARN killed container container_e07_1669378398064_0904_01_000002 (pid 8296): 4.1 GB of 4 GB physical memory used (exit status -104, exit code 143)',
    facts: {
      containerId: 'container_e07_1669378398064_0904_01_000002',
      pid: 8296,
      kind: 'physical',
      usedText: '4.1 GB',
      limitText: '4 GB',
      virtualUsedText: '6.2 GB',
      virtualLimitText: '8.4 GB',
      overLimitBytes: '112197632',
      // 4 GiB + the 112197632 bytes Hadoop 3 states: exact, unlike the rounded "4.1 GB".
      usedBytes: '4407164928',
      usedExact: true,
      limitBytes: '4294967296',
      limitExact: true,
      virtualUsedBytes: '6657199309',
      virtualUsedExact: false,
      virtualLimitBytes: '9019431322',
      virtualLimitExact: false,
      exitStatus: -104,
      exitCode: 143,
      // Flink logs the diagnostics twice: "Worker … is terminated" and "Closing TaskExecutor connection".
      reports: 2,
    },
  });
  assert.deepEqual(vmem, {
    kind: 'container-killed',
    at: { file, line: 23, text: lineOf(file, 23) },
    epochMs: 1690914672877,
    summary: 'YARN killed container container_e07_1669378398064_0904_01_000003 for exceeding its virtual memory limit (exit status -103, exit code 143)',
    facts: { containerId: 'container_e07_1669378398064_0904_01_000003', outcome: 'marked as failed', exitStatus: -103, exitCode: 143, kind: 'virtual' },
  });
});

test('a Hadoop 2 NodeManager log: the kill, its time, and the exit code reported later', () => {
  const file = 'nodemanager-hadoop2.log';
  assert.deepEqual(run(file), [
    {
      kind: 'container-killed',
      at: { file, line: 2, text: lineOf(file, 2) },
      epochMs: 1638749795871,
      summary: 'YARN killed container container_e10_1634010428940_125776_01_000003 (pid 122806): 4.0 GB of 4 GB physical memory used (exit code 143)',
      facts: {
        containerId: 'container_e10_1634010428940_125776_01_000003',
        pid: 122806,
        kind: 'physical',
        usedText: '4.0 GB',
        limitText: '4 GB',
        virtualUsedText: '6.2 GB',
        virtualLimitText: '8.4 GB',
        usedBytes: '4294967296',
        usedExact: false,
        limitBytes: '4294967296',
        limitExact: true,
        virtualUsedBytes: '6657199309',
        virtualUsedExact: false,
        virtualLimitBytes: '9019431322',
        virtualLimitExact: false,
        exitCode: 143,
      },
    },
  ]);
});

test('virtual memory: the virtual figures are stated apart; usedBytes/limitBytes stay the physical ones, the container size', () => {
  const file = 'yarn-diagnostics-vmem.txt';
  const [kill, ...rest] = run(file);
  assert.equal(rest.length, 0);
  assert.equal(kill!.kind, 'container-killed');
  assert.equal(kill!.at.line, 1);
  assert.equal(kill!.epochMs, undefined);
  assert.deepEqual(
    [
      kill!.facts['kind'],
      kill!.facts['virtualUsedBytes'],
      kill!.facts['virtualUsedExact'],
      kill!.facts['virtualLimitBytes'],
      kill!.facts['virtualLimitExact'],
      kill!.facts['usedBytes'],
      kill!.facts['usedExact'],
      kill!.facts['limitBytes'],
      kill!.facts['limitExact'],
      kill!.facts['exitCode'],
    ],
    ['virtual', '42842298778', false, '13529146982', false, '2147483648', false, '6442450944', true, 143],
  );
  assert.equal(kill!.summary, 'YARN killed container container_e07_1669378398064_0904_01_000002 (pid 8296): 39.9 GB of 12.6 GB virtual memory used (exit code 143)');
});

test('Flink 1.x YarnFlinkResourceManager: "Diagnostics for container … exitStatus=Pmem limit exceeded (-104)"', () => {
  const text = [
    '2019-03-04 11:20:08,318 INFO  org.apache.flink.yarn.YarnFlinkResourceManager                - Diagnostics for container container_1551692121391_0007_01_000002 in state COMPLETE : exitStatus=Pmem limit exceeded (-104) diagnostics=Container [pid=27374,containerID=container_1551692121391_0007_01_000002] is running beyond physical memory limits. Current usage: 2.0 GB of 2 GB physical memory used; 4.0 GB of 4.2 GB virtual memory used. Killing container.',
    'Dump of the process-tree for container_1551692121391_0007_01_000002 :',
    '\t|- PID PPID PGRPID SESSID CMD_NAME USER_MODE_TIME(MILLIS) SYSTEM_TIME(MILLIS) VMEM_USAGE(BYTES) RSSMEM_USAGE(PAGES) FULL_CMD_LINE',
    '',
    'Container killed on request. Exit code is 143',
    'Container exited with a non-zero exit code 143',
  ].join('\n');
  const evidence = runInline(text);
  assert.deepEqual(evidence.map((e) => [e.kind, e.at.line, e.epochMs, e.facts['exitStatus'], e.facts['exitCode'], e.facts['limitBytes']]), [
    ['container-killed', 1, 1551698408318, -104, 143, '2147483648'],
  ]);
});

test('exit lines without a memory kill are process exits of the container last named', () => {
  const evidence = runInline(
    [
      '2023-08-01 18:40:00,001 INFO  org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager [] - Worker container_e07_1669378398064_0904_01_000004 is terminated. Diagnostics: Container container_e07_1669378398064_0904_01_000004 was preempted by yarn. Diagnostics: Container preempted by scheduler',
      'Container killed on request. Exit code is 137',
    ].join('\n'),
  );
  assert.deepEqual(
    evidence.map((e) => [e.kind, e.at.line, e.epochMs, e.summary, e.facts]),
    [
      [
        'process-exit',
        1,
        1690915200001,
        'YARN container container_e07_1669378398064_0904_01_000004 was preempted by yarn (exit code 137)',
        { containerId: 'container_e07_1669378398064_0904_01_000004', outcome: 'was preempted by yarn', exitCode: 137 },
      ],
    ],
  );
  const alone = runInline('Container killed on request. Exit code is 143');
  assert.deepEqual(alone.map((e) => [e.kind, e.at.line, e.facts]), [['process-exit', 1, { exitCode: 143, outcome: 'killed on request' }]]);
});

test('bad input never throws and states nothing', () => {
  assert.deepEqual(runInline(''), []);
  assert.deepEqual(runInline('Container [pid=x,containerID=container_1] is running beyond physical memory limits. Current usage: lots'), []);
  assert.deepEqual(runInline(' Exit code:-104.\n Exit code:nope.'), []);
  assert.deepEqual(runInline(`Container ${'['.repeat(100_000)} container_`), []);
});

test('evidence per kind is capped; the rest is counted on the last one kept', () => {
  const lines: string[] = [];
  for (let i = 0; i < MAX_EVIDENCE_PER_KIND + 3; i++) {
    lines.push(`Container [pid=${1000 + i},containerID=container_1_0001_01_${String(i).padStart(6, '0')}] is running beyond physical memory limits. Current usage: 2.1 GB of 2 GB physical memory used; 3.4 GB of 4.2 GB virtual memory used. Killing container.`);
  }
  const evidence = runInline(lines.join('\n'));
  assert.equal(evidence.length, MAX_EVIDENCE_PER_KIND);
  assert.equal(evidence.at(-1)!.facts['notShown'], 3);
  assert.equal(evidence[0]!.facts['usedBytes'], '2254857830');
  assert.equal(evidence[0]!.facts['usedExact'], false);
});
