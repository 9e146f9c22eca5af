import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCliCaptured } from '../cli/cli-harness.js';

interface Problem { code: string; severity: string; key: string | null; file: string | null; line: number | null; message: string; suggestion: string | null }
const FIXTURES = 'test/fixtures/lint';

async function lintJson(...args: string[]): Promise<{ code: number; problems: Problem[] }> {
  const run = await runCliCaptured(['lint', '--format', 'json', ...args]);
  return { code: run.code, problems: (JSON.parse(run.stdout) as { problems: Problem[] }).problems };
}

test("seed 004: the misspelled 'taskmanage.' keys are found with the right suggestion and line", async () => {
  const { code, problems } = await lintJson('--config', `${FIXTURES}/seed-004/config.yaml`);
  assert.equal(code, 1);
  const unknown = problems.filter((p) => p.code === 'unknown-key');
  assert.deepEqual(
    unknown.map((p) => [p.key, p.line, p.suggestion, p.severity]),
    [
      ['taskmanage.memory.task.off-heap.size', 5, 'taskmanager.memory.task.off-heap.size', 'error'],
      ['taskmanage.memory.managed.size', 6, 'taskmanager.memory.managed.size', 'error'],
    ],
  );
  // With the managed size lost to the typo, Flink's fine-grained check fails on network memory.
  const rejected = problems.find((p) => p.code === 'rejected');
  assert.match(rejected?.message ?? '', /the derived Network Memory is inconsistent with its configuration/);
});

test('seed 000: -Xmx12g in env.java.opts.taskmanager overrides the -Xmx Flink computes', async () => {
  const { code, problems } = await lintJson('--config', `${FIXTURES}/seed-000/config.yaml`);
  assert.equal(code, 1);
  const xmx = problems.find((p) => p.code === 'jvm-option-conflict' && p.message.includes('-Xmx12g'));
  assert.ok(xmx !== undefined);
  assert.equal(xmx.severity, 'error');
  assert.equal(xmx.key, 'env.java.opts.taskmanager');
  assert.equal(xmx.line, 10);
  // 16g process: Flink's heap is framework 128m + task heap, here 7784628106 bytes in all.
  assert.match(xmx.message, /replaces Flink's -Xmx7784628106 \(7\.25 GiB\)/);
  assert.match(xmx.message, /the heap may grow to 12 GiB, 4\.75 GiB more than Flink planned/);
  assert.equal(xmx.suggestion, 'remove -Xmx12g from env.java.opts.taskmanager; for that heap set taskmanager.memory.task.heap.size: 12160m (heap = framework heap + task heap)');
  const metaspace = problems.find((p) => p.message.includes('-XX:MaxMetaspaceSize=256m'));
  assert.equal(metaspace?.severity, 'info');
});

test('a -Xms above the heap Flink gives keeps the JVM from starting', async () => {
  const { problems } = await lintJson('-D', 'taskmanager.memory.process.size=2g', '-D', 'env.java.opts.all=-Xms4g');
  const xms = problems.find((p) => p.message.includes('-Xms4g'));
  assert.equal(xms?.severity, 'error');
  assert.match(xms?.message ?? '', /the JVM does not start/);
  assert.equal(xms?.file, '-D #2');
});

test('silently resolved memory settings: fraction with size, fraction with min = max', async () => {
  const { problems } = await lintJson(
    '-D', 'taskmanager.memory.process.size=4g',
    '-D', 'taskmanager.memory.managed.size=1g', '-D', 'taskmanager.memory.managed.fraction=0.5',
    '-D', 'taskmanager.memory.network.min=128m', '-D', 'taskmanager.memory.network.max=128m', '-D', 'taskmanager.memory.network.fraction=0.2',
  );
  const noEffect = problems.filter((p) => p.code === 'no-effect');
  assert.deepEqual(noEffect.map((p) => p.key), ['taskmanager.memory.managed.fraction', 'taskmanager.memory.network.fraction']);
  assert.match(noEffect[1]!.message, /min and max are equal \(128 MiB\)/);
});

test('legacy keys: ignored on 2.x with the consequence, deprecated spellings named', async () => {
  const v2 = await lintJson('--config', `${FIXTURES}/legacy-heap/config.yaml`);
  const ignored = v2.problems.find((p) => p.code === 'ignored-key');
  assert.equal(ignored?.suggestion, 'taskmanager.memory.flink.size');
  assert.match(ignored?.message ?? '', /on Flink 1\.20 it gave Total Process Memory 2\.5 GiB, JVM heap 896 MiB, managed 819\.2 MiB, network 204\.8 MiB/);
  assert.match(ignored?.message ?? '', /without it Flink 2\.x refuses to start the TaskManager/);
  const dep = await lintJson('-D', 'taskmanager.memory.process.size=2g', '-D', 'taskmanager.network.memory.fraction=0.2');
  assert.deepEqual(dep.problems.map((p) => [p.code, p.suggestion]), [['deprecated-key', 'taskmanager.memory.network.fraction']]);
});

test('container limit, invalid values, clean defaults, usage errors', async () => {
  const over = await lintJson('-D', 'taskmanager.memory.process.size=4g', '--container', '3Gi');
  assert.deepEqual(over.problems.map((p) => [p.code, p.suggestion]), [['container-exceeded', 'taskmanager.memory.process.size: 3g']]);
  const bad = await lintJson('-D', 'taskmanager.memory.process.size=4 gigs');
  assert.deepEqual(bad.problems.map((p) => p.code), ['invalid-value']);
  const clean = await runCliCaptured(['lint']);
  assert.equal(clean.code, 0);
  assert.equal(clean.stdout, 'no problems found (Flink 2.x rules)\n');
  const usage = await runCliCaptured(['lint', '--format', 'xml']);
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr, "flink-memory: lint: unknown --format 'xml' (expected text, json)\n");
  const missing = await runCliCaptured(['lint', '--config', `${FIXTURES}/does-not-exist.yaml`]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.split('\n').length, 2);
});

test('config files: flink-conf.yaml on 2.x, config.yaml on 1.18, both in one directory', async () => {
  const v2 = await lintJson('--config', `${FIXTURES}/both/flink-conf.yaml`);
  assert.equal(v2.problems[0]?.code, 'config-file-ignored');
  assert.equal(v2.problems[0]?.severity, 'error');
  const v118 = await lintJson('--config', `${FIXTURES}/both/config.yaml`, '--flink-version', '1.18');
  assert.match(v118.problems[0]?.message ?? '', /Flink 1\.18 reads only flink-conf\.yaml/);
  const dir = await lintJson('--config', `${FIXTURES}/both`, '--flink-version', '1.18');
  assert.deepEqual(dir.problems.map((p) => [p.code, p.file]), [['config-file-ignored', `${FIXTURES}/both/config.yaml`]]);
  const dir2 = await lintJson('--config', `${FIXTURES}/both`);
  assert.deepEqual(dir2.problems.map((p) => [p.code, p.file]), [['config-file-ignored', `${FIXTURES}/both/flink-conf.yaml`]]);
});

test('manifests: a FlinkSessionJob is an input error naming its FlinkDeployment; flinkVersion v1.17 is linted as 1.17, v1_15 is refused', async () => {
  const job = await runCliCaptured(['lint', '--config', `${FIXTURES}/manifests/session-job.yaml`]);
  assert.equal(job.code, 2);
  assert.equal(job.stdout, '');
  assert.match(job.stderr, /it holds FlinkSessionJob\).*a FlinkSessionJob runs on the session cluster of its spec\.deploymentName, whose FlinkDeployment holds the memory configuration\n$/);
  const dotted = await lintJson('--config', `${FIXTURES}/manifests/flinkversion-v1.17.yaml`);
  assert.deepEqual(dotted.problems.map((p) => [p.code, p.key, p.line]), [
    ['config-warning', null, 6],
    ['deprecated-key', 'state.backend', 8],
  ]);
  assert.match(dotted.problems[1]!.message, /deprecated on Flink 1\.17/);
  const old = await runCliCaptured(['lint', '--config', `${FIXTURES}/manifests/flinkversion-v1_15.yaml`]);
  assert.equal(old.code, 2);
  assert.match(old.stderr, /flinkversion-v1_15\.yaml:6: spec\.flinkVersion v1_15: Unsupported Flink version '1\.15'\. Supported: .* Pass --flink-version/);
});
