/**
 * Per-generation / per-region figures that gc* logs write on detail lines before (JDK 9+) or, for
 * a young collection interrupted by a Full GC, after other collections' lines, keyed by GC id and
 * attached to the pause when its duration line arrives. Collections never finish far out of GC
 * id order, so ids much older than the newest are dropped: memory stays bounded whatever the log.
 */
import type { HeapChange } from '../events.js';

/** How many GC ids back detail lines are kept waiting for their pause. */
const KEEP_IDS = 64;

export class PendingRegions {
  private readonly byId = new Map<number, Record<string, HeapChange>>();
  // Detail lines of one collection come in a run: the last one asked for is remembered.
  private lastId = -1;
  private last: Record<string, HeapChange> | undefined;

  /** The figures collected for `gcId` so far, to add to. */
  of(gcId: number): Record<string, HeapChange> {
    if (gcId === this.lastId && this.last !== undefined) return this.last;
    let regions = this.byId.get(gcId);
    if (regions === undefined) {
      regions = {};
      this.byId.set(gcId, regions);
      if (this.byId.size > KEEP_IDS) this.dropOlderThan(gcId - KEEP_IDS, gcId);
    }
    this.lastId = gcId;
    this.last = regions;
    return regions;
  }

  /** Removes and returns the figures of `gcId`, if any were logged. */
  take(gcId: number): Readonly<Record<string, HeapChange>> | undefined {
    const regions = this.byId.get(gcId);
    if (regions !== undefined) this.byId.delete(gcId);
    if (gcId === this.lastId) this.last = undefined;
    return regions;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Drops ids below `oldest`, and ids above `newest` (left over from an earlier JVM run in the same file). */
  private dropOlderThan(oldest: number, newest: number): void {
    for (const id of this.byId.keys()) if (id < oldest || id > newest) this.byId.delete(id);
    if (!this.byId.has(this.lastId)) this.last = undefined;
  }
}
