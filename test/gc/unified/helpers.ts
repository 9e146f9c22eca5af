/** Feeding text to the unified parser the way the engine does, and sorting what comes out. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GcEvent } from '../../../src/gc/events.js';
import { badOf, collectorsOf, concurrentOf, parseWith, pausesOf, unrecognisedOf } from '../parse-helpers.js';
import { createUnifiedParser } from '../../../src/gc/unified/index.js';

/** The repository root (this file runs from dist/test/gc/unified). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const fixtures = join(root, 'test', 'fixtures', 'gc', 'unified');

export const readFixture = (name: string): string => readFileSync(join(fixtures, name), 'latin1');

/** Splits on \n, strips a trailing \r, numbers lines from 1, then ends the input. */
export const parseUnified = (text: string): GcEvent[] => parseWith(createUnifiedParser(), text);

export { badOf, collectorsOf, concurrentOf, pausesOf, unrecognisedOf };

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
