/**
 * The result of inspecting clusters: the stable JSON contract of `inspect --format json`
 * (documented in the README). Sizes are decimal strings of bytes; a figure nobody reported is null.
 */
import type { Severity } from '../diagnose/findings.js';
import type { RestError } from './rest-client.js';

export type Sizes = Readonly<Record<string, string>>;

export interface UsedJson {
  readonly heapUsed: string | null;
  readonly heapMax: string | null;
  readonly managedUsed: string | null;
  readonly managedTotal: string | null;
  readonly networkUsed: string | null;
  readonly networkTotal: string | null;
  readonly metaspaceUsed: string | null;
  readonly metaspaceMax: string | null;
}

export interface GcJson {
  readonly name: string;
  readonly count: string;
  readonly timeMs: string;
  readonly timeMsPerSecond?: string;
}

export interface DisagreementJson {
  readonly component: string;
  readonly reported: string;
  readonly derived: string;
}

/**
 * The limit a usage figure is compared with, and whose figure it is. The running JVM's own figure
 * (source `jvm`) comes first; the configured one is used only where the JVM reports none.
 */
export interface LimitJson {
  /** Bytes; null when there is no limit (`unlimited`) or nobody knows it. */
  readonly bytes: string | null;
  /**
   * `jvm`: what the running TaskManager reports as its limit (Status.JVM.Memory.Heap.Max, Metaspace.Max,
   * Status.Flink.Memory.Managed.Total or hardware.managedMemory, network memory or buffers x segment size);
   * `configured`: its reported memoryConfiguration; `re-derived`: the model over /jobmanager/config.
   */
  readonly source: 'jvm' | 'configured' | 're-derived' | null;
  /** The field or metric it was read from. */
  readonly from: string | null;
  /** The JVM reports no limit (a `.Max` of -1), or the size is Long.MAX_VALUE (a local MiniCluster). */
  readonly unlimited: boolean;
}

/** A field of memoryConfiguration that a Flink version reports wrongly, and what was taken instead. */
export interface ReportQuirkJson {
  /** explain's name of the component. */
  readonly component: string;
  readonly reported: string;
  /** The size taken instead (null: left to the model, or none). */
  readonly taken: string | null;
  readonly why: string;
}

export interface TaskManagerJson {
  readonly id: string;
  readonly slots: number | null;
  /** What the TaskManager runs with: its reported memoryConfiguration completed by the exact model (explain's names), or the model's derivation from the cluster configuration when it reports none. */
  readonly configured: Sizes | null;
  /** `rest`: reported by the TaskManager; `model`: derived from /jobmanager/config (Flink before 1.12 reports none). */
  readonly configuredSource: 'rest' | 'model' | null;
  /** The exact model over the cluster configuration (/jobmanager/config). */
  readonly derived: Sizes | null;
  readonly disagreements: readonly DisagreementJson[];
  /** Peaks over the samples taken (the single value with one sample). */
  readonly used: UsedJson;
  readonly buffers: { readonly heapCommitted: string | null; readonly directUsed: string | null; readonly directMax: string | null; readonly mappedUsed: string | null; readonly mappedMax: string | null };
  readonly gc: readonly GcJson[];
  /** What each usage figure is compared with, and whose figure that is (the findings use these). */
  readonly limits: { readonly heap: LimitJson; readonly managed: LimitJson; readonly network: LimitJson; readonly metaspace: LimitJson };
  /** Fields of memoryConfiguration this Flink version is known to report wrongly (not disagreements). */
  readonly reportQuirks: readonly ReportQuirkJson[];
}

export interface CheckpointFailureJson {
  readonly id: number | null;
  /** declined (a task said no), expired (timed out), aborted (the coordinator gave up: failover, shutdown, trigger failure). */
  readonly classification: 'declined' | 'expired' | 'aborted';
  /** Flink's CheckpointFailureReason when the message is one of its texts. */
  readonly reason: string | null;
  readonly message: string;
  readonly timestamp: number | null;
}

export interface CheckpointsJson {
  readonly counts: { readonly total: number | null; readonly completed: number | null; readonly failed: number | null; readonly inProgress: number | null; readonly restored: number | null };
  readonly latestCompleted: { readonly id: number | null; readonly durationMs: number | null; readonly stateSize: string | null; readonly checkpointedSize: string | null } | null;
  readonly latestFailed: CheckpointFailureJson | null;
  /** Failed checkpoints in the history Flink keeps (at most 10, newest first). */
  readonly failures: readonly CheckpointFailureJson[];
}

export interface BackpressureJson {
  readonly vertex: string;
  readonly name: string;
  /** ok, low, high; `sampling` when Flink only started measuring (before 1.13, the first call triggers it). */
  readonly level: string;
  readonly maxRatio: number | null;
}

export interface JobJson {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly checkpoints: CheckpointsJson | null;
  readonly backpressure: readonly BackpressureJson[];
  readonly memoryExceptions: readonly { readonly kind: string; readonly summary: string; readonly timestamp: number | null; readonly taskManagerId: string | null }[];
}

export interface FindingJson {
  readonly kind: string;
  readonly severity: Severity;
  /** `taskmanager`, `jobmanager` or `job`. */
  readonly scope: string;
  readonly summary: string;
  readonly count: number;
  readonly taskManagers: readonly string[];
  readonly evidence: readonly { readonly source: string; readonly line: number; readonly text: string }[];
  readonly advice: readonly string[];
}

export interface ProposalJson {
  readonly kind: string;
  readonly process: 'taskmanager' | 'jobmanager';
  /** The TaskManagers it applies to (all of one configuration group). */
  readonly taskManagers: readonly string[];
  readonly reason: string;
  /** Option changes relative to what the process runs with. */
  readonly set: Readonly<Record<string, string>>;
  readonly before: Sizes;
  readonly after: Sizes;
  /** The total process size stays the same (or shrinks). */
  readonly fitsProcess: boolean;
  /** When it does not: the process size needed. */
  readonly processNeeded: string | null;
  readonly steps: readonly string[];
}

export interface JobManagerJson {
  /** The model's JobManager over /jobmanager/config; null where it does not apply (Flink before 1.11 has no JobManager process model). */
  readonly configured: Sizes | null;
  readonly used: { readonly heapUsed: string | null; readonly heapMax: string | null; readonly metaspaceUsed: string | null; readonly metaspaceMax: string | null };
  readonly jvmOptions: readonly string[];
  readonly configurationKeys: number;
}

export interface DeclaredJson {
  readonly name: string | null;
  readonly namespace: string | null;
  readonly taskManagerProcess: string | null;
  readonly jobManagerProcess: string | null;
  readonly taskManagerReplicas: number | null;
}

export interface ClusterJson {
  readonly url: string;
  readonly name: string | null;
  readonly flinkVersion: string | null;
  /** The Flink line whose memory rules were applied. */
  readonly modelVersion: string;
  readonly overview: { readonly taskManagers: number | null; readonly slotsTotal: number | null; readonly slotsAvailable: number | null; readonly jobsRunning: number | null } | null;
  readonly jobManager: JobManagerJson;
  readonly taskManagers: readonly TaskManagerJson[];
  readonly jobs: readonly JobJson[];
  readonly findings: readonly FindingJson[];
  readonly proposals: readonly ProposalJson[];
  readonly errors: readonly RestError[];
  readonly samples: number;
  readonly notes: readonly string[];
  /** Why nothing could be read from the cluster (every call failed, or answered an HTML page); null when something was read. */
  readonly noData: string | null;
  /** From a FlinkDeployment (fleet mode): what the manifest declares. */
  readonly declared?: DeclaredJson;
}

export interface InspectJson {
  readonly clusters: readonly ClusterJson[];
}
