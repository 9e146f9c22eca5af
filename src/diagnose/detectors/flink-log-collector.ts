/**
 * A bounded list of evidence for one input. Problems keep their first MAX_EVIDENCE_PER_KIND (the
 * first OutOfMemoryError is the one that matters); routine events (checkpoints triggered and
 * completed) keep their last ones, because an incident is usually at the end of a long log and the
 * checkpoints just before it are the interesting ones. Whatever is dropped is counted in the `omitted`
 * fact of the last kept (problems) or first kept (routine) evidence of that kind.
 */
import { MAX_EVIDENCE_PER_KIND, type Evidence, type EvidenceKind, type EvidenceFacts } from '../evidence.js';

export type Facts = EvidenceFacts;

/** Evidence still being written: a detector may add facts until `finish`. */
export interface DraftEvidence {
  readonly kind: EvidenceKind;
  readonly at: { readonly file: string; readonly line: number; readonly text: string };
  readonly epochMs?: number;
  summary: string;
  readonly facts: Facts;
}

const MAX_TEXT = 500;

/**
 * A copy of `text` that holds no reference to the string it was cut from. A line (and a regular
 * expression's match in it) is a slice of the reader's chunk, often a megabyte; keeping the slice
 * in evidence would keep the whole chunk alive, and a few thousand kept slices would keep gigabytes.
 */
export function own(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

function ownFacts(facts: Facts): Facts {
  for (const [key, value] of Object.entries(facts)) if (typeof value === 'string') facts[key] = own(value);
  return facts;
}

interface KindList {
  readonly items: DraftEvidence[];
  /** Start of the ring for routine kinds (index of the oldest kept). */
  start: number;
  omitted: number;
}

export class EvidenceCollector {
  private readonly lists = new Map<EvidenceKind, KindList>();

  constructor(
    private readonly file: string,
    private readonly keepLast: ReadonlySet<EvidenceKind> = new Set(),
    private readonly max: number = MAX_EVIDENCE_PER_KIND,
  ) {}

  /** Adds evidence; returns it for later facts, or undefined when the kind is full and it was only counted. */
  add(kind: EvidenceKind, line: number, text: string, epochMs: number | undefined, summary: string, facts: Facts): DraftEvidence | undefined {
    let list = this.lists.get(kind);
    if (list === undefined) {
      list = { items: [], start: 0, omitted: 0 };
      this.lists.set(kind, list);
    }
    const full = list.items.length >= this.max;
    if (full) {
      list.omitted++;
      if (!this.keepLast.has(kind)) return undefined;
    }
    const evidence: DraftEvidence = {
      kind,
      at: { file: this.file, line, text: own(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text) },
      ...(epochMs === undefined ? {} : { epochMs }),
      summary: own(summary),
      facts: ownFacts(facts),
    };
    if (!full) {
      list.items.push(evidence);
    } else {
      list.items[list.start] = evidence;
      list.start = (list.start + 1) % this.max;
    }
    return evidence;
  }

  /** Everything, in the order of the input (by line). */
  finish(): Evidence[] {
    const all: DraftEvidence[] = [];
    for (const [kind, list] of this.lists) {
      const items = [...list.items.slice(list.start), ...list.items.slice(0, list.start)];
      if (list.omitted > 0 && items.length > 0) {
        const carrier = this.keepLast.has(kind) ? items[0]! : items[items.length - 1]!;
        carrier.facts['omitted'] = list.omitted;
      }
      all.push(...items);
    }
    return all.sort((a, b) => a.at.line - b.at.line);
  }
}
