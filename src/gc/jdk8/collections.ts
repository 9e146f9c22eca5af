/**
 * The generational record every collector but G1's evacuation pauses uses: "[GC (cause) …]" or
 * "[Full GC (cause) …]" holding one bracket per generation, then the whole heap and the duration:
 *
 *   [GC (Allocation Failure) 1.053: [ParNew: 218496K->25704K(245760K), 0.0145305 secs] 218496K->25704K(791936K), 0.0146984 secs]
 *   [Full GC (Ergonomics) [PSYoungGen: …] [ParOldGen: …] 98321K->98112K(9306112K), [Metaspace: …], 0.6492397 secs]
 *   [Full GC (Allocation Failure)  1020M->1017M(1024M), 3.9 secs]      ← G1, details follow on their own line
 *   [GC (Allocation Failure)  12345K->2345K(123456K), 0.0123 secs]      ← -XX:+PrintGC without details
 *
 * The kind follows from what was collected: an old generation bracket in a "[GC" record means the
 * young collection failed over to a full one (CMS "promotion failed", "concurrent mode failure").
 */
import type { Collector, PauseKind } from '../events.js';
import {
  CMS_FINAL_REMARK_CAUSE,
  CMS_GENERATIONS,
  CMS_INITIAL_MARK_CAUSE,
  CONCURRENT_MODE_FAILURE,
  PROMOTION_FAILED,
  isCmsInitialMark,
  isCmsRemark,
  isYoungOccupancy,
} from './cms.js';
import { parenEnd, stampsOf, type RecordContext } from './context.js';
import { newDraft, setRegion, type PauseDraft } from './draft.js';
import { isG1Concurrent } from './g1.js';
import { METASPACE, generationOf, generationTable } from './generations.js';
import { lastOccupancy } from './heap.js';
import { ownSecondsAsMs, ownTransition } from './own-figures.js';
import { PARALLEL_GENERATIONS, PARALLEL_PROMOTION_FAILED, SERIAL_GENERATIONS } from './parallel-serial.js';
import type { RecordTree } from './record.js';

const GENERATIONS = generationTable([...CMS_GENERATIONS, ...PARALLEL_GENERATIONS, ...SERIAL_GENERATIONS, METASPACE]);

/** Reads the "[GC …]" / "[Full GC …]" record at `node` (the root, or a scavenge nested in a CMS remark). */
export function collection(ctx: RecordContext, node: number): PauseDraft {
  const tree = ctx.tree;
  const text = tree.text;
  const head = tree.openAt(node) + 1;
  const explicitFull = text.startsWith('Full GC', head);
  const parallelPromotionFailed = !explicitFull && text.startsWith(PARALLEL_PROMOTION_FAILED, head);
  const firstChild = tree.firstChild(node);
  const cause = causeAt(text, head + (explicitFull ? 7 : parallelPromotionFailed ? 4 : 2), firstChild < 0 ? tree.closeAt(node) : tree.openAt(firstChild));

  const stamps = stampsOf(ctx, node);
  const draft = newDraft('young', '', stamps.time, stamps.gcId, tree.firstLine(), tree.lineAt(tree.start), ctx.line);
  draft.cause = cause;
  let youngName: string | undefined;
  let oldName: string | undefined;
  let collector: Collector | undefined;
  let initialMark = false;
  let remark = false;
  let scavenge: PauseDraft | undefined;
  for (let child = firstChild; child >= 0; child = tree.nextSibling(child)) {
    const generation = generationOf(tree, child, GENERATIONS);
    if (generation !== undefined) {
      setRegion(draft, generation.region, ownTransition(tree, child) ?? lastOccupancy(tree.own(child)));
      if (generation.region === 'young') youngName ??= generation.name;
      else if (generation.region === 'old') oldName ??= generation.name;
      collector ??= generation.collector;
    } else if (isCmsInitialMark(ctx, child) || isCmsRemark(ctx, child)) {
      // "[1 CMS-initial-mark: 73765K(95616K)]": what the old generation holds.
      if (isCmsInitialMark(ctx, child)) initialMark = true;
      else remark = true;
      setRegion(draft, 'old', lastOccupancy(tree.own(child)));
      collector = 'CMS';
    } else if (isYoungOccupancy(ctx, child)) {
      remark = true;
    } else if (isNestedCollection(ctx, child)) {
      // CMSScavengeBeforeRemark: a young collection inside the remark pause, of which it is a part.
      scavenge ??= collection(ctx, child);
    }
  }

  const noGenerations = youngName === undefined && oldName === undefined;
  const kind: PauseKind =
    initialMark || (noGenerations && cause === CMS_INITIAL_MARK_CAUSE)
      ? 'initial-mark'
      : remark || (noGenerations && cause === CMS_FINAL_REMARK_CAUSE)
        ? 'remark'
        : explicitFull || oldName !== undefined
          ? 'full'
          : 'young';
  draft.kind = kind;
  draft.label =
    kind === 'initial-mark'
      ? 'CMS-initial-mark'
      : kind === 'remark'
        ? 'CMS-remark'
        : explicitFull
          ? 'Full GC'
          : kind === 'full'
            ? `${youngName ?? 'GC'} + ${oldName}`
            : (youngName ?? 'GC');
  draft.collector = collector ?? scavenge?.collector ?? (kind === 'initial-mark' || kind === 'remark' ? 'CMS' : undefined);
  draft.durationMs = ownSecondsAsMs(tree, node);
  draft.heap = ownTransition(tree, node) ?? scavenge?.heap ?? (kind === 'initial-mark' || kind === 'remark' ? lastOccupancy(tree.own(node)) : undefined);

  if (scavenge !== undefined) {
    // The remark's young collection: its figures and failures are the remark's.
    setRegion(draft, 'young', scavenge.regions?.['young']);
    draft.bad.push(...scavenge.bad);
    return draft;
  }
  // In the log's order: the failure ("(promotion failed)", "(concurrent mode failure)") is printed
  // first and is what turned the collection into a Full GC.
  if (parallelPromotionFailed) draft.bad.push({ kind: 'promotion-failed', detail: `promotion failed in ${draft.label}` });
  // Both markers hold "fail": one scan (for a letter rare in records) rules them out for nearly every record.
  if (contains(tree, node, 'fail')) {
    if (contains(tree, node, PROMOTION_FAILED)) draft.bad.push({ kind: 'promotion-failed', detail: `promotion failed in ${draft.label}` });
    if (contains(tree, node, CONCURRENT_MODE_FAILURE)) draft.bad.push({ kind: 'concurrent-mode-failure', detail: `concurrent mode failure in ${draft.label}` });
  }
  if (kind === 'full') draft.bad.push({ kind: 'full-gc', detail: cause === undefined ? draft.label : `${draft.label} (${cause})` });
  return draft;
}

/** "(Allocation Failure)" right after the record's first word (spaces allowed), before `limit`. */
function causeAt(text: string, from: number, limit: number): string | undefined {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  if (i >= limit || text.charCodeAt(i) !== 40) return undefined;
  // Most causes hold no parenthesis of their own ("System.gc()" does): then the next ')' ends it.
  let end = text.indexOf(')', i + 1);
  const inner = text.indexOf('(', i + 1);
  if (inner >= 0 && inner < end) end = parenEnd(text, i);
  return end < 0 || end > limit ? undefined : text.slice(i + 1, end);
}

function isNestedCollection(ctx: RecordContext, node: number): boolean {
  return ctx.tree.nameStartsWith(node, 'GC') && !isG1Concurrent(ctx, node) && !ctx.tree.nameStartsWith(node, 'GC ref-proc');
}

/** Whether the marker ("(promotion failed)") stands anywhere within the node. */
function contains(tree: RecordTree, node: number, marker: string): boolean {
  const at = tree.text.indexOf(marker, tree.openAt(node));
  return at >= 0 && at < tree.closeAt(node);
}
