/** Loads the Flink-generated test vectors (test/fixtures/vectors) for the library and CLI tests. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VectorCase {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly flinkVersion: string;
  readonly process: 'taskmanager' | 'jobmanager';
  readonly config: Record<string, string>;
  readonly expected: Record<string, unknown> & { ok: boolean };
}

const here = dirname(fileURLToPath(import.meta.url));
export const VECTOR_DIR = join(here, '..', '..', '..', 'test', 'fixtures', 'vectors');

/** Which Flink line produced each file (see the vectors README). */
export const VECTOR_FILES: ReadonlyArray<readonly [string, string]> = [
  ['flink-memory.jsonl', '2.x'],
  ['flink-memory-1.20.jsonl', '1.20'],
  ['flink-memory-1.17.jsonl', '1.17'],
  ['flink-memory-1.16.jsonl', '1.16'],
];

export function loadVectors(): VectorCase[] {
  const cases: VectorCase[] = [];
  for (const [file, flinkVersion] of VECTOR_FILES) {
    const lines = readFileSync(join(VECTOR_DIR, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      const raw = JSON.parse(text) as Omit<VectorCase, 'file' | 'line' | 'flinkVersion'>;
      cases.push({ ...raw, file, line: i + 1, flinkVersion });
    });
  }
  return cases;
}

/** The part of our JSON output a vector fixes, in the vector's own shape. */
export function comparable(actual: Record<string, unknown>, expected: Record<string, unknown>): Record<string, unknown> {
  if (expected['ok'] === true) {
    const picked: Record<string, unknown> = { ok: actual['ok'], memory: actual['memory'], jvmParams: actual['jvmParams'], dynamicConfigs: actual['dynamicConfigs'] };
    if ('cpuCores' in expected) picked['cpuCores'] = actual['cpuCores'];
    if ('numSlots' in expected) picked['numSlots'] = actual['numSlots'];
    return picked;
  }
  return { ok: actual['ok'], error: actual['error'], message: actual['message'], causes: actual['causes'] };
}

export function expectedShape(expected: Record<string, unknown>): Record<string, unknown> {
  if (expected['ok'] === true) {
    const e: Record<string, unknown> = { ok: true, memory: expected['memory'], jvmParams: expected['jvmParams'], dynamicConfigs: expected['dynamicConfigs'] };
    if ('cpuCores' in expected) e['cpuCores'] = expected['cpuCores'];
    if ('numSlots' in expected) e['numSlots'] = expected['numSlots'];
    return e;
  }
  return { ok: false, error: expected['error'], message: expected['message'], causes: expected['causes'] ?? [] };
}
