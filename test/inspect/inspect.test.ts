import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../cli/cli-harness.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { resolveFlinkVersion } from '../../src/memory/versions.js';
import type { InspectJson } from '../../src/inspect/result.js';
import { clusterRoutes, fixture, JOB_ID, startReplay, TM_ID, VERTEX_ID, type Route } from './replay-server.js';

const FAST = ['--timeout', '500', '--retries', '2'];

async function inspectJson(routes: Record<string, Route>, extra: readonly string[] = []) {
  const server = await startReplay(routes);
  try {
    const run = await runCliCaptured(['inspect', '--rest', server.url, '--format', 'json', ...FAST, ...extra]);
    return { run, json: run.stdout === '' ? undefined : (JSON.parse(run.stdout) as InspectJson), server };
  } finally {
    await server.close();
  }
}

test('one cluster: configured as reported and as re-derived, usage, GC, jobs, findings and proposals', async () => {
  const { run, json } = await inspectJson(clusterRoutes());
  assert.equal(run.code, 1, run.stderr);
  const c = json!.clusters[0]!;
  assert.equal(c.flinkVersion, '1.13.5');
  assert.equal(c.modelVersion, '1.16');
  assert.deepEqual(c.errors, []);
  assert.deepEqual(c.overview, { taskManagers: 1, slotsTotal: 1, slotsAvailable: 0, jobsRunning: 1 });
  // The JobManager of /jobmanager/config: heap 1073741824b, process 1600m.
  assert.equal(c.jobManager.configured!['jvmHeap'], '1073741824');
  assert.equal(c.jobManager.configured!['totalProcessMemory'], String(1600 * 1024 * 1024));
  assert.equal(c.jobManager.used.metaspaceUsed, '62914560');

  assert.equal(c.taskManagers.length, 1);
  const tm = c.taskManagers[0]!;
  assert.equal(tm.id, TM_ID);
  assert.equal(tm.configuredSource, 'rest');
  // memoryConfiguration of the real YARN TaskManager, completed by the model (totalFlinkMemory is null there).
  assert.equal(tm.configured!['taskHeap'], '563714445');
  assert.equal(tm.configured!['network'], '166429984');
  assert.equal(tm.configured!['managed'], '665719939');
  assert.equal(tm.configured!['totalFlinkMemory'], '1664299824');
  assert.equal(tm.configured!['totalProcessMemory'], '2147483648');
  // The cluster configuration says 1728m: the model derives Flink's default 1728m TaskManager.
  assert.equal(tm.derived!['totalProcessMemory'], '1811939328');
  assert.equal(tm.derived!['managed'], '536870920');
  assert.deepEqual(
    tm.disagreements.map((d) => d.component),
    ['taskHeap', 'network', 'managed', 'jvmOverhead', 'totalProcessMemory'],
  );
  assert.deepEqual(tm.used, {
    heapUsed: '180355072',
    heapMax: '697932173',
    managedUsed: '0',
    managedTotal: '665719939',
    networkUsed: '4194304',
    networkTotal: '166428672',
    metaspaceUsed: '241172480',
    metaspaceMax: '268435456',
  });
  assert.deepEqual(tm.gc, [
    { name: 'G1_Young_Generation', count: '1234', timeMs: '5678' },
    { name: 'G1_Old_Generation', count: '2', timeMs: '340' },
  ]);

  const job = c.jobs[0]!;
  assert.equal(job.id, JOB_ID);
  assert.deepEqual(job.checkpoints!.counts, { total: 12, completed: 3, failed: 9, inProgress: 0, restored: 0 });
  assert.deepEqual(job.checkpoints!.latestFailed, { id: 12, classification: 'expired', reason: 'CHECKPOINT_EXPIRED', message: 'Checkpoint expired before completing.', timestamp: 1652350172150 });
  assert.deepEqual(job.checkpoints!.failures.map((f) => [f.id, f.classification]), [[12, 'expired'], [11, 'declined']]);
  assert.deepEqual(job.checkpoints!.latestCompleted, { id: 3, durationMs: 31, stateSize: '15207', checkpointedSize: '15207' });
  assert.deepEqual(job.backpressure, [{ vertex: VERTEX_ID, name: 'Source: Custom Source -> Map -> Sink: Print to Std. Out', level: 'high', maxRatio: 0.87 }]);
  assert.equal(job.memoryExceptions[0]!.kind, 'oom-metaspace');
  assert.equal(job.memoryExceptions[0]!.taskManagerId, TM_ID);

  assert.deepEqual(
    c.findings.map((f) => `${f.severity} ${f.kind}`),
    ['critical oom-metaspace', 'high metaspace-near-limit', 'medium checkpoint-declined', 'medium checkpoint-expired', 'medium managed-idle', 'low config-mismatch', 'low heap-underused', 'low backpressure-high'],
  );

  // Every proposal is what the exact model derives from the TaskManager's memory plus its changes.
  const version = resolveFlinkVersion('1.16');
  const grow = c.proposals.find((p) => p.kind === 'grow')!;
  assert.equal(grow.after['jvmMetaspace'], String(288 * 1024 * 1024)); // 241172480 * 1.25 = 301465600, rounded up to whole MiB
  assert.equal(grow.after['totalProcessMemory'], '2147483648');
  assert.equal(grow.fitsProcess, true);
  const shrink = c.proposals.find((p) => p.kind === 'shrink')!;
  assert.equal(shrink.set['taskmanager.memory.process.size'], '963m');
  assert.equal(shrink.after['managed'], '0');
  assert.equal(shrink.after['jvmHeap'], '225947152'); // >= 180355072 * 1.25 = 225443840
  for (const p of c.proposals) {
    const base: Record<string, string> = {
      'taskmanager.memory.process.size': `${p.before['totalProcessMemory']}b`,
      'taskmanager.memory.framework.heap.size': `${p.before['frameworkHeap']}b`,
      'taskmanager.memory.task.heap.size': `${p.before['taskHeap']}b`,
      'taskmanager.memory.framework.off-heap.size': `${p.before['frameworkOffHeap']}b`,
      'taskmanager.memory.task.off-heap.size': `${p.before['taskOffHeap']}b`,
      'taskmanager.memory.managed.size': `${p.before['managed']}b`,
      'taskmanager.memory.jvm-metaspace.size': `${p.before['jvmMetaspace']}b`,
      'taskmanager.memory.network.min': `${p.before['network']}b`,
      'taskmanager.memory.network.max': `${p.before['network']}b`,
      'taskmanager.memory.jvm-overhead.min': `${p.before['jvmOverhead']}b`,
      'taskmanager.memory.jvm-overhead.max': `${p.before['jvmOverhead']}b`,
    };
    const derived = deriveTaskManagerMemory({ ...base, ...p.set }, version);
    assert.ok(derived.ok, `${p.kind}: ${derived.ok ? '' : derived.error.message}`);
    assert.equal(derived.spec.memory.totalProcessMemory.bytes.toString(), p.after['totalProcessMemory'], p.kind);
    assert.equal(derived.spec.memory.taskHeap.bytes.toString(), p.after['taskHeap'], p.kind);
  }
});

test('text output names the disagreement, the checkpoint failures and the proposals', async () => {
  const server = await startReplay(clusterRoutes());
  try {
    const run = await runCliCaptured(['inspect', '--rest', server.url, ...FAST], { columns: 100 });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /Flink 1\.13\.5 \(memory rules of 1\.16\)/);
    assert.match(run.stdout, /totalProcessMemory 2 GiB \(2147483648\) vs 1\.69 GiB \(1811939328\)/);
    assert.match(run.stdout, /failed #12 expired \(CHECKPOINT_EXPIRED\): Checkpoint expired before completing\./);
    assert.match(run.stdout, /taskmanager\.memory\.jvm-metaspace\.size: 288m/);
    assert.doesNotMatch(run.stdout, /Errors/);
  } finally {
    await server.close();
  }
});

test('faults: 500s are retried, a slow endpoint times out, malformed JSON and 404s are reported with their URL', async () => {
  const routes = clusterRoutes();
  routes['/taskmanagers'] = [{ status: 500, body: '{"errors":["Internal server error."]}' }, { status: 503, body: '' }, { body: fixture('real/taskmanagers/superzhc-superzhadoop-yarn.json') }];
  routes['/jobs/overview'] = { delayMs: 2000, body: fixture('real/jobs_overview/smartsi-publearnnotes.json') };
  routes['/jobmanager/config'] = { body: '[{"key": "taskmanager.memory.process.size", "value": ' };
  delete routes['/jobmanager/metrics'];
  const started = Date.now();
  const { run, json, server } = await inspectJson(routes, ['--timeout', '300']);
  assert.ok(Date.now() - started < 5000);
  assert.equal(run.code, 1);
  assert.equal(server.hits.get('/taskmanagers'), 3);
  const c = json!.clusters[0]!;
  assert.equal(c.taskManagers.length, 1, 'the TaskManagers answered on the third attempt');
  assert.equal(c.taskManagers[0]!.used.heapUsed, '180355072');
  assert.equal(c.taskManagers[0]!.derived, null, 'no cluster configuration to derive from');
  assert.equal(c.jobs.length, 0);
  const byPath = new Map(c.errors.map((e) => [new URL(e.url).pathname, e]));
  assert.deepEqual([...byPath.keys()].sort(), ['/jobmanager/config', '/jobmanager/metrics', '/jobs/overview']);
  assert.match(byPath.get('/jobmanager/config')!.message, /^malformed JSON/);
  assert.equal(byPath.get('/jobmanager/config')!.status, 200);
  assert.equal(byPath.get('/jobs/overview')!.message, 'no answer within 300 ms');
  assert.equal(byPath.get('/jobs/overview')!.status, null);
  assert.equal(byPath.get('/jobmanager/metrics')!.status, 404);
  assert.match(byPath.get('/jobmanager/metrics')!.message, /^HTTP 404: Not found: \/jobmanager\/metrics/);
});

test('an unreachable JobManager gives a report of errors, not a crash', async () => {
  const server = await startReplay({});
  const url = server.url;
  await server.close();
  const run = await runCliCaptured(['inspect', '--rest', url, '--format', 'json', '--timeout', '500', '--retries', '1']);
  assert.equal(run.code, 1);
  const c = (JSON.parse(run.stdout) as InspectJson).clusters[0]!;
  assert.equal(c.taskManagers.length, 0);
  assert.ok(c.errors.length >= 5);
  assert.match(c.errors[0]!.message, /^connection failed: ECONNREFUSED.* \(after 2 attempts\)$/);
});

test('the aggregated metrics endpoint: an empty answer is split until the known metrics answer', async () => {
  const routes = clusterRoutes();
  const asked: string[] = [];
  routes['/taskmanagers/metrics'] = (path) => {
    const ids = decodeURIComponent(/get=([^&]*)/.exec(path)![1]!).split(',');
    asked.push(ids.join(','));
    // Flink 1.11 does not know the managed memory metrics: any query naming one answers [].
    if (ids.some((id) => id.startsWith('Status.Flink.Memory.Managed'))) return { body: '[]' };
    return { body: JSON.stringify(ids.map((id) => ({ id, max: 1.0 }))) };
  };
  const { json } = await inspectJson(routes);
  const c = json!.clusters[0]!;
  assert.equal(asked.length, 7);
  assert.ok(c.notes.some((n) => n.includes('does not know Status.Flink.Memory.Managed.Used, Status.Flink.Memory.Managed.Total')));
});

test('--watch keeps the peak of each metric over the samples', async () => {
  const routes = clusterRoutes();
  const metrics = JSON.parse(fixture('constructed/taskmanager-metrics.json')) as { id: string; value: string }[];
  const withHeap = (v: string) => ({ body: JSON.stringify(metrics.map((m) => (m.id === 'Status.JVM.Memory.Heap.Used' ? { ...m, value: v } : m))) });
  routes[`/taskmanagers/${TM_ID}/metrics`] = [withHeap('180355072'), withHeap('650000000'), withHeap('200000000')];
  const { json } = await inspectJson(routes, ['--watch', '0.01', '--samples', '3']);
  const c = json!.clusters[0]!;
  assert.equal(c.samples, 3);
  assert.equal(c.taskManagers[0]!.used.heapUsed, '650000000');
  // 650000000 * 1.25 > 697932173: the heap is too small now, and the grow proposal includes it.
  assert.ok(c.findings.some((f) => f.kind === 'heap-near-limit'));
  const grow = c.proposals.find((p) => p.kind === 'grow')!;
  assert.ok(BigInt(grow.after['jvmHeap']!) >= 812500000n);
});

test('Prometheus exposition as the metrics source', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inspect-'));
  const file = join(dir, 'scrape.txt');
  writeFileSync(file, fixture('constructed/prometheus-taskmanager.txt'));
  const { json, server } = await inspectJson(clusterRoutes(), ['--prometheus', file]);
  const tm = json!.clusters[0]!.taskManagers[0]!;
  assert.equal(tm.used.heapUsed, '251658240');
  assert.equal(tm.used.managedUsed, '665719939');
  assert.equal(tm.used.networkUsed, '8388608');
  assert.deepEqual(tm.gc, [{ name: 'G1_Young_Generation', count: '1300', timeMs: '6012' }]);
  assert.equal(server.hits.get(`/taskmanagers/${TM_ID}`), undefined, 'no REST metrics calls');
  assert.ok(!json!.clusters[0]!.findings.some((f) => f.kind === 'managed-idle'));
});

test('credentials from an environment variable or a file reach the server and are never printed', async () => {
  const server = await startReplay(clusterRoutes());
  try {
    process.env['FLINK_INSPECT_TEST_AUTH'] = 'admin:s3cret-pw';
    const run = await runCliCaptured(['inspect', '--rest', server.url, '--auth-env', 'FLINK_INSPECT_TEST_AUTH', ...FAST]);
    assert.ok(server.authorizations.length > 5);
    assert.ok(server.authorizations.every((a) => a === `Basic ${Buffer.from('admin:s3cret-pw').toString('base64')}`));
    assert.ok(!run.stdout.includes('s3cret') && !run.stderr.includes('s3cret'));
    const dir = mkdtempSync(join(tmpdir(), 'inspect-'));
    writeFileSync(join(dir, 'token'), 'tok-123\n');
    server.authorizations.length = 0;
    await runCliCaptured(['inspect', '--rest', server.url, '--auth-file', join(dir, 'token'), ...FAST]);
    assert.equal(server.authorizations[0], 'Bearer tok-123');
    const unset = await runCliCaptured(['inspect', '--rest', server.url, '--auth-env', 'FLINK_INSPECT_TEST_UNSET']);
    assert.equal(unset.code, 2);
    assert.equal(unset.stderr, 'flink-memory: inspect: --auth-env: environment variable FLINK_INSPECT_TEST_UNSET is not set\n');
  } finally {
    delete process.env['FLINK_INSPECT_TEST_AUTH'];
    await server.close();
  }
});

test('a Flink 1.9 without memoryConfiguration: the model is not presented as what its processes run with', async () => {
  const routes = clusterRoutes();
  routes['/config'] = { body: fixture('real/config/soojae-study-flink-1.9.1.json') };
  routes['/jobmanager/config'] = { body: fixture('real/jobmanager_config/soojae-study-flink-1.9.1.json') };
  routes['/taskmanagers'] = { body: fixture('real/taskmanagers/smartsi-publearnnotes.json') };
  routes['/jobs/overview'] = { body: fixture('real/jobs_overview/soojae-study-flink-1.9.1.json') };
  const { json } = await inspectJson(routes);
  const c = json!.clusters[0]!;
  assert.equal(c.flinkVersion, '1.9.1');
  const tm = c.taskManagers[0]!;
  assert.equal(tm.id, '14b7a2a632fd93d3548a8e17a311697b');
  // Flink 1.9 predates FLIP-49 (1.10) and FLIP-116 (1.11): nothing configured is claimed for its processes.
  assert.equal(tm.configuredSource, null);
  assert.equal(tm.configured, null);
  assert.equal(c.jobManager.configured, null);
  assert.ok(c.notes.some((n) => n.includes('predate the TaskManager memory model (FLIP-49, Flink 1.10)')));
  assert.ok(c.notes.some((n) => n.includes("Flink 1.9.1's JobManager predates the JobManager memory model (FLIP-116, Flink 1.11)") && n.includes('jobmanager.heap.size, 1024m')));
  // What the model would make of the cluster configuration stays available as such:
  // taskmanager.heap.size: 1024m is read as taskmanager.memory.flink.size (legacy heap option).
  assert.equal(tm.derived!['totalFlinkMemory'], '1073741824');
  assert.deepEqual(tm.limits.heap, { bytes: null, source: null, from: null, unlimited: false });
  assert.deepEqual(c.proposals, []);
  assert.equal(c.jobs.length, 0, 'the only job is FINISHED');
  assert.deepEqual(c.errors.map((e) => new URL(e.url).pathname), ['/taskmanagers/14b7a2a632fd93d3548a8e17a311697b', '/taskmanagers/14b7a2a632fd93d3548a8e17a311697b/metrics']);
});

test('usage errors exit 2 with one line', async () => {
  for (const [args, message] of [
    [['inspect'], 'flink-memory: inspect: no cluster given (--rest URL, --rest-file FILE or --fleet FILE)\n'],
    [['inspect', '--rest', 'localhost:8081'], "flink-memory: inspect: --rest 'localhost:8081' is not an http(s) URL\n"],
    [['inspect', '--rest', 'http://x', '--format', 'yaml'], "flink-memory: inspect: unknown --format 'yaml' (expected text, json or html)\n"],
    [['inspect', '--rest', 'http://x', '--samples', 'x'], "flink-memory: inspect: --samples 'x' is not a whole number >= 0\n"],
    [['inspect', '--fleet', '/nonexistent.json'], 'flink-memory: inspect: --fleet: /nonexistent.json: ENOENT\n'],
  ] as const) {
    const run = await runCliCaptured(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.equal(run.stderr, message);
  }
});
