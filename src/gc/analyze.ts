/**
 * The GC engine: lines → format detection → typed events → independent aggregators → summary.
 */
import type { Collector, GcEvent, GcLogParser, PauseKind } from './events.js';
import { createJdk8Parser, looksLikeJdk8Line } from './jdk8/index.js';
import { createUnifiedParser, looksLikeUnifiedLine } from './unified/index.js';
import { LogClock } from './analysis/clock.js';
import { HeapAggregator, type HeapSummary } from './analysis/heap.js';
import { OccurrenceAggregator, type OccurrenceSummary } from './analysis/occurrences.js';
import { PauseAggregator, type PauseSummary } from './analysis/pauses.js';
import { round3 } from './analysis/distribution.js';
import { GcInputError, inputName, orderInputs, readLines, type GcInput } from './read.js';

export interface GcSummary {
  readonly collector: Collector | 'unknown';
  /** Formats met, per input file in reading order. */
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly format: 'unified' | 'jdk8' | 'empty'; readonly lines: number }>;
  readonly timeBase: 'uptime' | 'epoch';
  readonly startEpochMs: number | undefined;
  readonly spanSeconds: number;
  readonly pauses: PauseSummary;
  /** Share of wall time outside stop-the-world pauses. */
  readonly throughputPercent: number | undefined;
  readonly fullGc: OccurrenceSummary['fullGc'];
  readonly badEvents: OccurrenceSummary['badEvents'];
  readonly concurrent: OccurrenceSummary['concurrent'];
  readonly heap: HeapSummary & { readonly maxHeapBytes: number | undefined; readonly regionSizeBytes: number | undefined };
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

/** Analyses one or more GC logs (a rotated set is put in order first) as one stream. */
export async function analyzeGcLogs(inputs: readonly GcInput[], options: AnalyzeOptions = {}): Promise<GcSummary> {
  const ordered = await orderInputs(inputs);
  const clock = new LogClock();
  const pauses = new PauseAggregator();
  const heap = new HeapAggregator(clock);
  const occurrences = new OccurrenceAggregator(clock);
  const inferred = new CollectorInference();
  const fileInfo: Array<{ name: string; format: 'unified' | 'jdk8' | 'empty'; lines: number }> = [];
  let totalLines = 0;
  let meaningfulEvents = 0;

  for (const input of ordered) {
    const name = inputName(input);
    occurrences.file = name;
    let parser: GcLogParser | undefined;
    const pending: Array<[string, number]> = [];
    let nonEmpty = 0;
    const emit = (event: GcEvent): void => {
      clock.observe(event.time);
      pauses.accept(event);
      heap.accept(event);
      occurrences.accept(event);
      inferred.accept(event);
      if (event.type !== 'unrecognised' && event.type !== 'heap-config') meaningfulEvents++;
      options.onEvent?.(event, name);
    };
    const choose = (p: GcLogParser): void => {
      parser = p;
      for (const [text, n] of pending) p.line(text, n, emit);
      pending.length = 0;
    };
    const lines = await readLines(input, {
      line(text, n) {
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
    totalLines += lines;
    fileInfo.push({ name, format: parser?.format ?? 'empty', lines });
  }

  if (meaningfulEvents === 0) {
    const names = ordered.map(inputName).join(', ');
    throw new GcInputError(`no GC events found in ${names}`, names);
  }

  const occ = occurrences.result();
  const pauseSummary = pauses.result();
  const span = clock.spanSeconds();
  const heapSummary = heap.result();
  return {
    collector: occ.collector ?? inferred.result() ?? 'unknown',
    inputs: fileInfo,
    timeBase: clock.base,
    startEpochMs: clock.firstEpochMs(),
    spanSeconds: round3(span),
    pauses: pauseSummary,
    throughputPercent: span > 0 ? round3(Math.max(0, 100 * (1 - pauseSummary.totalMs / 1000 / span))) : undefined,
    fullGc: occ.fullGc,
    badEvents: occ.badEvents,
    concurrent: occ.concurrent,
    heap: { ...heapSummary, maxHeapBytes: occ.maxHeapBytes, regionSizeBytes: occ.regionSizeBytes },
    lines: totalLines,
    unrecognisedLines: occ.unrecognised.count,
    unrecognisedSamples: occ.unrecognised.samples,
  };
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
      if (!(e instanceof GcInputError && e.message.startsWith('no GC events found'))) failure = e;
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
