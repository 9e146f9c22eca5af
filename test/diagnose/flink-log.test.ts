/**
 * The Flink log detector over the fixtures of test/fixtures/diagnose/logs/flink (written by
 * make-flink-fixtures.mjs from Flink's format strings, each line citing its class) and over
 * inline records, each written in Flink's default layout with the class beside it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MAX_EVIDENCE_PER_KIND, type Evidence } from '../../src/diagnose/evidence.js';
import { createFlinkLogDetector, looksLikeFlinkLog } from '../../src/diagnose/detectors/flink-log.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, '..', '..', '..', 'test', 'fixtures', 'diagnose', 'logs');

function linesOf(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function detect(file: string, lines: readonly string[]): Evidence[] {
  const detector = createFlinkLogDetector(file);
  lines.forEach((text, i) => detector.onLine(text, i + 1));
  return detector.finish();
}

const fixture = (name: string): Evidence[] => detect(name, linesOf(join(FIXTURES, 'flink', name)));
/** kind, line and time of each piece of evidence, the order of the file. */
const outline = (evidence: readonly Evidence[]) => evidence.map((e) => [e.kind, e.at.line, e.epochMs]);
const at = (time: string): number => Date.parse(`2024-05-01T${time}Z`);
const one = (evidence: readonly Evidence[], kind: string, line?: number): Evidence => {
  const found = evidence.filter((e) => e.kind === kind && (line === undefined || e.at.line === line));
  assert.equal(found.length, 1, `${kind}${line === undefined ? '' : `@${line}`}: ${found.length} found`);
  return found[0]!;
};

/** A record in Flink's default layout: %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n. */
const rec = (time: string, level: string, logger: string, message: string): string =>
  `2024-05-01 ${time} ${level.padEnd(5)} ${logger.padEnd(60)} [] - ${message}`;
const JOB = '3f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d';
const CC = 'org.apache.flink.runtime.checkpoint.CheckpointCoordinator';
const CFM = 'org.apache.flink.runtime.checkpoint.CheckpointFailureManager';
const TASK = 'org.apache.flink.runtime.taskmanager.Task';

test('seed 2, the JobManager: pod OOMKilled -> TaskManager lost -> checkpoint 42 expired -> restart; declines; the job fails on a heap OOM', () => {
  const evidence = fixture('jobmanager-checkpoint-incident.log');
  assert.deepEqual(outline(evidence), [
    ['checkpoint-triggered', 1, at('10:00:00.012')],
    ['checkpoint-completed', 2, at('10:00:02.345')],
    ['checkpoint-triggered', 3, at('10:01:00.012')],
    ['checkpoint-completed', 4, at('10:01:03.120')],
    ['checkpoint-triggered', 5, at('10:02:00.012')],
    ['taskmanager-lost', 6, at('10:02:25.512')],
    ['container-killed', 6, at('10:02:25.512')],
    ['checkpoint-expired', 9, at('10:03:00.012')],
    ['job-restarting', 17, at('10:03:05.640')],
    ['checkpoint-triggered', 20, at('10:04:36.012')],
    ['checkpoint-declined', 21, at('10:04:40.201')],
    ['checkpoint-triggered', 25, at('10:05:36.012')],
    ['checkpoint-completed', 26, at('10:05:38.400')],
    ['checkpoint-triggered', 27, at('10:06:36.012')],
    ['checkpoint-triggered', 28, at('10:06:46.012')],
    ['checkpoint-declined', 29, at('10:06:46.900')],
    ['oom-heap', 34, at('10:14:02.190')],
    ['checkpoint-aborted', 39, at('10:14:02.215')],
    ['job-failed', 42, at('10:14:02.240')],
  ]);
  assert.deepEqual(one(evidence, 'checkpoint-triggered', 5).facts, {
    checkpointId: 42,
    jobId: JOB,
    triggerEpochMs: at('10:02:00.008'),
    type: "CheckpointType{name='Checkpoint', sharingFilesStrategy=FORWARD_BACKWARD}",
  });
  assert.deepEqual(one(evidence, 'checkpoint-completed', 2).facts, { checkpointId: 40, jobId: JOB, stateBytes: '52428800', durationMs: 2333, finalizationMs: 11 });
  // Four records (terminated, connection closed, heartbeat timeout, disconnect) report one loss; the termination explains it.
  const diagnostics = 'Pod terminated, container termination statuses: [flink-main-container(exitCode=137, reason=OOMKilled, message=null)], pod status: Failed(reason=null, message=null)';
  const lost = one(evidence, 'taskmanager-lost');
  assert.equal(lost.summary, 'TaskManager flink-job-taskmanager-1-2 lost (terminated)');
  assert.deepEqual(lost.facts, {
    resourceId: 'flink-job-taskmanager-1-2',
    reason: 'terminated',
    detail: diagnostics,
    reports: 4,
    exitCode: 137,
    container: 'flink-main-container',
    oomKilled: true,
  });
  assert.equal(lost.at.text, linesOf(join(FIXTURES, 'flink', 'jobmanager-checkpoint-incident.log'))[5]);
  const killed = one(evidence, 'container-killed');
  assert.equal(killed.summary, 'Container flink-main-container of flink-job-taskmanager-1-2 killed (exitCode=137, reason=OOMKilled)');
  assert.deepEqual(killed.facts, { resourceId: 'flink-job-taskmanager-1-2', container: 'flink-main-container', reason: 'OOMKilled', oomKilled: true, source: 'kubernetes', exitCode: 137 });
  // The expiry, with what the failure manager added right after.
  assert.deepEqual(one(evidence, 'checkpoint-expired').facts, {
    checkpointId: 42,
    jobId: JOB,
    reason: 'Checkpoint expired before completing.',
    failureReason: 'CHECKPOINT_EXPIRED',
    consecutiveFailures: 0,
    exception: 'org.apache.flink.runtime.checkpoint.CheckpointException',
  });
  assert.deepEqual(one(evidence, 'job-restarting').facts, { jobName: 'window-aggregation', jobId: JOB, from: 'RUNNING', to: 'RESTARTING' });
  // A decline without a cause of its own takes the reason the failure manager states.
  assert.deepEqual(one(evidence, 'checkpoint-declined', 21).facts, {
    checkpointId: 43,
    taskExecutionId: '5b0d6e1f9a8c7b6d5e4f3a2b1c0d9e8f_0a448493b4782967b150582570326227_1_1',
    jobId: JOB,
    location: 'flink-job-taskmanager-1-3 @ 10.244.2.9 (dataPort=6121)',
    consecutiveFailures: 0,
    failureReason: 'CHECKPOINT_DECLINED_TASK_NOT_READY',
    reason: 'Checkpoint was declined (tasks not ready)',
    exception: 'org.apache.flink.runtime.checkpoint.CheckpointException',
  });
  // The seed's special case: a smaller checkpoint cancelled by a newer barrier is a decline.
  assert.equal(one(evidence, 'checkpoint-declined', 29).facts['failureReason'], 'CHECKPOINT_DECLINED_SUBSUMED');
  assert.deepEqual(one(evidence, 'checkpoint-aborted').facts, {
    jobId: JOB,
    consecutiveFailures: 0,
    checkpointId: 46,
    exception: 'org.apache.flink.runtime.checkpoint.CheckpointException',
    reason: 'Checkpoint Coordinator is suspending.',
    failureReason: 'CHECKPOINT_COORDINATOR_SUSPEND',
  });
  assert.equal(one(evidence, 'checkpoint-aborted').summary, 'Checkpoint 46 failed: Checkpoint Coordinator is suspending.');
  // The task failure, the job failing and the job failed state one OutOfMemoryError: one piece of evidence.
  assert.deepEqual(one(evidence, 'oom-heap').facts, { message: 'Java heap space', enriched: false, reports: 3 });
  assert.deepEqual(one(evidence, 'job-failed').facts, {
    jobName: 'window-aggregation',
    jobId: JOB,
    from: 'FAILING',
    to: 'FAILED',
    exception: 'org.apache.flink.runtime.JobException',
    reason: 'Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=1, backoffTimeMS=10000)',
    rootCause: 'java.lang.OutOfMemoryError: Java heap space',
  });
  assert.ok(evidence.every((e) => e.at.file === 'jobmanager-checkpoint-incident.log'));
});

test('seed 1, the TaskManager: start-up memory, RocksDB on managed memory, heap OOM, network buffers, managed memory, a direct OOM kills it', () => {
  const evidence = fixture('taskmanager-incident.log');
  assert.deepEqual(outline(evidence), [
    ['taskmanager-started', 2, at('10:10:01.027')],
    ['jvm-options', 6, at('10:10:01.032')],
    ['memory-configuration', 20, at('10:10:01.104')],
    ['rocksdb-memory', 34, at('10:10:05.215')],
    ['rocksdb-memory', 35, at('10:10:05.216')],
    ['oom-heap', 40, at('10:14:02.118')],
    ['network-buffers-insufficient', 46, at('10:14:14.502')],
    ['rocksdb-memory', 50, at('10:20:41.907')],
    ['managed-memory-allocation', 52, at('10:20:41.907')],
    ['managed-memory-allocation', 58, at('10:24:09.331')],
    ['process-exit', 63, at('10:31:12.004')],
    ['oom-direct', 64, at('10:31:12.004')],
  ]);
  assert.deepEqual(one(evidence, 'taskmanager-started').facts, {
    process: 'taskmanager',
    component: 'Kubernetes TaskExecutor runner',
    version: '1.17.2',
    revision: 'c0027e5',
    buildDate: '2023-11-09T13:24:38+01:00',
    scala: '2.12',
    maxHeapMiB: 1587,
  });
  assert.deepEqual(one(evidence, 'jvm-options').facts, {
    count: 7,
    gc: 'G1',
    Xmx: '1664299798',
    Xms: '1664299798',
    MaxDirectMemorySize: '493921243',
    MaxMetaspaceSize: '268435456',
  });
  // Kubernetes runs no start script: the sizes come as dynamic properties (4096m, 4 slots, Flink 1.17).
  assert.deepEqual(one(evidence, 'memory-configuration').facts, {
    process: 'taskmanager',
    source: 'dynamic-properties',
    frameworkHeap: '134217728',
    taskHeap: '1530082070',
    frameworkOffHeap: '134217728',
    taskOffHeap: '0',
    managed: '1438814063',
    jvmMetaspace: '268435456',
    network: '359703515',
    jvmOverhead: '429496736',
  });
  assert.deepEqual(one(evidence, 'rocksdb-memory', 34).facts, { event: 'shared-cache-requested', source: 'managed', problem: false, occurrences: 2 });
  assert.deepEqual(one(evidence, 'rocksdb-memory', 35).facts, { event: 'shared-cache-obtained', bytes: '359694336', problem: false, occurrences: 2 });
  assert.deepEqual(one(evidence, 'rocksdb-memory', 50).facts, { event: 'shared-cache-failed', problem: true });
  assert.deepEqual(one(evidence, 'oom-heap').facts, { message: 'Java heap space', enriched: false, reports: 1 });
  assert.deepEqual(one(evidence, 'network-buffers-insufficient').facts, {
    required: 65,
    available: 38,
    totalBuffers: 10977,
    segmentSize: '32768',
    totalBytes: '359694336',
    options: 'taskmanager.memory.network.fraction,taskmanager.memory.network.min,taskmanager.memory.network.max',
  });
  // A MemoryAllocationException and its MemoryReservationException cause are one failure.
  assert.deepEqual(one(evidence, 'managed-memory-allocation', 52).facts, { consumer: 'shared-resource', requestedBytes: '359694336', remainingBytes: '0' });
  assert.deepEqual(one(evidence, 'managed-memory-allocation', 58).facts, { consumer: 'pages', requestedPages: 512, requestedBytes: '16777216', remainingBytes: '8388608' });
  assert.equal(one(evidence, 'managed-memory-allocation', 58).summary, 'Managed memory could not supply 512 pages');
  const direct = one(evidence, 'oom-direct');
  assert.equal(direct.summary, "java.lang.OutOfMemoryError: Direct buffer memory (with Flink's hint)");
  assert.deepEqual(
    [direct.facts['enriched'], direct.facts['process'], direct.facts['options'], direct.facts['reports']],
    [true, 'taskmanager', 'taskmanager.memory.task.off-heap.size,taskmanager.memory.framework.off-heap.size', 1],
  );
  assert.ok(String(direct.facts['message']).startsWith('Direct buffer memory. The direct out-of-memory error has occurred.'));
  const exit = one(evidence, 'process-exit');
  assert.equal(exit.summary, 'TaskManager shut down after a fatal error');
  assert.deepEqual([exit.facts['process'], exit.facts['fatal'], exit.facts['exception']], ['taskmanager', true, 'java.lang.OutOfMemoryError']);
});

test('start-up of a TaskManager (Flink 2.0.0, 1728m): the block of the start script, JVM options, dynamic properties', () => {
  const evidence = fixture('taskmanager-startup.log');
  assert.deepEqual(outline(evidence), [
    ['memory-configuration', 13, at('09:58:40.533')],
    ['taskmanager-started', 29, at('09:58:40.548')],
    ['jvm-options', 35, at('09:58:40.557')],
    ['memory-configuration', 50, at('09:58:40.711')],
  ]);
  const block = one(evidence, 'memory-configuration', 13);
  assert.equal(block.at.text, 'INFO  [] - Final TaskExecutor Memory configuration:');
  assert.equal(block.summary, 'TaskManager memory configuration: total process memory 1811939328 bytes');
  // The exact bytes a real Flink 2.0.0 TaskManager prints for the shipped default.
  assert.deepEqual(block.facts, {
    process: 'taskmanager',
    source: 'startup-block',
    totalProcessMemory: '1811939328',
    totalFlinkMemory: '1342177280',
    jvmHeap: '536870902',
    frameworkHeap: '134217728',
    taskHeap: '402653174',
    totalOffHeap: '805306378',
    managed: '536870920',
    jvmDirect: '268435458',
    frameworkOffHeap: '134217728',
    taskOffHeap: '0',
    network: '134217730',
    jvmMetaspace: '268435456',
    jvmOverhead: '201326592',
  });
  assert.deepEqual(one(evidence, 'jvm-options').facts, { count: 7, Xmx: '536870902', Xms: '536870902', MaxDirectMemorySize: '268435458', MaxMetaspaceSize: '268435456' });
  assert.equal(one(evidence, 'jvm-options').summary, 'JVM options: Xmx=536870902 Xms=536870902 MaxDirectMemorySize=268435458 MaxMetaspaceSize=268435456');
  assert.deepEqual(one(evidence, 'memory-configuration', 50).facts, {
    process: 'taskmanager',
    source: 'dynamic-properties',
    frameworkHeap: '134217728',
    taskHeap: '402653174',
    frameworkOffHeap: '134217728',
    taskOffHeap: '0',
    managed: '536870920',
    jvmMetaspace: '268435456',
    network: '134217730',
    jvmOverhead: '201326592',
  });
  assert.equal(one(evidence, 'taskmanager-started').facts['maxHeapMiB'], 512);
});

test('start-up of a JobManager (Flink 1.17.2, 1600m): the master block, the entry point, its JVM options', () => {
  const evidence = fixture('jobmanager-startup.log');
  assert.deepEqual(outline(evidence), [
    ['memory-configuration', 9, at('09:58:30.105')],
    ['jobmanager-started', 18, at('09:58:30.112')],
    ['jvm-options', 22, at('09:58:30.117')],
    ['memory-configuration', 31, at('09:58:30.190')],
  ]);
  assert.deepEqual(one(evidence, 'memory-configuration', 9).facts, {
    process: 'jobmanager',
    source: 'startup-block',
    totalProcessMemory: '1677721600',
    totalFlinkMemory: '1207959552',
    jvmHeap: '1073741824',
    offHeap: '134217728',
    jvmMetaspace: '268435456',
    jvmOverhead: '201326592',
  });
  assert.deepEqual(one(evidence, 'jobmanager-started').facts, {
    process: 'jobmanager',
    component: 'StandaloneSessionClusterEntrypoint',
    version: '1.17.2',
    revision: 'c0027e5',
    buildDate: '2023-11-09T13:24:38+01:00',
    scala: '2.12',
    maxHeapMiB: 1024,
  });
  // A JobManager without a direct-memory limit gets no -XX:MaxDirectMemorySize.
  assert.deepEqual(one(evidence, 'jvm-options').facts, { count: 4, Xmx: '1073741824', Xms: '1073741824', MaxMetaspaceSize: '268435456' });
  assert.deepEqual(one(evidence, 'memory-configuration', 31).facts, {
    process: 'jobmanager',
    source: 'dynamic-properties',
    jvmHeap: '1073741824',
    offHeap: '134217728',
    jvmMetaspace: '268435456',
    jvmOverhead: '201326592',
  });
});

test('JSON layouts: logstash-logback-encoder and log4j2 JsonLayout, stack traces inside the record', () => {
  const logstash = fixture('jobmanager-logstash.log');
  assert.deepEqual(outline(logstash), [
    ['jobmanager-started', 1, at('10:00:00.101')],
    ['checkpoint-triggered', 2, at('10:05:00.020')],
    ['checkpoint-expired', 3, at('10:06:00.031')],
    ['taskmanager-lost', 5, at('10:06:04.500')],
    ['job-restarting', 6, at('10:06:04.510')],
  ]);
  assert.deepEqual(one(logstash, 'checkpoint-expired').facts['consecutiveFailures'], 0);
  assert.deepEqual(one(logstash, 'taskmanager-lost').facts, {
    resourceId: 'app-taskmanager-1-1',
    reason: 'heartbeat-timeout',
    detail: 'The heartbeat of TaskManager with id app-taskmanager-1-1 timed out.',
    reports: 1,
  });
  assert.deepEqual(one(logstash, 'job-restarting').facts, {
    jobName: 'app',
    jobId: '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
    from: 'RUNNING',
    to: 'RESTARTING',
    exception: 'java.util.concurrent.TimeoutException',
    reason: 'Heartbeat of TaskManager with id app-taskmanager-1-1 timed out.',
  });
  const layout = fixture('taskmanager-jsonlayout.log');
  const base = Date.UTC(2024, 4, 1, 11, 0, 0) + 250;
  assert.deepEqual(outline(layout), [
    ['memory-configuration', 2, base],
    ['taskmanager-started', 3, base + 1000],
    ['jvm-options', 4, base + 1000],
    ['process-exit', 10, base + 600_000],
    ['oom-metaspace', 10, base + 600_000],
  ]);
  assert.equal(one(layout, 'memory-configuration').facts['totalProcessMemory'], '1811939328');
  assert.equal(one(layout, 'memory-configuration').facts['network'], '134217730');
  const metaspace = one(layout, 'oom-metaspace');
  assert.deepEqual([metaspace.facts['enriched'], metaspace.facts['process'], metaspace.facts['options']], [true, 'taskmanager', 'taskmanager.memory.jvm-metaspace.size']);
});

test('an ISO-8601 layout with the thread before the level', () => {
  const evidence = fixture('taskmanager-iso.log');
  assert.deepEqual(outline(evidence), [
    ['taskmanager-started', 1, Date.UTC(2024, 4, 1, 8, 0, 0, 100)],
    ['oom-gc-overhead', 3, Date.UTC(2024, 4, 1, 8, 15, 30, 250)],
  ]);
  assert.deepEqual(one(evidence, 'oom-gc-overhead').facts, { message: 'GC overhead limit exceeded', enriched: false, reports: 1 });
});

test('a TaskManager lost on YARN: the container ran beyond its physical memory limit', () => {
  const ARM = 'org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager';
  const id = 'container_e05_1714557600000_0001_01_000002';
  const evidence = detect('yarn-jm.log', [
    // ActiveResourceManager.onWorkerTerminated with YARN's diagnostics (Hadoop 3 ContainersMonitorImpl)
    rec('10:00:00,000', 'INFO', ARM, `Worker ${id}(node-7:8041) is terminated. Diagnostics: [2024-05-01 10:00:00.000]Container [pid=41731,containerID=${id}] is running 212860928B beyond the 'PHYSICAL' memory limit. Current usage: 4.2 GB of 4 GB physical memory used; 6.1 GB of 8.4 GB virtual memory used. Killing container.`),
    // JobMaster, 50 s later: the same TaskManager
    rec('10:00:50,000', 'INFO', 'org.apache.flink.runtime.jobmaster.JobMaster', `Heartbeat of TaskManager with id ${id}(node-7:8041) timed out.`),
    // the same id after the window: a new loss
    rec('10:06:00,000', 'INFO', 'org.apache.flink.runtime.jobmaster.JobMaster', `TaskManager with id ${id}(node-7:8041) is no longer reachable.`),
  ]);
  assert.deepEqual(outline(evidence), [
    ['taskmanager-lost', 1, at('10:00:00.000')],
    ['container-killed', 1, at('10:00:00.000')],
    ['taskmanager-lost', 3, at('10:06:00.000')],
  ]);
  assert.deepEqual(evidence[0]!.facts['reports'], 2);
  assert.deepEqual([evidence[0]!.facts['reason'], evidence[0]!.facts['resourceMetadata'], evidence[0]!.facts['container']], ['terminated', 'node-7:8041', id]);
  assert.deepEqual(evidence[1]!.facts, { resourceId: id, container: id, reason: 'physical-memory-limit', oomKilled: false, source: 'yarn' });
  assert.equal(evidence[2]!.facts['reason'], 'unreachable');
});

test('the failure manager alone: its reason decides expired, declined or aborted; an unknown id is still an abort', () => {
  const failure = (time: string, id: string, reason: string): string[] => [
    rec(time, 'WARN', CFM, `Failed to trigger or complete checkpoint ${id} for job ${JOB}. (1 consecutive failed attempts so far)`),
    `org.apache.flink.runtime.checkpoint.CheckpointException: ${reason}`,
    '\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator.abortPendingCheckpoint(CheckpointCoordinator.java:2078)',
  ];
  const evidence = detect('jm.log', [
    ...failure('10:00:00,000', '7', 'Checkpoint expired before completing.'),
    ...failure('10:01:00,000', '8', 'Asynchronous task checkpoint failed.'),
    ...failure('10:02:00,000', '9', 'Task has failed.'),
    ...failure('10:03:00,000', 'UNKNOWN_CHECKPOINT_ID', 'Not all required tasks are currently running.'),
  ]);
  assert.deepEqual(outline(evidence), [
    ['checkpoint-expired', 1, at('10:00:00.000')],
    ['checkpoint-declined', 4, at('10:01:00.000')],
    ['checkpoint-aborted', 7, at('10:02:00.000')],
    ['checkpoint-aborted', 10, at('10:03:00.000')],
  ]);
  assert.deepEqual(evidence.map((e) => e.facts['failureReason']), ['CHECKPOINT_EXPIRED', 'CHECKPOINT_ASYNC_EXCEPTION', 'TASK_FAILURE', 'NOT_ALL_REQUIRED_TASKS_RUNNING']);
  assert.deepEqual(evidence[3]!.facts, {
    jobId: JOB,
    consecutiveFailures: 1,
    exception: 'org.apache.flink.runtime.checkpoint.CheckpointException',
    reason: 'Not all required tasks are currently running.',
    failureReason: 'NOT_ALL_REQUIRED_TASKS_RUNNING',
  });
  assert.equal(evidence[3]!.summary, 'A checkpoint failed: Not all required tasks are currently running.');
});

test('a decline carries its cause: the stack trace after the record names the reason and the root cause', () => {
  const evidence = detect('jm.log', [
    // CheckpointCoordinator.receiveDeclineMessage logs the decline's cause as the record's throwable.
    rec('10:00:00,000', 'INFO', CC, `Decline checkpoint 12 by task abc_1_0 of job ${JOB} at tm-1 @ host-1 (dataPort=6121).`),
    'org.apache.flink.util.SerializedThrowable: Asynchronous task checkpoint failed.',
    '\tat org.apache.flink.streaming.runtime.tasks.AsyncCheckpointRunnable.handleExecutionException(AsyncCheckpointRunnable.java:320)',
    'Caused by: org.apache.flink.util.SerializedThrowable: java.io.IOException: No space left on device',
    '\t... 4 more',
  ]);
  assert.deepEqual(evidence.map((e) => e.kind), ['checkpoint-declined']);
  assert.deepEqual(evidence[0]!.facts, {
    checkpointId: 12,
    taskExecutionId: 'abc_1_0',
    jobId: JOB,
    location: 'tm-1 @ host-1 (dataPort=6121)',
    exception: 'org.apache.flink.util.SerializedThrowable',
    reason: 'Asynchronous task checkpoint failed.',
    failureReason: 'CHECKPOINT_ASYNC_EXCEPTION',
    rootCause: 'org.apache.flink.util.SerializedThrowable: java.io.IOException: No space left on device',
  });
});

test('an OutOfMemoryError deep in a stack trace is found; frames and look-alikes are not errors', () => {
  const evidence = detect('tm.log', [
    rec('10:00:00,000', 'INFO', 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner', '    -XX:+HeapDumpOnOutOfMemoryError'),
    rec('10:00:01,000', 'WARN', TASK, 'Sink (1/1)#0 (abc) switched from RUNNING to FAILED with failure cause:'),
    'org.apache.flink.util.FlinkRuntimeException: Failed to send data',
    '\tat org.apache.flink.connector.Sink.write(Sink.java:10)',
    'Caused by: java.lang.RuntimeException: wrapped',
    '\t... 3 more',
    'Caused by: java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached',
    '\tat java.base/java.lang.Thread.start0(Native Method)',
  ]);
  assert.deepEqual(outline(evidence), [['oom-native-thread', 7, at('10:00:01.000')]]);
  assert.equal(evidence[0]!.summary, 'java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached');
});

test('routine evidence keeps the last of its kind, problems the first; what is dropped is counted', () => {
  const lines: string[] = [];
  const n = MAX_EVIDENCE_PER_KIND + 50;
  for (let i = 1; i <= n; i++) {
    const time = new Date(Date.UTC(2024, 4, 1) + i * 60_000).toISOString();
    const stamp = `${time.slice(11, 19)},000`;
    lines.push(rec(stamp, 'INFO', CC, `Triggering checkpoint ${i} (type=CheckpointType{name='Checkpoint', sharingFilesStrategy=FORWARD_BACKWARD}) @ ${Date.parse(time)} for job ${JOB}.`));
    lines.push(rec(stamp, 'INFO', CC, `Checkpoint ${i} of job ${JOB} expired before completing.`));
  }
  const evidence = detect('jm.log', lines);
  const triggered = evidence.filter((e) => e.kind === 'checkpoint-triggered');
  const expired = evidence.filter((e) => e.kind === 'checkpoint-expired');
  assert.equal(triggered.length, MAX_EVIDENCE_PER_KIND);
  assert.equal(expired.length, MAX_EVIDENCE_PER_KIND);
  assert.deepEqual([triggered[0]!.facts['checkpointId'], triggered.at(-1)!.facts['checkpointId'], triggered[0]!.facts['omitted']], [51, n, 50]);
  assert.deepEqual([expired[0]!.facts['checkpointId'], expired.at(-1)!.facts['checkpointId'], expired.at(-1)!.facts['omitted']], [1, MAX_EVIDENCE_PER_KIND, 50]);
  assert.deepEqual(
    evidence.map((e) => e.at.line),
    [...evidence.map((e) => e.at.line)].sort((a, b) => a - b),
  );
});

test('bad input never throws: binary noise, huge lines, broken JSON, records cut in the middle', () => {
  const noise: string[] = [];
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 2000; i++) {
    const length = Math.floor(random() * 300);
    noise.push(Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 65536))).join(''));
  }
  const broken = [
    '{"message": "Checkpoint 1 of job ' + JOB + ' expired before completing."',
    '{"message": {"nested": true}, "@timestamp": 5}',
    '{"message":"Worker x is terminated. Diagnostics: Pod terminated, container termination statuses: [c(exitCode=notanumber, reason=, message=null)]"}',
    '2024-05-01 99:99:99,999 INFO  x [] - Checkpoint 2 of job ' + JOB + ' expired before completing.',
    '2024-05-01 10:00:00,000',
    rec('10:00:00,000', 'INFO', CC, 'Triggering checkpoint 99999999999999999999999 (type=x) @ 1 for job ' + JOB + '.'),
    rec('10:00:00,000', 'WARN', CFM, `Failed to trigger or complete checkpoint 3 for job ${JOB}. (0 consecutive failed attempts so far)`),
    'x'.repeat(200_000) + 'java.lang.OutOfMemoryError: Java heap space',
    'INFO  [] - Final TaskExecutor Memory configuration:',
    'INFO  [] -   Total Process Memory:          garbage',
  ];
  const evidence = detect('noise.log', [...noise, ...broken, ...noise]);
  assert.ok(Array.isArray(evidence));
  // A JSON record cut short is no record; a head with an impossible time still states its message.
  const expired = evidence.filter((e) => e.kind === 'checkpoint-expired');
  assert.deepEqual(
    expired.map((e) => [e.at.line, e.epochMs, e.facts['checkpointId']]),
    [[2004, undefined, 2]],
  );
  // The failure manager's record ended in a 200,000-character line: an abort whose reason is cut, no exception class.
  const aborted = evidence.find((e) => e.kind === 'checkpoint-aborted');
  assert.deepEqual([aborted?.at.line, aborted?.facts['checkpointId'], aborted?.facts['exception']], [2007, 3, undefined]);
  assert.equal(String(aborted?.facts['reason']).length, 503);
  const heap = evidence.find((e) => e.kind === 'oom-heap');
  assert.deepEqual([heap?.at.line, heap?.facts['message']], [2008, 'Java heap space']);
  assert.ok(evidence.every((e) => e.at.text.length <= 500));
  assert.equal(createFlinkLogDetector('empty.log').finish().length, 0);
});

test('looksLikeFlinkLog: Flink records of any layout, the start scripts output; not GC logs, kubectl or plain text', () => {
  const flink = (name: string) => linesOf(join(FIXTURES, 'flink', name)).slice(0, 50);
  for (const name of ['taskmanager-startup.log', 'jobmanager-checkpoint-incident.log', 'jobmanager-logstash.log', 'taskmanager-jsonlayout.log', 'taskmanager-iso.log']) {
    assert.equal(looksLikeFlinkLog(flink(name)), true, name);
  }
  // docker logs of a TaskManager: the image's own lines first, then Flink's records
  assert.equal(looksLikeFlinkLog(['Starting Task Manager', 'Starting taskexecutor as a console application on host de90b29e304b.', ...flink('taskmanager-startup.log')]), true);
  assert.equal(looksLikeFlinkLog(['INFO  [] - Final TaskExecutor Memory configuration:', 'INFO  [] -   Total Process Memory:          1.688gb (1811939328 bytes)']), true);
  for (const other of [
    ['[2024-05-01T10:00:00.123+0000][0.010s][info][gc,init] Using G1', '[2024-05-01T10:00:00.200+0000][0.087s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.421ms'],
    ['Name:             flink-job-taskmanager-1-2', 'Namespace:        flink', 'Containers:'],
    ['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', '\tat OomKinds.run(OomKinds.java:44)'],
    ['2024-05-01 10:00:00,000 INFO  com.example.App [] - hello', '2024-05-01 10:00:01,000 INFO  com.example.App [] - world'],
    [],
  ]) {
    assert.equal(looksLikeFlinkLog(other), false, other[0]);
  }
});

test('CRLF line ends, as a log copied from Windows has them, read the same', () => {
  const crlf = linesOf(join(FIXTURES, 'flink', 'jobmanager-checkpoint-incident.log')).map((l) => `${l}\r`);
  const plain = fixture('jobmanager-checkpoint-incident.log');
  const withCr = detect('jobmanager-checkpoint-incident.log', crlf);
  assert.deepEqual(
    withCr.map((e) => [e.kind, e.at.line, e.facts]),
    plain.map((e) => [e.kind, e.at.line, e.facts]),
  );
});
