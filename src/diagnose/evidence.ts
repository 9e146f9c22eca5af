/**
 * Evidence: what a detector saw in one input, with where and when. Detectors only report what a
 * line (or a block of lines) states; rules in src/diagnose turn evidence into findings, chains and
 * fixes. Every detector emits this one shape, so the timeline and the rules never look at raw text.
 */

/** Where a piece of evidence is written. `line` is 1-based; `text` is the line itself (trimmed to 500 chars). */
export interface EvidenceLocation {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/**
 * The kinds of evidence. Finding kinds of `flink-memory doctor` (a stable contract) are named the
 * same where a single line suffices (`oom-heap`, `checkpoint-expired`, ...).
 */
export type EvidenceKind =
  // OutOfMemoryError of each kind (JVM text or Flink's enriched message)
  | 'oom-heap'
  | 'oom-gc-overhead'
  | 'oom-direct'
  | 'oom-metaspace'
  | 'oom-native-thread'
  | 'oom-other'
  | 'managed-memory-allocation'
  | 'network-buffers-insufficient'
  | 'rocksdb-memory'
  // process and container lifecycle
  | 'container-killed'
  | 'taskmanager-lost'
  | 'taskmanager-started'
  | 'jobmanager-started'
  | 'process-exit'
  // checkpoints
  | 'checkpoint-declined'
  | 'checkpoint-expired'
  | 'checkpoint-aborted'
  | 'checkpoint-completed'
  | 'checkpoint-triggered'
  // what a process says about its own memory
  | 'memory-configuration'
  | 'jvm-options'
  // native memory tracking
  | 'nmt-summary'
  /** jcmd answered "Native memory tracking is not enabled": the JVM runs without -XX:NativeMemoryTracking. */
  | 'nmt-not-enabled'
  // job state
  | 'job-failed'
  | 'job-restarting';

/** What a line states, by name (see `Evidence.facts`); detectors fill one while a record is open. */
export type EvidenceFacts = Record<string, string | number | boolean>;

export interface Evidence {
  readonly kind: EvidenceKind;
  readonly at: EvidenceLocation;
  /** Milliseconds since the Unix epoch, when the input states a wall-clock time (assumed UTC when no zone is given). */
  readonly epochMs?: number;
  /** One line for people, e.g. "java.lang.OutOfMemoryError: Java heap space". */
  readonly summary: string;
  /**
   * Facts the line states, by name, e.g. `{checkpointId: 42, reason: "..."}`,
   * `{resourceId: "tm-1", container: "flink-main-container", exitCode: 137}`,
   * memory sizes in bytes as decimal strings (`{"taskmanager.memory.task.heap.size": "..."}`).
   */
  readonly facts: Readonly<EvidenceFacts>;
}

/** What kind of input a file is, decided from its first lines (and name when the content is ambiguous). */
export type InputKind =
  | 'flink-log'
  | 'stdout'
  | 'gc-log'
  | 'nmt'
  | 'flink-config'
  | 'kubectl'
  | 'yarn'
  | 'kernel'
  | 'binary'
  | 'unknown';

/**
 * A line-oriented detector for one input file. The doctor streams every line through it in order,
 * so a detector keeps only what it needs (bounded state: a multi-line block in progress, counters,
 * a capped list of evidence), never the file.
 */
export interface Detector {
  /** Every line in order, without its terminator; `line` is 1-based. */
  onLine(text: string, line: number): void;
  /** End of input: everything seen (at most MAX_EVIDENCE_PER_KIND per kind; the rest only counted in facts). */
  finish(): Evidence[];
}

/** Bounds memory on huge logs: a million identical exceptions add nothing after the first few hundred. */
export const MAX_EVIDENCE_PER_KIND = 200;
