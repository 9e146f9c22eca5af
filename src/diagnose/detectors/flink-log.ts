/**
 * Detector for Flink JobManager and TaskManager logs (and console output in the same layouts):
 * OutOfMemoryErrors of every kind, managed-memory and network-buffer shortages, RocksDB's memory,
 * process starts with their memory configuration and JVM options, TaskManager losses and container
 * kills, checkpoint outcomes, and job failures and restarts.
 *
 * Streaming: the doctor feeds every line once. Most lines of a big log are INFO noise or stack
 * frames, so each line first meets a few `indexOf` tests on its message (stack frames `\tat ...`
 * none at all) and only a hit pays for parsing and regular expressions. State is bounded: the record
 * in progress, the block being read, small maps for de-duplication, and the capped evidence list.
 */
import type { Detector, Evidence, EvidenceKind } from '../evidence.js';
import { EvidenceCollector, own, type DraftEvidence, type Facts } from './flink-log-collector.js';
import {
  DYNAMIC_PROPERTY_PREFIX,
  JVM_OPTIONS_HINT,
  MEMORY_BLOCK_HINT,
  dynamicMemoryProperty,
  dynamicPropertyFacts,
  jvmOptionFacts,
  memoryBlockHeader,
  memoryBlockLine,
} from './flink-log-blocks.js';
import {
  CHECKPOINT_HINT,
  FATAL_TM,
  JOB_STATE_HINT,
  LOSS_HINTS,
  LOSS_REASON_RANK,
  MANAGED_HINT,
  NETWORK_HINT,
  ROCKSDB_HINT,
  STARTING_HINT,
  TASK_DECLINE_REASONS,
  checkpointFailureReason,
  matchCheckpoint,
  matchJobState,
  matchManagedMemory,
  matchNetworkBuffers,
  matchRocksDb,
  matchStarting,
  matchTaskManagerLoss,
  matchTaskManagerLossException,
  parseContainerDiagnostics,
  parseExceptionLine,
  type LossReason,
  type TaskManagerLoss,
} from './flink-log-messages.js';
import { OOM_CLASS, findOutOfMemoryError } from './flink-log-oom.js';
import {
  CONTINUATION,
  PLAIN,
  consolePrefixEnd,
  lineKind,
  parseJsonHead,
  parsePlainHead,
  parseTimestamp,
  plainMessageStart,
  type LineKind,
} from './log-line.js';

/** Routine events: the last ones are kept, not the first (see EvidenceCollector). */
const ROUTINE: ReadonlySet<EvidenceKind> = new Set<EvidenceKind>(['checkpoint-triggered', 'checkpoint-completed']);

/** Reports of one TaskManager's loss within this window are one loss (the RM, the JobMaster and the driver each log it). */
const LOSS_WINDOW_MS = 5 * 60_000;
/** Bounds for the de-duplication maps; old entries are the ones that stop mattering. */
const MAX_TRACKED = 512;
/** One OutOfMemoryError is re-reported by the records around it (task failure, job failure, its cause): same kind and text this close is one. */
const SAME_OOM_MS = 10_000;
const SAME_OOM_LINES = 200;
/** JVM Options lists are short; a runaway one is cut. */
const MAX_OPTIONS = 1000;

/** Pre-test for a TaskManager loss stated by an exception on a stack trace line. */
const LOSS_IN_EXCEPTION = 'TaskManager with id';

// Tests that apply to any line, head or continuation (stack traces carry these too).
const ANY_LINE_HINTS = [OOM_CLASS, NETWORK_HINT, MANAGED_HINT, ROCKSDB_HINT, MEMORY_BLOCK_HINT] as const;
// Tests that apply to the message of a record head only.
const HEAD_HINTS = [
  CHECKPOINT_HINT,
  JOB_STATE_HINT,
  ...LOSS_HINTS,
  STARTING_HINT,
  JVM_OPTIONS_HINT,
  'Maximum heap size:',
  DYNAMIC_PROPERTY_PREFIX,
  'Fatal error occurred',
] as const;

function hasAny(text: string, from: number, hints: readonly string[]): boolean {
  for (let i = 0; i < hints.length; i++) if (text.indexOf(hints[i]!, from) !== -1) return true;
  return false;
}

/** Facts waiting for the record's stack trace: its first exception and its last "Caused by". */
interface CauseSink {
  readonly facts: Facts;
  seenFirst: boolean;
  /** A CheckpointException's message names a CheckpointFailureReason. */
  readonly checkpoint: boolean;
}

interface LossEntry {
  readonly evidence: DraftEvidence;
  readonly epochMs: number | undefined;
  readonly line: number;
  killed: DraftEvidence | undefined;
}

class FlinkLogDetector implements Detector {
  private readonly out: EvidenceCollector;

  // The record in progress.
  private recText = '';
  private recKind: LineKind = CONTINUATION;
  private recEpoch: number | undefined | null = null;
  /** OOM kinds, network and managed failures already reported for this record. */
  private recSeen = new Set<string>();
  private recManaged: DraftEvidence | undefined;
  private causeSinks: CauseSink[] = [];
  private onRecordEnd: (() => void) | undefined;

  // Blocks spanning records or lines.
  private memoryBlock: { process: 'taskmanager' | 'jobmanager'; line: number; text: string; epochMs: number | undefined; facts: Facts } | undefined;
  private lastMemoryBlockKey = '';
  private jvmOptions: { line: number; text: string; epochMs: number | undefined; options: string[] } | undefined;
  private dynamic: { line: number; text: string; epochMs: number | undefined; properties: Map<string, string> } | undefined;
  private lastStarted: DraftEvidence | undefined;
  /** Whether the lines carry a console prefix (`docker compose logs`, `kubectl logs --prefix`), decided by the first non-empty line. */
  private console: boolean | undefined;

  // De-duplication across records.
  private readonly losses = new Map<string, LossEntry>();
  private readonly checkpointFailures = new Map<string, DraftEvidence>();
  private readonly rocksDbSeen = new Map<string, DraftEvidence>();
  private readonly recentOoms = new Map<string, { evidence: DraftEvidence; epochMs: number | undefined; line: number }>();

  constructor(readonly file: string) {
    this.out = new EvidenceCollector(file, ROUTINE);
  }

  onLine(raw: string, line: number): void {
    // A file written on Windows keeps its CR when the reader splits on LF only.
    let text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    // `docker compose logs` ("service  | ") and `kubectl logs --prefix` ("[pod/...] ") prefix every line; the first line decides (no cost otherwise).
    if (this.console === undefined && text.length > 0) this.console = consolePrefixEnd(text) > 0;
    if (this.console === true) {
      const end = consolePrefixEnd(text);
      if (end > 0) text = text.slice(end);
    }
    const kind = lineKind(text);
    if (kind === CONTINUATION) {
      this.continuation(text, line);
      return;
    }
    this.endRecord();
    this.recText = text;
    this.recKind = kind;
    this.recEpoch = null;
    if (kind === PLAIN) {
      const start = plainMessageStart(text);
      if (this.jvmOptions !== undefined || this.dynamic !== undefined) this.continueHeadBlocks(text.slice(start));
      if (!hasAny(text, start, HEAD_HINTS) && !hasAny(text, start, ANY_LINE_HINTS)) return;
      const head = parsePlainHead(text);
      this.recEpoch = head.epochMs;
      this.head(head.message, line, text);
      return;
    }
    // JSON: the raw line holds the message and the stack, escaped; test it whole before parsing.
    if (this.jvmOptions === undefined && this.dynamic === undefined && !hasAny(text, 0, HEAD_HINTS) && !hasAny(text, 0, ANY_LINE_HINTS)) return;
    const head = parseJsonHead(text);
    if (head === undefined) return;
    this.recEpoch = head.epochMs;
    if (this.jvmOptions !== undefined || this.dynamic !== undefined) this.continueHeadBlocks(head.message);
    this.head(head.message, line, text);
    // The lines inside a JSON record share its line number; evidence quotes the decoded line, which
    // says more than the first 500 characters of escaped JSON would.
    for (const extra of head.extraLines) this.continuation(extra, line);
  }

  finish(): Evidence[] {
    this.endRecord();
    this.closeMemoryBlock();
    this.closeJvmOptions();
    this.closeDynamic();
    return this.out.finish();
  }

  // --- records ------------------------------------------------------------------------------------

  private epoch(): number | undefined {
    if (this.recEpoch === null) {
      this.recEpoch = this.recKind === PLAIN ? parseTimestamp(this.recText, 0) : undefined;
    }
    return this.recEpoch;
  }

  private endRecord(): void {
    // The block is part of one record's message (or of console output before any record).
    this.closeMemoryBlock();
    const end = this.onRecordEnd;
    this.onRecordEnd = undefined;
    end?.();
    this.causeSinks = [];
    if (this.recSeen.size > 0) this.recSeen = new Set();
    this.recManaged = undefined;
  }

  private add(kind: EvidenceKind, line: number, text: string, summary: string, facts: Facts): DraftEvidence | undefined {
    return this.out.add(kind, line, text, this.epoch(), summary, facts);
  }

  /** The message of a record head that passed the cheap tests. */
  private head(message: string, line: number, text: string): void {
    this.anyLine(message, line, text);
    if (message.indexOf(CHECKPOINT_HINT) !== -1) this.checkpoint(message, line, text);
    if (message.indexOf(JOB_STATE_HINT) !== -1) this.jobState(message, line, text);
    if (hasAny(message, 0, LOSS_HINTS)) this.taskManagerLoss(message, line, text);
    if (message.indexOf(STARTING_HINT) !== -1) this.starting(message, line, text);
    const trimmed = message.trim();
    if (trimmed === JVM_OPTIONS_HINT) {
      this.closeJvmOptions();
      this.jvmOptions = { line, text, epochMs: this.epoch(), options: [] };
    } else if (trimmed.startsWith('Maximum heap size:') && this.lastStarted !== undefined) {
      // EnvironmentInformation: " Maximum heap size: {} MiBytes", part of the start it follows.
      const m = /^Maximum heap size: (\d+) MiBytes$/.exec(trimmed);
      if (m !== null) this.lastStarted.facts['maxHeapMiB'] = Number(m[1]);
    } else if (message.startsWith(DYNAMIC_PROPERTY_PREFIX) && this.dynamic === undefined) {
      const property = dynamicMemoryProperty(message);
      if (property !== undefined) this.dynamic = { line, text, epochMs: this.epoch(), properties: new Map([[property.key, property.value]]) };
    } else if (message.startsWith(FATAL_TM)) {
      const evidence = this.add('process-exit', line, text, 'TaskManager shut down after a fatal error', { process: 'taskmanager', fatal: true });
      if (evidence !== undefined) this.causeSinks.push({ facts: evidence.facts, seenFirst: false, checkpoint: false });
    }
  }

  /** A line that is not a record head: a stack frame, a "Caused by", or the next line of a message. */
  private continuation(text: string, line: number): void {
    if (this.memoryBlock !== undefined) {
      const entry = memoryBlockLine(this.memoryBlock.process, text);
      if (entry !== undefined) {
        this.memoryBlock.facts[entry.component] = entry.bytes;
        return;
      }
      this.closeMemoryBlock();
    }
    // Stack frames carry none of the texts read here; most continuation lines are frames.
    if (text.charCodeAt(0) === 9 /* \t */ && (text.startsWith('\tat ') || text.startsWith('\t... '))) return;
    if (this.causeSinks.length > 0) this.feedCause(text);
    if (hasAny(text, 0, ANY_LINE_HINTS)) this.anyLine(text, line, text);
    // A task or job failing on a lost TaskManager names it in its exception ("Caused by: ...TimeoutException: ...").
    if (text.indexOf(LOSS_IN_EXCEPTION) !== -1) {
      const loss = matchTaskManagerLossException(text);
      if (loss !== undefined) this.recordLoss(loss, line, text, true);
    }
  }

  private feedCause(text: string): void {
    const trimmed = text.trim();
    // Stack frames pasted without their indentation are no cause either.
    if (trimmed.length === 0 || trimmed.startsWith('at ') || trimmed.startsWith('... ')) return;
    const parsed = parseExceptionLine(trimmed);
    for (const sink of this.causeSinks) {
      if (!sink.seenFirst) {
        sink.seenFirst = true;
        if (parsed !== undefined) {
          sink.facts['exception'] = own(parsed.exception);
          if (sink.facts['reason'] === undefined) sink.facts['reason'] = own(cap(parsed.message));
          const failureReason = sink.checkpoint ? checkpointFailureReason(parsed.message) : undefined;
          if (failureReason !== undefined && sink.facts['failureReason'] === undefined) sink.facts['failureReason'] = failureReason;
        } else if (sink.facts['reason'] === undefined) {
          sink.facts['reason'] = own(cap(trimmed));
        }
      } else if (trimmed.startsWith('Caused by: ')) {
        sink.facts['rootCause'] = own(cap(trimmed.slice(11)));
      }
    }
  }

  // --- texts that may sit on any line ---------------------------------------------------------------

  private anyLine(text: string, line: number, lineText: string): void {
    if (text.indexOf(OOM_CLASS) !== -1) this.outOfMemory(text, line, lineText);
    if (text.indexOf(NETWORK_HINT) !== -1 && !this.recSeen.has('network')) {
      const facts = matchNetworkBuffers(text);
      if (facts !== undefined) {
        this.recSeen.add('network');
        this.add('network-buffers-insufficient', line, lineText, `Insufficient network buffers: required ${facts['required']}, ${facts['available']} available`, facts);
      }
    }
    if (text.indexOf(MANAGED_HINT) !== -1) this.managedMemory(text, line, lineText);
    if (text.indexOf(ROCKSDB_HINT) !== -1) this.rocksDb(text, line, lineText);
    if (text.indexOf(MEMORY_BLOCK_HINT) !== -1) {
      const process = memoryBlockHeader(text);
      if (process !== undefined) {
        this.closeMemoryBlock();
        this.memoryBlock = { process, line, text: lineText, epochMs: this.epoch(), facts: {} };
      }
    }
  }

  private outOfMemory(text: string, line: number, lineText: string): void {
    const oom = findOutOfMemoryError(text);
    if (oom === undefined || this.recSeen.has(oom.kind)) return;
    this.recSeen.add(oom.kind);
    const facts: Facts = { ...oom.facts };
    const thread = /Exception in thread "(.*)" java\.lang\.OutOfMemoryError/.exec(text);
    if (thread !== null) facts['thread'] = thread[1]!;
    const key = own(`${oom.kind}\u0000${oom.message}`);
    const epochMs = this.epoch();
    const recent = this.recentOoms.get(key);
    if (
      recent !== undefined &&
      (epochMs !== undefined && recent.epochMs !== undefined ? epochMs - recent.epochMs <= SAME_OOM_MS : line - recent.line <= SAME_OOM_LINES)
    ) {
      recent.evidence.facts['reports'] = Number(recent.evidence.facts['reports']) + 1;
      return;
    }
    const evidence = this.add(oom.kind, line, lineText, oom.summary, { ...facts, reports: 1 });
    if (evidence === undefined) return;
    if (this.recentOoms.size >= MAX_TRACKED) this.recentOoms.clear();
    this.recentOoms.set(key, { evidence, epochMs, line });
  }

  private managedMemory(text: string, line: number, lineText: string): void {
    const facts = matchManagedMemory(text);
    if (facts === undefined) return;
    // A MemoryAllocationException and its cause (the reservation) are one failure: one evidence.
    if (this.recManaged !== undefined) {
      for (const [key, value] of Object.entries(facts)) if (this.recManaged.facts[key] === undefined) this.recManaged.facts[key] = value;
      return;
    }
    const what =
      facts['consumer'] === 'pages'
        ? `${facts['requestedPages']} pages`
        : facts['consumer'] === 'shared-resource'
          ? `a shared resource of ${facts['requestedBytes']} bytes`
          : `${facts['requestedBytes']} bytes`;
    this.recManaged = this.add('managed-memory-allocation', line, lineText, `Managed memory could not supply ${what}`, facts);
  }

  private rocksDb(text: string, line: number, lineText: string): void {
    const facts = matchRocksDb(text);
    if (facts === undefined) return;
    const event = String(facts['event']);
    if (facts['problem'] === true) {
      if (this.recSeen.has('rocksdb')) return;
      this.recSeen.add('rocksdb');
      this.add('rocksdb-memory', line, lineText, 'RocksDB could not acquire its shared cache from managed memory', facts);
      return;
    }
    // Each stateful subtask logs the same cache on every start: one evidence per distinct statement.
    const key = own(`${event}:${facts['bytes'] ?? facts['source'] ?? ''}`);
    const seen = this.rocksDbSeen.get(key);
    if (seen !== undefined) {
      seen.facts['occurrences'] = Number(seen.facts['occurrences']) + 1;
      return;
    }
    const summary =
      event === 'shared-cache-obtained' ? `RocksDB obtained a shared cache of ${facts['bytes']} bytes` : `RocksDB uses a ${facts['source']} shared cache`;
    const evidence = this.add('rocksdb-memory', line, lineText, summary, { ...facts, occurrences: 1 });
    if (evidence !== undefined && this.rocksDbSeen.size < MAX_TRACKED) this.rocksDbSeen.set(key, evidence);
  }

  // --- head messages --------------------------------------------------------------------------------

  private checkpoint(message: string, line: number, text: string): void {
    const event = matchCheckpoint(message);
    if (event === undefined) return;
    const facts = event.facts;
    const id = facts['checkpointId'];
    const job = String(facts['jobId']);
    switch (event.kind) {
      case 'checkpoint-triggered':
        this.add(event.kind, line, text, `Checkpoint ${id} triggered`, facts);
        return;
      case 'checkpoint-completed':
        this.add(event.kind, line, text, `Checkpoint ${id} completed (${facts['stateBytes']} bytes)`, facts);
        return;
      case 'checkpoint-expired': {
        const evidence = this.add(event.kind, line, text, `Checkpoint ${id} expired before completing`, facts);
        if (evidence !== undefined) this.trackCheckpointFailure(job, id, evidence);
        return;
      }
      case 'checkpoint-declined':
      case 'checkpoint-aborted': {
        // Before 1.10 the coordinator discards a declined checkpoint in a record of its own, with the
        // decline's cause as its stack trace: one failure, told twice.
        const known = event.kind === 'checkpoint-aborted' && facts['phase'] === undefined && id !== undefined ? this.checkpointFailures.get(`${job}:${id}`) : undefined;
        if (known !== undefined && known.kind === 'checkpoint-declined') {
          if (known.facts['reason'] === undefined && facts['reason'] !== undefined) known.facts['reason'] = own(String(facts['reason']));
          if (event.causeFollows && known.facts['exception'] === undefined) this.causeSinks.push({ facts: known.facts, seenFirst: false, checkpoint: true });
          return;
        }
        const verb = event.kind === 'checkpoint-declined' ? 'declined' : 'aborted';
        const subject = id === undefined ? 'A checkpoint' : `Checkpoint ${id}`;
        const evidence = this.add(event.kind, line, text, `${subject} ${verb}${facts['reason'] === undefined ? '' : `: ${facts['reason']}`}`, facts);
        if (evidence === undefined) return;
        if (event.causeFollows) this.causeSinks.push({ facts: evidence.facts, seenFirst: false, checkpoint: true });
        if (id !== undefined) this.trackCheckpointFailure(job, id, evidence);
        return;
      }
      case 'failure-manager': {
        // The CheckpointException follows as the record's stack trace; decide once it has been read.
        const sink: CauseSink = { facts, seenFirst: false, checkpoint: true };
        this.causeSinks.push(sink);
        const epochMs = this.epoch();
        this.onRecordEnd = () => this.failureManagerOutcome(facts, line, text, epochMs);
        return;
      }
    }
  }

  private trackCheckpointFailure(job: string, id: string | number | boolean | undefined, evidence: DraftEvidence): void {
    if (this.checkpointFailures.size >= MAX_TRACKED) {
      const oldest = this.checkpointFailures.keys().next();
      if (oldest.done !== true) this.checkpointFailures.delete(oldest.value);
    }
    this.checkpointFailures.set(own(`${job}:${id}`), evidence);
  }

  /**
   * CheckpointFailureManager reports every failed checkpoint once more, with its reason. When the
   * checkpoint's decline or expiry was already seen, the reason and the failure count join that
   * evidence; otherwise (lines filtered out, or an abort) this is the evidence.
   */
  private failureManagerOutcome(facts: Facts, line: number, text: string, epochMs: number | undefined): void {
    const id = facts['checkpointId'];
    const known = id === undefined ? undefined : this.checkpointFailures.get(`${facts['jobId']}:${id}`);
    if (known !== undefined) {
      for (const key of ['consecutiveFailures', 'failureReason', 'reason', 'exception', 'rootCause']) {
        if (known.facts[key] === undefined && facts[key] !== undefined) known.facts[key] = facts[key]!;
      }
      return;
    }
    const failureReason = facts['failureReason'];
    const kind: EvidenceKind =
      failureReason === 'CHECKPOINT_EXPIRED'
        ? 'checkpoint-expired'
        : typeof failureReason === 'string' && TASK_DECLINE_REASONS.has(failureReason)
          ? 'checkpoint-declined'
          : 'checkpoint-aborted';
    const subject = id === undefined ? 'A checkpoint' : `Checkpoint ${id}`;
    const reason = facts['reason'] === undefined ? '' : `: ${facts['reason']}`;
    const evidence = this.out.add(kind, line, text, epochMs, `${subject} failed${reason}`, facts);
    if (evidence !== undefined && id !== undefined) this.trackCheckpointFailure(String(facts['jobId']), id, evidence);
  }

  private jobState(message: string, line: number, text: string): void {
    const state = matchJobState(message);
    if (state === undefined || (state.to !== 'FAILED' && state.to !== 'RESTARTING')) return;
    const kind: EvidenceKind = state.to === 'FAILED' ? 'job-failed' : 'job-restarting';
    const facts: Facts = { jobName: state.jobName, jobId: state.jobId, from: state.from, to: state.to };
    const evidence = this.add(kind, line, text, `Job ${state.jobName} switched from ${state.from} to ${state.to}`, facts);
    if (evidence !== undefined) this.causeSinks.push({ facts: evidence.facts, seenFirst: false, checkpoint: false });
  }

  private taskManagerLoss(message: string, line: number, text: string): void {
    // A record may also carry the loss as its failure cause ("... switched from RUNNING to FAILED with failure cause: ...TimeoutException: ...").
    const stated = matchTaskManagerLoss(message);
    const loss = stated ?? matchTaskManagerLossException(message);
    if (loss !== undefined) this.recordLoss(loss, line, text, stated === undefined);
  }

  /**
   * One more report of a TaskManager's loss. `restated`: the loss is a failure's cause (an exception
   * in a stack trace or a task's failure cause), which says nothing new about a loss already seen.
   */
  private recordLoss(loss: TaskManagerLoss, line: number, text: string, restated = false): void {
    const exits = loss.reason === 'terminated' ? parseContainerDiagnostics(loss.detail) : [];
    const epochMs = this.epoch();
    const previous = this.losses.get(loss.resourceId);
    const sameLoss =
      previous !== undefined &&
      (epochMs === undefined || previous.epochMs === undefined ? line - previous.line < 1000 : Math.abs(epochMs - previous.epochMs) <= LOSS_WINDOW_MS);
    let entry: LossEntry;
    if (previous !== undefined && sameLoss) {
      if (restated) return;
      entry = previous;
      const facts = entry.evidence.facts;
      facts['reports'] = Number(facts['reports']) + 1;
      if (LOSS_REASON_RANK[loss.reason] > LOSS_REASON_RANK[facts['reason'] as LossReason]) {
        facts['reason'] = loss.reason;
        facts['detail'] = own(cap(loss.detail));
        entry.evidence.summary = own(lossSummary(loss.resourceId, loss.reason));
      }
    } else {
      const facts: Facts = { resourceId: loss.resourceId, reason: loss.reason, detail: cap(loss.detail), reports: 1 };
      if (loss.metadata !== undefined) facts['resourceMetadata'] = loss.metadata;
      const evidence = this.add('taskmanager-lost', line, text, lossSummary(loss.resourceId, loss.reason), facts);
      if (evidence === undefined) return;
      entry = { evidence, epochMs, line, killed: undefined };
      if (this.losses.size >= MAX_TRACKED) {
        const oldest = this.losses.keys().next();
        if (oldest.done !== true) this.losses.delete(oldest.value);
      }
      this.losses.set(own(loss.resourceId), entry);
    }
    const exit = exits.find((e) => e.memoryKill) ?? exits[0];
    if (exit === undefined) return;
    const facts = entry.evidence.facts;
    if (facts['exitCode'] === undefined && exit.exitCode !== undefined) facts['exitCode'] = exit.exitCode;
    if (facts['container'] === undefined && exit.container !== '') facts['container'] = own(exit.container);
    if (exit.oomKilled) facts['oomKilled'] = true;
    if (exit.memoryKill && entry.killed === undefined) {
      const killed: Facts = { resourceId: loss.resourceId, container: exit.container, reason: exit.reason, oomKilled: exit.oomKilled, source: exit.source };
      if (exit.exitCode !== undefined) killed['exitCode'] = exit.exitCode;
      const what = exit.source === 'kubernetes' ? `exitCode=${exit.exitCode}, reason=${exit.reason}` : `${exit.reason}${exit.exitCode === undefined ? '' : `, exit code ${exit.exitCode}`}`;
      entry.killed = this.add('container-killed', line, text, `Container ${exit.container} of ${loss.resourceId} killed (${what})`, killed);
    }
  }

  private starting(message: string, line: number, text: string): void {
    const start = matchStarting(message);
    if (start === undefined || start.process === undefined) return;
    const kind: EvidenceKind = start.process === 'taskmanager' ? 'taskmanager-started' : 'jobmanager-started';
    this.lastStarted = this.add(kind, line, text, `${start.facts['component']} ${start.facts['version']} started`, { process: start.process, ...start.facts });
  }

  // --- blocks -------------------------------------------------------------------------------------------

  /** A record head while a JVM Options or dynamic property run is open: continue or close it. */
  private continueHeadBlocks(message: string): void {
    if (this.jvmOptions !== undefined) {
      // EnvironmentInformation writes each option as "    {}" right after " JVM Options:".
      if (message.startsWith('    ') && message.trim().length > 0) {
        if (this.jvmOptions.options.length < MAX_OPTIONS) this.jvmOptions.options.push(message.trim());
      } else {
        this.closeJvmOptions();
      }
    }
    if (this.dynamic !== undefined) {
      if (message.startsWith(DYNAMIC_PROPERTY_PREFIX)) {
        const property = dynamicMemoryProperty(message);
        if (property !== undefined) this.dynamic.properties.set(property.key, property.value);
      } else {
        this.closeDynamic();
      }
    }
  }

  private closeJvmOptions(): void {
    const block = this.jvmOptions;
    this.jvmOptions = undefined;
    if (block === undefined || block.options.length === 0) return;
    const facts = jvmOptionFacts(block.options);
    const parts = ['Xmx', 'Xms', 'MaxDirectMemorySize', 'MaxMetaspaceSize'].filter((k) => facts[k] !== undefined).map((k) => `${k}=${facts[k]}`);
    this.out.add('jvm-options', block.line, block.text, block.epochMs, `JVM options: ${parts.length > 0 ? parts.join(' ') : `${block.options.length} options`}`, facts);
  }

  private closeDynamic(): void {
    const block = this.dynamic;
    this.dynamic = undefined;
    if (block === undefined) return;
    const result = dynamicPropertyFacts(block.properties);
    if (result === undefined) return;
    const facts: Facts = { process: result.process, source: 'dynamic-properties', ...result.components };
    this.out.add('memory-configuration', block.line, block.text, block.epochMs, `${processName(result.process)} memory passed as dynamic properties`, facts);
  }

  private closeMemoryBlock(): void {
    const block = this.memoryBlock;
    this.memoryBlock = undefined;
    if (block === undefined || Object.keys(block.facts).length === 0) return;
    // Flink 1.10-1.11 ran the bash utilities twice (JVM parameters, then dynamic configs), printing the block twice.
    const key = JSON.stringify(block.facts);
    if (key === this.lastMemoryBlockKey) return;
    this.lastMemoryBlockKey = key;
    const total = block.facts['totalProcessMemory'];
    const facts: Facts = { process: block.process, source: 'startup-block', ...block.facts };
    const summary = `${processName(block.process)} memory configuration${total === undefined ? '' : `: total process memory ${total} bytes`}`;
    this.out.add('memory-configuration', block.line, block.text, block.epochMs, summary, facts);
  }
}

const cap = (text: string): string => (text.length > 500 ? `${text.slice(0, 500)}...` : text);

const processName = (process: 'taskmanager' | 'jobmanager'): string => (process === 'taskmanager' ? 'TaskManager' : 'JobManager');

function lossSummary(resourceId: string, reason: LossReason): string {
  const how: Record<LossReason, string> = {
    'heartbeat-timeout': 'heartbeat timed out',
    unreachable: 'no longer reachable',
    disconnected: 'disconnected',
    terminated: 'terminated',
  };
  return `TaskManager ${resourceId} lost (${how[reason]})`;
}

/** A detector for one Flink JobManager or TaskManager log (plain or JSON layout). */
export function createFlinkLogDetector(file: string): Detector {
  return new FlinkLogDetector(file);
}

/**
 * Whether the first lines of a file look like a Flink log: a record in one of the layouts above that
 * names a Flink class (or Flink's start-up texts), so a GC log or an arbitrary text file is not taken for one.
 */
export function looksLikeFlinkLog(firstLines: readonly string[]): boolean {
  for (const text of firstLines) {
    const kind = lineKind(text);
    if (kind !== CONTINUATION && text.includes('org.apache.flink.')) return true;
    // The bash utilities' own layout, and the start-up record Flink's scripts and entry points write.
    if (/^(?:INFO|WARN|ERROR) {1,2}\[[^\]]*\] - /.test(text) && /configuration|Memory/.test(text)) return true;
    if (/^\s*Starting (?:TaskManager|\w+ClusterEntrypoint|\w+ClusterEntryPoint) \(Version: /.test(text)) return true;
  }
  return false;
}
