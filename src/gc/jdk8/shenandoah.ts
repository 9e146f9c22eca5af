/**
 * Shenandoah as JDK 8 backports print it with -XX:+PrintGCDetails:
 *
 *   2022-08-17T16:20:47.685+0800: 2.469: [Pause Init Mark (process weakrefs), start]
 *   2022-08-17T16:20:47.688+0800: 2.472: [Pause Init Mark (process weakrefs), 3.341 ms]
 *   2022-08-17T16:20:48.561+0800: 3.344: [Concurrent cleanup 1613M->1361M(1636M), 0.092 ms]
 *   2022-08-17T16:25:40.436+0800: 295.220: [Pause Degenerated GC (Update Refs) 3941M->1733M(3966M), 184.489 ms]
 *
 * plus a good deal of informational text: heuristics, pacing, per-cycle phase tables
 * ("Pause Init Mark (G)   8027 us", summaries rather than pauses) and the statistics printed at exit.
 */
import type { PauseKind } from '../events.js';
import { reportConcurrent, type RecordContext } from './context.js';
import { newDraft, type PauseDraft } from './draft.js';
import { findTransition, lastMillis } from './heap.js';

const PAUSE_KINDS: ReadonlyArray<readonly [string, PauseKind]> = [
  ['Pause Init Mark', 'init-mark'],
  ['Pause Final Mark', 'final-mark'],
  ['Pause Init Update Refs', 'init-update-refs'],
  ['Pause Final Update Refs', 'final-update-refs'],
  ['Pause Final Evac', 'final-evac'],
  ['Pause Final Roots', 'final-roots'],
  ['Pause Degenerated GC', 'degenerated'],
  ['Pause Full', 'full'],
];

const HEAP_CHANGE_AT_END = /\s+\S+->\S+$/;

/** "[Pause … , N ms]" or "[Concurrent … , N ms]"; the ", start]" lines only say when a phase began. */
export function shenandoahRecord(ctx: RecordContext): PauseDraft | 'other' {
  const own = ctx.tree.own(0);
  const comma = own.lastIndexOf(', ');
  if (comma < 0 || own.startsWith('start', comma + 2)) return 'other';
  const head = own.slice(0, comma);
  const ms = lastMillis(own);
  const heap = findTransition(head);
  const label = heap === undefined ? head.trim() : head.replace(HEAP_CHANGE_AT_END, '').trim();
  if (own.startsWith('Concurrent ')) {
    // Older builds print the phase's notes inside it ("[Concurrent marking\n    Cancelling GC: …\n, 5.130 ms]"):
    // its name is what stands on its first line.
    const first = ctx.tree.firstLine();
    const phase = first.length < ctx.tree.closeAt(0) ? first.slice(ctx.tree.start + 1).trim() : label;
    // "Concurrent cleanup 3630M->3627M(3770M)": with pauses that do not move the heap, the only heap figures logged.
    if (!Number.isNaN(ms)) reportConcurrent(ctx, 0, phase, ms, heap);
    return 'other';
  }
  const known = PAUSE_KINDS.find(([prefix]) => label.startsWith(prefix));
  const kind = known?.[1] ?? 'other';
  // 8u171 glues the heuristics' lines to the name: "[Pause Final MarkTotal Garbage: 44620M\n…\n 184G->181G(256G), 4.730 ms]".
  const name = known !== undefined && label.length > known[0].length && label.charCodeAt(known[0].length) !== 32 ? known[0] : label;
  const draft = newDraft(kind, name, ctx.stamps.time, ctx.stamps.gcId, ctx.tree.firstLine(), ctx.tree.lineAt(ctx.tree.start), ctx.line);
  draft.collector = 'Shenandoah';
  draft.durationMs = ms;
  draft.heap = heap;
  if (kind === 'degenerated') draft.bad.push({ kind: 'degenerated-gc', detail: label });
  if (kind === 'full') {
    const open = label.indexOf('(');
    if (open > 0 && label.endsWith(')')) draft.cause = label.slice(open + 1, -1);
    draft.bad.push({ kind: 'full-gc', detail: label });
  }
  return draft;
}

/** Lines only Shenandoah prints (leading spaces removed): they prove the collector. */
const OWN_PREFIXES: readonly string[] = [
  'Shenandoah ',
  // "Initialize Shenandoah heap: 250M initial, …", 8u171: "Initialize Shenandoah heap with initial size 274877906944 bytes".
  'Initialize Shenandoah heap',
  'Heuristics ergonomically sets',
  'Humongous object threshold:',
  'Max TLAB size:',
  'Soft Max Heap Size:',
  'Pacer for ',
  'Adaptive CSet Selection.',
  'Collectable Garbage:',
  'Cancelling concurrent GC:',
  'Cancelling GC:',
  'Allocation pacing accrued:',
  'GC STATISTICS:',
  'ALLOCATION TRACING',
  // Heuristics and collection set choices, per cycle (8u171 … 8u332).
  'Concurrent marking triggered.',
  'Adjusting free threshold to:',
  'Predicted cset threshold:',
  'Immediate Garbage:',
  'Garbage to be collected:',
  'Live objects to be evacuated:',
  'Live/garbage ratio in collected regions:',
  'Evacuation Reserve:',
];

/** Lines Shenandoah prints whose words are too plain to prove it: accepted once it is known. */
const CONTEXT_PREFIXES: readonly string[] = [
  'Regions: ',
  'GC threads:',
  'Reference processing:',
  'Trigger: ',
  'Free: ',
  'Using ',
  'Good progress for ',
  'Failed to allocate',
  'All times are wall-clock times',
  'all workers. Dividing',
  'Status: ',
  'Reserved region:',
  'Collection set:',
  '- map ',
  '- [0x',
  ', [Metaspace: ',
  // Early JDK 8 backports (8u171) print their set-up in these words.
  'Heap region size:',
  'Region size in bytes:',
  'Region size byte shift:',
  'Humongous threshold in bytes:',
  'Number of regions:',
  'Parallel GC threads:',
  'Concurrent GC threads:',
  'Parallel reference processing enabled:',
  'Total Garbage:',
  'Capacity: ',
];

/** A phase table row: "Scan Roots   3252 us, parallelism: 1.97x", "Concurrent Reset = 4.337 s (a = 4879 us) …", pacing "11 of 23607 ms (  0.0%): …". */
const TABLE_ROW = /\d us(?:,|$)|\(lvls, us =|^\d+ of +\d+ ms \(/;
/** End-of-run counters: "885 successful concurrent GCs", "4 caused by allocation failure". */
const SUMMARY_ROW = /^\d+ (?:successful|invoked|Degenerated|degenerated|caused|happened|upgraded|Full GCs|allocation failure)/;
/** Heap at exit: "3991M max, 3990M soft max, 3907M committed, 496M used", "3991 x 1024K regions". */
const HEAP_ROW = /^\d+[KMG]? (?:total|max),|^\d+ x \d+[KMG] regions/;

/**
 * Whether `line` (from `from`, leading spaces allowed) is Shenandoah's informational output:
 * 'own' when only Shenandoah prints it, 'plain' when it has Shenandoah's shape but words anyone
 * could print (to be accepted only in a Shenandoah log), undefined otherwise.
 */
export function shenandoahInfo(line: string, from: number): 'own' | 'plain' | undefined {
  let i = from;
  while (line.charCodeAt(i) === 32) i++;
  const text = i === 0 ? line : line.slice(i);
  for (const prefix of OWN_PREFIXES) if (text.startsWith(prefix)) return 'own';
  for (const prefix of CONTEXT_PREFIXES) if (text.startsWith(prefix)) return 'plain';
  return TABLE_ROW.test(text) || SUMMARY_ROW.test(text) || HEAP_ROW.test(text) ? 'plain' : undefined;
}

const CANCELLING = ['Cancelling GC: ', 'Cancelling concurrent GC: '];
const ALLOCATION_FAILURE = 'Allocation Failure';

/**
 * The words of a cancellation at `at` that means allocation outran the concurrent cycle
 * ("Cancelling GC: Allocation Failure", older builds "Cancelling concurrent GC: Allocation
 * Failure"), without what follows; undefined for any other text or reason ("Stopping VM", "System.gc()").
 */
export function allocationFailureCancel(text: string, at: number): string | undefined {
  for (const prefix of CANCELLING) {
    if (!text.startsWith(prefix, at)) continue;
    const reason = at + prefix.length;
    return text.startsWith(ALLOCATION_FAILURE, reason) ? text.slice(at, reason + ALLOCATION_FAILURE.length) : undefined;
  }
  return undefined;
}

/** The first line of the exit statistics, after which explanatory prose follows. */
export const SHENANDOAH_STATISTICS = 'GC STATISTICS:';

/** 8u171: "Heap region size: 32M" */
export const SHENANDOAH_REGION_SIZE = 'Heap region size: ';

/** "Regions: 3991 x 1024K" */
export const SHENANDOAH_REGIONS = 'Regions: ';
/** "Initialize Shenandoah heap: 250M initial, 7168K min, 3991M max" */
export const SHENANDOAH_HEAP = 'Initialize Shenandoah heap: ';
