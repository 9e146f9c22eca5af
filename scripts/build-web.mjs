#!/usr/bin/env node
// Bundles the web app (src/web) for `flink-memory serve` into dist/web: one JS file (Preact, uPlot
// and the same src/memory, src/plan and src/report code the CLI runs) and one CSS file, plus
// index.html. Run by `prepare` and `test`, so `npm ci` leaves a working app; `serve` needs no build
// tools at run time. Prints the gzipped sizes, the budget is 300 KB for the calculator page.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const out = 'dist/web';
const BUDGET_GZIP = 300 * 1024;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: 'src/web/main.tsx' },
  bundle: true,
  format: 'esm',
  // Browsers from 2021 on: bigint literals, optional chaining, top-level ESM.
  target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
  // platform browser makes any node: import a build error, so Node-only code cannot slip in.
  platform: 'browser',
  minify: true,
  sourcemap: false,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: 'src/web/tsconfig.json',
  outdir: out,
  legalComments: 'linked',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: 'src/web/styles.css' },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
});
copyFileSync('src/web/index.html', `${out}/index.html`);
copyFileSync('src/web/favicon.svg', `${out}/favicon.svg`);

let total = 0;
const lines = [];
for (const name of ['index.html', 'app.js', 'app.css']) {
  const bytes = readFileSync(`${out}/${name}`);
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  lines.push(`${name} ${(bytes.length / 1024).toFixed(1)} KB (${(gz / 1024).toFixed(1)} KB gzipped)`);
}
if (process.env.BUILD_WEB_QUIET === undefined) console.error(`web app: ${lines.join(', ')}; page total ${(total / 1024).toFixed(1)} KB gzipped`);
if (total > BUDGET_GZIP) {
  console.error(`web app: over the budget of ${BUDGET_GZIP / 1024} KB gzipped`);
  process.exit(1);
}
