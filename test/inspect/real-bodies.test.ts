/**
 * `inspect` on REST bodies of real clusters from public repositories (test/fixtures/rest/README.md
 * names each source), served on loopback: a Flink 1.10 TaskManager without memoryConfiguration, a
 * Flink 1.12 TaskManager whose memoryConfiguration carries the configured jvm-overhead.max, a
 * Flink 1.14.2 cluster's metrics, and the variants a real cluster shows (a MiniCluster's
 * Long.MAX_VALUE sizes, metaspace without a limit, a leader election, a login page in front).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCliCaptured } from '../cli/cli-harness.js';
import { formatSize } from '../../src/report/format.js';
import { percentOf } from '../../src/inspect/analyse.js';
import { isUnlimited, parseJsonExact } from '../../src/inspect/json.js';
import { parsePrometheusText } from '../../src/inspect/prometheus.js';
import { normaliseReported, parseReportedVersion } from '../../src/inspect/reported.js';
import { htmlPage } from '../../src/inspect/rest-client.js';
import { sizeText, usageCell, wholePercent } from '../../src/inspect/view.js';
import type { ClusterJson, InspectJson } from '../../src/inspect/result.js';
import { fixture, startReplay, type Reply, type Route } from './replay-server.js';

const FAST = ['--timeout', '1000', '--retries', '1'];
const ok = (body: string): Reply => ({ body });

async function inspect(routes: Record<string, Route>): Promise<{ code: number; json: ClusterJson; text: string }> {
  const server = await startReplay(routes);
  try {
    const j = await runCliCaptured(['inspect', '--rest', server.url, '--format', 'json', ...FAST]);
    const t = await runCliCaptured(['inspect', '--rest', server.url, ...FAST], { columns: 100 });
    assert.equal(j.stderr, '');
    return { code: j.code, json: (JSON.parse(j.stdout) as InspectJson).clusters[0]!, text: t.stdout };
  } finally {
    await server.close();
  }
}

/** What /taskmanagers/metrics?get=…&agg=… answers for a cluster of one TaskManager with these values. */
function aggregatedOf(metrics: string): (path: string) => Reply {
  const values = new Map((JSON.parse(metrics) as { id: string; value: string }[]).map((m) => [m.id, Number(m.value)]));
  return (path) => {
    const ids = decodeURIComponent(/get=([^&]*)/.exec(path)?.[1] ?? '').split(',');
    if (ids.some((id) => !values.has(id))) return ok('[]');
    return ok(JSON.stringify(ids.map((id) => ({ id, min: values.get(id), max: values.get(id), avg: values.get(id), sum: values.get(id) }))));
  };
}

// ---- Flink 1.14.2, open-telemetry/opentelemetry-collector-contrib's recorded cluster ----
const OTEL_TM = '172.26.0.3:34457-7b2520';
const OTEL_METRICS = fixture('real/taskmanager_metrics/otel-flinkmetricsreceiver-1.14.2.json');
const setMetric = (body: string, id: string, value: string | undefined): string =>
  JSON.stringify((JSON.parse(body) as { id: string; value: string }[]).flatMap((m) => (m.id !== id ? [m] : value === undefined ? [] : [{ ...m, value }])));

function otelRoutes(metrics = OTEL_METRICS): Record<string, Route> {
  const tm = encodeURIComponent(OTEL_TM);
  return {
    // /config of a 1.14.4 JobManager (the recorded cluster's is not public), /jobmanager/config with
    // the 1728m default TaskManager the 1.14.2 cluster runs (bde2020's image ships flink-conf.yaml).
    '/config': ok(fixture('real/config/k8s-operator-RestResponseTest-flink14.json')),
    '/jobmanager/config': ok(fixture('real/jobmanager_config/smartsi-publearnnotes.json')),
    '/taskmanagers': ok(fixture('real/taskmanagers/otel-flinkmetricsreceiver-1.14.2.json')),
    [`/taskmanagers/${tm}/metrics`]: ok(metrics),
    '/taskmanagers/metrics': aggregatedOf(metrics),
    '/jobmanager/metrics': ok(fixture('real/jobmanager_metrics/otel-flinkmetricsreceiver-1.14.2.json')),
    '/overview': ok('{"taskmanagers":1,"slots-total":8,"slots-available":7,"jobs-running":0,"flink-version":"1.14.2"}'),
    '/jobs/overview': ok('{"jobs":[]}'),
  };
}

test('Flink 1.10 TaskManager (no memoryConfiguration): usage against the heap, managed and network memory it reports', async () => {
  const id = '136083a20c8d0dae2182320fc972179a';
  const routes: Record<string, Route> = {
    '/config': ok(fixture('real/config/thestyleofme-flink-1.10.0.json')),
    '/overview': ok(fixture('real/overview/smartsi-publearnnotes.json')),
    // Another cluster's configuration (taskmanager.heap.size: 1024m): the model derives a 384 MiB heap.
    '/jobmanager/config': ok(fixture('real/jobmanager_config/soojae-study-flink-1.9.1.json')),
    '/taskmanagers': ok(fixture('real/taskmanagers/thestyleofme-flink-1.10.json')),
    [`/taskmanagers/${id}`]: ok(fixture('real/taskmanager_details/thestyleofme-flink-1.10.json')),
    [`/taskmanagers/${id}/metrics`]: ok('[]'),
    '/taskmanagers/metrics': ok('[]'),
    '/jobmanager/metrics': ok('[]'),
    '/jobs/overview': ok(fixture('real/jobs_overview/soojae-study-flink-1.9.1.json')),
  };
  const { json: c, text } = await inspect(routes);
  assert.equal(c.flinkVersion, '1.10.0');
  const tm = c.taskManagers[0]!;
  // The JVM's heap maximum (metrics.heapMax), hardware.managedMemory, 11489 buffers of 32 KiB.
  assert.deepEqual(tm.limits.heap, { bytes: '1749024768', source: 'jvm', from: 'Status.JVM.Memory.Heap.Max', unlimited: false });
  assert.deepEqual(tm.limits.managed, { bytes: '1505922928', source: 'jvm', from: 'hardware.managedMemory', unlimited: false });
  assert.equal(tm.limits.network.bytes, String(11489 * 32768));
  assert.equal(tm.limits.network.source, 'jvm');
  assert.equal(tm.used.heapUsed, '542676184');
  assert.equal(tm.used.managedTotal, '1505922928');
  assert.equal(tm.used.networkTotal, String(11489 * 32768));
  assert.equal(tm.used.networkUsed, String((11489 - 11479) * 32768));
  assert.deepEqual(tm.gc.map((g) => g.name), ['G1_Young_Generation', 'G1_Old_Generation']);
  // The re-derived 384 MiB heap is another configuration's: not shown as what this TaskManager runs with.
  assert.equal(tm.configured, null);
  assert.equal(tm.configuredSource, null);
  assert.equal(tm.derived!['jvmHeap'], '402653176');
  assert.ok(c.notes.some((n) => n.includes('report other limits than /jobmanager/config derives') && n.includes('heap 1.63 GiB (Status.JVM.Memory.Heap.Max) vs 384 MiB')));
  // 517.5 MiB of a 1.63 GiB heap: no heap-near-limit at 134.7%, no grow proposal.
  assert.ok(!c.findings.some((f) => f.kind === 'heap-near-limit'));
  assert.deepEqual(c.proposals, []);
  const underused = c.findings.find((f) => f.kind === 'heap-underused')!;
  assert.match(underused.summary, /^heap used peaked at 517\.5 MiB \(31\.0% of the 1\.63 GiB heap, as the TaskManager reports\)/);
  // The JobManager of a 1.10 cluster has no process memory model.
  assert.equal(c.jobManager.configured, null);
  assert.ok(c.notes.some((n) => n.includes("Flink 1.10.0's JobManager predates the JobManager memory model (FLIP-116, Flink 1.11)")));
  assert.doesNotMatch(text, /134\.7%|heap-near-limit|process 1\.56 GiB/);
  assert.match(text, /517\.5 MiB \/ 1\.63 GiB 31%/);
  assert.match(text, /320 KiB \/ 359 MiB 0%/);

  // taskmanager.memory.segment-size counts the buffers.
  const config = JSON.parse(fixture('real/jobmanager_config/soojae-study-flink-1.9.1.json')) as unknown[];
  routes['/jobmanager/config'] = ok(JSON.stringify([...config, { key: 'taskmanager.memory.segment-size', value: '64kb' }]));
  const { json: c64 } = await inspect(routes);
  assert.equal(c64.taskManagers[0]!.limits.network.bytes, String(11489 * 65536));
  assert.match(c64.taskManagers[0]!.limits.network.from!, /TotalMemorySegments 11489 x 64 KiB/);
});

test('Flink 1.12 TaskManager reporting jvm-overhead.max as jvmOverhead: one note, the reported sizes kept, usage rules and proposals run', async () => {
  const details = fixture('real/taskmanager_details/apache-flink-pr13547-1.12-SNAPSHOT-excerpt.json');
  const id = '192.168.178.34:58646-64d0d8';
  const routes: Record<string, Route> = {
    ...otelRoutes(),
    '/config': { status: 404, body: '{"errors":["Not found: /config"]}' },
    '/overview': ok(fixture('real/overview/streampark-FlinkRestJsonTest-1.12.0.json')),
    // The list entry is the details body without its (cut) metrics: /taskmanagers holds the same fields.
    '/taskmanagers': ok(`{"taskmanagers":[${details}]}`),
    [`/taskmanagers/${encodeURIComponent(id)}`]: ok(details),
    // Metrics of a TaskManager on the same default 1728m configuration (Flink 1.14.2).
    [`/taskmanagers/${encodeURIComponent(id)}/metrics`]: ok(OTEL_METRICS),
  };
  const { json: c, text } = await inspect(routes);
  assert.equal(c.flinkVersion, '1.12.0');
  const tm = c.taskManagers[0]!;
  assert.equal(tm.configuredSource, 'rest');
  assert.equal(tm.configured!['totalProcessMemory'], '1811939328', 'the reported process size is kept');
  assert.equal(tm.configured!['jvmOverhead'], '201326592', 'process - Flink memory - metaspace');
  assert.equal(tm.configured!['totalFlinkMemory'], '1342177280', 'null in the body, completed by the model');
  assert.deepEqual(tm.disagreements, []);
  assert.equal(tm.reportQuirks.length, 1);
  assert.deepEqual({ ...tm.reportQuirks[0]!, why: undefined }, { component: 'jvmOverhead', reported: '1073741824', taken: '201326592', why: undefined });
  assert.match(tm.reportQuirks[0]!.why, /FLINK-21158/);
  assert.equal(c.notes.filter((n) => n.includes('FLINK-21158')).length, 1);
  assert.ok(!c.notes.some((n) => n.includes('does not derive')));
  assert.deepEqual(c.findings.map((f) => f.kind).sort(), ['heap-underused', 'managed-idle']);
  const shrink = c.proposals.find((p) => p.kind === 'shrink')!;
  assert.equal(shrink.before['totalProcessMemory'], '1811939328');
  assert.equal(shrink.before['jvmOverhead'], '201326592');
  assert.match(text, /…168\.178\.34:58646-64d0d8 +1\.69 GiB/);
  assert.doesNotMatch(text, /TaskManager\(s\) disagree/);

  // Without metrics, the table marks the configured heap as configured, not as the JVM's.
  delete routes[`/taskmanagers/${encodeURIComponent(id)}/metrics`];
  const { json: bare } = await inspect(routes);
  assert.equal(usageCell(bare.taskManagers[0]!, 'heap', formatSize), '- / 512 MiB (configured)');
  assert.equal(bare.taskManagers[0]!.limits.heap.source, 'configured');
});

test('Flink 1.12.0 memoryConfiguration without totalProcessMemory: the overhead is left to the model, not taken as 1 GiB', () => {
  const body = parseJsonExact(fixture('real/taskmanager_details/apache-flink-pr13547-1.12-SNAPSHOT-excerpt.json')) as { memoryConfiguration: Record<string, number | null> };
  const reported = Object.fromEntries(Object.entries(body.memoryConfiguration).flatMap(([k, v]) => (v === null || k === 'totalProcessMemory' ? [] : [[k, BigInt(v)]])));
  const n = normaliseReported(reported, parseReportedVersion('1.12.0'));
  assert.equal(n.memory.jvmOverhead, undefined);
  assert.deepEqual(n.quirks.map((q) => [q.component, q.reported, q.taken]), [['jvmOverhead', '1073741824', null]]);
  // 1.12.2 pins jvm-overhead.min/max at start: the figure is the running one.
  assert.equal(normaliseReported(reported, parseReportedVersion('1.12.2')).memory.jvmOverhead, 1073741824n);
});

test('a local MiniCluster: Long.MAX_VALUE sizes read exactly, shown as unlimited, no disagreement', async () => {
  // The recorded 1.14.2 entry with the sizes a MiniCluster reports (TaskExecutorResourceUtils.adjustForLocalExecution:
  // task heap and off-heap MemorySize.MAX_VALUE, 64m network, 128m managed; totals null).
  const list = fixture('real/taskmanagers/otel-flinkmetricsreceiver-1.14.2.json')
    .replace('"taskHeap": 402653174', '"taskHeap": 9223372036854775807')
    .replace('"taskOffHeap": 0', '"taskOffHeap": 9223372036854775807')
    .replace('"networkMemory": 134217730', '"networkMemory": 67108864')
    .replace('"managedMemory": 536870920,\n                "jvmMetaspace"', '"managedMemory": 134217728,\n                "jvmMetaspace"')
    .replace('"jvmOverhead": 201326592', '"jvmOverhead": 1073741824')
    .replace('"totalFlinkMemory": 1342177280', '"totalFlinkMemory": null')
    .replace('"totalProcessMemory": 1811939328', '"totalProcessMemory": null');
  assert.equal((list.match(/9223372036854775807/g) ?? []).length, 2);
  const { json: c, text } = await inspect({ ...otelRoutes(), '/taskmanagers': ok(list) });
  const tm = c.taskManagers[0]!;
  assert.equal(tm.configured!['taskHeap'], '9223372036854775807');
  assert.equal(tm.configured!['taskOffHeap'], '9223372036854775807');
  assert.equal(tm.configured!['managed'], '134217728');
  assert.deepEqual(tm.disagreements, []);
  assert.equal(tm.derived, null, 'the cluster configuration does not describe a MiniCluster');
  assert.ok(c.notes.some((n) => n.includes('local MiniCluster')));
  assert.ok(!c.notes.some((n) => n.includes('does not derive')));
  assert.deepEqual(c.proposals, []);
  assert.doesNotMatch(text, /9223372036854775808|TiB|EiB|TaskManager\(s\) disagree|to the byte/);
  assert.equal(sizeText(tm.configured!['taskHeap'], formatSize), 'unlimited');
  assert.equal(sizeText('9223372036854775808', formatSize), 'unlimited');
  assert.equal(sizeText(tm.configured!['managed'], formatSize), '128 MiB');
});

test('JSON integers beyond 2^53 are read exactly', () => {
  const v = parseJsonExact('{"a": 9223372036854775807, "b": [1.5, -9007199254740993, 12345678901234567890.5, 1e300], "c": "9223372036854775807 in a string \\" 99999999999999999", "d": 9007199254740991}') as Record<string, unknown>;
  assert.equal(v['a'], '9223372036854775807');
  assert.deepEqual(v['b'], [1.5, '-9007199254740993', 12345678901234567890.5, 1e300]);
  assert.equal(v['c'], '9223372036854775807 in a string " 99999999999999999');
  assert.equal(v['d'], 9007199254740991, 'a safe integer stays a number');
  assert.ok(isUnlimited(9223372036854775807n) && isUnlimited(2n ** 63n - 1024n) && !isUnlimited(2n ** 62n));
});

test('metaspace without a limit (Metaspace.Max -1): "no limit", never the configured size as if the JVM reported it', async () => {
  const { json: c } = await inspect(otelRoutes(setMetric(OTEL_METRICS, 'Status.JVM.Memory.Metaspace.Max', '-1')));
  const tm = c.taskManagers[0]!;
  assert.equal(tm.used.metaspaceMax, null);
  assert.deepEqual(tm.limits.metaspace, { bytes: null, source: 'jvm', from: 'Status.JVM.Memory.Metaspace.Max -1', unlimited: true });
  assert.equal(usageCell(tm, 'metaspace', formatSize), '54.46 MiB / no limit');
  assert.equal(usageCell(tm, 'heap', formatSize), '40.87 MiB / 512 MiB 8%');
  assert.ok(!c.findings.some((f) => f.kind === 'metaspace-near-limit'));
  // The Prometheus reporter writes the same -1 as a double.
  const scrape = parsePrometheusText('flink_taskmanager_Status_JVM_Memory_Metaspace_Max{tm_id="a"} -1.0\n');
  assert.equal(scrape.taskManagers.get('a')!.get('Status.JVM.Memory.Metaspace.Max'), -1n);
  assert.deepEqual(scrape.badLines, []);
});

test('percentages are rounded: 7.98% is "8.0%" in findings and "8%" in tables', async () => {
  const { json: c, text } = await inspect(otelRoutes());
  const underused = c.findings.find((f) => f.kind === 'heap-underused')!;
  assert.match(underused.summary, /\(8\.0% of the 512 MiB heap, as the TaskManager reports\)/);
  assert.match(text, /40\.87 MiB \/ 512 MiB 8%/);
  assert.doesNotMatch(text, /\b7%|7\.9%/);
  assert.equal(percentOf(42858976n, 536870912n), '8.0%');
  assert.equal(percentOf(1n, 3n), '33.3%');
  assert.equal(percentOf(2n, 3n), '66.7%');
  assert.equal(wholePercent('42858976', '536870912'), 8);
  assert.equal(wholePercent('1', '200'), 1);
  assert.equal(wholePercent('1', '201'), 0);
});

test('every call failed: a leader election, or a login page in front: "no data", never a clean result', async () => {
  const election = { status: 503, body: '{"errors":["Service temporarily unavailable due to an ongoing leader election. Please refresh."]}' };
  const { code, json: c, text } = await inspect({ '/config': election, '/overview': election, '/jobmanager/config': election, '/taskmanagers': election, '/jobmanager/metrics': election, '/jobs/overview': election, '/jobmanager/environment': election });
  assert.equal(code, 1);
  assert.equal(c.findings[0]!.kind, 'no-data');
  assert.equal(c.findings[0]!.severity, 'high');
  assert.match(c.noData!, /no data could be read from http:\/\/127\.0\.0\.1:\d+: every call answered HTTP 503, a leader election is under way/);
  assert.doesNotMatch(text, /Findings: none/);
  assert.match(text, /high: no-data: no data could be read/);
  assert.ok(!c.notes.some((n) => n.includes('rules of 2.x')), 'no version guess from nothing');

  const login = { contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/oauth2/start">Sign in with SSO</form></body></html>' };
  const html = await inspect(Object.fromEntries(['/config', '/overview', '/jobmanager/config', '/jobmanager/environment', '/taskmanagers', '/jobmanager/metrics', '/jobs/overview'].map((p) => [p, login])));
  assert.match(html.json.noData!, /it answered with an HTML page \("Sign in"\), probably a login or proxy page, not Flink's REST API/);
  assert.ok(html.json.errors.every((e) => e.message === 'an HTML page ("Sign in") instead of JSON: probably a login or proxy page, not Flink\'s REST API'));
  assert.doesNotMatch(html.text, /Findings: none/);
  assert.equal(htmlPage('{"errors":[]}'), undefined);
  assert.equal(htmlPage('<html><body>502 Bad Gateway</body></html>'), '');

  // One endpoint behind a login page is an error of that endpoint, not "no data".
  const partly = await inspect({ ...otelRoutes(), '/jobs/overview': login });
  assert.equal(partly.json.noData, null);
  assert.ok(!partly.json.findings.some((f) => f.kind === 'no-data'));
});

test('without /jobmanager/config no finding asserts the state backend', async () => {
  const routes = otelRoutes();
  routes['/jobmanager/config'] = { status: 404, body: '{"errors":["Not found: /jobmanager/config"]}' };
  const { json: c } = await inspect(routes);
  const idle = c.findings.find((f) => f.kind === 'managed-idle')!;
  assert.equal(idle.severity, 'low');
  assert.match(idle.summary, /the state backend is not known/);
  for (const f of c.findings) assert.doesNotMatch(f.summary, /heap state backend keeps|RocksDB holds/, f.kind);
  assert.ok(c.notes.some((n) => n.includes('the state backend is not known')));
});

test('no details body: GC collectors from the metrics list; used network from total - available', async () => {
  // Without UsedMemory and UsedMemorySegments (Flink 1.10/1.11, or an empty value), used = total - available.
  const metrics = setMetric(setMetric(OTEL_METRICS, 'Status.Shuffle.Netty.UsedMemory', ''), 'Status.Shuffle.Netty.UsedMemorySegments', undefined);
  const { json: c } = await inspect(otelRoutes(metrics));
  const tm = c.taskManagers[0]!;
  assert.deepEqual(tm.gc, [
    { name: 'G1_Young_Generation', count: '26', timeMs: '675' },
    { name: 'G1_Old_Generation', count: '0', timeMs: '0' },
  ]);
  assert.equal(tm.used.networkUsed, String(134217728 - 134086656));
  assert.ok(!c.errors.some((e) => e.url.endsWith('/metrics')), 'the metrics list is an optional call');
});
