/**
 * `npm run bench:web`: what one keystroke in the calculator costs, and what the page weighs.
 *
 * - Node: the pure work of one input (derive with the exact model, the nested boxes, the stacked
 *   bar, the config.yaml export), over a sequence of values as a user types them.
 * - Chromium (when installed): the same in the real page, from the `input` event until the DOM
 *   shows the new numbers (Preact's render included), and the derivation time the page records.
 * - The bundle: each file of dist/web gzipped (level 9); the budget is 300 KB for the page.
 * Figures vary with the machine; the README quotes one run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { resolveFlinkVersion } from '../src/memory/versions.js';
import { renderExport } from '../src/web/exports.js';
import { boxTree, derive, segments } from '../src/web/model.js';
import { startServer } from '../src/serve/server.js';
import { CHROMIUM, launchChromium } from '../test/web/browser.js';

/** What a user types into taskmanager.memory.process.size, keystroke by keystroke (some are rejected). */
const TYPED = ['4', '40', '409', '4096', '4096m', '8', '81', '819', '8192', '8192m', '1', '17', '172', '1728', '1728m'];

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `median ${quantile(s, 0.5).toFixed(3)} ms, p95 ${quantile(s, 0.95).toFixed(3)} ms, max ${s[s.length - 1]!.toFixed(3)} ms (${s.length} inputs)`;
}

function nodeRecompute(rounds: number): number[] {
  const version = resolveFlinkVersion('2.x');
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const value of TYPED) {
      const config = { 'taskmanager.memory.process.size': value, 'taskmanager.memory.managed.fraction': '0.6', 'taskmanager.numberOfTaskSlots': '4' };
      const start = performance.now();
      const result = derive('taskmanager', config, version);
      if (result.ok) {
        boxTree(result.spec, config);
        segments(result.spec);
        renderExport('config.yaml', config, result.spec, version);
      }
      times.push(performance.now() - start);
    }
  }
  return times;
}

async function chromiumRecompute(rounds: number): Promise<{ inputToDom: number[]; derive: number[] } | undefined> {
  if (CHROMIUM === undefined) return undefined;
  const server = await startServer({ port: 0, host: '127.0.0.1' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-side="a"] table.components');
    // Runs in the page: set the field, fire `input`, and stop the clock at the first DOM mutation
    // batch (Preact renders the whole update in one go, and observers run right after it).
    const result = (await page.evaluate(`(async () => {
      const typed = ${JSON.stringify(TYPED)};
      const field = document.querySelector('[name="taskmanager.memory.process.size"]');
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const root = document.querySelector('#view');
      const inputToDom = [], derive = [];
      for (let round = 0; round < ${rounds}; round++) {
        for (const value of typed) {
          let start = 0;
          const changed = new Promise((resolve) => {
            const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now() - start); });
            observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
          });
          start = performance.now();
          setter.call(field, value);
          field.dispatchEvent(new Event('input', { bubbles: true }));
          inputToDom.push(await changed);
          derive.push(Number(document.querySelector('.calculator').dataset.recomputeMs));
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      return { inputToDom, derive };
    })()`)) as { inputToDom: number[]; derive: number[] };
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}

function bundleSizes(): string[] {
  const dir = join(import.meta.dirname, '..', 'web');
  let total = 0;
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const bytes = readFileSync(join(dir, name));
    const gz = gzipSync(bytes, { level: 9 }).length;
    total += gz;
    lines.push(`  ${name.padEnd(14)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB  ${(gz / 1024).toFixed(1).padStart(6)} KB gzipped`);
  }
  lines.push(`  page total     ${(total / 1024).toFixed(1).padStart(24)} KB gzipped (budget 300 KB)`);
  return lines;
}

nodeRecompute(20); // warm-up: the JIT, as the page warms up over the first keystrokes
console.log(`Recomputation per input, Node ${process.version} (derive + boxes + bar + config.yaml): ${stats(nodeRecompute(200))}`);
const browser = await chromiumRecompute(20);
if (browser === undefined) console.log('Chromium: not installed, skipped (apt-get install chromium)');
else {
  console.log(`Chromium, input event to updated DOM (Preact render included): ${stats(browser.inputToDom)}`);
  console.log(`Chromium, derivation as the page records it: ${stats(browser.derive)}`);
}
console.log('Bundle (dist/web):');
for (const line of bundleSizes()) console.log(line);
