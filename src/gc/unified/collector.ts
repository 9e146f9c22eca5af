/**
 * "Using G1" and its siblings: the line (tag gc, no GC id) each collector writes when the heap is
 * set up. "Using 4 workers of 4 for evacuation" and the like carry a GC id and never get here.
 */
import type { Collector } from '../events.js';

const NAMES: ReadonlyMap<string, Collector> = new Map<string, Collector>([
  ['G1', 'G1'],
  ['Parallel', 'Parallel'],
  ['Serial', 'Serial'],
  ['The Z Garbage Collector', 'ZGC'],
  ['Shenandoah', 'Shenandoah'],
  ['Concurrent Mark Sweep', 'CMS'],
  ['Epsilon', 'Epsilon'],
]);

/** The collector a message `text[start, end)` announces, or undefined. */
export function announcedCollector(text: string, start: number, end: number): Collector | undefined {
  if (!text.startsWith('Using ', start)) return undefined;
  return NAMES.get(text.slice(start + 6, end).trimEnd());
}
