/** Feeding text to a GC log parser the way the engine does, and sorting what comes out. */
import type { BadEvent, CollectorEvent, ConcurrentEvent, GcEvent, GcLogParser, PauseEvent, UnrecognisedEvent } from '../../src/gc/events.js';

/** Splits on \n, strips a trailing \r, numbers lines from 1, then ends the input. */
export function parseWith(parser: GcLogParser, text: string): GcEvent[] {
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
export const collectorsOf = (events: readonly GcEvent[]): string[] => events.filter((e): e is CollectorEvent => e.type === 'collector').map((e) => e.collector);
