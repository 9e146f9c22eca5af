/**
 * Input auto-detection and directory expansion. The incident directory
 * (test/fixtures/diagnose/sniff/incident, sources in ../README.md) mixes every kind; odd file-system
 * cases (links, loops, FIFOs, missing paths) are built in a temporary directory.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BINARY_CHECK_BYTES, classify, collectInputs, InputPathError, sniffInput } from '../../src/diagnose/sniff.js';
import { root } from './container-helpers.js';

const incident = join(root, 'test', 'fixtures', 'diagnose', 'sniff', 'incident');
const containerFixtures = join(root, 'test', 'fixtures', 'diagnose', 'container');
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

const tmp = mkdtempSync(join(tmpdir(), 'flink-memory-sniff-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const put = (name: string, content: string | Buffer): string => {
  const path = join(tmp, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
};

test('an incident directory: every file once, sorted, hidden entries skipped, each with its kind', async () => {
  const inputs = await collectInputs([incident]);
  assert.deepEqual(
    inputs.map((i) => [relative(incident, i.path), i.kind]),
    [
      ['conf/config.yaml', 'flink-config'],
      ['conf/flink-conf.yaml', 'flink-config'],
      ['empty.log', 'unknown'],
      ['gc/gc.log.0.gz', 'gc-log'],
      ['java_pid.hprof', 'binary'],
      ['k8s/describe-taskmanager.txt', 'kubectl'],
      ['k8s/pod.json', 'kubectl'],
      ['kernel/dmesg.txt', 'kernel'],
      ['logs/jobmanager.json', 'flink-log'],
      ['logs/taskmanager.log', 'flink-log'],
      ['nmt-summary.txt', 'nmt'],
      ['notes.txt', 'unknown'],
      ['taskmanager.out', 'stdout'],
      ['yarn/nodemanager.log', 'yarn'],
    ],
  );
  const reason = (name: string): string => inputs.find((i) => relative(incident, i.path) === name)!.reason;
  assert.equal(reason('empty.log'), 'empty file');
  assert.equal(reason('gc/gc.log.0.gz'), 'gzip; GC log: JDK 9+ unified logging (21 of the first 21 lines)');
  assert.equal(reason('java_pid.hprof'), 'binary: a NUL byte at offset 18');
  assert.equal(reason('conf/config.yaml'), 'Flink configuration (nested taskmanager/jobmanager keys)');
  assert.equal(reason('conf/flink-conf.yaml'), 'Flink configuration keys (5 in the first lines)');
  assert.equal(reason('logs/taskmanager.log'), 'Flink log4j layout (logger org.apache.flink.runtime.taskexecutor.TaskManagerRunner)');
  assert.equal(reason('logs/jobmanager.json'), 'JSON log records from Flink (logger org.apache.flink.runtime.entrypoint.ClusterEntrypoint)');
  assert.equal(reason('nmt-summary.txt'), 'a line starts "Native Memory Tracking:" (jcmd VM.native_memory)');
  assert.equal(reason('taskmanager.out'), "named *.out (a JVM's standard output)");
  assert.equal(reason('notes.txt'), 'not recognised (first line: "Incident 2024-01-01: TaskManager flink-cluster-taskmanager-1…")');
});

test('paths keep their given order; a file reached twice is listed once', async () => {
  const log = join(incident, 'logs', 'taskmanager.log');
  const nmt = join(incident, 'nmt-summary.txt');
  const inputs = await collectInputs([nmt, join(incident, 'logs'), log, nmt]);
  assert.deepEqual(
    inputs.map((i) => relative(incident, i.path)),
    ['nmt-summary.txt', 'logs/jobmanager.json', 'logs/taskmanager.log'],
  );
});

test('symbolic links: a loop is not followed twice, a second link to a file is not a second input, a dangling one is noted', async () => {
  const base = join(tmp, 'links');
  put('links/a/tm.log', '2024-01-01 09:58:21,412 INFO  org.apache.flink.runtime.taskexecutor.TaskManagerRunner      [] - Starting\n');
  symlinkSync('..', join(base, 'a', 'loop'));
  symlinkSync(join('a', 'tm.log'), join(base, 'same.log'));
  symlinkSync('nowhere.log', join(base, 'dangling.log'));
  const inputs = await collectInputs([base]);
  assert.deepEqual(
    inputs.map((i) => [relative(base, i.path), i.kind, i.reason]),
    [
      ['a/tm.log', 'flink-log', 'Flink log4j layout (logger org.apache.flink.runtime.taskexecutor.TaskManagerRunner)'],
      ['dangling.log', 'unknown', 'broken symbolic link'],
    ],
  );
});

test('a missing path is a typed one-line error naming it, from both entry points', async () => {
  const missing = join(tmp, 'no-such-dir', 'taskmanager.log');
  const check = (e: unknown): boolean => e instanceof InputPathError && e.path === missing && e.code === 'INPUT_NOT_FOUND' && e.message === `${missing}: no such file or directory`;
  await assert.rejects(collectInputs([incident, missing]), check);
  await assert.rejects(sniffInput(missing), check);
  const dangling = join(tmp, 'dangling-arg.log');
  symlinkSync('gone.log', dangling);
  await assert.rejects(collectInputs([dangling]), (e: unknown) => e instanceof InputPathError && e.message === `${dangling}: broken symbolic link (its target does not exist)`);
});

test('directories, FIFOs and unreadable gzip are answers, not errors (and a FIFO is never opened)', async () => {
  assert.deepEqual(await sniffInput(incident), { kind: 'unknown', reason: 'a directory' });
  const fifo = join(tmp, 'pipe.log');
  execFileSync('mkfifo', [fifo]);
  assert.deepEqual(await sniffInput(fifo), { kind: 'unknown', reason: 'not a regular file' });
  const broken = put('broken.log.gz', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('definitely not deflate data')]));
  assert.deepEqual(await sniffInput(broken), { kind: 'unknown', reason: 'cannot read: broken gzip data' });
});

test('gzip is judged by what it holds: a truncated archive still shows its start; compressed binary is binary', async () => {
  const log = readFileSync(join(incident, 'logs', 'taskmanager.log'));
  const whole = gzipSync(Buffer.concat(Array.from({ length: 400 }, () => log)));
  const truncated = put('tm.log.gz', whole.subarray(0, Math.floor(whole.length / 2)));
  assert.deepEqual(await sniffInput(truncated), { kind: 'flink-log', reason: 'gzip; Flink log4j layout (logger org.apache.flink.runtime.taskexecutor.TaskManagerRunner)' });
  const hprof = put('heap.hprof.gz', gzipSync(readFileSync(join(incident, 'java_pid.hprof'))));
  assert.deepEqual(await sniffInput(hprof), { kind: 'binary', reason: 'gzip; binary: a NUL byte at offset 18' });
  // Named *.out and compressed: the name without .gz decides.
  const out = put('taskmanager.out.gz', gzipSync('a JVM said something\n'));
  assert.deepEqual(await sniffInput(out), { kind: 'stdout', reason: "gzip; named *.out (a JVM's standard output)" });
});

test('content wins over names; names decide only what content leaves open', () => {
  const gc = '[0.018s][info][gc] Using G1\n[0.145s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->6M(16M) 8.377ms\n';
  assert.deepEqual(classify('taskmanager.out', bytes(gc)), { kind: 'gc-log', reason: 'GC log: JDK 9+ unified logging (2 of the first 2 lines)' });
  assert.deepEqual(classify('config.yaml', bytes('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n')), { kind: 'kubectl', reason: 'a pod manifest in YAML (kind: Pod)' });
  assert.deepEqual(classify('config.yaml', bytes('# all options commented out\n# taskmanager.memory.process.size: 1728m\n')), { kind: 'flink-config', reason: 'named config.yaml' });
  assert.deepEqual(classify('flink-conf.yaml', bytes('# nothing set\n')), { kind: 'flink-config', reason: 'named flink-conf.yaml' });
  // Two JVM warnings are a stdout, not a JDK 8 GC log (the GC detector accepts JVM banners as headers).
  const warnings = 'OpenJDK 64-Bit Server VM warning: Options -Xverify:none and -noverify were deprecated in JDK 13\nOpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes because bootstrap classpath has been appended\n';
  assert.deepEqual(classify('taskmanager.out', bytes(warnings)), { kind: 'stdout', reason: "named *.out (a JVM's standard output)" });
  assert.deepEqual(classify('jvm-console.txt', bytes(warnings)), { kind: 'stdout', reason: 'JVM standard output ("OpenJDK 64-Bit Server VM warning: Options -Xverify:none and …")' });
  assert.deepEqual(classify('taskmanager.out.3', bytes('hello\n')), { kind: 'stdout', reason: "named *.out (a JVM's standard output)" });
});

test('each kind from its own text', () => {
  const jdk8 = [
    '2014-07-24T13:49:45.090+0400: 12.345: [GC (Allocation Failure) [PSYoungGen: 65536K->10746K(76288K)] 65536K->17546K(251392K), 0.0263911 secs] [Times: user=0.08 sys=0.02, real=0.03 secs]',
    '2014-07-24T13:49:47.312+0400: 14.567: [GC (Allocation Failure) [PSYoungGen: 76282K->10720K(141824K)] 83082K->24100K(316928K), 0.0245340 secs] [Times: user=0.09 sys=0.04, real=0.03 secs]',
  ].join('\n');
  assert.deepEqual(classify('gc.log', bytes(jdk8)), { kind: 'gc-log', reason: 'GC log: JDK 8 format (2 of the first 2 lines)' });
  assert.deepEqual(classify('nmt.txt', bytes('12345:\nNative memory tracking is not enabled\n')), { kind: 'nmt', reason: 'jcmd output: "Native memory tracking is not enabled"' });
  assert.deepEqual(classify('deploy.yaml', bytes('apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nmetadata:\n  name: basic\n')), { kind: 'flink-config', reason: 'a FlinkDeployment manifest' });
  const nodeManager = readFileSync(join(containerFixtures, 'nodemanager-hadoop2.log'));
  // Its process-tree dump names org.apache.flink classes; the log itself is YARN's.
  assert.equal(classify('yarn-nodemanager.log', nodeManager).kind, 'yarn');
  assert.equal(classify('jm.log', readFileSync(join(containerFixtures, 'jobmanager-yarn.log'))).kind, 'flink-log');
  assert.equal(classify('syslog', readFileSync(join(containerFixtures, 'kernel-syslog-cgroup-v1.txt'))).kind, 'kernel');
  assert.equal(classify('pod.yaml', readFileSync(join(containerFixtures, 'pod-taskmanager.yaml'))).kind, 'kubectl');
  const kafka = '2024-01-01 10:00:00,001 INFO  org.apache.kafka.clients.consumer.ConsumerConfig [] - ConsumerConfig values:\n2024-01-01 10:00:00,002 INFO  org.apache.kafka.common.utils.AppInfoParser [] - Kafka version: 3.4.0\n';
  assert.deepEqual(classify('connector.log', bytes(kafka)), { kind: 'flink-log', reason: 'log4j layout (no Flink logger in the first lines)' });
  assert.deepEqual(classify('x.log', bytes('\n\n  \n')), { kind: 'unknown', reason: 'only blank lines' });
});

test('binary: a NUL byte or many invalid UTF-8 sequences in the first 8 KiB; a stray Latin-1 byte is not enough', () => {
  assert.deepEqual(classify('x', Buffer.from([0x68, 0x69, 0x00, 0x0a])), { kind: 'binary', reason: 'binary: a NUL byte at offset 2' });
  const noise = Buffer.from(Array.from({ length: 2000 }, (_, i) => 0x80 + ((i * 37) % 0x40)));
  assert.deepEqual(classify('x', noise), { kind: 'binary', reason: 'binary: 2000 invalid UTF-8 sequences in the first 2000 bytes' });
  const latin1 = Buffer.concat([bytes('2024-01-01 10:00:00,001 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor [] - user Jos'), Buffer.from([0xe9]), bytes(' logged in\n')]);
  assert.equal(classify('tm.log', latin1).kind, 'flink-log');
  // A multi-byte character cut by the end of the checked window is not invalid.
  const cut = Buffer.concat([Buffer.alloc(BINARY_CHECK_BYTES - 1, 0x61), Buffer.from('€\n', 'utf8')]);
  assert.equal(classify('x.out', cut).kind, 'stdout');
  // Beyond the window a NUL does not matter.
  const late = Buffer.concat([Buffer.alloc(BINARY_CHECK_BYTES, 0x61), Buffer.from([0x00])]);
  assert.equal(classify('x.out', late).kind, 'stdout');
});
