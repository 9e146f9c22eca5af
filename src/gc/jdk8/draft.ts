/**
 * A pause as read so far. JDK 8 states a pause in parts (G1 puts the region sizes on a detail line
 * after the pause line, everyone puts "[Times: …]" last), so the parser holds the draft until those
 * parts have arrived and only then turns it into events.
 */
import type { BadEvent, BadEventKind, Collector, Emit, HeapChange, LogTime, PauseEvent, PauseKind } from '../events.js';

export interface BadFinding {
  readonly kind: BadEventKind;
  readonly detail: string;
}

export interface PauseDraft {
  kind: PauseKind;
  label: string;
  cause: string | undefined;
  /** NaN until the record (or, failing that, its "[Times: … real=…]") states one. */
  durationMs: number;
  heap: HeapChange | undefined;
  regions: Record<string, HeapChange> | undefined;
  readonly time: LogTime;
  readonly gcId: number | undefined;
  readonly bad: BadFinding[];
  /** The collector this record proves, if any. */
  collector: Collector | undefined;
  /** First line of the record as read, for the unrecognised report when no duration turns up. */
  readonly firstLine: string;
  readonly firstLineNumber: number;
  /** Last input line that contributed. */
  line: number;
}

export function newDraft(
  kind: PauseKind,
  label: string,
  time: LogTime,
  gcId: number | undefined,
  firstLine: string,
  firstLineNumber: number,
  line: number,
): PauseDraft {
  return {
    kind,
    label,
    cause: undefined,
    durationMs: Number.NaN,
    heap: undefined,
    regions: undefined,
    time,
    gcId,
    bad: [],
    collector: undefined,
    firstLine,
    firstLineNumber,
    line,
  };
}

export function setRegion(draft: PauseDraft, name: string, change: HeapChange | undefined): void {
  if (change === undefined) return;
  const regions = (draft.regions ??= {});
  // Stores by a literal name stay fast; a store by a computed name goes through a generic lookup.
  switch (name) {
    case 'young':
      regions.young = change;
      return;
    case 'old':
      regions.old = change;
      return;
    case 'eden':
      regions.eden = change;
      return;
    case 'survivor':
      regions.survivor = change;
      return;
    case 'metaspace':
      regions.metaspace = change;
      return;
    case 'perm':
      regions.perm = change;
      return;
    default:
      regions[name] = change;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The pause, then what it says went wrong; an unrecognised line when it never got a duration. */
export function emitDraft(draft: PauseDraft, emit: Emit): void {
  if (Number.isNaN(draft.durationMs)) {
    emit({ type: 'unrecognised', time: draft.time, line: draft.firstLineNumber, text: draft.firstLine });
    return;
  }
  const pause: Mutable<PauseEvent> = { type: 'pause', time: draft.time, line: draft.line, kind: draft.kind, label: draft.label, durationMs: draft.durationMs };
  if (draft.gcId !== undefined) pause.gcId = draft.gcId;
  if (draft.cause !== undefined) pause.cause = draft.cause;
  if (draft.heap !== undefined) pause.heap = draft.heap;
  if (draft.regions !== undefined) pause.regions = draft.regions;
  emit(pause);
  for (const bad of draft.bad) {
    const event: Mutable<BadEvent> = { type: 'bad', time: draft.time, line: draft.line, kind: bad.kind, detail: bad.detail };
    if (draft.gcId !== undefined) event.gcId = draft.gcId;
    emit(event);
  }
}
