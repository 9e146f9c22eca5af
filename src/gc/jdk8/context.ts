/**
 * What a collector module gets to read one complete record: its bracket tree, where it was, and a
 * place to report the concurrent phases it holds (CMS prints them inside a collection that
 * interrupted them, G1 inside a pause that was printing).
 */
import type { ConcurrentEvent, HeapChange } from '../events.js';
import type { RecordTree } from './record.js';
import { readStamps, trailingStampsStart, type Stamps } from './timestamps.js';

export interface RecordContext {
  readonly tree: RecordTree;
  /** Stamps before the root bracket. */
  readonly stamps: Stamps;
  /** Line where the record was complete. */
  readonly line: number;
  concurrent(event: ConcurrentEvent): void;
}

/** Stamps right before a nested node's '['; the root's when it has none of its own. */
export function stampsOf(ctx: RecordContext, node: number): Stamps {
  if (node === 0) return ctx.stamps;
  const open = ctx.tree.openAt(node);
  const own = readStamps(ctx.tree.text, trailingStampsStart(ctx.tree.text, open), open);
  return own.time.uptimeSec === undefined && own.time.epochMs === undefined ? { time: ctx.stamps.time, gcId: own.gcId ?? ctx.stamps.gcId } : own;
}

/** Reports a concurrent phase found at `node` with its own stamps and line (and the heap around it, where stated). */
export function reportConcurrent(ctx: RecordContext, node: number, phase: string, durationMs: number, heap?: HeapChange): void {
  const stamps = stampsOf(ctx, node);
  const line = node === 0 ? ctx.line : ctx.tree.lineAt(ctx.tree.openAt(node));
  const event: { -readonly [K in keyof ConcurrentEvent]: ConcurrentEvent[K] } = { type: 'concurrent', time: stamps.time, line, phase };
  if (stamps.gcId !== undefined) event.gcId = stamps.gcId;
  if (!Number.isNaN(durationMs)) event.durationMs = durationMs;
  if (heap !== undefined) event.heap = heap;
  ctx.concurrent(event);
}

/** Index of the ')' that closes the '(' at `open`, honouring nesting ("(System.gc())"), or -1. */
export function parenEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i;
  }
  return -1;
}

/** The words of a "(…)" group right after `from` (spaces allowed before it), or undefined. */
export function parenthesisedAfter(text: string, from: number): string | undefined {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 40) return undefined;
  const end = parenEnd(text, i);
  return end < 0 ? undefined : text.slice(i + 1, end);
}
