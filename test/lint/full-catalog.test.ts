import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCliCaptured } from '../cli/cli-harness.js';

interface Problem { code: string; severity: string; key: string | null; suggestion: string | null; message: string }
const lint = async (...args: string[]): Promise<Problem[]> =>
  (JSON.parse((await runCliCaptured(['lint', '--format', 'json', '-D', 'taskmanager.memory.process.size=2g', ...args])).stdout) as { problems: Problem[] }).problems;

test('typos outside the memory options are found with the nearest documented key', async () => {
  const problems = await lint('-D', 'state.checkpoints.dri=s3://b/c', '-D', 'rest.flamegraph.enable=true', '-D', 'jobmanager.rpc.adress=jm');
  assert.deepEqual(
    problems.map((p) => [p.code, p.key, p.suggestion, p.severity]),
    [
      ['unknown-key', 'state.checkpoints.dri', 'state.checkpoints.dir', 'warning'],
      ['unknown-key', 'rest.flamegraph.enable', 'rest.flamegraph.enabled', 'warning'],
      ['unknown-key', 'jobmanager.rpc.adress', 'jobmanager.rpc.address', 'warning'],
    ],
  );
});

test('documented options, placeholder keys and open families are not flagged; typed values are checked', async () => {
  const clean = await lint(
    '-D', 'metrics.reporter.prom.factory.class=org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
    '-D', 'metrics.reporter.prom.port=9250-9260',
    '-D', 'metrics.reporter.my.reporter.interval=30 s',
    '-D', 'external-resource.gpu.amount=1',
    '-D', 'external-resource.gpu.kubernetes.config-key=nvidia.com/gpu',
    '-D', 'kubernetes.jobmanager.annotations=a:b',
    '-D', 'kubernetes.taskmanager.annotations=a:b',
    '-D', 'high-availability.zookeeper.quorum=zk:2181',
    '-D', 'table.exec.mini-batch.enabled=true',
    '-D', 'security.delegation.token.provider.hbase.enabled=false',
    '-D', 'rest.flamegraph.enabled=true',
    '-D', 'pipeline.max-parallelism=128',
    // Not in the tables held, and no documented key near it: left alone (see README).
    '-D', 'jobmanager.web.port=8081',
  );
  assert.deepEqual(clean, []);
  const bad = await lint('-D', 'metrics.reporter.prom.interval=often', '-D', 'rest.port=eighty');
  assert.deepEqual(bad.map((p) => [p.code, p.key, p.severity]), [
    ['invalid-value', 'metrics.reporter.prom.interval', 'error'],
    ['invalid-value', 'rest.port', 'error'],
  ]);
});

test('per-line: cpu.amount is ignored before 1.17, the pre-1.17 key is deprecated after', async () => {
  const v116 = await lint('--flink-version', '1.16', '-D', 'kubernetes.taskmanager.cpu.amount=2');
  assert.deepEqual(v116.map((p) => [p.code, p.key]), [['ignored-key', 'kubernetes.taskmanager.cpu.amount']]);
  const v120 = await lint('--flink-version', '1.20', '-D', 'kubernetes.taskmanager.cpu=2');
  assert.deepEqual(v120.map((p) => [p.code, p.suggestion]), [['deprecated-key', 'kubernetes.taskmanager.cpu.amount']]);
});
