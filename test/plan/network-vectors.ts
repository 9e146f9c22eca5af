/** Loads the Flink-generated network-buffer vectors (test/fixtures/vectors/network-buffers.jsonl). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GateInput, PartitionOutput } from '../../src/plan/network-buffers.js';

export interface NetworkVector {
  readonly id: string;
  readonly line: number;
  readonly version: '2.x' | '1.20';
  readonly config: Record<string, string>;
  readonly inputs: readonly GateInput[];
  readonly outputs: readonly PartitionOutput[];
  readonly expected: Record<string, unknown> & { ok: boolean };
}

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', '..', '..', 'test', 'fixtures');

export function loadNetworkVectors(): NetworkVector[] {
  const lines = readFileSync(join(FIXTURES, 'vectors', 'network-buffers.jsonl'), 'utf8').split('\n');
  const out: NetworkVector[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    out.push({ ...(JSON.parse(text) as Omit<NetworkVector, 'line'>), line: i + 1 });
  });
  return out;
}

/** The vector's expectation in our output's shape (a failure without causes has an empty list). */
export function expectedJson(v: NetworkVector): Record<string, unknown> {
  return v.expected.ok ? v.expected : { ...v.expected, causes: v.expected['causes'] ?? [] };
}

/** The command line the held-out set uses for a vector: only -D options, on top of option defaults. */
export function networkArgs(v: NetworkVector): string[] {
  return [
    'network',
    '--flink-version',
    v.version,
    ...Object.entries(v.config).flatMap(([k, value]) => ['-D', `${k}=${value}`]),
    ...v.inputs.map((g) => ['--gate', `${g.channels}:${g.partitionType}${g.reuseCount === undefined ? '' : `:${g.reuseCount}`}`]).flat(),
    ...v.outputs.map((p) => ['--partition', `${p.subpartitions}:${p.partitionType}`]).flat(),
    '--format',
    'json',
  ];
}
