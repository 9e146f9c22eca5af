/**
 * The typed events every GC log parser emits (unified logging, JDK 8 format, any collector).
 * Analyses are independent aggregators over this stream, so a new format is a new parser and a
 * new figure is a new aggregator; neither touches the other.
 */

export type Collector = 'G1' | 'Parallel' | 'Serial' | 'ZGC' | 'Shenandoah' | 'CMS' | 'Epsilon';

/**
 * Stop-the-world pause kinds, normalised across JVM versions:
 * - G1: `young` (Pause Young Normal / Concurrent Start / Prepare Mixed, JDK 8 "GC pause (young)"),
 *   `mixed` (Pause Mixed, Pause Young (Mixed), JDK 8 "(mixed)"), `initial-mark` (JDK 9-11
 *   "Pause Initial Mark"), `remark`, `cleanup`, `full`;
 * - Parallel / Serial: `young`, `full`;
 * - CMS: `young` (ParNew), `initial-mark`, `remark`, `full`;
 * - ZGC (also generational, where `label` keeps the Y:/O: prefix): `mark-start`, `mark-end`, `relocate-start`;
 * - Shenandoah: `init-mark`, `final-mark`, `init-update-refs`, `final-update-refs`, `final-roots`,
 *   `final-evac`, `degenerated`, `full`.
 */
export type PauseKind =
  | 'young'
  | 'mixed'
  | 'initial-mark'
  | 'remark'
  | 'cleanup'
  | 'full'
  | 'mark-start'
  | 'mark-end'
  | 'relocate-start'
  | 'init-mark'
  | 'final-mark'
  | 'init-update-refs'
  | 'final-update-refs'
  | 'final-roots'
  | 'final-evac'
  | 'degenerated'
  | 'other';

/** When an event happened, as far as the log says. */
export interface LogTime {
  /** Seconds since JVM start (uptime decorations, JDK 8 "12.345:" stamps). */
  readonly uptimeSec?: number;
  /** Milliseconds since the Unix epoch (time/utctime decorations, JDK 8 date stamps). */
  readonly epochMs?: number;
}

/** Heap occupancy around a collection, in bytes (numbers: exact up to 8 PiB). */
export interface HeapChange {
  readonly beforeBytes: number;
  readonly afterBytes: number;
  /** Committed size after the collection, where the log states it ("(128M)"). */
  readonly capacityBytes?: number;
}

interface EventBase {
  readonly time: LogTime;
  /** 1-based line of the input where the event is complete (its last line). */
  readonly line: number;
  /** The JVM's GC id ("GC(12)", "#12:"), where logged. */
  readonly gcId?: number;
}

export interface PauseEvent extends EventBase {
  readonly type: 'pause';
  readonly kind: PauseKind;
  /** The log's own words, e.g. "Pause Young (Concurrent Start)". */
  readonly label: string;
  /** GC cause, e.g. "G1 Evacuation Pause", "Allocation Failure", "System.gc()". */
  readonly cause?: string;
  readonly durationMs: number;
  /** Whole heap, where logged. */
  readonly heap?: HeapChange;
  /** Per generation or region type ("young", "old", "eden", "survivor", "humongous", "metaspace"). */
  readonly regions?: Readonly<Record<string, HeapChange>>;
}

export interface ConcurrentEvent extends EventBase {
  readonly type: 'concurrent';
  /** e.g. "Concurrent Cycle", "Concurrent Mark", "Concurrent Relocate". */
  readonly phase: string;
  readonly durationMs?: number;
  /**
   * Heap around the phase, where its line states it: ZGC's cycle summary ("208M(20%)->164M(16%)")
   * and Shenandoah's "Concurrent cleanup 16M->4M(64M)" are the only heap figures those collectors
   * log at info level, since their pauses do not move the heap.
   */
  readonly heap?: HeapChange;
}

export type BadEventKind =
  | 'full-gc'
  | 'to-space-exhausted'
  | 'evacuation-failure'
  | 'humongous-allocation'
  | 'allocation-stall'
  | 'degenerated-gc'
  | 'concurrent-mode-failure'
  | 'promotion-failed'
  | 'out-of-memory';

export interface BadEvent extends EventBase {
  readonly type: 'bad';
  readonly kind: BadEventKind;
  readonly detail: string;
}

/** The log names its collector ("Using G1") or the format implies it. */
export interface CollectorEvent extends EventBase {
  readonly type: 'collector';
  readonly collector: Collector;
}

/** Heap facts the JVM states once (max heap, region size), where logged. */
export interface HeapConfigEvent extends EventBase {
  readonly type: 'heap-config';
  readonly maxHeapBytes?: number;
  readonly initialHeapBytes?: number;
  readonly regionSizeBytes?: number;
}

/**
 * The JVM's start banner: the JDK 7/8 header ("OpenJDK 64-Bit Server VM (25.402-b06) …", "Memory: …",
 * "CommandLine flags: …"; one event for its lines) or unified logging's "Using G1". A JVM run may
 * begin here: after events of an earlier run the engine confirms it with the next event's clock
 * (uptime starting over) before it splits the log into runs. The header a rotated JDK 8 file repeats
 * after its "GC log file created" note is no such event.
 */
export interface JvmStartEvent extends EventBase {
  readonly type: 'jvm-start';
  /** The banner line, cut to 200 characters. */
  readonly detail: string;
}

/** A line that looks like GC output but no parser understood: counted, never dropped silently. */
export interface UnrecognisedEvent extends EventBase {
  readonly type: 'unrecognised';
  readonly text: string;
}

export type GcEvent = PauseEvent | ConcurrentEvent | BadEvent | CollectorEvent | HeapConfigEvent | JvmStartEvent | UnrecognisedEvent;

export type Emit = (event: GcEvent) => void;

/**
 * A parser for one log format. Lines arrive in order without their terminator (CR already
 * stripped). A parser keeps what it needs of multi-line events and emits each event once it is
 * complete; `end` flushes what is pending.
 */
export interface GcLogParser {
  readonly format: 'unified' | 'jdk8';
  line(text: string, lineNumber: number, emit: Emit): void;
  end(emit: Emit): void;
}
