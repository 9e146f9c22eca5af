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
    // "Concurrent cleanup 3630M->3627M(3770M)": with pauses that do not move the heap, the only heap figures logged.
    if (!Number.isNaN(ms)) reportConcurrent(ctx, 0, label, ms, heap);
    return 'other';
  }
  const kind = PAUSE_KINDS.find(([prefix]) => label.startsWith(prefix))?.[1] ?? 'other';
  const draft = newDraft(kind, label, ctx.stamps.time, ctx.stamps.gcId, ctx.tree.firstLine(), ctx.tree.lineAt(ctx.tree.start), ctx.line);
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
  'Initialize Shenandoah heap:',
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

/** The first line of the exit statistics, after which explanatory prose follows. */
export const SHENANDOAH_STATISTICS = 'GC STATISTICS:';

/** "Regions: 3991 x 1024K" */
export const SHENANDOAH_REGIONS = 'Regions: ';
/** "Initialize Shenandoah heap: 250M initial, 7168K min, 3991M max" */
export const SHENANDOAH_HEAP = 'Initialize Shenandoah heap: ';
