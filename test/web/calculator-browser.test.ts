/**
 * The web app end to end, in headless Chromium against `flink-memory serve` on a loopback port:
 * every number the calculator shows equals `flink-memory explain --format json` for the same
 * configuration (Flink's shipped defaults, and a RocksDB TaskManager with managed.fraction 0.6),
 * a rejection appears beside the option that causes it, the URL reproduces the state, comparison,
 * exports, the planner, a real GC log's charts, and the live view through the REST proxy.
 * Screenshots are kept in dist/test-artifacts/web. Skipped with the reason when Chromium is absent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/serve/server.js';
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

  describe('live view', () => {
    let flink: Server;
    let base: string;
    before(async () => {
      // A stand-in Flink REST API on loopback with one TaskManager under heap pressure.
      const tm = {
        id: 'tm-1',
        slotsNumber: 2,
        freeSlots: 0,
        memoryConfiguration: {
          frameworkHeap: 134217728, taskHeap: 402653174, frameworkOffHeap: 134217728, taskOffHeap: 0, networkMemory: 134217730,
          managedMemory: 536870920, jvmMetaspace: 268435456, jvmOverhead: 201326592, totalFlinkMemory: 1342177280, totalProcessMemory: 1811939328,
        },
      };
      flink = createServer((req, res) => {
        const body =
          req.url === '/taskmanagers' ? { taskmanagers: [tm] }
          : req.url === '/taskmanagers/tm-1' ? { ...tm, metrics: { heapUsed: 500_000_000, heapMax: 536870912, directUsed: 1000, directMax: 268435458, garbageCollectors: [{ name: 'G1_Young_Generation', count: 7, time: 42 }] } }
          : req.url === '/jobs/overview' ? { jobs: [] }
          : undefined;
        if (body === undefined) res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":["Not found"]}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
      await new Promise<void>((r) => flink.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(flink.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((r) => flink.close(() => r())));

    test('shows configured vs used memory per TaskManager through the proxy', async () => {
      await page.goto(`${server.url}#live`);
      await page.fill('#live-url', base);
      await page.click('.live button[type="submit"]');
      const row = page.locator('[data-tm="tm-1"]');
      await row.waitFor({ timeout: 15_000 });
      const cells = await row.locator('td').allTextContents();
      assert.equal(cells[0], '1.69 GiB');
      assert.equal(cells[1], '476.8 MiB / 512 MiB (93%)');
      assert.match(cells[5] ?? '', /G1_Young_Generation: 7 \(42 ms\)/);
      assert.match(cells[6] ?? '', /heap 93% used \(of 512 MiB\).*taskmanager\.memory\.task\.heap\.size: 480m, taskmanager\.memory\.process\.size: 1825m/);
      await page.screenshot({ path: join(ARTIFACTS, 'live.png'), fullPage: true });
    });
  });
});
