import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCliCaptured } from '../cli/cli-harness.js';

interface Problem { code: string; severity: string; key: string | null; line: number | null }
const lint = async (...args: string[]): Promise<Problem[]> => (JSON.parse((await runCliCaptured(['lint', '--format', 'json', ...args])).stdout) as { problems: Problem[] }).problems;

test('the 1.1x shipped flink-conf.yaml: every key known; only the file format is reported on 2.x', async () => {
  const file = 'test/fixtures/lint/shipped/1.1x/flink-conf.yaml';
  for (const line of ['1.16', '1.17', '1.18']) assert.deepEqual(await lint('--config', file, '--flink-version', line), [], line);
  assert.deepEqual((await lint('--config', file, '--flink-version', '1.20')).map((p) => [p.code, p.severity]), [['config-file-ignored', 'info']]);
  assert.deepEqual((await lint('--config', file)).map((p) => [p.code, p.severity]), [['config-file-ignored', 'error']]);
});

test('the early 1.x shipped flink-conf.yaml on 1.20: removed keys and a TaskManager Flink rejects', async () => {
  const problems = await lint('--config', 'test/fixtures/lint/shipped/early-1.x/flink-conf.yaml', '--flink-version', '1.20');
  assert.deepEqual(
    problems.map((p) => [p.code, p.key, p.line]),
    [
      // The 512 MiB legacy heap is read as Total Flink Memory: too small for 1.20's fixed parts.
      ['rejected', 'taskmanager.heap.mb', 24],
      // Gone since the memory rework of 1.10 (complete namespace: surely unknown).
      ['unknown-key', 'taskmanager.memory.preallocate', 34],
      ['config-file-ignored', null, null],
    ],
  );
});
