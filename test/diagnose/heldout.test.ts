/**
 * Real log excerpts quoted in public issues (test/fixtures/diagnose/heldout, sources in the README
 * there), each of which showed a gap: what the sniffer calls the file, the exact evidence the
 * detector reads from it, and for the false alarms what the doctor concludes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFlinkLogDetector } from '../../src/diagnose/detectors/flink-log.js';
import { runDoctor } from '../../src/diagnose/doctor.js';
import type { Evidence } from '../../src/diagnose/evidence.js';
import { sniffInput } from '../../src/diagnose/sniff.js';

const here = dirname(fileURLToPath(import.meta.url));
const HELDOUT = join(here, '..', '..', '..', 'test', 'fixtures', 'diagnose', 'heldout');
const path = (name: string): string => join(HELDOUT, name);

function evidenceOf(name: string): Evidence[] {
  const lines = readFileSync(path(name), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const detector = createFlinkLogDetector(name);
  lines.forEach((text, i) => detector.onLine(text, i + 1));
  return detector.finish();
}

/** kind, line and time of each piece of evidence. */
const outline = (evidence: readonly Evidence[]) => evidence.map((e) => [e.kind, e.at.line, e.epochMs]);

test('an idle TaskManager given back by the ResourceManager is no loss (flink-cdc#1171)', async () => {
  assert.equal((await sniffInput(path('idle-timeout-release.log'))).kind, 'flink-log');
  assert.deepEqual(evidenceOf('idle-timeout-release.log'), []);
  const diagnosis = await runDoctor([path('idle-timeout-release.log')]);
  assert.deepEqual(diagnosis.findings, []);
  assert.equal(diagnosis.rootCause, null);
});

test('a MiniCluster log in logback layout (time of day, no date): read, and a stopping JobMaster is no loss (chunjun#109)', async () => {
  assert.deepEqual(await sniffInput(path('minicluster-logback-stop.log')), {
    kind: 'flink-log',
    reason: 'Flink log4j layout (logger org.apache.flink.runtime.taskexecutor.TaskExecutor)',
  });
  assert.deepEqual(evidenceOf('minicluster-logback-stop.log'), []);
  assert.deepEqual((await runDoctor([path('minicluster-logback-stop.log')])).findings, []);
});

test('records with a time of day and no date are records: the start and its heap size (flink#948)', async () => {
  assert.equal((await sniffInput(path('time-of-day-layout-start.log'))).kind, 'flink-log');
  const evidence = evidenceOf('time-of-day-layout-start.log');
  assert.deepEqual(outline(evidence), [['jobmanager-started', 3, undefined]]);
  assert.deepEqual(evidence[0]!.facts, {
    process: 'jobmanager',
    component: 'JobManager',
    version: '0.10-SNAPSHOT',
    revision: 'd905af0',
    buildDate: '06.10.2015 @ 19:37:22 UTC',
    maxHeapMiB: 592,
  });
});

test('docker compose output ("service  | " before each line): a direct-memory OutOfMemoryError (fhir-data-pipes#578)', async () => {
  assert.deepEqual(await sniffInput(path('compose-direct-oom.log')), {
    kind: 'flink-log',
    reason: 'console output with a prefix per line; Flink log4j layout (logger o.a.f.c.memory.MemorySegmentFactory)',
  });
  const evidence = evidenceOf('compose-direct-oom.log');
  assert.deepEqual(outline(evidence), [['oom-direct', 2, undefined]]);
  const oom = evidence[0]!;
  assert.equal(oom.facts['enriched'], true);
  assert.equal(oom.facts['options'], 'taskmanager.memory.task.off-heap.size');
  // The quoted line is the line without its prefix (cut at 500 characters as all evidence text is).
  assert.ok(oom.at.text.startsWith('java.lang.OutOfMemoryError: Direct buffer memory. The direct out-of-memory error has occurred.'), oom.at.text);
  assert.equal(oom.at.text.length, 500);
  const diagnosis = await runDoctor([path('compose-direct-oom.log')]);
  assert.equal(diagnosis.rootCause?.kind, 'oom-direct');
});

test('docker compose output: NetworkBufferPool refused its direct memory (fhir-data-pipes#580)', async () => {
  assert.equal((await sniffInput(path('compose-networkpool-oom.log'))).kind, 'flink-log');
  const evidence = evidenceOf('compose-networkpool-oom.log');
  assert.deepEqual(outline(evidence), [['oom-direct', 10, undefined]]);
  const { message: _message, ...facts } = evidence[0]!.facts;
  assert.deepEqual(facts, {
    enriched: true,
    pool: 'network',
    networkRequiredMiB: 5120,
    networkAllocatedMiB: 1965,
    networkMissingMiB: 3155,
    thread: 'Thread-1',
    reports: 1,
  });
});

test('a pasted stack trace without a log layout: the TaskManager heartbeat timeout in its exception (apache_flink-kickstarter#797)', async () => {
  assert.deepEqual(await sniffInput(path('heartbeat-stack-trace.log')), {
    kind: 'flink-log',
    reason: 'Flink text without a log layout ("java.util.concurrent.TimeoutException: Heartbeat of TaskMana…")',
  });
  const evidence = evidenceOf('heartbeat-stack-trace.log');
  assert.deepEqual(outline(evidence), [['taskmanager-lost', 1, undefined]]);
  assert.deepEqual(evidence[0]!.facts, {
    resourceId: '172.18.0.3:33783-3e38f6',
    reason: 'heartbeat-timeout',
    detail: 'Heartbeat of TaskManager with id 172.18.0.3:33783-3e38f6 timed out.',
    reports: 1,
  });
});

test('a CI console line "HH:mm:ss Caused by: ...": the heartbeat timeout of a YARN container with its host (beam#21696)', async () => {
  assert.equal((await sniffInput(path('heartbeat-ci-console.log'))).kind, 'flink-log');
  const evidence = evidenceOf('heartbeat-ci-console.log');
  assert.deepEqual(outline(evidence), [['taskmanager-lost', 1, undefined]]);
  assert.deepEqual(evidence[0]!.facts, {
    resourceId: 'container_1668592968333_0001_01_000004',
    reason: 'heartbeat-timeout',
    detail: 'Heartbeat of TaskManager with id container_1668592968333_0001_01_000004(beam-loadtests-go-gbk-flink-batch-715-w-3.c.apache-beam-testing.internal:8026) timed out.',
    reports: 1,
    resourceMetadata: 'beam-loadtests-go-gbk-flink-batch-715-w-3.c.apache-beam-testing.internal:8026',
  });
});

test('a CI console line: insufficient network buffers (beam#21094)', async () => {
  assert.equal((await sniffInput(path('network-buffers-ci-console.log'))).kind, 'flink-log');
  const evidence = evidenceOf('network-buffers-ci-console.log');
  assert.deepEqual(outline(evidence), [['network-buffers-insufficient', 1, undefined]]);
  assert.deepEqual(evidence[0]!.facts, { required: 17, available: 0, totalBuffers: 2048, segmentSize: '32768', totalBytes: '67108864' });
});

test('Flink 1.8/1.9: a decline and the "Discarding checkpoint" record with its cause are one declined checkpoint (flink#8322)', () => {
  const evidence = evidenceOf('decline-then-discard-1.8.log');
  const at = (time: string): number => Date.parse(`2019-05-17T${time}Z`);
  assert.deepEqual(outline(evidence), [
    ['checkpoint-triggered', 1, at('15:43:08.068')],
    ['checkpoint-declined', 2, at('15:43:08.207')],
  ]);
  assert.deepEqual(evidence[1]!.facts, {
    checkpointId: 66,
    taskExecutionId: 'e65ff0e6f0ff8e14a1b53410aa8bb019',
    jobId: 'dd4f07c1f866b7afff42759d7a35de3f',
    exception: 'org.apache.flink.runtime.checkpoint.decline.CheckpointDeclineTaskNotReadyException',
    reason: 'Task Source: Custom Source (1/1) was not running',
  });
});

test('stack frames pasted without indentation are no reason for a restart (delta-io/connectors#362)', () => {
  const evidence = evidenceOf('restarting-unindented-frames.log');
  assert.deepEqual(outline(evidence), [['job-restarting', 2, Date.parse('2022-06-02T12:11:54.944Z')]]);
  assert.deepEqual(evidence[0]!.facts, { jobName: 'company-service', jobId: '00000000000000000000000000000000', from: 'RUNNING', to: 'RESTARTING' });
});

test('a Full GC requested with jcmd (a real JDK 17 G1 log) is no sign of an old generation that fills up', async () => {
  const file = join(here, '..', '..', '..', 'test', 'fixtures', 'gc', 'heldout', 'g1-jdk17-jcmd-full-gc.txt');
  const report = await runDoctor([file]);
  assert.deepEqual(report.findings.map((f) => f.kind), ['gc-long-pauses']);
});
