/**
 * Which collector module reads a complete record, by the words after its opening bracket.
 */
import { cmsConcurrent, isCmsConcurrent } from './cms.js';
import { collection } from './collections.js';
import type { RecordContext } from './context.js';
import type { PauseDraft } from './draft.js';
import { g1Concurrent, g1EvacuationPause, g1RemarkOrCleanup, isG1Concurrent } from './g1.js';
import { shenandoahRecord } from './shenandoah.js';

/** A pause, something else already reported (a concurrent phase, a start marker), or a record nobody reads. */
export type RecordMeaning = PauseDraft | 'other' | 'unknown';

export function interpretRecord(ctx: RecordContext): RecordMeaning {
  if (g1Concurrent(ctx, 0) || cmsConcurrent(ctx, 0)) return 'other';
  reportNestedConcurrent(ctx);
  return interpretStopTheWorld(ctx);
}

/**
 * Concurrent phases the JVM printed in the middle of another record, at any depth: CMS puts the
 * phase a failure interrupted inside the "[CMS" bracket, G1 a phase that ended while a pause was
 * being printed inside the pause.
 */
function reportNestedConcurrent(ctx: RecordContext): void {
  const tree = ctx.tree;
  const at = tree.text.indexOf('concurrent-', tree.start);
  if (at < 0 || at > tree.closeAt(0)) return;
  for (let node = 1; node < tree.count; node++) {
    if (isG1Concurrent(ctx, node)) g1Concurrent(ctx, node);
    else if (isCmsConcurrent(ctx, node)) cmsConcurrent(ctx, node);
  }
}

function interpretStopTheWorld(ctx: RecordContext): RecordMeaning {
  const tree = ctx.tree;
  if (tree.nameStartsWith(0, 'GC pause')) return g1EvacuationPause(ctx);
  if (tree.nameStartsWith(0, 'GC remark')) return g1RemarkOrCleanup(ctx, 'remark');
  if (tree.nameStartsWith(0, 'GC cleanup')) return g1RemarkOrCleanup(ctx, 'cleanup');
  if (tree.nameStartsWith(0, 'GC') || tree.nameStartsWith(0, 'Full GC')) return collection(ctx, 0);
  if (tree.nameStartsWith(0, 'Pause ') || tree.nameStartsWith(0, 'Concurrent ')) return shenandoahRecord(ctx);
  return 'unknown';
}

/**
 * What a '[' opens: a stop-the-world record ("[GC …", "[Full GC …", Shenandoah's "[Pause …"), a
 * concurrent phase ("[GC concurrent-…", "[CMS-concurrent-…", Shenandoah's "[Concurrent …"), the
 * "[Times: …]" that ends a pause, a G1 ergonomics note, or anything else.
 */
export type Opener = 'pause' | 'concurrent' | 'times' | 'ergonomics' | 'other';

/** What the '[' at `i` opens. */
export function openerAt(text: string, i: number): Opener {
  const j = i + 1;
  switch (text.charCodeAt(j)) {
    case 71: // G
      if (text.startsWith('GC', j)) {
        if (text.startsWith('GC concurrent-', j)) return 'concurrent';
        // Nested names that are no records: G1's "[GC Worker Start (ms): …]", "[GC ref-proc, …]".
        return text.startsWith('GC Worker', j) || text.startsWith('GC ref-proc', j) ? 'other' : 'pause';
      }
      return text.startsWith('G1Ergonomics', j) ? 'ergonomics' : 'other';
    case 70: // F
      return text.startsWith('Full GC', j) ? 'pause' : 'other';
    case 67: // C
      return text.startsWith('CMS-concurrent-', j) || text.startsWith('Concurrent ', j) ? 'concurrent' : 'other';
    case 80: // P
      return text.startsWith('Pause ', j) ? 'pause' : 'other';
    case 84: // T
      return text.startsWith('Times:', j) ? 'times' : 'other';
    default:
      return 'other';
  }
}
