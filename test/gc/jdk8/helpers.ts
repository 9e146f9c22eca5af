/** Feeding text to the JDK 8 parser the way the engine does, and sorting what comes out. */
import type { BadEvent, ConcurrentEvent, GcEvent, PauseEvent, UnrecognisedEvent } from '../../../src/gc/events.js';
import { createJdk8Parser } from '../../../src/gc/jdk8/index.js';

/** Splits on \n, strips a trailing \r, numbers lines from 1, then ends the input. */
export function parseJdk8(text: string): GcEvent[] {
  const parser = createJdk8Parser();
  const events: GcEvent[] = [];
  const emit = (event: GcEvent): void => {
    events.push(event);
  };
  const lines = text.split('\n');
  // A final newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => parser.line(line.endsWith('\r') ? line.slice(0, -1) : line, i + 1, emit));
  parser.end(emit);
  return events;
}

export const pausesOf = (events: readonly GcEvent[]): PauseEvent[] => events.filter((e): e is PauseEvent => e.type === 'pause');
export const badOf = (events: readonly GcEvent[]): BadEvent[] => events.filter((e): e is BadEvent => e.type === 'bad');
export const concurrentOf = (events: readonly GcEvent[]): ConcurrentEvent[] => events.filter((e): e is ConcurrentEvent => e.type === 'concurrent');
export const unrecognisedOf = (events: readonly GcEvent[]): UnrecognisedEvent[] => events.filter((e): e is UnrecognisedEvent => e.type === 'unrecognised');

/** Pause count per kind. */
export function pauseKinds(events: readonly GcEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of pausesOf(events)) counts[p.kind] = (counts[p.kind] ?? 0) + 1;
  return counts;
}

/** Sum of pause durations, rounded to a nanosecond so that float noise cannot matter. */
export const totalPauseMs = (events: readonly GcEvent[]): number => roundNs(pausesOf(events).reduce((sum, p) => sum + p.durationMs, 0));

export const roundNs = (ms: number): number => Math.round(ms * 1e6) / 1e6;
