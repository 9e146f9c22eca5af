/**
 * Figures in a node's own text (between its brackets, outside its children) read in place, without
 * building that text: the common records state them after their last child.
 */
import type { HeapChange } from '../events.js';
import { findTransition, lastSecondsAsMs } from './heap.js';
import type { RecordTree } from './record.js';

/** The first heap change in the node's own text. */
export function ownTransition(tree: RecordTree, node: number): HeapChange | undefined {
  let from = tree.openAt(node) + 1;
  for (let child = tree.firstChild(node); ; child = tree.nextSibling(child)) {
    const to = child < 0 ? tree.closeAt(node) : tree.openAt(child);
    const change = findTransition(tree.text, from, to);
    if (change !== undefined || child < 0) return change;
    from = tree.closeAt(child) + 1;
  }
}

/** The node's duration: the last "N secs" of its own text, in milliseconds, or NaN. */
export function ownSecondsAsMs(tree: RecordTree, node: number): number {
  let tail = tree.openAt(node) + 1;
  for (let child = tree.firstChild(node); child >= 0; child = tree.nextSibling(child)) tail = tree.closeAt(child) + 1;
  const close = tree.closeAt(node);
  const ms = lastSecondsAsMs(tree.text, close, tail);
  return Number.isNaN(ms) && tail > tree.openAt(node) + 1 ? lastSecondsAsMs(tree.own(node)) : ms;
}
