/**
 * The web app end to end, in headless Chromium against `flink-memory serve` on a loopback port:
 * every number the calculator shows equals `flink-memory explain --format json` for the same
 * configuration (Flink's shipped defaults, and a RocksDB TaskManager with managed.fraction 0.6),
 * a rejection appears beside the option that causes it, the URL reproduces the state, comparison,
 * exports, the planner, a real GC log's charts, and the live view (the inspect engine on the server,
 * against the replay server of test/inspect: the page shows the numbers of `inspect --format json`).
 * Screenshots are kept in dist/test-artifacts/web. Skipped with the reason when Chromium is absent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ClusterJson, InspectJson } from '../../src/inspect/result.js';
import { formatSize } from '../../src/report/format.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { clusterRoutes, startReplay, type ReplayServer } from '../inspect/replay-server.js';
import { runCliCaptured } from '../cli/cli-harness.js';
import { ARTIFACTS, launchChromium, SKIP_REASON } from './browser.js';

interface ExplainOk {
  readonly ok: true;
  readonly mode: string;
  readonly memory: Readonly<Record<string, string>>;
  readonly jvmParams: string;
  readonly dynamicConfigs: string;
  readonly cpuCores?: number;
  readonly numSlots?: number;
}

async function explain(args: readonly string[]): Promise<ExplainOk> {
  const run = await runCliCaptured(['explain', '--format', 'json', ...args]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as ExplainOk;
}

/** The share `explain` prints: bytes × 10000 / total, truncated, shown with one decimal. */
function share(bytes: string, total: string): string {
  return `${(Number((BigInt(bytes) * 10000n) / BigInt(total)) / 100).toFixed(1)}%`;
}

interface PageNumbers {
  readonly rows: ReadonlyArray<{ id: string; dataBytes: string; bytesText: string; shareText: string }>;
  readonly boxes: ReadonlyArray<{ id: string; bytes: string; share: string }>;
  readonly segments: ReadonlyArray<{ id: string; bytes: string }>;
  readonly legend: ReadonlyArray<{ id: string; bytes: string; share: string }>;
  readonly jvmParams: string;
  readonly dynamicConfigs: string;
  readonly numSlots: string | null;
  readonly cpuCores: string | null;
  readonly total: string;
}

/** Everything with a number in the calculator's result, read from the DOM in one go. */
async function readNumbers(page: Page, side = 'a'): Promise<PageNumbers> {
  return (await page.evaluate(`(() => {
    const root = document.querySelector('[data-side="${side}"]');
    const text = (el) => (el === null ? null : el.textContent);
    return {
      rows: [...root.querySelectorAll('table.components tr[data-component]')].map((tr) => ({
        id: tr.dataset.component, dataBytes: tr.dataset.bytes, bytesText: tr.querySelector('[data-testid="bytes"]').textContent, shareText: tr.children[3].textContent })),
      boxes: [...root.querySelectorAll('.boxes [data-component]')].map((b) => ({
        id: b.dataset.component, bytes: b.dataset.bytes, share: b.querySelector(':scope > .box-head .box-share').textContent })),
      segments: [...root.querySelectorAll('[data-segment]')].map((s) => ({ id: s.dataset.segment, bytes: s.dataset.bytes })),
      legend: [...root.querySelectorAll('[data-legend]')].map((l) => ({ id: l.dataset.legend, bytes: l.dataset.bytes, share: l.querySelector('.muted').textContent })),
      jvmParams: text(root.querySelector('[data-testid="jvm-params"]')),
      dynamicConfigs: text(root.querySelector('[data-testid="dynamic-configs"]')),
      numSlots: text(root.querySelector('[data-testid="num-slots"]')),
      cpuCores: text(root.querySelector('[data-testid="cpu-cores"]')),
      total: root.querySelector('.summary .num').textContent,
    };
  })()`)) as PageNumbers;
}

/** Every number on the page against the CLI's JSON for the same configuration. */
function assertMatchesExplain(numbers: PageNumbers, json: ExplainOk, label: string): void {
  const total = json.memory['totalProcessMemory']!;
  assert.deepEqual(numbers.rows.map((r) => r.id), Object.keys(json.memory), `${label}: one row per component, in the JSON's order`);
  for (const row of numbers.rows) {
    const expected = json.memory[row.id]!;
    assert.equal(row.dataBytes, expected, `${label}: ${row.id}`);
    assert.equal(row.bytesText, expected, `${label}: ${row.id} as shown`);
    assert.equal(row.shareText, share(expected, total), `${label}: ${row.id} share`);
  }
  assert.ok(numbers.boxes.length >= 6, `${label}: the nested boxes are drawn`);
  for (const box of numbers.boxes) {
    const expected = box.id === 'offHeapMemory' ? (BigInt(json.memory['jvmDirect']!) + BigInt(json.memory['managed']!)).toString() : json.memory[box.id];
    assert.equal(box.bytes, expected, `${label}: box ${box.id}`);
    assert.equal(box.share, share(expected!, total), `${label}: box ${box.id} share`);
  }
  const leaves = numbers.segments.reduce((sum, s) => sum + BigInt(s.bytes), 0n);
  assert.equal(leaves.toString(), total, `${label}: the stacked bar adds up to the process`);
  for (const s of numbers.segments) assert.equal(s.bytes, json.memory[s.id], `${label}: segment ${s.id}`);
  for (const l of numbers.legend) {
    assert.equal(l.bytes, json.memory[l.id], `${label}: legend ${l.id}`);
    assert.equal(l.share, share(l.bytes, total), `${label}: legend ${l.id} share`);
  }
  assert.equal(numbers.total, `(${total} bytes)`);
  assert.equal(numbers.jvmParams, json.jvmParams, `${label}: JVM parameters`);
  assert.equal(numbers.dynamicConfigs, json.dynamicConfigs, `${label}: dynamic configs`);
  if (json.numSlots !== undefined) assert.equal(Number(numbers.numSlots), json.numSlots);
  if (json.cpuCores !== undefined) assert.equal(Number(numbers.cpuCores), json.cpuCores);
}

describe('web app in Chromium', { skip: SKIP_REASON }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // The page must not reach anything but this server (CSP, no CDN).
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) pageErrors.push(`request to ${r.url()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    assert.deepEqual(pageErrors, [], 'no script errors and no requests to other origins');
  });

  test("Flink's shipped configuration: every number equals explain --format json", async () => {
    await page.goto(server.url);
    await page.waitForSelector('[data-side="a"] table.components');
    assertMatchesExplain(await readNumbers(page), await explain([]), 'defaults');
    await page.locator('[data-component="managed"]').first().hover();
    assert.match((await page.textContent('[data-testid="detail"]')) ?? '', /^Managed Memory: 512 MiB \(536870920 bytes\), 29\.6% of the process/);
    assert.equal(await page.textContent('[data-testid="detail-provenance"]'), '0.4 x Total Flink Memory (1.25 GiB) = 512 MiB, taskmanager.memory.managed.fraction (default); within [0 B, unbounded]');
    await page.screenshot({ path: join(ARTIFACTS, 'calculator-defaults.png'), fullPage: true });
  });

  test('RocksDB TaskManager (managed.fraction 0.6): options recompute instantly and match explain', async () => {
    await page.goto(server.url);
    await page.fill('[name="taskmanager.memory.process.size"]', '4096m');
    await page.fill('[name="taskmanager.memory.managed.fraction"]', '0.6');
    await page.fill('[name="taskmanager.numberOfTaskSlots"]', '4');
    await page.fill('[name="other-options"]', 'state.backend.type: rocksdb');
    const json = await explain(['-D', 'taskmanager.memory.process.size=4096m', '-D', 'taskmanager.memory.managed.fraction=0.6', '-D', 'taskmanager.numberOfTaskSlots=4', '-D', 'state.backend.type=rocksdb']);
    assert.equal(json.memory['managed'], '2158221148', '0.6 x Total Flink Memory (3.35 GiB)');
    assertMatchesExplain(await readNumbers(page), json, 'rocksdb');
    await page.screenshot({ path: join(ARTIFACTS, 'calculator-rocksdb.png'), fullPage: true });

    // The link reproduces the state: a fresh page on the same URL shows the same numbers.
    const link = page.url();
    assert.match(link, /taskmanager\.memory\.managed\.fraction=0\.6/);
    const second = await browser.newPage();
    await second.goto(link);
    await second.waitForSelector('[data-side="a"] table.components');
    assertMatchesExplain(await readNumbers(second), json, 'rocksdb from the link');
    assert.equal(await second.inputValue('[name="other-options"]'), 'state.backend.type: rocksdb');
    await second.close();

    const ms = Number(await page.getAttribute('.calculator', 'data-recompute-ms'));
    assert.ok(ms >= 0 && ms < 50, `recomputation took ${ms} ms`);
  });

  test("Flink's rejection is shown next to the option that causes it, with explain's message", async () => {
    await page.goto(server.url);
    await page.fill('[name="taskmanager.memory.managed.fraction"]', '1.5');
    const run = await runCliCaptured(['explain', '--format', 'json', '-D', 'taskmanager.memory.managed.fraction=1.5']);
    assert.equal(run.code, 1);
    const json = JSON.parse(run.stdout) as { message: string; keys: string[] };
    assert.equal(await page.textContent('[data-testid="rejection-message"]'), json.message);
    const fieldError = page.locator('[data-key="taskmanager.memory.managed.fraction"] .field-error');
    assert.equal(await fieldError.textContent(), json.message);
    assert.equal(await page.getAttribute('[name="taskmanager.memory.managed.fraction"]', 'aria-invalid'), 'true');
    assert.equal(await page.locator('.field .field-error').count(), 1, 'only the option involved is marked');
    await page.screenshot({ path: join(ARTIFACTS, 'calculator-rejection.png') });
  });

  test('JobManager on Flink 1.20 with the legacy heap key matches explain', async () => {
    await page.goto(server.url);
    await page.selectOption('#flink-version', '1.20');
    await page.check('input[name="process"][value="jobmanager"]');
    await page.fill('[name="jobmanager.memory.process.size"]', '');
    await page.fill('[name="jobmanager.heap.size"]', '1g');
    // The page holds only the legacy key now: an empty file plus -D is the same configuration.
    const dir = mkdtempSync(join(tmpdir(), 'flink-memory-web-'));
    writeFileSync(join(dir, 'config.yaml'), '');
    const json = await explain(['--process', 'jobmanager', '--flink-version', '1.20', '--config', join(dir, 'config.yaml'), '-D', 'jobmanager.heap.size=1g']);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(json.memory['jvmHeap'], '1073741824');
    assertMatchesExplain(await readNumbers(page), json, 'jobmanager 1.20 legacy');
  });

  test('two configurations side by side', async () => {
    await page.goto(server.url);
    await page.check('input[name="compare"]');
    await page.fill('#b-taskmanager\\.memory\\.managed\\.size', '0');
    const row = page.locator('[data-compare="managed"]');
    assert.equal(await row.getAttribute('data-a'), '536870920');
    assert.equal(await row.getAttribute('data-b'), '0');
    const b = await explain(['-D', 'taskmanager.memory.managed.size=0']);
    assertMatchesExplain(await readNumbers(page, 'b'), b, 'side B');
    assert.equal(await page.locator('[data-compare="taskHeap"]').getAttribute('data-b'), b.memory['taskHeap']);
    await page.screenshot({ path: join(ARTIFACTS, 'calculator-compare.png'), fullPage: true });
  });

  test('exports: config.yaml, flink-conf.yaml, -D flags, FlinkDeployment patch', async () => {
    await page.goto(`${server.url}#calc?v=2.x&p=taskmanager&taskmanager.memory.process.size=4g&taskmanager.memory.managed.fraction=0.6`);
    await page.waitForSelector('[data-testid="export-text"]');
    assert.equal(await page.textContent('[data-testid="export-text"]'), 'taskmanager:\n  memory:\n    process:\n      size: 4g\n    managed:\n      fraction: 0.6\n');
    await page.click('[data-export="flink-conf.yaml"]');
    assert.equal(await page.textContent('[data-testid="export-text"]'), 'taskmanager.memory.process.size: 4g\ntaskmanager.memory.managed.fraction: 0.6\n');
    await page.click('[data-export="dynamic"]');
    assert.equal(await page.textContent('[data-testid="export-text"]'), '-Dtaskmanager.memory.process.size=4g -Dtaskmanager.memory.managed.fraction=0.6\n');
    await page.click('[data-export="flinkdeployment"]');
    const patch = (await page.textContent('[data-testid="export-text"]')) ?? '';
    assert.match(patch, /flinkConfiguration:\n {4}taskmanager\.memory\.managed\.fraction: "0\.6"\n/);
    assert.match(patch, /taskManager:\n {4}resource:\n {6}memory: "4g"\n/);
  });

  test('keyboard: tabs move with the arrow keys, boxes take focus and explain themselves', async () => {
    await page.goto(server.url);
    await page.focus('#tab-calc');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-plan', 'aria-selected'), 'true');
    await page.waitForURL(/#plan\?/);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('.boxes');
    await page.focus('.boxes [data-component="network"]');
    assert.match((await page.textContent('[data-testid="detail"]')) ?? '', /^Network: 128 MiB \(134217730 bytes\)/);
  });

  test('planner: a 4g RocksDB TaskManager with 2 slots, as flink-memory plan', async () => {
    await page.goto(`${server.url}#plan`);
    await page.fill('#plan-memory', '4g');
    await page.selectOption('#plan-backend', 'rocksdb');
    await page.fill('#plan-slots', '2');
    const run = await runCliCaptured(['plan', '--memory', '4g', '--state-backend', 'rocksdb', '--slots', '2', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { settings: Array<{ key: string; value: string }>; explain: ExplainOk };
    const shown = await page.locator('[data-testid="plan-settings"] li code').allTextContents();
    assert.deepEqual(shown, json.settings.map((s) => `${s.key}: ${s.value}`));
    const rows = await page.locator('table.components tr[data-component]').evaluateAll((trs) => trs.map((r) => [r.getAttribute('data-component') ?? '', r.getAttribute('data-bytes') ?? '']));
    assert.deepEqual(Object.fromEntries(rows), json.explain.memory);
    await page.screenshot({ path: join(ARTIFACTS, 'planner.png'), fullPage: true });
  });

  test('reports: a real G1 GC log shows its figures and charts', async () => {
    const fixture = join(import.meta.dirname, '../../../test/fixtures/gc/unified/g1-gcstar-pressure.txt');
    const run = await runCliCaptured(['gc', fixture, '--format', 'json']);
    const json = JSON.parse(run.stdout) as { collector: string; pauses: { count: number } };
    await page.goto(`${server.url}#reports`);
    await page.setInputFiles('#gc-file', fixture);
    await page.waitForSelector('[data-testid="gc-report"]', { timeout: 30_000 });
    assert.equal(await page.textContent('[data-testid="gc-collector"]'), json.collector);
    assert.equal(Number(await page.textContent('[data-testid="gc-pause-count"]')), json.pauses.count);
    for (const chart of ['chart-heap', 'chart-pauses', 'chart-histogram']) {
      const box = await page.locator(`[data-testid="${chart}"] canvas`).boundingBox();
      const [w, h] = [box?.width ?? 0, box?.height ?? 0];
      assert.ok(w > 300 && h > 100, `${chart} is drawn (${w}x${h})`);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'gc-report.png'), fullPage: true });
  });

  test('reports: the doctor diagnoses an incident', async () => {
    const dir = join(import.meta.dirname, '../../../test/fixtures/diagnose/incidents/seed1-full-gc-oom-native');
    await page.goto(`${server.url}#reports`);
    await page.setInputFiles('#doctor-files', [join(dir, 'gc.log'), join(dir, 'taskmanager.out'), join(dir, 'nmt-summaries.txt')]);
    await page.waitForSelector('[data-testid="doctor-report"]', { timeout: 30_000 });
    const rootCause = (await page.textContent('[data-testid="doctor-root-cause"]')) ?? '';
    assert.notEqual(rootCause, 'No memory problem found in these files.');
    assert.ok(rootCause.length > 20, rootCause);
    await page.screenshot({ path: join(ARTIFACTS, 'doctor-report.png'), fullPage: true });
  });

  test('lint problems stand beside the options they concern, as `lint --format json` words them', async () => {
    const config = { 'taskmanager.memory.process.size': '1728m', 'taskmanage.memory.task.off-heap.size': '128m', 'taskmanager.heap.size': '1g', 'env.java.opts.taskmanager': '-Xmx12g', 'taskmanager.memory.managed.fraction': '0,4' };
    const dir = mkdtempSync(join(tmpdir(), 'flink-memory-web-lint-'));
    try {
      writeFileSync(join(dir, 'config.yaml'), Object.entries(config).map(([k, v]) => `${k}: "${v}"`).join('\n') + '\n');
      const run = await runCliCaptured(['lint', '--config', join(dir, 'config.yaml'), '--flink-version', '2.x', '--format', 'json']);
      assert.equal(run.code, 1, run.stderr);
      const cli = (JSON.parse(run.stdout) as { problems: Array<{ code: string; severity: string; key: string | null; message: string; suggestion: string | null }> }).problems.filter((p) => p.key !== null && p.code !== 'rejected');
      assert.deepEqual(cli.map((p) => p.code).sort(), ['ignored-key', 'invalid-value', 'jvm-option-conflict', 'unknown-key']);
      await page.goto(`${server.url}#calc?${new URLSearchParams({ v: '2.x', p: 'taskmanager', ...config })}`);
      await page.waitForSelector('#a-other-lint');
      const shown = (await page.locator('.lint li').evaluateAll((els) => els.map((e) => ({ code: (e as HTMLElement).dataset['code'], key: (e as HTMLElement).dataset['key'], text: e.textContent, inField: e.closest('.field')?.getAttribute('data-key') ?? null })))) as Array<{ code: string; key: string; text: string; inField: string | null }>;
      const text = (p: (typeof cli)[number]) => `${p.severity} (${p.code}): ${p.message}${p.suggestion !== null && p.suggestion !== p.key ? ` Suggestion: ${p.suggestion}` : ''}`;
      assert.deepEqual(shown.map((s) => s.code).sort(), cli.map((p) => p.code).sort());
      for (const p of cli) {
        const s = shown.find((x) => x.code === p.code && x.key === p.key);
        assert.ok(s !== undefined, p.code);
        assert.equal(s.text, text(p), p.code);
      }
      // A form option's problem is in its field; the others under the free-form options.
      assert.equal(shown.find((s) => s.code === 'invalid-value')!.inField, 'taskmanager.memory.managed.fraction');
      assert.equal(await page.locator('#a-other-lint li').count(), 3);
      await page.screenshot({ path: join(ARTIFACTS, 'calculator-lint.png'), fullPage: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('live view', () => {
    let flink: ReplayServer;
    let expected: ClusterJson;
    before(async () => {
      // The replay server of the inspect tests: a Flink 1.13.5 JobManager, a 2 GiB YARN TaskManager,
      // a job with failed checkpoints, back-pressure and a Metaspace OOM. The CLI's JSON for it is the truth.
      flink = await startReplay(clusterRoutes());
      const run = await runCliCaptured(['inspect', '--rest', flink.url, '--format', 'json', '--timeout', '5000']);
      assert.equal(run.code, 1, run.stderr);
      expected = (JSON.parse(run.stdout) as InspectJson).clusters[0]!;
      assert.deepEqual(expected.errors, []);
    });
    after(() => flink.close());

    const size = (s: string | null | undefined): string => (s === null || s === undefined ? '–' : formatSize(BigInt(s)));
    // Nearest whole percent, half up, as inspect's tables print it.
    const pct = (a: string | null, b: string | null): string => `${(BigInt(a!) * 200n + BigInt(b!)) / (2n * BigInt(b!))}%`;

    test('runs the inspect engine on the server and shows its numbers', async () => {
      await page.goto(`${server.url}#live`);
      await page.fill('#live-url', flink.url);
      await page.selectOption('#live-every', '5');
      await page.click('.live button[type="submit"]');
      const tm = expected.taskManagers[0]!;
      const row = page.locator(`[data-tm="${tm.id}"]`);
      await row.waitFor({ timeout: 20_000 });
      const cells = await row.locator('td').allTextContents();
      const u = tm.used;
      assert.equal(cells[0], size(tm.configured!['totalProcessMemory']));
      assert.equal(cells[0], '2 GiB');
      assert.equal(cells[1], `${size(u.heapUsed)} / ${size(u.heapMax)} ${pct(u.heapUsed, u.heapMax)}`);
      assert.equal(cells[1], '172 MiB / 665.6 MiB 26%'); // 25.8%, rounded as the inspect text rounds
      assert.equal(cells[2], `${size(u.managedUsed)} / ${size(u.managedTotal)} ${pct(u.managedUsed, u.managedTotal)}`);
      assert.equal(cells[3], `${size(u.networkUsed)} / ${size(u.networkTotal)} ${pct(u.networkUsed, u.networkTotal)}configured ${size(tm.configured!['network'])}`);
      assert.equal(cells[4], `${size(u.metaspaceUsed)} / ${size(u.metaspaceMax)} ${pct(u.metaspaceUsed, u.metaspaceMax)}`);
      assert.equal(cells[4], '230 MiB / 256 MiB 90%');
      assert.equal(cells[5], `${size(tm.buffers.directUsed)} / ${size(tm.buffers.directMax)}`);
      assert.equal(cells[6], tm.gc.map((g) => `${g.name}: ${g.count} (${g.timeMs} ms)`).join(''));
      assert.equal(cells[6], 'G1_Young_Generation: 1234 (5678 ms)G1_Old_Generation: 2 (340 ms)');
      assert.equal(await row.locator('meter').count(), 4, 'heap, managed, network and metaspace meters');
      assert.equal(await row.locator('meter').nth(3).getAttribute('value'), '90');

      // Jobs: checkpoint counts, the latest completed, failures classified, back-pressure.
      const job = expected.jobs[0]!;
      const jobCells = await page.locator(`[data-job="${job.id}"] td`).allTextContents();
      const cp = job.checkpoints!;
      assert.equal(jobCells[0], String(cp.counts.completed));
      assert.equal(jobCells[1], String(cp.counts.failed));
      assert.equal(jobCells[2], `#${cp.latestCompleted!.id}: ${cp.latestCompleted!.durationMs} ms, ${size(cp.latestCompleted!.checkpointedSize)}`);
      assert.equal(jobCells[3], cp.failures.map((f) => `#${f.id} ${f.classification} (${f.reason}): ${f.message}`).join(''));
      assert.equal(jobCells[3], '#12 expired (CHECKPOINT_EXPIRED): Checkpoint expired before completing.#11 declined (TASK_CHECKPOINT_FAILURE): Task local checkpoint failure.');
      assert.match(jobCells[4] ?? '', /^Source: Custom Source -> Map -> Sink: Print to Std\. Out: high \(0\.87\)oom-metaspace: /);

      // Findings and proposals: the engine's, in its order.
      const kinds = await page.locator('[data-testid="live-findings"] [data-kind]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['kind']));
      assert.deepEqual(kinds, expected.findings.map((f) => f.kind));
      const proposals = page.locator('[data-testid="live-proposals"] .proposal');
      assert.equal(await proposals.count(), expected.proposals.length);
      for (let i = 0; i < expected.proposals.length; i++) {
        const p = expected.proposals[i]!;
        assert.equal(await proposals.nth(i).locator('pre').textContent(), Object.entries(p.set).map(([k, v]) => `${k}: ${v}`).join('\n'));
        const total = await proposals.nth(i).locator('[data-component="totalProcessMemory"] td').allTextContents();
        assert.deepEqual(total, [size(p.before['totalProcessMemory']), `${size(p.after['totalProcessMemory'])} (${p.after['totalProcessMemory']})`]);
      }
      assert.match((await proposals.nth(0).locator('pre').textContent()) ?? '', /taskmanager\.memory\.jvm-metaspace\.size: 288m/);
      await page.screenshot({ path: join(ARTIFACTS, 'live.png'), fullPage: true });

      // It refreshes: another inspection reads the TaskManager again within the interval.
      const before = flink.hits.get(`/taskmanagers/${tm.id}`) ?? 0;
      await page.waitForFunction(`document.querySelector('[data-testid="live-summary"]') !== null`);
      const deadline = Date.now() + 15_000;
      while ((flink.hits.get(`/taskmanagers/${tm.id}`) ?? 0) <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.ok((flink.hits.get(`/taskmanagers/${tm.id}`) ?? 0) > before, 'a second inspection after 5 s');
    });
  });
});
