/**
 * CMS (with ParNew) as JDK 7/8 print it: young collections "[GC (Allocation Failure) [ParNew: …] …]",
 * the two stop-the-world phases of a cycle "[GC (CMS Initial Mark) [1 CMS-initial-mark: …] …]" and
 * "[GC (CMS Final Remark) [YG occupancy: …][Rescan (parallel) …][1 CMS-remark: …] …]", the
 * concurrent phases "[CMS-concurrent-mark: 0.005/0.013 secs]" (cpu/wall), and the failures where a
 * young collection falls back to a stop-the-world collection of the old generation: "(promotion
 * failed)", "(concurrent mode failure)".
 */
import type { Generation } from './generations.js';
import { reportConcurrent, type RecordContext } from './context.js';
import { lastSecondsAsMs } from './heap.js';

export const CMS_GENERATIONS: readonly Generation[] = [
  { name: 'ParNew', region: 'young', collector: 'CMS' },
  { name: 'ASParNew', region: 'young', collector: 'CMS' },
  { name: 'CMS Perm', region: 'perm', collector: 'CMS' },
  { name: 'CMS', region: 'old', collector: 'CMS' },
];

export const PROMOTION_FAILED = '(promotion failed)';
export const CONCURRENT_MODE_FAILURE = '(concurrent mode failure)';

/** Causes CMS gives its own phases (JDK 8 -XX:+PrintGCCause), which name the phase without details. */
export const CMS_INITIAL_MARK_CAUSE = 'CMS Initial Mark';
export const CMS_FINAL_REMARK_CAUSE = 'CMS Final Remark';

/** "[1 CMS-initial-mark: 73765K(95616K)]": the digit is the generation level. */
export function isCmsInitialMark(ctx: RecordContext, node: number): boolean {
  return ctx.tree.nameStartsWith(node, '1 CMS-initial-mark');
}

export function isCmsRemark(ctx: RecordContext, node: number): boolean {
  return ctx.tree.nameStartsWith(node, '1 CMS-remark');
}

/** "[YG occupancy: 41306 K (43008 K)]" opens a final remark (and precedes its optional scavenge). */
export function isYoungOccupancy(ctx: RecordContext, node: number): boolean {
  return ctx.tree.nameStartsWith(node, 'YG occupancy');
}

/**
 * "[CMS-concurrent-sweep: 0.002/0.002 secs]": the phase and its wall-clock time. "-start" lines
 * have no figures and make no event. Returns whether the node was a CMS concurrent phase at all.
 */
export const isCmsConcurrent = (ctx: RecordContext, node: number): boolean => ctx.tree.nameStartsWith(node, 'CMS-concurrent-');

export function cmsConcurrent(ctx: RecordContext, node: number): boolean {
  if (!isCmsConcurrent(ctx, node)) return false;
  const own = ctx.tree.own(node);
  const colon = own.indexOf(':');
  if (colon < 0) return true;
  reportConcurrent(ctx, node, own.slice(0, colon), lastSecondsAsMs(own));
  return true;
}
