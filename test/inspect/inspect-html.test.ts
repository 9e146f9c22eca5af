/**
 * `inspect --format html` against the replay server: the page shows the numbers of the JSON for the
 * same cluster, escapes what the cluster sends (a TaskManager id that is a script tag), and
 * Chromium lays it out offline (skipped with the reason where Chromium is not installed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatSize } from '../../src/report/format.js';
import { esc } from '../../src/report/inspect-html.js';
import type { InspectJson } from '../../src/inspect/result.js';
import { runCliCaptured } from '../cli/cli-harness.js';
import { clusterRoutes, fixture, startReplay, TM_ID, type Route } from './replay-server.js';

const FAST = ['--timeout', '500', '--retries', '0'];
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const EVIL_ID = '<script>alert(1)</script>';
const EVIL_JOB = `"><img src=x onerror="alert(2)">`;

/** The replay cluster with a TaskManager id and a job name written by an attacker. */
function evilRoutes(): Record<string, Route> {
  const routes = clusterRoutes();
  const swap = (r: Route | undefined, from: string, to: string): Route => ({ body: (r as { body: string }).body.split(from).join(to) });
  const jsonId = JSON.stringify(EVIL_ID).slice(1, -1);
  routes['/taskmanagers'] = swap(routes['/taskmanagers'], TM_ID, jsonId);
  routes[`/taskmanagers/${encodeURIComponent(EVIL_ID)}`] = swap(routes[`/taskmanagers/${TM_ID}`], TM_ID, jsonId);
  routes[`/taskmanagers/${encodeURIComponent(EVIL_ID)}/metrics`] = routes[`/taskmanagers/${TM_ID}/metrics`]!;
  delete routes[`/taskmanagers/${TM_ID}`];
  delete routes[`/taskmanagers/${TM_ID}/metrics`];
  const jobs = JSON.parse(fixture('real/jobs_overview/smartsi-publearnnotes.json')) as { jobs: { name: string }[] };
  for (const j of jobs.jobs) j.name = EVIL_JOB;
  routes['/jobs/overview'] = { body: JSON.stringify(jobs) };
  return routes;
}

async function both(routes: Record<string, Route>, dir: string): Promise<{ json: InspectJson; html: string; code: number; stderr: string }> {
  const server = await startReplay(routes);
  try {
    const j = await runCliCaptured(['inspect', '--rest', server.url, '--format', 'json', ...FAST]);
    const out = join(dir, 'report.html');
    const h = await runCliCaptured(['inspect', '--rest', server.url, '--format', 'html', '--out', out, ...FAST]);
    assert.equal(h.stdout, '', 'with --out nothing goes to stdout');
    return { json: JSON.parse(j.stdout) as InspectJson, html: readFileSync(out, 'utf8'), code: h.code, stderr: h.stderr };
  } finally {
    await server.close();
  }
}

test('html: the numbers of the JSON, self-contained, no script', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-inspect-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { json, html, code, stderr } = await both(clusterRoutes(), dir);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /wrote .*report\.html/);
  const c = json.clusters[0]!;
  const tm = c.taskManagers[0]!;

  assert.match(html, /^<!doctype html>/);
  assert.ok(!/<script|<link|src=|https?:\/\/(?!127\.0\.0\.1)/i.test(html), 'no script, no external resource');
  assert.match(html, /<style>/);
  // Fleet table, worst first: one row, the worst finding critical oom-metaspace.
  assert.equal(c.findings.length, 8);
  assert.ok(html.includes('<td>1.13.5</td><td class="n">1</td><td class="n">26%</td><td class="n">0%</td><td class="n">9</td><td><span class="sev critical">critical</span> oom-metaspace +7</td><td class="n">0</td></tr>'));

  // The TaskManager: configured process 2 GiB, and used vs max per kind, as in the JSON.
  assert.equal(tm.configured!['totalProcessMemory'], '2147483648');
  assert.ok(html.includes(`<code>${TM_ID}</code>`));
  const cell = (used: string, max: string, pct: number) => `<span title="${used} bytes">${formatSize(BigInt(used))}</span> / <span title="${max} bytes">${formatSize(BigInt(max))}</span> <b>${pct}%</b>`;
  assert.ok(html.includes('<span title="2147483648 bytes">2 GiB</span>'));
  // Percentages are rounded, not truncated: 25.84% is 26%.
  assert.ok(html.includes(cell('180355072', '697932173', 26)), 'heap 172 MiB / 665.6 MiB 26%');
  assert.ok(html.includes(cell('0', '665719939', 0)), 'managed 0 B / 634.9 MiB');
  assert.ok(html.includes(cell('4194304', '166428672', 3)), 'network 4 MiB / 158.7 MiB');
  assert.ok(html.includes(cell('241172480', '268435456', 90)), 'metaspace 230 MiB / 256 MiB');
  assert.equal(tm.used.heapUsed, '180355072');
  // Configured (reported) network differs from the metric's total: both are shown.
  assert.ok(html.includes('configured <span title="166429984 bytes">158.72 MiB</span>') || html.includes(`configured <span title="166429984 bytes">${formatSize(166429984n)}</span>`));
  // Bars: the 90% metaspace bar (89.84% rounded) is red, its width 90 of 100.
  assert.match(html, /aria-label="90%"><rect class="track"[^>]*\/><rect class="hi" x="0" y="0" width="90" height="8"\/>/);
  // Disagreements with exact bytes.
  assert.ok(html.includes('<td>taskHeap</td><td class="n"><span title="563714445 bytes">537.6 MiB</span> (563714445)</td><td class="n"><span title="402653174 bytes">384 MiB</span> (402653174)</td>'));

  // GC per collector.
  assert.ok(html.includes('<td>G1_Young_Generation</td><td class="n">1234</td><td class="n">5678</td>'));
  assert.ok(html.includes('<td>G1_Old_Generation</td><td class="n">2</td><td class="n">340</td>'));

  // Jobs: counts, latest completed, failures classified with their messages, back-pressure.
  assert.ok(html.includes('<td class="n">12</td><td class="n">3</td><td class="n">9</td><td class="n">0</td><td class="n">0</td><td>#3 took 31 ms, <span title="15207 bytes">14.85 KiB</span></td>'));
  assert.ok(html.includes('<td class="n">#12</td><td class="expired">expired</td><td>CHECKPOINT_EXPIRED</td><td><pre>Checkpoint expired before completing.</pre></td><td>2022-05-12T10:09:32.150Z</td>'));
  assert.match(html, /<td class="n">#11<\/td><td class="declined">declined<\/td><td>TASK_CHECKPOINT_FAILURE<\/td><td><pre>Task local checkpoint failure\./);
  assert.ok(html.includes('<td>Source: Custom Source -&gt; Map -&gt; Sink: Print to Std. Out <code class="muted">cbc357ccb763df2852fee8c4fc7d55f2</code></td><td>high</td><td class="n">0.87'));
  assert.match(html, /<b>oom-metaspace<\/b>: java\.lang\.OutOfMemoryError: Metaspace/);

  // Findings: every one of the JSON, with severity.
  for (const f of c.findings) assert.ok(html.includes(`<span class="sev ${f.severity}">${f.severity}</span> <b>${f.kind}</b> (${f.scope}): ${esc(f.summary)}`), f.kind);
  // Proposals: key changes and before/after sizes, as the text shows them.
  assert.equal(c.proposals.length, 2);
  assert.ok(html.includes('taskmanager.memory.jvm-metaspace.size: 288m'));
  assert.ok(html.includes('<td>JVM Metaspace</td><td class="n"><span title="268435456 bytes">256 MiB</span> (268435456)</td><td class="n"><span title="301989888 bytes">288 MiB</span> (301989888)</td>'));
  assert.ok(html.includes('<td>Total Process Memory</td><td class="n"><span title="2147483648 bytes">2 GiB</span> (2147483648)</td><td class="n"><span title="1009778688 bytes">963 MiB</span> (1009778688)</td>'));
  assert.ok(html.includes('taskmanager.memory.process.size: 963m'));
  assert.equal(html.match(/fits the current process size/g)?.length, 2);
  // Notes.
  assert.ok(html.includes('Flink 1.13.5 is older than the oldest modelled line'));
});

test('html: strings from the cluster are escaped (a script tag as TaskManager id)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-inspect-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { json, html } = await both(evilRoutes(), dir);
  const c = json.clusters[0]!;
  assert.equal(c.taskManagers[0]!.id, EVIL_ID, 'the engine read the malicious id');
  assert.equal(c.jobs[0]!.name, EVIL_JOB);
  assert.deepEqual(c.errors, [], 'every call answered, so the report holds the id everywhere');
  assert.ok(!html.includes('<script'), 'no script tag in the page');
  assert.ok(!html.includes('<img'), 'no img tag in the page');
  assert.ok(html.includes('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>'));
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;'));
  // The used heap is still read for that TaskManager.
  assert.ok(html.includes('<span title="180355072 bytes">172 MiB</span>'));
});

test('html: a cluster that does not answer is a report with its errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-inspect-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { json, html, code } = await both({ '/overview': { status: 500, body: '{"errors":["<b>boom</b>"]}' } }, dir);
  assert.equal(code, 1);
  const c = json.clusters[0]!;
  assert.ok(c.errors.length > 0);
  assert.match(html, /<h3>Errors \(\d+; the figures above are partial\)<\/h3>/);
  assert.ok(html.includes('HTTP 500: &lt;b&gt;boom&lt;/b&gt;'));
  assert.ok(!html.includes('<b>boom'));
});

test('html: a fleet, worst cluster first in the summary table', async () => {
  const broken = await startReplay({ '/overview': { status: 404, body: '{"errors":["Not found"]}' } });
  const full = await startReplay(clusterRoutes());
  try {
    const run = await runCliCaptured(['inspect', '--rest', broken.url, '--rest', full.url, '--format', 'html', ...FAST]);
    assert.equal(run.code, 1, run.stderr);
    const html = run.stdout;
    const order = [...html.matchAll(/<tr data-cluster="(\d)"><td><a href="#cluster-\d">([^<]*)<\/a>/g)].map((m) => m[2]);
    assert.deepEqual(order, [full.url, broken.url], 'the cluster with a critical finding first');
    assert.ok(html.includes('<h1>Flink fleet: 2 clusters</h1>'));
    assert.equal(html.match(/<section class="cluster"/g)?.length, 2);
  } finally {
    await broken.close();
    await full.close();
  }
});

test('Chromium lays out the inspect report offline', { skip: CHROMIUM === undefined ? 'Chromium not installed' : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-inspect-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { html } = await both(evilRoutes(), dir);
  // A script added after load reports what the browser laid out through the title.
  const probe = join(dir, 'probe.html');
  const measure = `<script>addEventListener('load', () => {
    const bars = [...document.querySelectorAll('svg.bar')];
    const tm = document.querySelector('table.taskmanagers tr.tm code');
    document.title = JSON.stringify({
      scripts: document.scripts.length, imgs: document.images.length, bars: bars.length,
      sized: bars.filter((b) => b.getBoundingClientRect().width >= 100 && b.getBoundingClientRect().height >= 8).length,
      tmId: tm === null ? null : tm.textContent, rows: document.querySelectorAll('table.taskmanagers tbody tr').length,
      proposals: document.querySelectorAll('.proposal').length,
    });
  });</script>`;
  writeFileSync(probe, html.replace('</body>', `${measure}</body>`));
  const dom = execFileSync(CHROMIUM!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${probe}`,
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
  const title = /<title>(.*?)<\/title>/s.exec(dom)?.[1] ?? '';
  const laidOut = JSON.parse(title.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Record<string, unknown>;
  assert.equal(laidOut['scripts'], 1, 'only the probe runs: the id did not become a script');
  assert.equal(laidOut['imgs'], 0, 'the job name did not become an image');
  assert.equal(laidOut['tmId'], EVIL_ID, 'the id is shown as text');
  assert.equal(laidOut['rows'], 1);
  assert.equal(laidOut['proposals'], 2);
  // heap, managed, network, metaspace of the TaskManager + JobManager heap and metaspace + back-pressure.
  assert.equal(laidOut['bars'], 7);
  assert.equal(laidOut['sized'], 7, 'every bar has a real size');
});
