import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { comparable, expectedShape, loadVectors } from '../memory/vector-cases.js';
import { runCliCaptured } from './cli-harness.js';

const cases = loadVectors();
const emptyConfig = join(mkdtempSync(join(tmpdir(), 'flink-memory-')), 'config.yaml');
writeFileSync(emptyConfig, '');

/** Exactly how the held-out vectors are run: an empty config file plus one -D per entry. */
const argsFor = (c: (typeof cases)[number]): string[] => [
  'explain',
  '--config',
  emptyConfig,
  '--flink-version',
  c.flinkVersion === '2.x' ? '2.1' : c.flinkVersion,
  '--process',
  c.process,
  ...Object.entries(c.config).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
  '--format',
  'json',
];

test('the CLI JSON output reproduces every vector (in-process)', async () => {
  const failures: string[] = [];
  for (const c of cases) {
    const run = await runCliCaptured(argsFor(c));
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    try {
      assert.equal(run.code, c.expected.ok ? 0 : 1);
      assert.deepStrictEqual(comparable(json, c.expected), expectedShape(c.expected));
    } catch (e) {
      failures.push(`${c.file}:${c.line} ${c.id}: ${(e as Error).message.slice(0, 800)}`);
    }
  }
  assert.equal(failures.length, 0, failures.slice(0, 5).join('\n'));
});

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'flink-memory.js');
const run = promisify(execFile);

test('the real command (a sample of vectors as separate processes)', async () => {
  const sample = cases.filter((_, i) => i % 60 === 0);
  assert.ok(sample.length >= 15);
  for (const c of sample) {
    let stdout: string;
    let code = 0;
    try {
      stdout = (await run(process.execPath, [bin, ...argsFor(c)])).stdout;
    } catch (e) {
      const err = e as { stdout: string; code: number };
      stdout = err.stdout;
      code = err.code;
    }
    assert.equal(code, c.expected.ok ? 0 : 1, c.id);
    assert.deepStrictEqual(comparable(JSON.parse(stdout) as Record<string, unknown>, c.expected), expectedShape(c.expected), c.id);
  }
});
