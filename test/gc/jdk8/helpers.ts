/** Feeding text to the JDK 8 parser the way the engine does, and sorting what comes out. */
import type { GcEvent } from '../../../src/gc/events.js';
import { badOf, concurrentOf, parseWith, pausesOf, unrecognisedOf } from '../parse-helpers.js';
import { createJdk8Parser } from '../../../src/gc/jdk8/index.js';

/** Splits on \n, strips a trailing \r, numbers lines from 1, then ends the input. */
export const parseJdk8 = (text: string): GcEvent[] => parseWith(createJdk8Parser(), text);

export { badOf, concurrentOf, pausesOf, unrecognisedOf };

/** Pause count per kind. */
export function pauseKinds(events: readonly GcEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of pausesOf(events)) counts[p.kind] = (counts[p.kind] ?? 0) + 1;
  return counts;
}

/** Sum of pause durations, rounded to a nanosecond so that float noise cannot matter. */
export const totalPauseMs = (events: readonly GcEvent[]): number => roundNs(pausesOf(events).reduce((sum, p) => sum + p.durationMs, 0));

export const roundNs = (ms: number): number => Math.round(ms * 1e6) / 1e6;
