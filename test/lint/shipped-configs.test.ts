import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCliCaptured } from '../cli/cli-harness.js';

interface Problem { code: string; severity: string; key: string | null; line: number | null; suggestion: string | null }
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

test("the shipped config.yaml of 1.19+ (apache/flink flink-dist, Java 17 options in env.java.opts.all): clean on every line that reads it", async () => {
  const file = 'test/fixtures/lint/shipped/1.19+/config.yaml';
  for (const line of ['1.19', '1.20', '2.0']) assert.deepEqual(await lint('--config', file, '--flink-version', line), [], line);
});

test('a public 1.15 flink-conf.yaml (litone01/flink-1.15): deprecated keys on 2.x, where the file is ignored', async () => {
  const file = 'test/fixtures/lint/public/litone01-1.15/flink-conf.yaml';
  assert.deepEqual(await lint('--config', file, '--flink-version', '1.16'), []);
  assert.deepEqual((await lint('--config', file, '--flink-version', '2.0')).map((p) => [p.code, p.severity, p.key, p.line]), [
    ['deprecated-key', 'warning', 'execution.checkpointing.unaligned', 56],
    ['deprecated-key', 'warning', 'state.backend', 61],
    ['config-file-ignored', 'error', null, null],
  ]);
});

/** The `-D key=value` lines of a public submission script, as the shell passes them (quotes removed, its variables expanded). */
function dynamicOptions(file: string): string[] {
  const args: string[] = [];
  const variables = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const assignment = /^([A-Za-z_]\w*)=(\S+)$/.exec(line);
    if (assignment !== null) variables.set(assignment[1]!, assignment[2]!);
    const m = /^\s*-D ([\w.-]+)=(.*?)\s*\\?\s*$/.exec(line);
    if (m !== null) args.push('-D', `${m[1]!}=${m[2]!.replace(/^"(.*)"$/, '$1').replace(/\$\{(\w+)\}/g, (_, name: string) => variables.get(name) ?? '')}`);
  }
  return args;
}

test('public submission scripts made of -D options: deprecated keys on 1.17, and the state.* keys 2.x reads under execution.checkpointing.*', async () => {
  const liang = dynamicOptions('test/fixtures/lint/public/li-ang-666-flink-run.sh');
  assert.equal(liang.length, 34);
  const keysOf = (problems: Problem[]): (string | null)[][] => problems.map((p) => [p.code, p.key, p.suggestion]);
  assert.deepEqual(keysOf(await lint(...liang, '--flink-version', '1.17')), [
    ['deprecated-key', 'env.java.opts', 'env.java.opts.all'],
    ['deprecated-key', 'state.backend', 'state.backend.type'],
  ]);
  assert.deepEqual(keysOf(await lint(...liang, '--flink-version', '2.0')), [
    ['deprecated-key', 'env.java.opts', 'env.java.opts.all'],
    ['deprecated-key', 'state.backend', 'state.backend.type'],
    ['deprecated-key', 'state.checkpoint-storage', 'execution.checkpointing.storage'],
  ]);
  const tingxin = dynamicOptions('test/fixtures/lint/public/tingxin-run_flink.sh');
  assert.deepEqual(keysOf(await lint(...tingxin, '--flink-version', '1.17')), [['deprecated-key', 'state.backend', 'state.backend.type']]);
  assert.deepEqual(keysOf(await lint(...tingxin, '--flink-version', '2.0')), [
    ['deprecated-key', 'state.backend', 'state.backend.type'],
    ['deprecated-key', 'state.checkpoint-storage', 'execution.checkpointing.storage'],
    ['deprecated-key', 'state.checkpoints.dir', 'execution.checkpointing.dir'],
    ['deprecated-key', 'state.checkpoints.num-retained', 'execution.checkpointing.num-retained'],
    ['deprecated-key', 'state.backend.incremental', 'execution.checkpointing.incremental'],
  ]);
});

test('a public standalone-Kubernetes ConfigMap (kaanguner/streamforge): manifest lines; its flink-conf.yaml entry is ignored by 2.x', async () => {
  const file = 'test/fixtures/config/configmap/kaanguner__streamforge__flink-deployment.yaml';
  const at = (problems: Problem[]): (string | number | null)[][] => problems.map((p) => [p.code, p.key, p.line]);
  assert.deepEqual(at(await lint('--config', file, '--flink-version', '1.18')), [['deprecated-key', 'state.backend', 29]]);
  const on2 = await lint('--config', file, '--flink-version', '2.0');
  assert.deepEqual(at(on2), [
    ['deprecated-key', 'state.backend', 29],
    ['deprecated-key', 'state.checkpoints.dir', 30],
    ['deprecated-key', 'state.savepoints.dir', 31],
    ['config-file-ignored', null, null],
  ]);
  assert.match(on2[3]!.suggestion ?? '', /config\.yaml entry/);
});
