import type { ConcurrentEvent, GcEvent, HeapChange, PauseEvent } from '../events.js';
import type { Aggregator } from './aggregator.js';
import type { LogClock } from './clock.js';
import { BoundedSeries } from './series.js';

export interface HeapSummary {
  /** Largest committed heap the log states. */
  readonly maxCapacityBytes: number | undefined;
  /** Highest occupancy before a collection. */
  readonly peakBeforeBytes: number | undefined;
  readonly peakAfterBytes: number | undefined;
  /** Estimate of the live data set and how it was reached. */
  readonly liveSetBytes: number | undefined;
  readonly liveSetMethod: string;
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
const OLD_COLLECTING = new Set(['full', 'mixed', 'degenerated']);

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
  private readonly fullAfter: number[] = [];
  /** Heap after the latest concurrent cycles (bounded: the median of a recent window is enough). */
  private readonly cycleAfter: number[] = [];
  private oldCollectingMin: number | undefined;
  private youngAfterMin: number | undefined;
  private readonly heapSeries = new BoundedSeries();
  private readonly pauseSeries = new BoundedSeries();

  constructor(private readonly clock: LogClock) {}

  accept(event: GcEvent): void {
    if (event.type === 'concurrent') {
      this.acceptCycle(event);
      return;
    }
    if (event.type !== 'pause') return;
    const t = this.clock.seconds(event.time);
    if (t !== undefined) this.pauseSeries.add(t, event.durationMs, event.kind);
    const heap = event.heap;
    if (heap === undefined) return;
    if (heap.capacityBytes !== undefined) this.maxCapacity = Math.max(this.maxCapacity ?? 0, heap.capacityBytes);
    this.peakBefore = Math.max(this.peakBefore ?? 0, heap.beforeBytes);
    this.peakAfter = Math.max(this.peakAfter ?? 0, heap.afterBytes);
    if (t !== undefined) {
      this.heapSeries.add(t, heap.afterBytes, event.kind);
      if (this.previousAfter !== undefined) this.allocated += Math.max(0, heap.beforeBytes - this.previousAfter);
      this.allocationStart ??= t;
      this.allocationEnd = t;
    }
    this.previousAfter = heap.afterBytes;
    if (event.kind === 'full') this.fullAfter.push(heap.afterBytes);
    if (OLD_COLLECTING.has(event.kind)) this.oldCollectingMin = Math.min(this.oldCollectingMin ?? Infinity, heap.afterBytes);
    if (event.kind === 'young') {
      this.youngAfterMin = Math.min(this.youngAfterMin ?? Infinity, heap.afterBytes);
      this.trackPromotion(event, heap);
    }
  }

  /**
   * A concurrent collector's cycle with heap figures (ZGC, Shenandoah): the heap after a whole
   * cycle is the closest these logs come to the live set, and the growth between cycles is what
   * the application allocated.
   */
  private acceptCycle(event: ConcurrentEvent): void {
    const heap = event.heap;
    if (heap === undefined) return;
    const t = this.clock.seconds(event.time);
    if (heap.capacityBytes !== undefined) this.maxCapacity = Math.max(this.maxCapacity ?? 0, heap.capacityBytes);
    this.peakBefore = Math.max(this.peakBefore ?? 0, heap.beforeBytes);
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
    const elapsed = this.allocationStart !== undefined && this.allocationEnd !== undefined ? this.allocationEnd - this.allocationStart : 0;
    const { bytes, method } = this.liveSet();
    return {
      maxCapacityBytes: this.maxCapacity,
      peakBeforeBytes: this.peakBefore,
      peakAfterBytes: this.peakAfter,
      liveSetBytes: bytes,
      liveSetMethod: method,
      allocationRateMBps: elapsed > 0 ? round2(this.allocated / MB / elapsed) : undefined,
      promotionRateMBps: elapsed > 0 && this.promotionSeen ? round2(this.promoted / MB / elapsed) : undefined,
      heapAfterGc: this.heapSeries.points(),
      pauseSeries: this.pauseSeries.points(),
    };
  }

  private liveSet(): { bytes: number | undefined; method: string } {
    if (this.fullAfter.length > 0) {
      const sorted = [...this.fullAfter].sort((a, b) => a - b);
      return { bytes: sorted[Math.floor((sorted.length - 1) / 2)], method: `median heap after ${sorted.length} full GC(s)` };
    }
    if (this.oldCollectingMin !== undefined) return { bytes: this.oldCollectingMin, method: 'lowest heap after a mixed/old collection' };
    if (this.cycleAfter.length > 0) {
      const sorted = [...this.cycleAfter].sort((a, b) => a - b);
      return { bytes: sorted[Math.floor((sorted.length - 1) / 2)], method: `median heap after ${sorted.length} concurrent cycle(s)` };
    }
    if (this.youngAfterMin !== undefined) return { bytes: this.youngAfterMin, method: 'lowest heap after a young collection (upper bound: no old collection logged)' };
    return { bytes: undefined, method: 'no heap occupancy in the log' };
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
