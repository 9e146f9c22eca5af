import type { BadEventKind, Collector, GcEvent } from '../events.js';
import type { Aggregator } from './aggregator.js';
import type { LogClock } from './clock.js';
import { PERM_GEN_FULL, fullGcCause, isRequestedCause } from './causes.js';
import { round3 } from './distribution.js';

const SAMPLE_LIMIT = 200;

export interface Occurrence {
  readonly seconds: number | undefined;
  readonly line: number;
  readonly file: string;
  readonly detail: string;
}

export interface OccurrenceSummary {
  readonly collector: Collector | undefined;
  readonly maxHeapBytes: number | undefined;
  readonly regionSizeBytes: number | undefined;
  /** `requested`: how many of them someone asked for (System.gc(), jcmd, jmap, …), not the collector's trouble. */
  readonly fullGc: { readonly count: number; readonly causes: Readonly<Record<string, number>>; readonly requested: number };
  readonly badEvents: { readonly counts: Readonly<Partial<Record<BadEventKind, number>>>; readonly first: readonly (Occurrence & { kind: BadEventKind })[] };
  readonly concurrent: { readonly count: number; readonly totalMs: number };
  /** Largest permanent generation (JDK 7 and older) of the Full GCs it caused. */
  readonly permGenCapacityBytes: number | undefined;
  readonly unrecognised: { readonly count: number; readonly samples: readonly Occurrence[] };
}

/**
 * Things counted rather than measured: the collector, Full GCs and their causes, the bad events,
 * concurrent phases, and the lines nobody understood (never dropped silently).
 */
export class OccurrenceAggregator implements Aggregator<OccurrenceSummary> {
  private collector: Collector | undefined;
  private maxHeap: number | undefined;
  private regionSize: number | undefined;
  private fullGcCount = 0;
  private requested = 0;
  private permCapacity: number | undefined;
  private readonly causes = new Map<string, number>();
  private readonly badCounts = new Map<BadEventKind, number>();
  private readonly badFirst: Array<Occurrence & { kind: BadEventKind }> = [];
  private concurrentCount = 0;
  private concurrentMs = 0;
  private unrecognisedCount = 0;
  private readonly unrecognisedSamples: Occurrence[] = [];
  file = '';

  constructor(private readonly clock: LogClock) {}

  accept(event: GcEvent): void {
    switch (event.type) {
      case 'collector':
        this.collector ??= event.collector;
        break;
      case 'heap-config':
        this.maxHeap = event.maxHeapBytes ?? this.maxHeap;
        this.regionSize = event.regionSizeBytes ?? this.regionSize;
        break;
      case 'pause':
        if (event.kind === 'full') {
          this.fullGcCount++;
          const cause = fullGcCause(event);
          this.causes.set(cause, (this.causes.get(cause) ?? 0) + 1);
          if (isRequestedCause(cause)) this.requested++;
          else if (cause === PERM_GEN_FULL) this.permCapacity = Math.max(this.permCapacity ?? 0, event.regions?.['perm']?.capacityBytes ?? 0);
        }
        break;
      case 'concurrent':
        this.concurrentCount++;
        this.concurrentMs += event.durationMs ?? 0;
        break;
      case 'bad':
        this.badCounts.set(event.kind, (this.badCounts.get(event.kind) ?? 0) + 1);
        if (this.badFirst.length < SAMPLE_LIMIT) {
          const seconds = this.clock.seconds(event.time);
          this.badFirst.push({ kind: event.kind, seconds: seconds === undefined ? undefined : round3(seconds), line: event.line, file: this.file, detail: event.detail });
        }
        break;
      case 'unrecognised':
        this.unrecognisedCount++;
        if (this.unrecognisedSamples.length < 20) {
          this.unrecognisedSamples.push({ seconds: undefined, line: event.line, file: this.file, detail: event.text.slice(0, 200) });
        }
        break;
    }
  }

  result(): OccurrenceSummary {
    return {
      collector: this.collector,
      maxHeapBytes: this.maxHeap,
      regionSizeBytes: this.regionSize,
      fullGc: { count: this.fullGcCount, causes: Object.fromEntries(this.causes), requested: this.requested },
      badEvents: { counts: Object.fromEntries(this.badCounts), first: this.badFirst },
      concurrent: { count: this.concurrentCount, totalMs: round3(this.concurrentMs) },
      permGenCapacityBytes: this.permCapacity,
      unrecognised: { count: this.unrecognisedCount, samples: this.unrecognisedSamples },
    };
  }
}
