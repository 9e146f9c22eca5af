/**
 * The generation brackets inside a JDK 7/8 collection record ("[ParNew: 1K->2K(3K), 0.01 secs]",
 * "[PSYoungGen: …]", "[CMS: …]", "[Metaspace: …]") and which region and collector each names.
 * Each collector module contributes its own names; this module only matches them.
 */
import type { Collector } from '../events.js';
import { byFirstChar } from './chars.js';
import type { RecordTree } from './record.js';

export type RegionName = 'young' | 'old' | 'perm' | 'metaspace';

export interface Generation {
  /** The name as printed right after '['. */
  readonly name: string;
  readonly region: RegionName;
  /** The collector the name proves (Metaspace and Perm prove none). */
  readonly collector: Collector | undefined;
}

/**
 * The generation a child bracket names, if any. A name must not run on into a longer word: "CMS" is not
 * "CMS-concurrent-mark", but "CMS2014-…" (a date stamp glued on) and "CMSCMS: Large block" (FLS
 * statistics glued on) still are CMS.
 */
export function generationOf(tree: RecordTree, node: number, generations: GenerationTable): Generation | undefined {
  const at = tree.openAt(node) + 1;
  const candidates = generations[tree.text.charCodeAt(at)];
  if (candidates === undefined) return undefined;
  for (const g of candidates) {
    if (!tree.nameStartsWith(node, g.name)) continue;
    const next = tree.text.charCodeAt(at + g.name.length);
    if (next === 45 /* - */ || (next >= 97 && next <= 122) /* a-z */) continue;
    return g;
  }
  return undefined;
}

/** Generations grouped by the code of their name's first character, so that one lookup rules out most. */
export type GenerationTable = ReadonlyArray<readonly Generation[] | undefined>;

/** The table for generationOf; `generations` must list longer names before their prefixes ("CMS Perm" before "CMS"). */
export const generationTable = (generations: readonly Generation[]): GenerationTable => byFirstChar(generations, (g) => g.name);

export const METASPACE: Generation = { name: 'Metaspace', region: 'metaspace', collector: undefined };
