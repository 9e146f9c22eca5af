/**
 * A pause's name and groups, normalised: the PauseKind, the cause, and the label in the log's own
 * words without the cause ("Pause Young (Concurrent Start)", "Y: Pause Mark Start (Major)").
 */
import type { Collector, PauseKind } from '../events.js';
import { G1_PAUSES, G1_YOUNG_TYPES, isEvacuationFailureGroup } from './g1.js';
import { GENERATIONAL_PAUSES, PARALLEL_ONLY_CAUSE } from './generational.js';
import { splitPauseWords, type PauseWords } from './pause-label.js';
import { SHENANDOAH_PAUSES } from './shenandoah.js';
import { generationPrefixLength, ZGC_PAUSES } from './zgc.js';

export interface ClassifiedPause {
  readonly kind: PauseKind;
  readonly label: string;
  readonly cause: string | undefined;
  /** G1 JDK 20+: "(Evacuation Failure)" among the groups. */
  readonly evacuationFailure: boolean;
  /**
   * The collector only this wording can come from (G1's young types, "G1 …" causes, Mixed and
   * Cleanup; ZGC's and Shenandoah's own pause names; Parallel's "Ergonomics" cause): tells the
   * collector of a log whose "Using …" line is missing, as in all but the first file of a rotated set.
   */
  readonly collector: Collector | undefined;
}

/**
 * `prefix` is the generational ZGC generation ("Y: ") or "". Only the stop-the-world collectors
 * put a cause in parentheses; for ZGC and Shenandoah's concurrent-cycle pauses, and for names this
 * parser does not know, every group is a qualifier and stays in the label.
 */
export function classifyPause(prefix: string, words: PauseWords): ClassifiedPause {
  const { name, groups } = words;
  const stopTheWorldKind = GENERATIONAL_PAUSES.get(name) ?? G1_PAUSES.get(name);
  let kind: PauseKind = stopTheWorldKind ?? ZGC_PAUSES.get(name) ?? SHENANDOAH_PAUSES.get(name) ?? 'other';
  let cause: string | undefined;
  let evacuationFailure = false;
  let g1 = G1_PAUSES.has(name);
  let label = `${prefix}Pause ${name}`;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    if (i === 0 && name === 'Young' && G1_YOUNG_TYPES.has(group)) {
      g1 = true;
      if (group === 'Mixed') kind = 'mixed';
    } else if (isEvacuationFailureGroup(group)) {
      evacuationFailure = true;
    } else if (stopTheWorldKind !== undefined && cause === undefined) {
      cause = group;
      g1 ||= group.startsWith('G1 ');
      continue;
    }
    label += ` (${group})`;
  }
  const collector: Collector | undefined = g1
    ? 'G1'
    : ZGC_PAUSES.has(name)
      ? 'ZGC'
      : SHENANDOAH_PAUSES.has(name)
        ? 'Shenandoah'
        : cause === PARALLEL_ONLY_CAUSE
          ? 'Parallel'
          : undefined;
  return { kind, label, cause, evacuationFailure, collector };
}

/** More distinct pause wordings than any log has; the cache is emptied if a log exceeds it. */
const CACHE_LIMIT = 512;

/**
 * Classifies the words of pause lines ("Y: Pause Mark Start (Major)", "Pause Young (Normal) (G1
 * Evacuation Pause)"). A log repeats a handful of wordings thousands of times, so each is split
 * and classified once.
 */
export class PauseClassifier {
  private readonly cache = new Map<string, ClassifiedPause | null>();

  /** undefined when the words are not a pause this parser can read (unbalanced parentheses …). */
  classify(words: string): ClassifiedPause | undefined {
    let classified = this.cache.get(words);
    if (classified === undefined) {
      const prefix = generationPrefixLength(words, 0);
      const split = words.startsWith('Pause ', prefix) ? splitPauseWords(words, prefix + 6, words.length) : undefined;
      classified = split === undefined ? null : classifyPause(words.slice(0, prefix), split);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(words, classified);
    }
    return classified ?? undefined;
  }
}
