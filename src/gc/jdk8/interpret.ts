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
  const tree = ctx.tree;
  const open = tree.openAt(0);
  // Concurrent records start "[GC concurrent-" or "[CMS-concurrent-"; the tests below read no further for the rest.
  const c = tree.text.charCodeAt(open + 1);
  if ((c === 71 || c === 67) && (g1Concurrent(ctx, 0) || cmsConcurrent(ctx, 0))) return 'other';
  if (tree.count > 1) reportNestedConcurrent(ctx);
  return interpretStopTheWorld(ctx);
}

/**
 * Concurrent phases the JVM printed in the middle of another record, at any depth: CMS puts the
 * phase a failure interrupted inside the "[CMS" bracket, G1 a phase that ended while a pause was
 * being printed inside the pause.
 */
function reportNestedConcurrent(ctx: RecordContext): void {
  const tree = ctx.tree;
  const text = tree.text;
  for (let node = 1; node < tree.count; node++) {
    const c = text.charCodeAt(tree.openAt(node) + 1);
    if (c === 71 /* G */ && isG1Concurrent(ctx, node)) g1Concurrent(ctx, node);
    else if (c === 67 /* C */ && isCmsConcurrent(ctx, node)) cmsConcurrent(ctx, node);
  }
}

function interpretStopTheWorld(ctx: RecordContext): RecordMeaning {
  const tree = ctx.tree;
  const text = tree.text;
  const name = tree.openAt(0) + 1;
  switch (text.charCodeAt(name)) {
    case 71: // G
      if (text.charCodeAt(name + 1) !== 67) return 'unknown';
      if (text.charCodeAt(name + 2) === 32) {
        const c = text.charCodeAt(name + 3);
        if (c === 112 /* p */ && text.startsWith('pause', name + 3)) return g1EvacuationPause(ctx);
        if (c === 114 /* r */ && text.startsWith('remark', name + 3)) return g1RemarkOrCleanup(ctx, 'remark');
        if (c === 99 /* c */ && text.startsWith('cleanup', name + 3)) return g1RemarkOrCleanup(ctx, 'cleanup');
      }
      return collection(ctx, 0);
    case 70: // F
      return text.startsWith('Full GC', name) ? collection(ctx, 0) : 'unknown';
    case 80: // P
    case 67: // C
      return tree.nameStartsWith(0, 'Pause ') || tree.nameStartsWith(0, 'Concurrent ') ? shenandoahRecord(ctx) : 'unknown';
    default:
      return 'unknown';
  }
}

/**
 * What a '[' opens: a stop-the-world record ("[GC …", "[Full GC …", Shenandoah's "[Pause …"), a
 * concurrent phase ("[GC concurrent-…", "[CMS-concurrent-…", Shenandoah's "[Concurrent …"), the
 * "[Times: …]" that ends a pause, a G1 ergonomics note, or anything else.
 */
export type Opener = 'pause' | 'concurrent' | 'times' | 'ergonomics' | 'other';

/** What the '[' at `i` opens. Decided by single characters wherever they suffice: this runs for every bracket that starts a line. */
export function openerAt(text: string, i: number): Opener {
  const j = i + 1;
  switch (text.charCodeAt(j)) {
    case 71: // G
      if (text.charCodeAt(j + 1) !== 67) return text.startsWith('G1Ergonomics', j) ? 'ergonomics' : 'other';
      if (text.charCodeAt(j + 2) !== 32) return 'pause'; // "[GC (", "[GC--", "[GC2014-…" (a stamp glued on)
      switch (text.charCodeAt(j + 3)) {
        case 99: // c
          return text.startsWith('concurrent-', j + 3) ? 'concurrent' : 'pause';
        // Nested names that are no records: G1's "[GC Worker Start (ms): …]", "[GC ref-proc, …]".
        case 87: // W
          return text.startsWith('Worker', j + 3) ? 'other' : 'pause';
        case 114: // r
          return text.startsWith('ref-proc', j + 3) ? 'other' : 'pause';
        default:
          return 'pause';
      }
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
