/**
 * G1 as JDK 7/8 print it with -XX:+PrintGCDetails:
 *
 *   2014-07-24T13:49:45.090+0400: 12.345: [GC pause (G1 Evacuation Pause) (young) (initial-mark), 0.0115587 secs]
 *      [Parallel Time: 10.2 ms, GC Workers: 4]            ← phase details, ignored
 *      [Eden: 14.0M(14.0M)->0.0B(8192.0K) Survivors: 0.0B->2048.0K Heap: 14.0M(64.0M)->13.8M(64.0M)]
 *    [Times: user=0.02 sys=0.05, real=0.02 secs]
 *   [GC remark …, 0.0013608 secs]   [GC cleanup 61M->61M(88M), 0.0003019 secs]
 *   [GC concurrent-mark-end, 0.0158 secs]
 *
 * JDK 7 also wrote "(partial)" for mixed pauses and "[ 8192K->8128K(64M)]" for the heap line.
 */
import type { HeapChange } from '../events.js';
import { parenEnd, reportConcurrent, type RecordContext } from './context.js';
import { newDraft, setRegion, type PauseDraft } from './draft.js';
import { findTransition, labelledTransition, lastSecondsAsMs, trailingSecondsAsMs } from './heap.js';

/** The label for each generation, without and with "(initial-mark)", made once. */
const LABELS: Readonly<Record<'young' | 'mixed' | 'partial', readonly [string, string]>> = {
  young: ['GC pause (young)', 'GC pause (young) (initial-mark)'],
  mixed: ['GC pause (mixed)', 'GC pause (mixed) (initial-mark)'],
  partial: ['GC pause (partial)', 'GC pause (partial) (initial-mark)'],
};

/** Whether own[open+1, close) is exactly `word`. */
const isWord = (own: string, open: number, close: number, word: string): boolean => close - open - 1 === word.length && own.startsWith(word, open + 1);

/** "[GC pause (cause) (young|mixed) (initial-mark) (to-space exhausted), N secs]". */
export function g1EvacuationPause(ctx: RecordContext): PauseDraft {
  const own = ctx.tree.own(0);
  let generation: 'young' | 'mixed' | 'partial' = 'young';
  let initialMark = false;
  let cause: string | undefined;
  let toSpace: string | undefined;
  let sawKind = false;
  // The groups are a few characters apart: one pass over them costs less than a native search per bracket.
  for (let open = own.indexOf('('); open >= 0; ) {
    const close = parenEnd(own, open);
    if (close < 0) break;
    // The words differ in length, so the length mostly decides.
    const length = close - open - 1;
    if (length === 5 && isWord(own, open, close, 'young')) sawKind = true;
    else if (length === 5 && isWord(own, open, close, 'mixed')) {
      generation = 'mixed';
      sawKind = true;
    } else if (length === 7 && isWord(own, open, close, 'partial')) {
      generation = 'partial';
      sawKind = true;
    } else if (length === 12 && isWord(own, open, close, 'initial-mark')) initialMark = true;
    else if (isWord(own, open, close, 'to-space exhausted') || isWord(own, open, close, 'to-space overflow')) toSpace = own.slice(open + 1, close);
    else if (!sawKind && cause === undefined) cause = own.slice(open + 1, close);
    open = nextOpen(own, close + 1);
  }
  const label = LABELS[generation][initialMark ? 1 : 0];
  const draft = newG1Draft(ctx, generation === 'young' ? 'young' : 'mixed', label);
  draft.cause = cause;
  draft.durationMs = lastSecondsAsMs(own);
  draft.heap = findTransition(own);
  if (toSpace !== undefined) draft.bad.push({ kind: 'to-space-exhausted', detail: `${toSpace} in ${label}` });
  if (cause === 'G1 Humongous Allocation') draft.bad.push({ kind: 'humongous-allocation', detail: `${label} caused by a humongous allocation` });
  return draft;
}

/** The next '(' from `from`, or -1; the groups follow each other closely, so a plain loop beats a search. */
function nextOpen(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text.charCodeAt(i) === 40) return i;
  return -1;
}

/** "[GC remark …, N secs]" and "[GC cleanup 61M->61M(88M), N secs]". */
export function g1RemarkOrCleanup(ctx: RecordContext, kind: 'remark' | 'cleanup'): PauseDraft {
  const own = ctx.tree.own(0);
  const draft = newG1Draft(ctx, kind, kind === 'remark' ? 'GC remark' : 'GC cleanup');
  draft.durationMs = lastSecondsAsMs(own);
  draft.heap = findTransition(own);
  return draft;
}

function newG1Draft(ctx: RecordContext, kind: 'young' | 'mixed' | 'remark' | 'cleanup', label: string): PauseDraft {
  const draft = newDraft(kind, label, ctx.stamps.time, ctx.stamps.gcId, ctx.tree.firstLine(), ctx.tree.lineAt(ctx.tree.start), ctx.line);
  draft.collector = 'G1';
  return draft;
}

export const isG1Concurrent = (ctx: RecordContext, node: number): boolean => ctx.tree.nameStartsWith(node, 'GC concurrent-');

/**
 * "[GC concurrent-mark-end, 0.0158 secs]" and friends. Only phases that state a duration become
 * events ("-start", "-abort" and "-reset-for-overflow" lines say when, not how long). Returns
 * whether the node was a concurrent record at all.
 */
export function g1Concurrent(ctx: RecordContext, node: number): boolean {
  const tree = ctx.tree;
  if (!isG1Concurrent(ctx, node)) return false;
  // A phase's start states no duration ("[GC concurrent-mark-start]"): settled without building its text.
  if (tree.firstChild(node) < 0) {
    const comma = tree.text.indexOf(',', tree.openAt(node));
    if (comma < 0 || comma > tree.closeAt(node)) return true;
  }
  const own = tree.own(node);
  const comma = own.indexOf(',');
  const name = (comma < 0 ? own : own.slice(0, comma)).slice(3).trim();
  if (comma < 0 || name.endsWith('-start')) return true;
  const phase = name.endsWith('-end') ? name.slice(0, -4) : name;
  let ms = lastSecondsAsMs(own);
  if (Number.isNaN(ms)) ms = trailingSecondsAsMs(own);
  if (!Number.isNaN(ms)) reportConcurrent(ctx, node, phase, ms);
  return true;
}

/**
 * The detail line that follows a G1 pause:
 * "[Eden: 1024M(1024M)->0B(896M) Survivors: 0B->128M Heap: 1105M(2048M)->380M(2048M)]", for a
 * Full GC with ", [Metaspace: 3K->3K(1056768K)]" after it; JDK 7's early "[ 8192K->8128K(64M)]".
 * Young is eden plus survivors, so that promotion can be estimated as for other collectors.
 */
export function applyG1Details(draft: PauseDraft, text: string, from: number): boolean {
  const eden = labelledTransition(text, 'Eden: ', from);
  if (eden === undefined) {
    const heap = findTransition(text, from);
    if (heap !== undefined) draft.heap = heap;
    return heap !== undefined;
  }
  const survivors = labelledTransition(text, 'Survivors: ', from);
  setRegion(draft, 'eden', eden);
  setRegion(draft, 'survivor', survivors);
  if (survivors !== undefined) setRegion(draft, 'young', sum(eden, survivors));
  setRegion(draft, 'metaspace', labelledTransition(text, 'Metaspace: ', from));
  const heap = labelledTransition(text, 'Heap: ', from);
  if (heap !== undefined) draft.heap = heap;
  draft.collector = 'G1';
  return true;
}

const sum = (a: HeapChange, b: HeapChange): HeapChange => ({ beforeBytes: a.beforeBytes + b.beforeBytes, afterBytes: a.afterBytes + b.afterBytes });

