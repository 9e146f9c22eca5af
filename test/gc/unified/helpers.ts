/** Feeding text to the unified parser the way the engine does, and sorting what comes out. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BadEvent, CollectorEvent, ConcurrentEvent, GcEvent, PauseEvent, UnrecognisedEvent } from '../../../src/gc/events.js';
import { createUnifiedParser } from '../../../src/gc/unified/index.js';

/** The repository root (this file runs from dist/test/gc/unified). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const fixtures = join(root, 'test', 'fixtures', 'gc', 'unified');

export const readFixture = (name: string): string => readFileSync(join(fixtures, name), 'latin1');

/** Splits on \n, strips a trailing \r, numbers lines from 1, then ends the input. */
export function parseUnified(text: string): GcEvent[] {
  const parser = createUnifiedParser();
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

/** Count per key. */
export function tally<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export const pauseKinds = (events: readonly GcEvent[]): Record<string, number> => tally(pausesOf(events), (p) => p.kind);
export const badKinds = (events: readonly GcEvent[]): Record<string, number> => tally(badOf(events), (b) => b.kind);

/** Sum of pause durations in whole nanoseconds, so that float noise cannot matter. */
export const totalPauseNs = (events: readonly GcEvent[]): number => Math.round(pausesOf(events).reduce((sum, p) => sum + p.durationMs, 0) * 1e6);
