/**
 * The GC engine: lines → format detection → typed events → independent aggregators → summary.
 */
import type { Collector, GcEvent, GcLogParser, PauseKind } from './events.js';
import { createJdk8Parser, looksLikeJdk8Line } from './jdk8/index.js';
import { createUnifiedParser, looksLikeUnifiedLine } from './unified/index.js';
import { LogClock, type JvmRun } from './analysis/clock.js';
import { HeapAggregator, type HeapSummary } from './analysis/heap.js';
import { OccurrenceAggregator, type OccurrenceSummary } from './analysis/occurrences.js';
import { PauseAggregator, type PauseSummary } from './analysis/pauses.js';
import { round3 } from './analysis/distribution.js';
import { GcInputError, inputName, orderInputs, readLines, type GcInput } from './read.js';

export interface GcInputSummary {
  readonly name: string;
  readonly format: 'unified' | 'jdk8' | 'empty';
  readonly lines: number;
  /** The collector this file names (or its wording implies), where it does. */
  readonly collector: Collector | undefined;
}

export interface GcSummary {
  readonly collector: Collector | 'unknown';
  /** Formats met, per input file in reading order. */
  readonly inputs: readonly GcInputSummary[];
  readonly timeBase: 'uptime' | 'epoch';
  readonly startEpochMs: number | undefined;
  /** The sum of the JVM runs' spans (first to last event of each run). */
  readonly spanSeconds: number;
  /** JVM runs in the inputs (a restart appended to the same file, logs of several runs). */
  readonly jvmRuns: number;
  /** Each run: where it starts, its span, pauses and throughput (the first 1000 and the last). */
  readonly runs: readonly JvmRun[];
  readonly pauses: PauseSummary;
  /**
   * False when the log has ZGC cycles but states no pause times: ZGC with -Xlog:gc writes its
   * cycles, and its pauses only with gc+phases (-Xlog:gc*). Pause figures and throughput then say nothing.
   */
  readonly pauseTimesLogged: boolean;
  /** Share of the runs' time outside stop-the-world pauses; undefined without span or pause times. */
  readonly throughputPercent: number | undefined;
  readonly fullGc: OccurrenceSummary['fullGc'];
  readonly badEvents: OccurrenceSummary['badEvents'];
  readonly concurrent: OccurrenceSummary['concurrent'];
  readonly heap: HeapSummary & {
    readonly maxHeapBytes: number | undefined;
    readonly regionSizeBytes: number | undefined;
    /** Largest permanent generation (JDK 7 and older) of the Full GCs it caused by filling up. */
    readonly permGenCapacityBytes: number | undefined;
  };
  readonly lines: number;
  readonly unrecognisedLines: number;
  readonly unrecognisedSamples: OccurrenceSummary['unrecognised']['samples'];
}

export interface AnalyzeOptions {
  /** Called as input is consumed: bytes read so far of the current file, its name. */
  readonly onProgress?: (bytes: number, file: string) => void;
  /** Sees every event (the library's event stream is built on it). */
  readonly onEvent?: (event: GcEvent, file: string) => void;
  /** Back-pressure for `onEvent` consumers: reading pauses after a chunk until the promise settles. */
  readonly drain?: () => Promise<void> | undefined;
}

/** How many non-empty lines may pass before the format must be known. */
const DETECTION_LINES = 200;
/** How many of a file's first non-empty lines are looked at for a JVM whose logs this tool does not read. */
const UNSUPPORTED_SNIFF_LINES = 50;

/** Inputs that come from different collectors: one analysis of them would mean nothing. */
export class MixedCollectorsError extends GcInputError {}

/** The GC log formats of other JVMs, told by their first lines, and how to name them. */
function unsupportedFormat(text: string): string | undefined {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const c = text.charCodeAt(i);
  if (c === 60 /* < */) {
    for (const tag of J9_TAGS) if (text.startsWith(tag, i)) return 'IBM J9/OpenJ9 verbose GC XML (-Xverbosegc or -verbose:gc on an IBM/OpenJ9 JVM)';
  } else if (c === 91 /* [ */ && JROCKIT.test(text.slice(i, i + 24))) {
    return 'Oracle JRockit verbose GC (-Xverbose:memory)';
  }
  return undefined;
}
const J9_TAGS = ['<verbosegc', '<gc-op', '<gc-start', '<gc-end', '<af type=', '<cycle-start', '<exclusive-start', '<allocation-taxation', '<sys id=', '<gc type=', '<con event='];
const JROCKIT = /^\[(?:(?:INFO|DEBUG|WARN|ERROR) *\]\[)?memory *\]/;

/** Analyses one or more GC logs (a rotated set is put in order first) as one stream. */
export async function analyzeGcLogs(inputs: readonly GcInput[], options: AnalyzeOptions = {}): Promise<GcSummary> {
  const ordered = await orderInputs(inputs);
  const clock = new LogClock();
  const pauses = new PauseAggregator(clock);
  const heap = new HeapAggregator(clock);
  const occurrences = new OccurrenceAggregator(clock);
  const inferred = new CollectorInference();
  const fileInfo: GcInputSummary[] = [];
  /** Each collector the inputs name, with where it is first named. */
  const collectors = new Map<Collector, { file: string; line: number }>();
  let totalLines = 0;
  let meaningfulEvents = 0;

  for (const input of ordered) {
    const name = inputName(input);
    occurrences.file = name;
    clock.file = name;
    let parser: GcLogParser | undefined;
    const pending: Array<[string, number]> = [];
    let nonEmpty = 0;
    let fileEvents = 0;
    let fileCollector: Collector | undefined;
    let sniffLeft = UNSUPPORTED_SNIFF_LINES;
    let unsupported: string | undefined;
    const emit = (event: GcEvent): void => {
      const type = event.type;
      clock.observe(event, type, event.time);
      pauses.accept(event);
      heap.accept(event);
      occurrences.accept(event);
      inferred.accept(event);
      if (type !== 'unrecognised' && type !== 'heap-config') {
        meaningfulEvents++;
        fileEvents++;
        if (type === 'collector') {
          fileCollector ??= event.collector;
          if (!collectors.has(event.collector)) collectors.set(event.collector, { file: name, line: event.line });
        }
      }
      options.onEvent?.(event, name);
    };
    const choose = (p: GcLogParser): void => {
      parser = p;
      for (const [text, n] of pending) p.line(text, n, emit);
      pending.length = 0;
    };
    const lines = await readLines(input, {
      line(text, n) {
        if (sniffLeft > 0 && text.length > 0) {
          sniffLeft--;
          unsupported ??= unsupportedFormat(text);
        }
        if (parser !== undefined) {
          parser.line(text, n, emit);
          return;
        }
        pending.push([text, n]);
        if (text.length === 0) return;
        nonEmpty++;
        if (looksLikeUnifiedLine(text)) choose(createUnifiedParser());
        else if (looksLikeJdk8Line(text)) choose(createJdk8Parser());
        else if (nonEmpty >= DETECTION_LINES) choose(text.startsWith('[') ? createUnifiedParser() : createJdk8Parser());
      },
      progress: options.onProgress === undefined ? undefined : (bytes) => options.onProgress!(bytes, name),
      ...(options.drain !== undefined ? { drain: options.drain } : {}),
    });
    if (parser === undefined && pending.some(([text]) => text.length > 0)) {
      choose(pending.find(([text]) => text.length > 0)![0].startsWith('[') ? createUnifiedParser() : createJdk8Parser());
    }
    parser?.end(emit);
    if (unsupported !== undefined && fileEvents === 0) {
      throw new GcInputError(`${name}: unsupported format: ${unsupported}; flink-memory reads HotSpot/OpenJDK GC logs (-Xlog:gc* on JDK 9+, -XX:+PrintGCDetails on JDK 8)`, name);
    }
    totalLines += lines;
    fileInfo.push({ name, format: parser?.format ?? 'empty', lines, collector: fileCollector });
  }

  if (meaningfulEvents === 0) {
    const names = ordered.map(inputName).join(', ');
    throw new GcInputError(`no GC events found in ${names}`, names);
  }
  if (collectors.size > 1) throw mixedCollectors(collectors, fileInfo);

  const occ = occurrences.result();
  const pauseSummary = pauses.result();
  const span = clock.spanSeconds();
  const heapSummary = heap.result();
  const collector = occ.collector ?? inferred.result() ?? 'unknown';
  // ZGC cycles without a single pause time: -Xlog:gc leaves ZGC's pauses (gc+phases) out. Every
  // other collector logs its pauses at gc level: a log of theirs without one just had none yet.
  const pauseTimesLogged = !(collector === 'ZGC' && pauseSummary.count === 0 && occ.concurrent.count > 0);
  return {
    collector,
    inputs: fileInfo,
    timeBase: clock.base,
    startEpochMs: clock.firstEpochMs(),
    spanSeconds: round3(span),
    jvmRuns: clock.runs,
    runs: clock.runList(),
    pauses: pauseSummary,
    pauseTimesLogged,
    throughputPercent: span > 0 && pauseTimesLogged ? round3(Math.max(0, 100 * (1 - pauseSummary.totalMs / 1000 / span))) : undefined,
    fullGc: occ.fullGc,
    badEvents: occ.badEvents,
    concurrent: occ.concurrent,
    heap: {
      ...heapSummary,
      // ZGC states no committed size with its cycles; its "Max Capacity" lines give the heap's ceiling.
      maxCapacityBytes: heapSummary.maxCapacityBytes ?? (collector === 'ZGC' ? occ.maxHeapBytes : undefined),
      maxHeapBytes: occ.maxHeapBytes,
      regionSizeBytes: occ.regionSizeBytes,
      permGenCapacityBytes: occ.permGenCapacityBytes,
    },
    lines: totalLines,
    unrecognisedLines: occ.unrecognised.count,
    unrecognisedSamples: occ.unrecognised.samples,
  };
}

/**
 * One line naming the collectors and where each comes from: separate files ("a.log (Serial), b.log
 * (G1)") or runs of one file ("gc.log: G1 from line 1, Serial from line 57").
 */
function mixedCollectors(collectors: ReadonlyMap<Collector, { file: string; line: number }>, files: readonly GcInputSummary[]): MixedCollectorsError {
  const where = [...collectors];
  const oneFile = where.every(([, w]) => w.file === where[0]![1].file);
  const names = files.map((f) => f.name).join(', ');
  if (oneFile) {
    const file = where[0]![1].file;
    return new MixedCollectorsError(
      `${file} holds JVM runs with different collectors (${where.map(([c, w]) => `${c} from line ${w.line}`).join(', ')}): split it there and analyse each part on its own`,
      file,
    );
  }
  const perFile = files.filter((f) => f.collector !== undefined).map((f) => `${f.name} (${f.collector})`);
  return new MixedCollectorsError(`the logs come from different collectors (${perFile.join(', ')}): analyse each collector's logs on their own`, names);
}

/** Events waiting for a slow consumer before reading pauses; one 1 MiB chunk adds at most a few thousand. */
const EVENT_QUEUE_HIGH_WATER = 16_384;

/**
 * Event stream for library users: every event of the inputs, in order, as an async iterable.
 * Memory stays bounded: when the consumer falls behind, reading waits until it catches up.
 */
export async function* gcEvents(inputs: readonly GcInput[]): AsyncGenerator<GcEvent & { readonly file: string }> {
  let queue: Array<GcEvent & { file: string }> = [];
  let head = 0;
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  let cancelled = false;
  const run = analyzeGcLogs(inputs, {
    onEvent: (event, file) => {
      queue.push({ ...event, file });
      wake?.();
    },
    drain: () => {
      // A consumer that stopped early: end the reading (the rejection stops the read loop and closes the file).
      if (cancelled) return Promise.reject(new Error('event stream closed by its consumer'));
      return queue.length - head < EVENT_QUEUE_HIGH_WATER ? undefined : new Promise<void>((resolve) => (resume = resolve));
    },
  }).then(
    () => undefined,
    (e: unknown) => {
      if (!(e instanceof MixedCollectorsError) && !(e instanceof GcInputError && e.message.startsWith('no GC events found'))) failure = e;
    },
  ).finally(() => {
    done = true;
    wake?.();
  });
  try {
    while (true) {
      while (head < queue.length) {
        const event = queue[head++]!;
        if (head >= 1024 && head * 2 >= queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        yield event;
      }
      // Everything handed out: let reading go on.
      if (resume !== undefined) {
        const go = resume;
        resume = undefined;
        go();
      }
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    if (!done) {
      cancelled = true;
      resume?.();
    }
  }
  await run;
  if (failure !== undefined) throw failure;
}

/** The collector implied by pause kinds, for logs that never name it. */
class CollectorInference {
  private readonly kinds = new Set<PauseKind>();
  accept(event: GcEvent): void {
    if (event.type === 'pause') this.kinds.add(event.kind);
  }
  result(): Collector | undefined {
    const k = this.kinds;
    if (k.has('mark-start') || k.has('relocate-start')) return 'ZGC';
    if (k.has('init-mark') || k.has('final-mark') || k.has('init-update-refs') || k.has('degenerated')) return 'Shenandoah';
    if (k.has('mixed') || k.has('cleanup')) return 'G1';
    return undefined;
  }
}
