/**
 * The Flink log messages the doctor reads, one matcher each, with the class that writes them.
 * Every pattern follows the format string in Flink's source (1.9 to 2.x where the text changed,
 * all versions are read). Matchers take the message of one record (after the layout's prefix) and
 * return plain facts; the detector decides what becomes evidence.
 */
import type { Facts } from './flink-log-collector.js';

/** A JobID is printed as 32 lowercase hex digits (AbstractID.toString). */
const JOB = '([0-9a-f]{32})';

// CheckpointCoordinator.createPendingCheckpoint: "Triggering checkpoint {} (type={}) @ {} for job {}."
// (1.9/1.10 without the type).
const TRIGGERED = new RegExp(`^Triggering checkpoint (\\d+) (?:\\(type=(.*)\\) )?@ (\\d+) for job ${JOB}\\.$`);
// CheckpointCoordinator.logCheckpointInfo: "Completed checkpoint {} for job {} ({} bytes,
// checkpointDuration={} ms, finalizationTime={} ms)." (1.15+); before: "({} bytes in {} ms)."
const COMPLETED = new RegExp(`^Completed checkpoint (\\d+) for job ${JOB} \\((\\d+) bytes(.*)\\)\\.?$`);
// CheckpointCoordinator.CheckpointCanceller: "Checkpoint {} of job {} expired before completing."
const EXPIRED = new RegExp(`^Checkpoint (\\d+) of job ${JOB} expired before completing\\.$`);
// CheckpointCoordinator.receiveDeclineMessage: "Decline checkpoint {} by task {} of job {} at {}." and
// the decline's cause as the record's stack trace (before 1.12 without " at {}").
const DECLINED = new RegExp(`^Decline checkpoint (\\d+) by task (\\S+) of job ${JOB}(?: at (.*?))?\\.$`);
// CheckpointFailureManager.handleCheckpointException: "Failed to trigger or complete checkpoint {} for
// job {}. ({} consecutive failed attempts so far)" and the CheckpointException as stack trace.
const FAILURE_MANAGER = new RegExp(
  `^Failed to trigger or complete checkpoint (\\d+|UNKNOWN_CHECKPOINT_ID) for job ${JOB}\\. \\((\\d+) consecutive failed attempts so far\\)$`,
);
// CheckpointCoordinator.triggerCheckpointRequest: "Triggering Checkpoint {} for job {} failed due to {}"
const TRIGGER_FAILED = new RegExp(`^Triggering Checkpoint (\\d+) for job ${JOB} failed due to (.*)$`);
// CheckpointFailureManager / CheckpointCoordinator.onTriggerFailure (1.11-1.16): "Failed to trigger
// checkpoint for job {} since {}." and, before 1.11: "Failed to trigger checkpoint for job {} ({}
// consecutive failed attempts so far)."
const TRIGGER_FAILED_SINCE = new RegExp(`^Failed to trigger checkpoint for job ${JOB} since (.*?)\\.?$`);
const TRIGGER_FAILED_OLD = new RegExp(`^Failed to trigger checkpoint for job ${JOB} \\((\\d+) consecutive failed attempts so far\\)\\.$`);
// CheckpointCoordinator.discardCheckpoint (1.5-1.10): "Discarding checkpoint {} of job {} because: {}"
// and "Discarding checkpoint {} of job {}." with the cause as stack trace.
const DISCARDING = new RegExp(`^Discarding checkpoint (\\d+) of job ${JOB}(?:\\.| because: (.*))$`);

export type CheckpointEvent =
  | { readonly kind: 'checkpoint-triggered' | 'checkpoint-completed' | 'checkpoint-expired'; readonly facts: Facts }
  | { readonly kind: 'checkpoint-declined' | 'checkpoint-aborted'; readonly facts: Facts; readonly causeFollows: boolean }
  | { readonly kind: 'failure-manager'; readonly facts: Facts };

/** Cheap pre-test: every checkpoint message above contains this. */
export const CHECKPOINT_HINT = 'heckpoint';

export function matchCheckpoint(message: string): CheckpointEvent | undefined {
  const c0 = message.charCodeAt(0);
  let m: RegExpExecArray | null;
  if (c0 === 84 /* T */) {
    if ((m = TRIGGERED.exec(message)) !== null) {
      const facts: Facts = { checkpointId: Number(m[1]), jobId: m[4]!, triggerEpochMs: Number(m[3]) };
      if (m[2] !== undefined) facts['type'] = m[2];
      return { kind: 'checkpoint-triggered', facts };
    }
    if ((m = TRIGGER_FAILED.exec(message)) !== null) {
      return { kind: 'checkpoint-aborted', facts: { checkpointId: Number(m[1]), jobId: m[2]!, phase: 'trigger', reason: m[3]! }, causeFollows: false };
    }
  } else if (c0 === 67 /* C */) {
    if ((m = COMPLETED.exec(message)) !== null) {
      const facts: Facts = { checkpointId: Number(m[1]), jobId: m[2]!, stateBytes: m[3]! };
      const rest = m[4]!;
      const duration = /checkpointDuration=(\d+) ms/.exec(rest) ?? /^ in (\d+) ms$/.exec(rest);
      if (duration !== null) facts['durationMs'] = Number(duration[1]);
      const finalization = /finalizationTime=(\d+) ms/.exec(rest);
      if (finalization !== null) facts['finalizationMs'] = Number(finalization[1]);
      return { kind: 'checkpoint-completed', facts };
    }
    if ((m = EXPIRED.exec(message)) !== null) {
      return { kind: 'checkpoint-expired', facts: { checkpointId: Number(m[1]), jobId: m[2]!, reason: 'Checkpoint expired before completing.', failureReason: 'CHECKPOINT_EXPIRED' } };
    }
  } else if (c0 === 68 /* D */) {
    if ((m = DECLINED.exec(message)) !== null) {
      const facts: Facts = { checkpointId: Number(m[1]), taskExecutionId: m[2]!, jobId: m[3]! };
      if (m[4] !== undefined) facts['location'] = m[4];
      return { kind: 'checkpoint-declined', facts, causeFollows: true };
    }
    if ((m = DISCARDING.exec(message)) !== null) {
      const facts: Facts = { checkpointId: Number(m[1]), jobId: m[2]! };
      if (m[3] !== undefined) facts['reason'] = m[3];
      return { kind: 'checkpoint-aborted', facts, causeFollows: m[3] === undefined };
    }
  } else if (c0 === 70 /* F */) {
    if ((m = FAILURE_MANAGER.exec(message)) !== null) {
      const facts: Facts = { jobId: m[2]!, consecutiveFailures: Number(m[3]) };
      if (m[1] !== 'UNKNOWN_CHECKPOINT_ID') facts['checkpointId'] = Number(m[1]);
      return { kind: 'failure-manager', facts };
    }
    if ((m = TRIGGER_FAILED_SINCE.exec(message)) !== null) {
      return { kind: 'checkpoint-aborted', facts: { jobId: m[1]!, phase: 'trigger', reason: m[2]! }, causeFollows: false };
    }
    if ((m = TRIGGER_FAILED_OLD.exec(message)) !== null) {
      return { kind: 'checkpoint-aborted', facts: { jobId: m[1]!, phase: 'trigger', consecutiveFailures: Number(m[2]) }, causeFollows: true };
    }
  }
  return undefined;
}

/**
 * CheckpointFailureReason messages (the text a CheckpointException carries) to the enum names,
 * as Flink 1.15-2.x writes them.
 */
const FAILURE_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['Periodic checkpoint scheduler is shut down.', 'PERIODIC_SCHEDULER_SHUTDOWN'],
  ['The maximum number of queued checkpoint requests exceeded', 'TOO_MANY_CHECKPOINT_REQUESTS'],
  ['The maximum number of concurrent checkpoints is exceeded', 'TOO_MANY_CONCURRENT_CHECKPOINTS'],
  ['The minimum time between checkpoints is still pending.', 'MINIMUM_TIME_BETWEEN_CHECKPOINTS'],
  ['Not all required tasks are currently running.', 'NOT_ALL_REQUIRED_TASKS_RUNNING'],
  ['An Exception occurred while triggering the checkpoint. IO-problem detected.', 'IO_EXCEPTION'],
  ['Blocking output edge exists in running tasks.', 'BLOCKING_OUTPUT_EXIST'],
  ['Asynchronous task checkpoint failed.', 'CHECKPOINT_ASYNC_EXCEPTION'],
  ['The checkpoint was aborted due to exception of other subtasks sharing the ChannelState file.', 'CHANNEL_STATE_SHARED_STREAM_EXCEPTION'],
  ['Checkpoint expired before completing.', 'CHECKPOINT_EXPIRED'],
  ['Checkpoint has been subsumed.', 'CHECKPOINT_SUBSUMED'],
  ['Checkpoint was declined (tasks not ready)', 'CHECKPOINT_DECLINED_TASK_NOT_READY'],
  ['Checkpoint was declined (task is closing)', 'CHECKPOINT_DECLINED_TASK_CLOSING'],
  ["Checkpoint was declined (task's operators partially closed)", 'CHECKPOINT_DECLINED_TASK_CLOSING'],
  ['Checkpoint was declined because one input stream is finished', 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM'],
  ['Checkpoint was declined.', 'CHECKPOINT_DECLINED'],
  ['Task does not support checkpointing', 'CHECKPOINT_DECLINED_TASK_NOT_CHECKPOINTING'],
  ['Checkpoint was canceled because a barrier from newer checkpoint was received.', 'CHECKPOINT_DECLINED_SUBSUMED'],
  ['Task received cancellation from one of its inputs', 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER'],
  ['The checkpoint alignment phase needed to buffer more than the configured maximum bytes', 'CHECKPOINT_DECLINED_ALIGNMENT_LIMIT_EXCEEDED'],
  ['CheckpointCoordinator shutdown.', 'CHECKPOINT_COORDINATOR_SHUTDOWN'],
  ['Checkpoint Coordinator is suspending.', 'CHECKPOINT_COORDINATOR_SUSPEND'],
  ['FailoverRegion is restarting.', 'JOB_FAILOVER_REGION'],
  ['The job has failed.', 'JOB_FAILURE'],
  ['Task has failed.', 'TASK_FAILURE'],
  ['Task local checkpoint failure.', 'TASK_CHECKPOINT_FAILURE'],
  ['Unknown task for the checkpoint to notify.', 'UNKNOWN_TASK_CHECKPOINT_NOTIFICATION_FAILURE'],
  ['Failure to finalize checkpoint.', 'FINALIZE_CHECKPOINT_FAILURE'],
  ['Trigger checkpoint failure.', 'TRIGGER_CHECKPOINT_FAILURE'],
];

/** The CheckpointFailureReason whose message starts `reason`, if any. */
export function checkpointFailureReason(reason: string): string | undefined {
  for (const [message, name] of FAILURE_REASONS) if (reason.startsWith(message)) return name;
  return undefined;
}

/** Reasons that only a task reports (through a decline), as opposed to the coordinator aborting. */
export const TASK_DECLINE_REASONS: ReadonlySet<string> = new Set([
  'CHECKPOINT_DECLINED',
  'CHECKPOINT_DECLINED_TASK_NOT_READY',
  'CHECKPOINT_DECLINED_TASK_CLOSING',
  'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM',
  'CHECKPOINT_DECLINED_TASK_NOT_CHECKPOINTING',
  'CHECKPOINT_DECLINED_SUBSUMED',
  'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER',
  'CHECKPOINT_DECLINED_ALIGNMENT_LIMIT_EXCEEDED',
  'CHECKPOINT_ASYNC_EXCEPTION',
  'TASK_CHECKPOINT_FAILURE',
]);

const MAX_CLASS_NAME = 256;

/** `pkg.Class: message` (or `Caused by: pkg.Class: message`) as printed by Throwable.toString. */
export function parseExceptionLine(line: string): { readonly exception: string; readonly message: string } | undefined {
  let text = line.trim();
  if (text.startsWith('Caused by: ')) text = text.slice(11);
  const m = /^((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*)(?::\s?(.*))?$/.exec(text);
  // A class name is short; a long run of word characters is text, not an exception.
  if (m === null || m[1]!.length > MAX_CLASS_NAME) return undefined;
  return { exception: m[1]!, message: m[2] ?? '' };
}

// --- TaskManager loss (JobMaster, ResourceManager, ActiveResourceManager) -------------------------

export type LossReason = 'heartbeat-timeout' | 'unreachable' | 'disconnected' | 'terminated';

/** Higher is more specific: a stated termination explains a heartbeat timeout, not the other way round. */
export const LOSS_REASON_RANK: Readonly<Record<LossReason, number>> = {
  disconnected: 0,
  unreachable: 1,
  'heartbeat-timeout': 2,
  terminated: 3,
};

export interface TaskManagerLoss {
  readonly resourceId: string;
  /** ResourceID.getStringWithMetadata appends `(metadata)`, e.g. the host of a YARN container. */
  readonly metadata: string | undefined;
  readonly reason: LossReason;
  readonly detail: string;
}

// JobMaster.TaskManagerHeartbeatListener: "Heartbeat of TaskManager with id %s timed out." (1.10-1.14);
// ResourceManager and JobMaster since: "The heartbeat of TaskManager with id %s timed out."
const HEARTBEAT = /^(?:The heartbeat|Heartbeat) of TaskManager with id (\S+) timed out\.$/;
// JobMaster / ResourceManager .notifyTargetUnreachable: "TaskManager with id %s is no longer reachable."
const UNREACHABLE = /^TaskManager with id (\S+) is no longer reachable\.$/;
// ResourceManager.closeTaskManagerConnection: "Closing TaskExecutor connection {} because: {}"
const CLOSING = /^Closing TaskExecutor connection (\S+) because: (.*)$/;
// JobMaster.disconnectTaskManager: "Disconnect TaskExecutor {} because: {}"
const DISCONNECT = /^Disconnect TaskExecutor (\S+) because: (.*)$/;
// ActiveResourceManager.onWorkerTerminated: "Worker {} is terminated. Diagnostics: {}"
const WORKER_TERMINATED = /^Worker (\S+) is terminated\. Diagnostics: (.*)$/;

/** Cheap pre-tests for the loss messages. */
export const LOSS_HINTS = ['TaskManager with id', 'TaskExecutor', 'is terminated. Diagnostics'] as const;

function splitResourceId(text: string): { resourceId: string; metadata: string | undefined } {
  const m = /^(.+?)\(([^()]*)\)$/.exec(text);
  return m === null ? { resourceId: text, metadata: undefined } : { resourceId: m[1]!, metadata: m[2]! };
}

function reasonOf(detail: string): LossReason {
  if (/heartbeat of TaskManager with id \S+ timed out/i.test(detail)) return 'heartbeat-timeout';
  if (detail.includes('is no longer reachable')) return 'unreachable';
  if (/Pod terminated|container termination statuses|is terminated|Exit code is|exitCode=|beyond (?:the '\w+' memory limit|physical memory limits|virtual memory limits)/.test(detail)) {
    return 'terminated';
  }
  return 'disconnected';
}

/**
 * Reasons for closing a TaskExecutor connection that state an orderly release, not a loss:
 * the SlotManager's idle release (FlinkException "TaskExecutor exceeded the idle timeout."), a
 * TaskExecutor giving back its last slot of a job ("TaskExecutor {} has no more allocated slots for
 * job {}."), and a JobMaster or cluster stopping ("Stopping JobMaster for job ...", "JobManager is
 * shutting down.", "ResourceManager is shutting down.").
 */
const RELEASED = /^(?:[\w$.]+(?:Exception|Error): )?(?:TaskExecutor exceeded the idle timeout\.|TaskExecutor \S+ has no more allocated slots for job |Stopping JobMaster for job |JobManager is shutting down\.|ResourceManager is shutting down\.)/;

/** Whether a disconnect reason states an orderly release (an idle TaskManager given back, a job stopping). */
export function isOrderlyRelease(detail: string): boolean {
  return RELEASED.test(detail);
}

export function matchTaskManagerLoss(message: string): TaskManagerLoss | undefined {
  let m: RegExpExecArray | null;
  if ((m = HEARTBEAT.exec(message)) !== null) return { ...splitResourceId(m[1]!), reason: 'heartbeat-timeout', detail: message };
  if ((m = UNREACHABLE.exec(message)) !== null) return { ...splitResourceId(m[1]!), reason: 'unreachable', detail: message };
  if ((m = WORKER_TERMINATED.exec(message)) !== null) return { ...splitResourceId(m[1]!), reason: 'terminated', detail: m[2]! };
  if ((m = CLOSING.exec(message) ?? DISCONNECT.exec(message)) !== null) {
    if (isOrderlyRelease(m[2]!)) return undefined;
    return { ...splitResourceId(m[1]!), reason: reasonOf(m[2]!), detail: m[2]! };
  }
  return undefined;
}

// The same texts as the exception a task or a job fails with, on a stack trace line: JobMaster's
// TimeoutException "(The h|H)eartbeat of TaskManager with id {} timed out." and its
// JobMasterException "TaskManager with id {} is no longer reachable." (after `Caused by: `, or after
// whatever prefix a console put before the line).
const EXCEPTION_LOSS = /[\w$]\.[\w$.]*(?:Exception|Error): ((?:The heartbeat|Heartbeat) of TaskManager with id (\S+) timed out\.|TaskManager with id (\S+) is no longer reachable\.)/;

/** A TaskManager loss stated by an exception line of a stack trace (a continuation line). */
export function matchTaskManagerLossException(line: string): TaskManagerLoss | undefined {
  const m = EXCEPTION_LOSS.exec(line);
  if (m === null) return undefined;
  if (m[2] !== undefined) return { ...splitResourceId(m[2]), reason: 'heartbeat-timeout', detail: m[1]! };
  return { ...splitResourceId(m[3]!), reason: 'unreachable', detail: m[1]! };
}

// --- Container diagnostics ------------------------------------------------------------------------

export interface ContainerExit {
  readonly container: string;
  readonly exitCode: number | undefined;
  /** Kubernetes' termination reason (`OOMKilled`, `Error`, ...) or the YARN limit that was crossed. */
  readonly reason: string;
  readonly oomKilled: boolean;
  readonly memoryKill: boolean;
  readonly source: 'kubernetes' | 'yarn';
}

// KubernetesPod.getTerminatedDiagnostics: "Pod terminated, container termination statuses:
// [%s(exitCode=%d, reason=%s, message=%s), ...]" (and ", pod status: ..." since 1.15).
const K8S_STATUS = /([^\s\[\],(]+)\(exitCode=(-?\d+), reason=([^,)]*), message=/g;
// Hadoop ContainersMonitorImpl: "Container [pid=%s,containerID=%s] is running %dB beyond the '%S'
// memory limit." (3.x); "is running beyond physical memory limits." (2.x).
const YARN_LIMIT = /Container \[pid=\d+,containerID=(\S+?)\] is running (?:\d+B beyond the '(PHYSICAL|VIRTUAL)' memory limit|beyond (physical|virtual) memory limits)/;
const YARN_EXIT = /Exit code is (-?\d+)/;

/** The container exits a diagnostics text states. */
export function parseContainerDiagnostics(detail: string): ContainerExit[] {
  const exits: ContainerExit[] = [];
  if (detail.includes('exitCode=')) {
    for (const m of detail.matchAll(K8S_STATUS)) {
      const exitCode = Number(m[2]);
      const reason = m[3]!;
      const oomKilled = reason === 'OOMKilled';
      exits.push({ container: m[1]!, exitCode, reason, oomKilled, memoryKill: oomKilled || exitCode === 137, source: 'kubernetes' });
    }
  }
  const yarn = YARN_LIMIT.exec(detail);
  if (yarn !== null) {
    const kind = (yarn[2] ?? yarn[3] ?? '').toLowerCase();
    const exit = YARN_EXIT.exec(detail);
    exits.push({
      container: yarn[1]!,
      exitCode: exit === null ? undefined : Number(exit[1]),
      reason: `${kind}-memory-limit`,
      oomKilled: false,
      memoryKill: true,
      source: 'yarn',
    });
  } else {
    const exit = YARN_EXIT.exec(detail);
    if (exit !== null) {
      const id = /(container_[\w]+)/.exec(detail);
      const exitCode = Number(exit[1]);
      exits.push({ container: id?.[1] ?? '', exitCode, reason: 'exit', oomKilled: false, memoryKill: exitCode === 137, source: 'yarn' });
    }
  }
  return exits;
}

// --- Job state (DefaultExecutionGraph / ExecutionGraph.transitionState) ---------------------------

// "Job {} ({}) switched from state {} to {}." with the job name, then the JobID.
const JOB_STATE = new RegExp(`^Job (.*) \\(${JOB}\\) switched from state ([A-Z_]+) to ([A-Z_]+)\\.$`);
export const JOB_STATE_HINT = 'switched from state';

export function matchJobState(message: string): { jobName: string; jobId: string; from: string; to: string } | undefined {
  const m = JOB_STATE.exec(message);
  return m === null ? undefined : { jobName: m[1]!, jobId: m[2]!, from: m[3]!, to: m[4]! };
}

// --- Process start (EnvironmentInformation.logEnvironmentInfo) ------------------------------------

// " Starting {} (Version: {}, Scala: {}, Rev:{}, Date:{})" (1.x before 1.11 without Scala).
const STARTING = /^\s*Starting (.+?) \(Version: (.*?), (?:Scala: (.*?), )?Rev:(.*?), Date:(.*)\)$/;
export const STARTING_HINT = '(Version: ';

export function matchStarting(message: string): { process: 'taskmanager' | 'jobmanager' | undefined; facts: Facts } | undefined {
  const m = STARTING.exec(message);
  if (m === null) return undefined;
  const component = m[1]!;
  const facts: Facts = { component, version: m[2]!, revision: m[4]!, buildDate: m[5]! };
  if (m[3] !== undefined) facts['scala'] = m[3];
  // TaskManagerRunner: "TaskManager"; YARN/Kubernetes runners: "... TaskExecutor runner"; the
  // masters log their entry point's class (StandaloneSessionClusterEntrypoint, ...).
  const process = /TaskManager|TaskExecutor/.test(component)
    ? 'taskmanager'
    : /ClusterEntrypoint|ClusterEntryPoint|JobManager|ApplicationMaster/.test(component)
      ? 'jobmanager'
      : undefined;
  return { process, facts };
}

// --- Memory failures -----------------------------------------------------------------------------

// NetworkBufferPool (1.11+): "Insufficient number of network buffers: required %d, but only %d
// available. The total number of network buffers is currently set to %d of %d bytes each. You can
// increase this number by setting the configuration keys '%s', '%s', and '%s'."; before 1.11:
// "Insufficient number of network buffers: required %d, but only %d of %d available."
export const NETWORK_HINT = 'Insufficient number of network buffers';
const NETWORK = /Insufficient number of network buffers: required (\d+), but only (\d+) available\. The total number of network buffers is currently set to (\d+) of (\d+) bytes each\./;
const NETWORK_OLD = /Insufficient number of network buffers: required (\d+), but only (\d+) of (\d+) available\./;

export function matchNetworkBuffers(text: string): Facts | undefined {
  const m = NETWORK.exec(text);
  if (m !== null) {
    const facts: Facts = {
      required: Number(m[1]),
      available: Number(m[2]),
      totalBuffers: Number(m[3]),
      segmentSize: m[4]!,
      totalBytes: (BigInt(m[3]!) * BigInt(m[4]!)).toString(),
    };
    const keys = [...text.matchAll(/'([a-z][a-z0-9.-]+)'/g)].map((k) => k[1]!);
    if (keys.length > 0) facts['options'] = keys.join(',');
    return facts;
  }
  const old = NETWORK_OLD.exec(text);
  if (old !== null) return { required: Number(old[1]), available: Number(old[2]), totalBuffers: Number(old[3]) };
  return undefined;
}

// MemoryManager.allocatePages: MemoryAllocationException "Could not allocate %d pages" (1.10+, caused by
// the reservation below), before 1.10 "Could not allocate %d pages. Only %d pages are remaining.";
// UnsafeMemoryBudget.reserveMemory: MemoryReservationException "Could not allocate %d bytes, only %d
// bytes are remaining. ..."; MemoryManager.getSharedMemoryResourceForManagedMemory (RocksDB and other
// shared users): "Could not created the shared memory resource of size %d. Not enough memory left to
// reserve from the slot's managed memory."
export const MANAGED_HINT = 'Could not ';
const PAGES = /Could not allocate (\d+) pages(?:\. Only (\d+) pages are remaining\.)?/;
const BYTES = /Could not allocate (\d+) bytes, only (\d+) bytes are remaining\./;
const SHARED = /Could not created the shared memory resource of size (\d+)\. Not enough memory left to reserve from the slot's managed memory\./;

export function matchManagedMemory(text: string): Facts | undefined {
  let m = SHARED.exec(text);
  if (m !== null) return { consumer: 'shared-resource', requestedBytes: m[1]! };
  // The page and byte texts are generic words; Flink's exception class names them as its own.
  if (!text.includes('MemoryAllocationException') && !text.includes('MemoryReservationException')) return undefined;
  m = BYTES.exec(text);
  if (m !== null) return { consumer: 'reservation', requestedBytes: m[1]!, remainingBytes: m[2]! };
  m = PAGES.exec(text);
  if (m !== null) {
    const facts: Facts = { consumer: 'pages', requestedPages: Number(m[1]) };
    if (m[2] !== undefined) facts['remainingPages'] = Number(m[2]);
    return facts;
  }
  return undefined;
}

// EmbeddedRocksDBStateBackend / RocksDBStateBackend (through RocksDBOperationUtils and
// RocksDBMemoryControllerUtils): "Obtained shared RocksDB cache of size {} bytes", "Getting managed
// memory shared cache for RocksDB.", "Getting fixed-size shared cache for RocksDB.", and the
// IOException "Failed to acquire shared cache resource for RocksDB".
export const ROCKSDB_HINT = 'RocksDB';

export function matchRocksDb(text: string): Facts | undefined {
  let m: RegExpExecArray | null;
  if ((m = /Obtained shared RocksDB cache of size (\d+) bytes/.exec(text)) !== null) {
    return { event: 'shared-cache-obtained', bytes: m[1]!, problem: false };
  }
  if (text.includes('Getting managed memory shared cache for RocksDB.')) return { event: 'shared-cache-requested', source: 'managed', problem: false };
  if (text.includes('Getting fixed-size shared cache for RocksDB.')) return { event: 'shared-cache-requested', source: 'fixed-per-slot', problem: false };
  if (text.includes('Failed to acquire shared cache resource for RocksDB')) return { event: 'shared-cache-failed', problem: true };
  return undefined;
}

// TaskManagerRunner.onFatalError: "Fatal error occurred while executing the TaskManager. Shutting it down..."
export const FATAL_TM = 'Fatal error occurred while executing the TaskManager. Shutting it down...';
