/**
 * G1 vocabulary of unified logging, JDK 9 to 21+:
 *   JDK 9–11  "Pause Young (G1 Evacuation Pause)", "Pause Initial Mark (…)", "Pause Mixed (…)",
 *             "To-space exhausted", "Concurrent Cycle 42.463ms"
 *   JDK 12+   "Pause Young (Normal|Concurrent Start|Prepare Mixed|Mixed) (cause)",
 *             "Concurrent Mark Cycle", "Concurrent Undo Cycle"
 *   JDK 20+   a trailing "(Evacuation Failure)", from 21 "(Evacuation Failure: Allocation)" …
 * Detail lines (gc,heap): "Eden regions: 14->0(8)", "Survivor …", "Old …", "Archive …",
 * "Humongous regions: 0->0", counted in regions of the size "Heap region size: 1M" announced.
 */
import type { HeapChange, PauseKind } from '../events.js';
import { parseRegionChange } from './numbers.js';

/** The young collection types JDK 12+ writes as the first group of "Pause Young". */
export const G1_YOUNG_TYPES: ReadonlySet<string> = new Set(['Normal', 'Concurrent Start', 'Prepare Mixed', 'Mixed']);

/** Pause names only G1 has; Young, Full, Initial Mark and Remark are shared with CMS & co. */
export const G1_PAUSES: ReadonlyMap<string, PauseKind> = new Map<string, PauseKind>([
  ['Mixed', 'mixed'],
  ['Cleanup', 'cleanup'],
]);

export const HUMONGOUS_CAUSE = 'G1 Humongous Allocation';

export const isEvacuationFailureGroup = (group: string): boolean => group.startsWith('Evacuation Failure');

/**
 * G1's concurrent marking cycle as a whole. Its sub-phases (gc,marking: Concurrent Mark, Concurrent
 * Rebuild Remembered Sets …) nest inside the cycle's time and are left out so times add up.
 */
export const isG1Cycle = (phase: string): boolean => phase.endsWith(' Cycle');

const REGION_LINES: ReadonlyArray<readonly [string, string]> = [
  ['Eden regions: ', 'eden'],
  ['Survivor regions: ', 'survivor'],
  ['Old regions: ', 'old'],
  ['Humongous regions: ', 'humongous'],
  ['Archive regions: ', 'archive'],
];

const REGION_BY_INITIAL: ReadonlyMap<number, readonly [string, string]> = new Map(REGION_LINES.map((line) => [line[0].charCodeAt(0), line]));

/**
 * The region count line at `start`, as [its prefix, region key], e.g. ["Eden regions: ", "eden"];
 * the numbers follow the prefix.
 */
export function g1RegionLine(text: string, start: number): readonly [string, string] | undefined {
  // Each prefix has its own initial: one comparison per line.
  const line = REGION_BY_INITIAL.get(text.charCodeAt(start));
  return line !== undefined && text.startsWith(line[0], start) ? line : undefined;
}

/** "14->0(8)" in `text[start, end)` in bytes, undefined when malformed or the region size unknown. */
export const g1RegionChange = (text: string, start: number, end: number, regionBytes: number): HeapChange | undefined =>
  Number.isNaN(regionBytes) ? undefined : parseRegionChange(text, start, end, regionBytes);
