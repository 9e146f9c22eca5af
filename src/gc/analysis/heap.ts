import type { ConcurrentEvent, GcEvent, HeapChange, PauseEvent, PauseKind } from '../events.js';
import type { Aggregator } from './aggregator.js';
import type { LogClock } from './clock.js';
import { isRequestedCause } from './causes.js';
import { BoundedSeries } from './series.js';

export interface HeapSummary {
  /** Largest committed heap the log states. */
  readonly maxCapacityBytes: number | undefined;
  /** Highest occupancy before a collection. */
  readonly peakBeforeBytes: number | undefined;
  /**
   * Highest occupancy right after a collection. Only after-GC figures count: the occupancy CMS
   * states at its initial mark and remark, and the figures Shenandoah logs in the middle of a cycle,
   * are not.
   */
  readonly peakAfterBytes: number | undefined;
  /** Estimate of the live data set and how it was reached. */
  readonly liveSetBytes: number | undefined;
  readonly liveSetMethod: string;
  /**
   * Highest heap occupancy the log shows concurrent marking starting (or running) at: CMS's initial
   * mark and remark, the heap after G1's concurrent-start pauses. A heap smaller than this would be
   * full before the collector even starts to mark.
   */
  readonly markingOccupancyBytes: number | undefined;
  /** MB/s allocated by the application between collections. */
  readonly allocationRateMBps: number | undefined;
  /** MB/s moved into the old generation by young collections, where the log allows. */
  readonly promotionRateMBps: number | undefined;
  readonly heapAfterGc: ReadonlyArray<readonly [number, number, string]>;
  readonly pauseSeries: ReadonlyArray<readonly [number, number, string]>;
}

const MB = 1024 * 1024;
const MAX_CYCLES_KEPT = 4096;
/** Kinds after which the heap holds (close to) only live data. */
const OLD_COLLECTING = new Set<PauseKind>(['full', 'mixed', 'degenerated']);
/** Shenandoah pauses inside a cycle: the heap they state is no after-GC figure. */
const SHENANDOAH_MID_CYCLE = new Set<PauseKind>(['init-mark', 'final-mark', 'init-update-refs', 'final-roots', 'final-evac']);
/** What starts a concurrent cycle, or replaces it: the cycle before it has ended. */
const CYCLE_BOUNDARY = new Set<PauseKind>(['init-mark', 'full', 'degenerated']);
/** The first share of each run's span is the JVM's warm-up, when the live set is still growing. */
export const WARM_UP_SHARE = 0.1;

/** A heap figure at the end of a concurrent cycle, waiting for the cycle's true end. */
interface CycleSample {
  readonly t: number | undefined;
  readonly run: number;
  readonly heap: HeapChange;
  readonly gcId: number | undefined;
}

/** Heap occupancy over time, the live-set estimate, allocation and promotion rates. */
export class HeapAggregator implements Aggregator<HeapSummary> {
  private maxCapacity: number | undefined;
  private peakBefore: number | undefined;
  private peakAfter: number | undefined;
  private previousAfter: number | undefined;
  private allocated = 0;
  private allocationStart: number | undefined;
  private allocationEnd: number | undefined;
  private promoted = 0;
  private promotionSeen = false;
  private readonly fullAfter = new TimedLows();
  /** Heap after the latest concurrent cycles (bounded: the median of a recent window is enough). */
  private readonly cycleAfter: number[] = [];
  /** Shenandoah logs heap figures at more than one point of a cycle: only the last one ends it. */
  private pendingCycle: CycleSample | undefined;
  private oldCollectingMin: number | undefined;
  private readonly youngAfter = new TimedLows();
  private markingOccupancy: number | undefined;
  /**
   * Each run's first and last heap figure on its warm-up clock (uptime where the log has it, else
   * timeline seconds), and whether that clock is uptime.
   */
  private readonly runTimes = new Map<number, [number, number, boolean]>();
  /** The current run's entry of runTimes. */
  private spanRun = 0;
  private span: [number, number, boolean] | undefined;
  private readonly heapSeries = new BoundedSeries();
  private readonly pauseSeries = new BoundedSeries();
  private lastLabel = '';
  private lastLabelStarts = false;
  /** Until the log names a collector other than G1, young pauses may start marking. */
  private g1Possible = true;

  constructor(private readonly clock: LogClock) {}

  accept(event: GcEvent): void {
    const type = event.type;
    if (type !== 'pause') {
      if (type === 'concurrent') this.acceptConcurrent(event);
      else if (type === 'collector') this.g1Possible = event.collector === 'G1';
      return;
    }
    const time = event.time;
    const t = this.clock.seconds(time);
    if (t !== undefined) this.pauseSeries.add(t, event.durationMs, event.kind);
    if (this.pendingCycle !== undefined && (CYCLE_BOUNDARY.has(event.kind) || otherCycle(this.pendingCycle, event.gcId))) this.commitCycle();
    const heap = event.heap;
    if (heap === undefined) return;
    if (heap.capacityBytes !== undefined) this.maxCapacity = Math.max(this.maxCapacity ?? 0, heap.capacityBytes);
    this.peakBefore = Math.max(this.peakBefore ?? 0, heap.beforeBytes);
    const kind = event.kind;
    if ((kind === 'initial-mark' || kind === 'remark') && heap.beforeBytes === heap.afterBytes) {
      // CMS states the occupancy at its marking pauses, which collect nothing (so do G1 remarks that free nothing).
      this.markingOccupancy = Math.max(this.markingOccupancy ?? 0, heap.beforeBytes);
      return;
    }
    if (SHENANDOAH_MID_CYCLE.has(kind)) return;
    if (kind === 'final-update-refs') {
      // Shenandoah builds without a final cleanup end their cycle here.
      this.holdCycle({ t, run: this.clock.runs, heap, gcId: event.gcId });
      return;
    }
    // Young pauses only start marking in G1; their label is read only when it could raise the figure.
    if (
      (kind === 'initial-mark' || (kind === 'young' && this.g1Possible && heap.afterBytes > (this.markingOccupancy ?? 0) && this.concurrentStart(event.label))) &&
      occupancyTriggered(event.cause)
    ) {
      // G1 starts marking once this much of the heap is occupied after the pause.
      this.markingOccupancy = Math.max(this.markingOccupancy ?? 0, heap.afterBytes);
    }
    this.peakAfter = Math.max(this.peakAfter ?? 0, heap.afterBytes);
    const up = time.uptimeSec;
    const w = up ?? t;
    if (w !== undefined) this.noteTime(w, up !== undefined);
    if (t !== undefined) {
      this.heapSeries.add(t, heap.afterBytes, kind);
      if (this.previousAfter !== undefined) this.allocated += Math.max(0, heap.beforeBytes - this.previousAfter);
      this.allocationStart ??= t;
      this.allocationEnd = t;
    }
    this.previousAfter = heap.afterBytes;
    if (kind === 'full') this.fullAfter.add(w, heap.afterBytes, this.clock.runs);
    if (OLD_COLLECTING.has(kind)) this.oldCollectingMin = Math.min(this.oldCollectingMin ?? Infinity, heap.afterBytes);
    if (kind === 'young') {
      this.youngAfter.add(w, heap.afterBytes, this.clock.runs);
      this.trackPromotion(event, heap);
    }
  }

  /**
   * A concurrent phase. ZGC's cycle summary states the heap once per cycle; Shenandoah's
   * "Concurrent cleanup" comes twice (after the final mark, with the immediate garbage gone, and
   * after the references are updated, the cycle's end), so a cleanup only ends the cycle when no
   * later one of the same cycle follows. Shenandoah's other phases (JDK 8 builds state the heap on
   * each) are the middle of a cycle.
   */
  private acceptConcurrent(event: ConcurrentEvent): void {
    const pending = this.pendingCycle;
    if (pending !== undefined && (otherCycle(pending, event.gcId) || event.phase.startsWith('Concurrent reset'))) this.commitCycle();
    const heap = event.heap;
    if (heap === undefined) return;
    const shenandoah = event.phase.startsWith('Concurrent ');
    if (heap.capacityBytes !== undefined) this.maxCapacity = Math.max(this.maxCapacity ?? 0, heap.capacityBytes);
    this.peakBefore = Math.max(this.peakBefore ?? 0, heap.beforeBytes);
    const sample: CycleSample = { t: this.clock.seconds(event.time), run: this.clock.runs, heap, gcId: event.gcId };
    if (!shenandoah) this.acceptCycle(sample);
    else if (event.phase === 'Concurrent cleanup') this.holdCycle(sample);
  }

  /** Whether a young pause's label starts marking; a log repeats a few labels, so the last answer is kept. */
  private concurrentStart(label: string): boolean {
    if (label !== this.lastLabel) {
      this.lastLabel = label;
      this.lastLabelStarts = isConcurrentStart(label);
    }
    return this.lastLabelStarts;
  }

  private holdCycle(sample: CycleSample): void {
    if (this.pendingCycle !== undefined && otherCycle(this.pendingCycle, sample.gcId)) this.commitCycle();
    this.pendingCycle = sample;
  }

  private commitCycle(): void {
    const sample = this.pendingCycle;
    this.pendingCycle = undefined;
    if (sample !== undefined) this.acceptCycle(sample);
  }

  /**
   * The heap after a whole concurrent cycle (ZGC, Shenandoah): the closest these logs come to the
   * live set, and the growth between cycles is what the application allocated.
   */
  private acceptCycle({ t, heap }: CycleSample): void {
    this.peakAfter = Math.max(this.peakAfter ?? 0, heap.afterBytes);
    if (t !== undefined) {
      this.heapSeries.add(t, heap.afterBytes, 'cycle');
      if (this.previousAfter !== undefined) this.allocated += Math.max(0, heap.beforeBytes - this.previousAfter);
      this.allocationStart ??= t;
      this.allocationEnd = t;
    }
    this.previousAfter = heap.afterBytes;
    this.cycleAfter.push(heap.afterBytes);
    if (this.cycleAfter.length > MAX_CYCLES_KEPT) this.cycleAfter.splice(0, this.cycleAfter.length - MAX_CYCLES_KEPT);
  }

  private noteTime(w: number, uptime: boolean): void {
    const run = this.clock.runs;
    let span = run === this.spanRun ? this.span : this.runTimes.get(run);
    if (span === undefined) {
      span = [w, w, uptime];
      this.runTimes.set(run, span);
    } else if (w > span[1]) span[1] = w;
    else if (w < span[0]) span[0] = w;
    this.spanRun = run;
    this.span = span;
  }

  private trackPromotion(event: PauseEvent, heap: HeapChange): void {
    const old = event.regions?.['old'];
    if (old !== undefined) {
      this.promoted += Math.max(0, old.afterBytes - old.beforeBytes);
      this.promotionSeen = true;
      return;
    }
    const young = event.regions?.['young'];
    if (young !== undefined) {
      this.promoted += Math.max(0, young.beforeBytes - young.afterBytes - (heap.beforeBytes - heap.afterBytes));
      this.promotionSeen = true;
    }
  }

  result(): HeapSummary {
    this.commitCycle();
    const elapsed = this.allocationStart !== undefined && this.allocationEnd !== undefined ? this.allocationEnd - this.allocationStart : 0;
    const { bytes, method } = this.liveSet();
    return {
      maxCapacityBytes: this.maxCapacity,
      peakBeforeBytes: this.peakBefore,
      peakAfterBytes: this.peakAfter,
      liveSetBytes: bytes,
      liveSetMethod: method,
      markingOccupancyBytes: this.markingOccupancy,
      allocationRateMBps: elapsed > 0 ? round2(this.allocated / MB / elapsed) : undefined,
      promotionRateMBps: elapsed > 0 && this.promotionSeen ? round2(this.promoted / MB / elapsed) : undefined,
      heapAfterGc: this.heapSeries.points(),
      pauseSeries: this.pauseSeries.points(),
    };
  }

  /**
   * Whether a figure at `w` of run `run` is past the JVM's warm-up: the first tenth of the JVM's
   * life up to the run's last figure. With uptime that is measured from the JVM's start, so a log
   * that begins long after it (a rotated file, an excerpt) has no warm-up; without, from the run's
   * first figure. Untimed figures always count.
   */
  private readonly pastWarmUp = (w: number, run: number): boolean => {
    const span = this.runTimes.get(run);
    if (Number.isNaN(w) || span === undefined) return true;
    const [first, last, uptime] = span;
    return w >= (uptime ? WARM_UP_SHARE * last : first + WARM_UP_SHARE * (last - first));
  };

  private liveSet(): { bytes: number | undefined; method: string } {
    const steadyYoung = this.youngAfter.lowest(this.pastWarmUp);
    if (this.fullAfter.count > 0) {
      const steady = this.fullAfter.values(this.pastWarmUp);
      const all = this.fullAfter.values(() => true);
      if (steady.length === all.length) return { bytes: median(all), method: `median heap after ${all.length} full GC(s)` };
      if (steady.length > 0) return { bytes: median(steady), method: `median heap after ${steady.length} full GC(s) past the warm-up (the first ${WARM_UP_SHARE * 100}% of the JVM's run)` };
      const early = median(all);
      // Full GCs only while the JVM warmed up: the young collections since show more is live now.
      if (steadyYoung !== undefined && steadyYoung > early) {
        return { bytes: steadyYoung, method: `lowest heap after a young collection past the warm-up (the ${all.length} full GC(s) were all in the warm-up)` };
      }
      return { bytes: early, method: `median heap after ${all.length} full GC(s), all in the warm-up` };
    }
    if (this.oldCollectingMin !== undefined) return { bytes: this.oldCollectingMin, method: 'lowest heap after a mixed/old collection' };
    if (this.cycleAfter.length > 0) return { bytes: median(this.cycleAfter), method: `median heap after ${this.cycleAfter.length} concurrent cycle(s)` };
    const anyYoung = this.youngAfter.lowest(() => true);
    if (anyYoung !== undefined) {
      if (steadyYoung === undefined) return { bytes: anyYoung, method: 'lowest heap after a young collection (upper bound: no old collection logged)' };
      const warm = anyYoung;
      const method =
        steadyYoung === warm
          ? 'lowest heap after a young collection (upper bound: no old collection logged)'
          : `lowest heap after a young collection past the warm-up (the first ${WARM_UP_SHARE * 100}% of the JVM's run); an upper bound: no old collection logged`;
      return { bytes: steadyYoung, method };
    }
    return { bytes: undefined, method: 'no heap occupancy in the log' };
  }
}

/** A cycle figure of another GC id than the one waiting (figures without ids are told apart by boundaries). */
const otherCycle = (pending: CycleSample, gcId: number | undefined): boolean => gcId !== undefined && pending.gcId !== undefined && gcId !== pending.gcId;

/** G1's young pause that starts concurrent marking: "Pause Young (Concurrent Start)", JDK 8 "(initial-mark)". */
const isConcurrentStart = (label: string): boolean => label.includes('Concurrent Start') || label.includes('initial-mark');

/** Marking started because of the heap's occupancy, not class metadata, a request or a timer. */
const occupancyTriggered = (cause: string | undefined): boolean =>
  cause === undefined || !(cause.startsWith('Metadata GC Threshold') || cause === 'G1 Periodic Collection' || isRequestedCause(cause));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const SAMPLES_KEPT = 8192;

/**
 * Heap figures with their time and run, bounded: when full, neighbours are merged pairwise keeping
 * the lower figure, so the lowest figure of any stretch of time survives.
 */
class TimedLows {
  private t = new Float64Array(SAMPLES_KEPT);
  private v = new Float64Array(SAMPLES_KEPT);
  private run = new Int32Array(SAMPLES_KEPT);
  private size = 0;
  private stride = 1;
  private pending = 0;
  count = 0;

  add(t: number | undefined, value: number, run: number): void {
    this.count++;
    const time = t ?? Number.NaN;
    if (this.pending > 0 && this.size > 0 && this.run[this.size - 1] === run) {
      const i = this.size - 1;
      if (value < this.v[i]!) {
        this.t[i] = time;
        this.v[i] = value;
      }
      this.pending--;
      return;
    }
    if (this.size === SAMPLES_KEPT) this.halve();
    this.t[this.size] = time;
    this.v[this.size] = value;
    this.run[this.size] = run;
    this.size++;
    this.pending = this.stride - 1;
  }

  values(keep: (t: number, run: number) => boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (keep(this.t[i]!, this.run[i]!)) out.push(this.v[i]!);
    return out;
  }

  lowest(keep: (t: number, run: number) => boolean): number | undefined {
    let low: number | undefined;
    for (let i = 0; i < this.size; i++) if (keep(this.t[i]!, this.run[i]!) && (low === undefined || this.v[i]! < low)) low = this.v[i]!;
    return low;
  }

  private halve(): void {
    let j = 0;
    for (let i = 0; i < this.size; i += 2) {
      const k = i + 1 < this.size && this.v[i + 1]! < this.v[i]! ? i + 1 : i;
      this.t[j] = this.t[k]!;
      this.v[j] = this.v[k]!;
      this.run[j] = this.run[k]!;
      j++;
    }
    this.size = j;
    this.stride *= 2;
    this.pending = 0;
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
