/**
 * The stop-the-world generational collectors, Parallel, Serial and CMS (JDK 9–13), and the pause
 * words they share with G1. Their gc,heap detail lines name each generation:
 *   JDK 9–16  "PSYoungGen: 33275K->5090K(38400K)", "ParOldGen: 0K->25596K(87552K)",
 *             "DefNew: …", "Tenured: …", "ParNew: …", "CMS: …"
 *   JDK 17+   "PSYoungGen: 16384K(18944K)->1328K(18944K) Eden: 16384K(16384K)->0K(16384K) From: …"
 * and gc,metaspace adds "Metaspace: 3644K->3644K(1056768K)" (JDK 17: "79K(320K)->79K(320K)
 * NonClass: … Class: …"), for every collector.
 */
import type { Collector, HeapChange, PauseKind } from '../events.js';
import { parseHeapChange, skipBlanks } from './numbers.js';

/** Pause names of Parallel, Serial and CMS, also written by G1 (JDK 9–11 "Initial Mark"). */
export const GENERATIONAL_PAUSES: ReadonlyMap<string, PauseKind> = new Map<string, PauseKind>([
  ['Young', 'young'],
  ['Full', 'full'],
  ['Initial Mark', 'initial-mark'],
  ['Remark', 'remark'],
]);

/**
 * CMS's concurrent phases that no other collector has ("Concurrent Mark", "Preclean" and "Reset"
 * are G1's or ZGC's words too).
 */
export const CMS_PHASES: ReadonlySet<string> = new Set(['Concurrent Abortable Preclean', 'Concurrent Sweep']);

/** The GC cause of the Parallel collector's size policy: a Full GC "(Ergonomics)" comes only from it. */
export const PARALLEL_ONLY_CAUSE = 'Ergonomics';

/**
 * Space names of the gc,heap / gc,metaspace lines (with their ": "), the region key each feeds,
 * and the collector a generation's name gives away (a log whose "Using …" line was rotated away
 * still names its generations on every collection).
 */
type Space = readonly [name: string, key: string, collector?: Collector];
const SPACES: readonly Space[] = [
  ['PSYoungGen: ', 'young', 'Parallel'],
  ['ParOldGen: ', 'old', 'Parallel'],
  ['ParNew: ', 'young', 'CMS'],
  ['DefNew: ', 'young', 'Serial'],
  ['Tenured: ', 'old', 'Serial'],
  ['CMS: ', 'old', 'CMS'],
  ['Eden: ', 'eden'],
  ['From: ', 'survivor'],
  ['Metaspace: ', 'metaspace'],
];

const SPACES_BY_INITIAL: ReadonlyMap<number, readonly Space[]> = (() => {
  const byInitial = new Map<number, Space[]>();
  for (const space of SPACES) {
    const list = byInitial.get(space[0].charCodeAt(0)) ?? [];
    list.push(space);
    byInitial.set(space[0].charCodeAt(0), list);
  }
  return byInitial;
})();

/** The space whose "Name: " starts at `at`, compared in place (no slicing). */
function spaceAt(text: string, at: number): Space | undefined {
  const candidates = SPACES_BY_INITIAL.get(text.charCodeAt(at));
  if (candidates !== undefined) for (const space of candidates) if (text.startsWith(space[0], at)) return space;
  return undefined;
}

/**
 * The space a line at `start` starts with, if `readSpaceChanges` reads its changes; null for any
 * other line.
 */
export function spaceChangeLine(text: string, start: number): Space | null {
  const space = spaceAt(text, start);
  // ZGC's "Metaspace: 17M used, 17M committed, 1040M reserved" is a state, not a change.
  return space !== undefined && (space[1] !== 'metaspace' || text.indexOf('->', start) > 0) ? space : null;
}

/**
 * Every "Name: change" pair of `text[start, end)` whose name is a known space, into `regions`.
 * Other names ("NonClass", "Class") are skipped; a malformed change ends the reading.
 */
export function readSpaceChanges(text: string, start: number, end: number, regions: Record<string, HeapChange>): void {
  let pos = start;
  while (pos < end) {
    const space = spaceAt(text, pos);
    const colon = space === undefined ? text.indexOf(': ', pos) : pos + space[0].length - 2;
    if (colon < 0 || colon >= end) return;
    const valueStart = skipBlanks(text, colon + 2, end);
    let valueEnd = text.indexOf(' ', valueStart);
    if (valueEnd < 0 || valueEnd > end) valueEnd = end;
    if (space !== undefined) {
      const change = parseHeapChange(text, valueStart, valueEnd);
      if (change === undefined) return;
      regions[space[1]] = change;
      // What follows Metaspace (NonClass, Class) is a split of it nobody reads.
      if (space[1] === 'metaspace') return;
    }
    pos = skipBlanks(text, valueEnd, end);
  }
}
