/**
 * The HTML report in a real browser: Chromium loads the file offline and lays out its three
 * charts. Skipped (with the reason) where Chromium is not installed (`apt-get install chromium`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliCaptured } from '../cli/cli-harness.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/gc/unified/g1-gcstar-pressure.txt');

test('Chromium renders the HTML report offline with its charts', { skip: CHROMIUM === undefined ? 'Chromium not installed' : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const html = join(dir, 'report.html');
  const run = await runCliCaptured(['gc', FIXTURE, '--format', 'html', '--out', html]);
  assert.equal(run.code, 0, run.stderr);
  const pauses = readFileSync(FIXTURE, 'latin1').split('\n').filter((l) => /\] GC\(\d+\) Pause .* \d+\.\d+ms$/.test(l)).length;

  // A script run by the page after load reports what the browser laid out, through the title.
  const probe = join(dir, 'probe.html');
  const measure = `<script>addEventListener('load', () => {
    const svgs = [...document.querySelectorAll('svg')];
    const sized = svgs.filter((s) => s.getBoundingClientRect().width > 300 && s.getBoundingClientRect().height > 100).length;
    const dots = svgs.map((s) => s.querySelectorAll('circle').length);
    document.title = JSON.stringify({ svgs: svgs.length, sized, dots, bars: document.querySelectorAll('svg rect').length });
  });</script>`;
  writeFileSync(probe, readFileSync(html, 'utf8').replace('</body>', `${measure}</body>`));
  const dom = execFileSync(CHROMIUM!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${probe}`,
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
  const title = /<title>(.*?)<\/title>/.exec(dom)?.[1] ?? '';
  const laidOut = JSON.parse(title.replace(/&quot;/g, '"')) as { svgs: number; sized: number; dots: number[]; bars: number };
  assert.equal(laidOut.svgs, 3, 'heap-after-GC, pause-duration and histogram charts');
  assert.equal(laidOut.sized, 3, 'every chart has a real size on the page');
  assert.equal(laidOut.dots[1], pauses, 'one dot per pause in the pause chart');
  assert.ok(laidOut.dots[0]! > 0 && laidOut.bars > 0);
});
