import type { GcEvent, PauseKind } from '../events.js';
import type { Aggregator } from './aggregator.js';
import type { LogClock } from './clock.js';
import { Distribution, type DistributionSummary } from './distribution.js';

export interface PauseSummary extends DistributionSummary {
  readonly byKind: Readonly<Partial<Record<PauseKind, DistributionSummary>>>;
  /** Pause counts per histogram bin: `edgesMs[i-1] <= d < edgesMs[i]`. */
  readonly histogram: { readonly edgesMs: readonly number[]; readonly counts: readonly number[] };
}

export const HISTOGRAM_EDGES_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** Every stop-the-world pause, overall and per kind. */
export class PauseAggregator implements Aggregator<PauseSummary> {
  private readonly all = new Distribution();
  private readonly kinds = new Map<PauseKind, Distribution>();
  private readonly binCounts = new Array<number>(HISTOGRAM_EDGES_MS.length + 1).fill(0);

  /** `clock`, when given, is told each pause for its runs' throughput. */
  constructor(private readonly clock?: LogClock) {}

  accept(event: GcEvent): void {
    if (event.type !== 'pause') return;
    const ms = event.durationMs;
    this.clock?.countPause(ms);
    this.all.add(ms);
    let bin = 0;
    while (bin < HISTOGRAM_EDGES_MS.length && ms >= HISTOGRAM_EDGES_MS[bin]!) bin++;
    this.binCounts[bin]!++;
    let d = this.kinds.get(event.kind);
    if (d === undefined) {
      d = new Distribution();
      this.kinds.set(event.kind, d);
    }
    d.add(ms);
  }

  result(): PauseSummary {
    const byKind: Partial<Record<PauseKind, DistributionSummary>> = {};
    for (const [kind, d] of [...this.kinds].sort((a, b) => b[1].summary().count - a[1].summary().count)) byKind[kind] = d.summary();
    return { ...this.all.summary(), byKind, histogram: { edgesMs: HISTOGRAM_EDGES_MS, counts: [...this.binCounts] } };
  }
}
