/** Feeding text to a detector the way the doctor does: one line at a time, numbered from 1. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Detector, Evidence } from '../../src/diagnose/evidence.js';

/** The repository root (this file runs from dist/test/diagnose). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixtures = join(root, 'test', 'fixtures', 'diagnose', 'container');

export const fixture = (name: string): string => join(fixtures, name);

/** Splits on \n, strips a trailing \r (as src/gc/read.ts does), and drops the empty piece after a final newline. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function runText(create: (file: string) => Detector, file: string, text: string): Evidence[] {
  const detector = create(file);
  linesOf(text).forEach((line, i) => detector.onLine(line, i + 1));
  return detector.finish();
}

/** Runs a detector over a fixture; `at.file` is the fixture's name. Latin-1, like the line reader. */
export function runFixture(create: (file: string) => Detector, name: string): Evidence[] {
  return runText(create, name, readFileSync(fixture(name), 'latin1'));
}

/** The line of a fixture, 1-based, for checking `at.text`. */
export function lineOf(name: string, line: number): string {
  return linesOf(readFileSync(fixture(name), 'latin1'))[line - 1]!;
}
