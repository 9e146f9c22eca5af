/**
 * One matcher per Flink message. Each sample is the message part of a record, formatted from the
 * format string of the class named beside it (version noted where the text changed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkpointFailureReason,
  matchCheckpoint,
  matchJobState,
  matchManagedMemory,
  matchNetworkBuffers,
  matchRocksDb,
  matchStarting,
  matchTaskManagerLoss,
  parseContainerDiagnostics,
  parseExceptionLine,
} from '../../src/diagnose/detectors/flink-log-messages.js';
import { dynamicMemoryProperty, dynamicPropertyFacts, jvmOptionFacts, memoryBlockHeader, memoryBlockLine } from '../../src/diagnose/detectors/flink-log-blocks.js';
import { findOutOfMemoryError } from '../../src/diagnose/detectors/flink-log-oom.js';

const JOB = '3f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d';

test('checkpoints triggered and completed, in the texts of 1.9 to 2.x', () => {
  assert.deepEqual(
    // CheckpointCoordinator.createPendingCheckpoint (1.15+): "Triggering checkpoint {} (type={}) @ {} for job {}."
    matchCheckpoint(`Triggering checkpoint 42 (type=CheckpointType{name='Checkpoint', sharingFilesStrategy=FORWARD_BACKWARD}) @ 1714557720008 for job ${JOB}.`),
    {
      kind: 'checkpoint-triggered',
      facts: { checkpointId: 42, jobId: JOB, triggerEpochMs: 1714557720008, type: "CheckpointType{name='Checkpoint', sharingFilesStrategy=FORWARD_BACKWARD}" },
    },
  );
  assert.deepEqual(
    // CheckpointCoordinator (1.9/1.10): "Triggering checkpoint {} @ {} for job {}."
    matchCheckpoint(`Triggering checkpoint 7 @ 1714557720008 for job ${JOB}.`),
    { kind: 'checkpoint-triggered', facts: { checkpointId: 7, jobId: JOB, triggerEpochMs: 1714557720008 } },
  );
  assert.deepEqual(
    // CheckpointCoordinator.logCheckpointInfo (1.15+)
    matchCheckpoint(`Completed checkpoint 41 for job ${JOB} (53687091 bytes, checkpointDuration=3104 ms, finalizationTime=11 ms).`),
    { kind: 'checkpoint-completed', facts: { checkpointId: 41, jobId: JOB, stateBytes: '53687091', durationMs: 3104, finalizationMs: 11 } },
  );
  assert.deepEqual(
    // CheckpointCoordinator.completePendingCheckpoint (before 1.15): "Completed checkpoint {} for job {} ({} bytes in {} ms)."
    matchCheckpoint(`Completed checkpoint 9 for job ${JOB} (1024 bytes in 87 ms).`),
    { kind: 'checkpoint-completed', facts: { checkpointId: 9, jobId: JOB, stateBytes: '1024', durationMs: 87 } },
  );
});

test('checkpoint failures: expired, declined, aborted, and the failure manager', () => {
  assert.deepEqual(
    // CheckpointCoordinator.CheckpointCanceller
    matchCheckpoint(`Checkpoint 42 of job ${JOB} expired before completing.`),
    { kind: 'checkpoint-expired', facts: { checkpointId: 42, jobId: JOB, reason: 'Checkpoint expired before completing.', failureReason: 'CHECKPOINT_EXPIRED' } },
  );
  assert.deepEqual(
    // CheckpointCoordinator.receiveDeclineMessage (1.12+): "Decline checkpoint {} by task {} of job {} at {}."
    matchCheckpoint(`Decline checkpoint 43 by task 5b0d6e1f_1_1 of job ${JOB} at flink-job-taskmanager-1-3 @ 10.244.2.9 (dataPort=6121).`),
    {
      kind: 'checkpoint-declined',
      facts: { checkpointId: 43, taskExecutionId: '5b0d6e1f_1_1', jobId: JOB, location: 'flink-job-taskmanager-1-3 @ 10.244.2.9 (dataPort=6121)' },
      causeFollows: true,
    },
  );
  assert.deepEqual(
    // before 1.12: "Decline checkpoint {} by task {} of job {}."
    matchCheckpoint(`Decline checkpoint 3 by task 0a448493b4782967b150582570326227 of job ${JOB}.`),
    { kind: 'checkpoint-declined', facts: { checkpointId: 3, taskExecutionId: '0a448493b4782967b150582570326227', jobId: JOB }, causeFollows: true },
  );
  assert.deepEqual(
    // CheckpointFailureManager.handleCheckpointException (1.15+)
    matchCheckpoint(`Failed to trigger or complete checkpoint 42 for job ${JOB}. (2 consecutive failed attempts so far)`),
    { kind: 'failure-manager', facts: { jobId: JOB, consecutiveFailures: 2, checkpointId: 42 } },
  );
  assert.deepEqual(
    matchCheckpoint(`Failed to trigger or complete checkpoint UNKNOWN_CHECKPOINT_ID for job ${JOB}. (0 consecutive failed attempts so far)`),
    { kind: 'failure-manager', facts: { jobId: JOB, consecutiveFailures: 0 } },
  );
  assert.deepEqual(
    // CheckpointCoordinator.triggerCheckpointRequest: "Triggering Checkpoint {} for job {} failed due to {}"
    matchCheckpoint(`Triggering Checkpoint 5 for job ${JOB} failed due to java.util.concurrent.TimeoutException`),
    { kind: 'checkpoint-aborted', facts: { checkpointId: 5, jobId: JOB, phase: 'trigger', reason: 'java.util.concurrent.TimeoutException' }, causeFollows: false },
  );
  assert.deepEqual(
    // CheckpointFailureManager (1.13-1.16): "Failed to trigger checkpoint for job {} since {}."
    matchCheckpoint(`Failed to trigger checkpoint for job ${JOB} since Checkpoint triggering task Source: datagen (4/8) of job ${JOB} is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running..`),
    {
      kind: 'checkpoint-aborted',
      facts: {
        jobId: JOB,
        phase: 'trigger',
        reason: `Checkpoint triggering task Source: datagen (4/8) of job ${JOB} is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running.`,
      },
      causeFollows: false,
    },
  );
  assert.deepEqual(
    // CheckpointCoordinator (1.9/1.10): "Failed to trigger checkpoint for job {} ({} consecutive failed attempts so far)."
    matchCheckpoint(`Failed to trigger checkpoint for job ${JOB} (3 consecutive failed attempts so far).`),
    { kind: 'checkpoint-aborted', facts: { jobId: JOB, phase: 'trigger', consecutiveFailures: 3 }, causeFollows: true },
  );
  assert.deepEqual(
    // CheckpointCoordinator.discardCheckpoint (1.5-1.8): "Discarding checkpoint {} of job {} because: {}"
    matchCheckpoint(`Discarding checkpoint 12 of job ${JOB} because: Task has failed.`),
    { kind: 'checkpoint-aborted', facts: { checkpointId: 12, jobId: JOB, reason: 'Task has failed.' }, causeFollows: false },
  );
  assert.deepEqual(
    // CheckpointCoordinator.discardCheckpoint (1.9/1.10): "Discarding checkpoint {} of job {}." with the cause as stack trace
    matchCheckpoint(`Discarding checkpoint 13 of job ${JOB}.`),
    { kind: 'checkpoint-aborted', facts: { checkpointId: 13, jobId: JOB }, causeFollows: true },
  );
  for (const other of [
    'Checkpoint 42 of task Window (2/4) has been notified as aborted.',
    `Completed checkpoint 41 for job not-a-job-id (1 bytes in 2 ms).`,
    'Triggering checkpoint 42 for job x.',
    'checkpoint',
  ]) {
    assert.equal(matchCheckpoint(other), undefined, other);
  }
});

test('CheckpointFailureReason from the exception text, and exception lines', () => {
  assert.equal(checkpointFailureReason('Checkpoint expired before completing.'), 'CHECKPOINT_EXPIRED');
  assert.equal(checkpointFailureReason('Checkpoint was declined (tasks not ready)'), 'CHECKPOINT_DECLINED_TASK_NOT_READY');
  assert.equal(checkpointFailureReason('Checkpoint was canceled because a barrier from newer checkpoint was received.'), 'CHECKPOINT_DECLINED_SUBSUMED');
  assert.equal(checkpointFailureReason('Checkpoint Coordinator is suspending.'), 'CHECKPOINT_COORDINATOR_SUSPEND');
  assert.equal(checkpointFailureReason('Asynchronous task checkpoint failed.'), 'CHECKPOINT_ASYNC_EXCEPTION');
  assert.equal(checkpointFailureReason('The minimum time between checkpoints is still pending. Checkpoint will be triggered after the minimum time.'), 'MINIMUM_TIME_BETWEEN_CHECKPOINTS');
  assert.equal(checkpointFailureReason('something else'), undefined);
  assert.deepEqual(parseExceptionLine('org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired before completing.'), {
    exception: 'org.apache.flink.runtime.checkpoint.CheckpointException',
    message: 'Checkpoint expired before completing.',
  });
  assert.deepEqual(parseExceptionLine('Caused by: java.lang.OutOfMemoryError: Java heap space'), { exception: 'java.lang.OutOfMemoryError', message: 'Java heap space' });
  assert.deepEqual(parseExceptionLine('java.lang.OutOfMemoryError'), { exception: 'java.lang.OutOfMemoryError', message: '' });
  assert.equal(parseExceptionLine('\tat org.apache.flink.X.y(X.java:1)'), undefined);
  assert.equal(parseExceptionLine('plain words: here'), undefined);
});

test('TaskManager losses, as the JobMaster, the ResourceManager and the active resource manager log them', () => {
  // JobMaster.TaskManagerHeartbeatListener (1.10-1.14 text; ResourceID.getStringWithMetadata adds "(metadata)")
  assert.deepEqual(matchTaskManagerLoss('Heartbeat of TaskManager with id container_e05_1714557600000_0001_01_000002(node-7:8041) timed out.'), {
    resourceId: 'container_e05_1714557600000_0001_01_000002',
    metadata: 'node-7:8041',
    reason: 'heartbeat-timeout',
    detail: 'Heartbeat of TaskManager with id container_e05_1714557600000_0001_01_000002(node-7:8041) timed out.',
  });
  // ResourceManager.TaskManagerHeartbeatListener: "The heartbeat of TaskManager with id %s timed out."
  assert.equal(matchTaskManagerLoss('The heartbeat of TaskManager with id 10.0.0.5:40561-3f8a2c timed out.')?.resourceId, '10.0.0.5:40561-3f8a2c');
  // JobMaster/ResourceManager.notifyTargetUnreachable
  assert.deepEqual(matchTaskManagerLoss('TaskManager with id tm-1 is no longer reachable.'), {
    resourceId: 'tm-1',
    metadata: undefined,
    reason: 'unreachable',
    detail: 'TaskManager with id tm-1 is no longer reachable.',
  });
  // ResourceManager.closeTaskManagerConnection and JobMaster.disconnectTaskManager: the reason names the cause
  assert.equal(matchTaskManagerLoss('Closing TaskExecutor connection tm-1 because: The heartbeat of TaskManager with id tm-1 timed out.')?.reason, 'heartbeat-timeout');
  assert.equal(matchTaskManagerLoss('Disconnect TaskExecutor tm-1 because: TaskManager with id tm-1 is no longer reachable.')?.reason, 'unreachable');
  assert.equal(matchTaskManagerLoss('Disconnect TaskExecutor tm-1 because: The TaskExecutor is shutting down.')?.reason, 'disconnected');
  // Orderly releases are no loss (test/fixtures/diagnose/heldout: an idle YARN container given back, a job stopping).
  assert.equal(matchTaskManagerLoss('Disconnect TaskExecutor tm-1 because: Stopping JobMaster for job window-aggregation.'), undefined);
  assert.equal(matchTaskManagerLoss('Closing TaskExecutor connection tm-1 because: TaskExecutor exceeded the idle timeout.'), undefined);
  assert.equal(
    matchTaskManagerLoss('Disconnect TaskExecutor tm-1 because: TaskExecutor akka.tcp://flink@10.0.0.5:6122/user/rpc/taskmanager_0 has no more allocated slots for job 3f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d.'),
    undefined,
  );
  // ActiveResourceManager.onWorkerTerminated: "Worker {} is terminated. Diagnostics: {}"
  const worker = matchTaskManagerLoss(
    'Worker flink-job-taskmanager-1-2 is terminated. Diagnostics: Pod terminated, container termination statuses: [flink-main-container(exitCode=137, reason=OOMKilled, message=null)], pod status: Failed(reason=null, message=null)',
  );
  assert.equal(worker?.reason, 'terminated');
  assert.equal(worker?.detail, 'Pod terminated, container termination statuses: [flink-main-container(exitCode=137, reason=OOMKilled, message=null)], pod status: Failed(reason=null, message=null)');
  assert.equal(matchTaskManagerLoss('The heartbeat of JobManager with id x timed out.'), undefined);
});

test('container exits in diagnostics: Kubernetes statuses, YARN memory limits (Hadoop 2 and 3)', () => {
  // KubernetesPod.getTerminatedDiagnostics, with two containers (a sidecar exited normally)
  assert.deepEqual(
    parseContainerDiagnostics(
      'Pod terminated, container termination statuses: [flink-main-container(exitCode=137, reason=OOMKilled, message=null), fluent-bit(exitCode=0, reason=Completed, message=null)], pod status: Failed(reason=null, message=null)',
    ),
    [
      { container: 'flink-main-container', exitCode: 137, reason: 'OOMKilled', oomKilled: true, memoryKill: true, source: 'kubernetes' },
      { container: 'fluent-bit', exitCode: 0, reason: 'Completed', oomKilled: false, memoryKill: false, source: 'kubernetes' },
    ],
  );
  // Hadoop 3 ContainersMonitorImpl, then ContainerExecutor's exit code
  assert.deepEqual(
    parseContainerDiagnostics(
      "Container [pid=41731,containerID=container_e05_1714557600000_0001_01_000002] is running 212860928B beyond the 'PHYSICAL' memory limit. Current usage: 4.2 GB of 4 GB physical memory used; 6.1 GB of 8.4 GB virtual memory used. Killing container. Container killed on request. Exit code is 143",
    ),
    [{ container: 'container_e05_1714557600000_0001_01_000002', exitCode: 143, reason: 'physical-memory-limit', oomKilled: false, memoryKill: true, source: 'yarn' }],
  );
  // Hadoop 2
  assert.deepEqual(
    parseContainerDiagnostics('Container [pid=1234,containerID=container_1714557600000_0001_01_000003] is running beyond virtual memory limits. Current usage: 1.1 GB of 2 GB physical memory used; 4.3 GB of 4.2 GB virtual memory used. Killing container.'),
    [{ container: 'container_1714557600000_0001_01_000003', exitCode: undefined, reason: 'virtual-memory-limit', oomKilled: false, memoryKill: true, source: 'yarn' }],
  );
  assert.deepEqual(parseContainerDiagnostics('Exception from container-launch. Container id: container_1714557600000_0001_01_000004 Exit code: 1 Exit code is 137'), [
    { container: 'container_1714557600000_0001_01_000004', exitCode: 137, reason: 'exit', oomKilled: false, memoryKill: true, source: 'yarn' },
  ]);
  assert.deepEqual(parseContainerDiagnostics('nothing stated'), []);
});

test('job states, process starts', () => {
  // DefaultExecutionGraph.transitionState: "Job {} ({}) switched from state {} to {}." (a name may hold parentheses)
  assert.deepEqual(matchJobState(`Job insert-into_default_catalog.default_database.sink (${JOB}) switched from state RUNNING to RESTARTING.`), {
    jobName: 'insert-into_default_catalog.default_database.sink',
    jobId: JOB,
    from: 'RUNNING',
    to: 'RESTARTING',
  });
  assert.equal(matchJobState(`Job a (b) (${JOB}) switched from state FAILING to FAILED.`)?.jobName, 'a (b)');
  assert.equal(matchJobState('Window (2/4) (abc) switched from RUNNING to FAILED.'), undefined);
  // EnvironmentInformation.logEnvironmentInfo, 1.11+ and 1.10 (no Scala field)
  assert.deepEqual(matchStarting(' Starting YARN TaskExecutor runner (Version: 1.16.3, Scala: 2.12, Rev:6b2e32b, Date:2023-11-22T18:36:54+01:00)'), {
    process: 'taskmanager',
    facts: { component: 'YARN TaskExecutor runner', version: '1.16.3', revision: '6b2e32b', buildDate: '2023-11-22T18:36:54+01:00', scala: '2.12' },
  });
  assert.deepEqual(matchStarting(' Starting YarnJobClusterEntrypoint (Version: 1.10.0, Rev:aa4eb8f, Date:07.02.2020 @ 19:18:19 CET)'), {
    process: 'jobmanager',
    facts: { component: 'YarnJobClusterEntrypoint', version: '1.10.0', revision: 'aa4eb8f', buildDate: '07.02.2020 @ 19:18:19 CET' },
  });
  assert.equal(matchStarting(' Starting HistoryServer (Version: 1.17.2, Scala: 2.12, Rev:c0027e5, Date:2023-11-09T13:24:38+01:00)')?.process, undefined);
});

test('network buffers (1.11+ and older text), managed memory, RocksDB', () => {
  // NetworkBufferPool.tryRedistributeBuffers with getConfigDescription()
  assert.deepEqual(
    matchNetworkBuffers(
      "java.io.IOException: Insufficient number of network buffers: required 65, but only 38 available. The total number of network buffers is currently set to 4096 of 32768 bytes each. You can increase this number by setting the configuration keys 'taskmanager.memory.network.fraction', 'taskmanager.memory.network.min', and 'taskmanager.memory.network.max'.",
    ),
    {
      required: 65,
      available: 38,
      totalBuffers: 4096,
      segmentSize: '32768',
      totalBytes: '134217728',
      options: 'taskmanager.memory.network.fraction,taskmanager.memory.network.min,taskmanager.memory.network.max',
    },
  );
  // NetworkBufferPool.createBufferPool (before 1.11): "required %d, but only %d of %d available."
  assert.deepEqual(matchNetworkBuffers('java.io.IOException: Insufficient number of network buffers: required 12, but only 3 of 2048 available.'), {
    required: 12,
    available: 3,
    totalBuffers: 2048,
  });
  // MemoryManager.allocatePages (1.10+) and its cause, UnsafeMemoryBudget.reserveMemory
  assert.deepEqual(matchManagedMemory('org.apache.flink.runtime.memory.MemoryAllocationException: Could not allocate 512 pages'), { consumer: 'pages', requestedPages: 512 });
  assert.deepEqual(
    matchManagedMemory('Caused by: org.apache.flink.runtime.memory.MemoryReservationException: Could not allocate 16777216 bytes, only 8388608 bytes are remaining. This usually indicates that you are requesting more memory than you have reserved.'),
    { consumer: 'reservation', requestedBytes: '16777216', remainingBytes: '8388608' },
  );
  // MemoryManager (before 1.10): "Could not allocate %d pages. Only %d pages are remaining."
  assert.deepEqual(matchManagedMemory('org.apache.flink.runtime.memory.MemoryAllocationException: Could not allocate 64 pages. Only 10 pages are remaining.'), {
    consumer: 'pages',
    requestedPages: 64,
    remainingPages: 10,
  });
  assert.equal(matchManagedMemory('Could not allocate 512 pages'), undefined, 'the words alone, without Flink exception, are not evidence');
  assert.equal(matchManagedMemory('Could not connect to the JobManager.'), undefined);
  // EmbeddedRocksDBStateBackend / RocksDBOperationUtils
  assert.deepEqual(matchRocksDb('Obtained shared RocksDB cache of size 359694336 bytes'), { event: 'shared-cache-obtained', bytes: '359694336', problem: false });
  assert.deepEqual(matchRocksDb('Getting fixed-size shared cache for RocksDB.'), { event: 'shared-cache-requested', source: 'fixed-per-slot', problem: false });
  assert.deepEqual(matchRocksDb('java.io.IOException: Failed to acquire shared cache resource for RocksDB'), { event: 'shared-cache-failed', problem: true });
  assert.equal(matchRocksDb('Using predefined options for RocksDB: DEFAULT.'), undefined);
});

test('OutOfMemoryError texts: the JVM kinds and Flink enriched hints; look-alike class names are not errors', () => {
  const kind = (text: string) => findOutOfMemoryError(text)?.kind;
  assert.equal(kind('java.lang.OutOfMemoryError: Java heap space'), 'oom-heap');
  assert.equal(kind('Caused by: java.lang.OutOfMemoryError: GC overhead limit exceeded'), 'oom-gc-overhead');
  assert.equal(kind('java.lang.OutOfMemoryError: Direct buffer memory'), 'oom-direct'); // JDK 8/11 Bits.reserveMemory
  assert.equal(kind('java.lang.OutOfMemoryError: Metaspace'), 'oom-metaspace');
  assert.equal(kind('java.lang.OutOfMemoryError: Compressed class space'), 'oom-metaspace');
  // JDK 9+ os.hpp OS_NATIVE_THREAD_CREATION_FAILED_MSG; JDK 8 jvm.cpp
  assert.equal(kind('java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached'), 'oom-native-thread');
  assert.equal(kind('java.lang.OutOfMemoryError: unable to create new native thread'), 'oom-native-thread');
  assert.equal(kind('java.lang.OutOfMemoryError: Requested array size exceeds VM limit'), 'oom-other');
  assert.equal(kind('java.lang.OutOfMemoryError'), 'oom-other');
  // ClusterEntryPointExceptionUtils.JM_HEAP_SPACE_OOM_ERROR_MESSAGE
  const jm = findOutOfMemoryError(
    "java.lang.OutOfMemoryError: Java heap space. A heap space-related out-of-memory error has occurred. This can mean two things: either Flink Master requires a larger size of JVM heap space or there is a memory leak. In the first case, 'jobmanager.memory.heap.size' can be used to increase the amount of available heap memory. If the problem is not resolved by increasing the heap size, it indicates a memory leak in the user code or its dependencies which needs to be investigated and fixed. The Flink Master has to be shutdown...",
  );
  assert.equal(jm?.kind, 'oom-heap');
  assert.equal(jm?.summary, "java.lang.OutOfMemoryError: Java heap space (with Flink's hint)");
  assert.deepEqual([jm?.facts['enriched'], jm?.facts['process'], jm?.facts['options']], [true, 'jobmanager', 'jobmanager.memory.heap.size']);
  for (const text of ['    -XX:+HeapDumpOnOutOfMemoryError', '-XX:OnOutOfMemoryError=kill -9 %p', 'java.lang.OutOfMemoryErrorHandler started', 'OutOfMemoryError: Java heap space']) {
    assert.equal(findOutOfMemoryError(text), undefined, text);
  }
});

test('start-up blocks: the memory block lines, JVM options, dynamic properties', () => {
  assert.equal(memoryBlockHeader('INFO  [] - Final TaskExecutor Memory configuration:'), 'taskmanager');
  assert.equal(memoryBlockHeader('INFO  [] - Final Master Memory configuration:'), 'jobmanager');
  assert.equal(memoryBlockHeader('INFO  [] - Memory configuration:'), undefined);
  // BashJavaUtils.logTaskExecutorConfiguration: the indentation tells heap from direct "Framework:"/"Task:"
  assert.deepEqual(memoryBlockLine('taskmanager', 'INFO  [] -         Framework:               128.000mb (134217728 bytes)'), { component: 'frameworkHeap', bytes: '134217728' });
  assert.deepEqual(memoryBlockLine('taskmanager', 'INFO  [] -           Framework:             128.000mb (134217728 bytes)'), { component: 'frameworkOffHeap', bytes: '134217728' });
  assert.deepEqual(memoryBlockLine('taskmanager', 'INFO  [] -           Task:                  0 bytes'), { component: 'taskOffHeap', bytes: '0' });
  assert.deepEqual(memoryBlockLine('jobmanager', 'INFO  [] -       Off-heap:         128.000mb (134217728 bytes)'), { component: 'offHeap', bytes: '134217728' });
  assert.equal(memoryBlockLine('jobmanager', 'INFO  [] -         Managed:                 512.000mb (536870920 bytes)'), undefined);
  assert.equal(memoryBlockLine('taskmanager', ''), undefined);
  assert.deepEqual(
    jvmOptionFacts(['-XX:+UseG1GC', '-Xmx536870902', '-Xms536870902', '-XX:MaxDirectMemorySize=268435458', '-XX:MaxMetaspaceSize=256m', '-Xss1m', '-XX:NativeMemoryTracking=summary', '-XX:+HeapDumpOnOutOfMemoryError', '-XX:MaxRAMPercentage=75.0', '-Xmx2g']),
    {
      count: 10,
      gc: 'G1',
      Xmx: '2147483648', // the last -Xmx wins, as in the JVM
      Xms: '536870902',
      MaxDirectMemorySize: '268435458',
      MaxMetaspaceSize: '268435456',
      Xss: '1048576',
      NativeMemoryTracking: 'summary',
      HeapDumpOnOutOfMemoryError: true,
      MaxRAMPercentage: 75,
    },
  );
  assert.deepEqual(dynamicMemoryProperty('Loading dynamic configuration property: taskmanager.memory.managed.size, 536870920b'), { key: 'taskmanager.memory.managed.size', value: '536870920b' });
  assert.equal(dynamicMemoryProperty('Loading dynamic configuration property: taskmanager.cpu.cores, 1.0'), undefined);
  assert.deepEqual(
    dynamicPropertyFacts(
      new Map([
        ['taskmanager.memory.network.min', '134217730b'],
        ['taskmanager.memory.network.max', '134217730b'],
        ['taskmanager.memory.jvm-overhead.min', '192m'],
        ['taskmanager.memory.jvm-overhead.max', '1g'],
        ['taskmanager.memory.managed.size', 'not a size'],
        ['taskmanager.memory.task.heap.size', '402653174b'],
      ]),
    ),
    { process: 'taskmanager', components: { taskHeap: '402653174', network: '134217730' } },
  );
  assert.equal(dynamicPropertyFacts(new Map()), undefined);
});
