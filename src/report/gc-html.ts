/**
 * A single self-contained HTML GC report: no script, no external resource, so it opens offline
 * anywhere. Charts are inline SVG drawn from the bounded series of the summary.
 */
import type { GcAdvice } from '../gc/advice.js';
import type { GcSummary } from '../gc/analyze.js';
import { formatSize } from './format.js';

const KIND_COLOURS: Record<string, string> = {
  young: '#2b8cbe',
  mixed: '#7b3294',
  full: '#d7191c',
  remark: '#fdae61',
  cleanup: '#abd9e9',
  'initial-mark': '#1a9641',
};
const colourOf = (kind: string): string => KIND_COLOURS[kind] ?? '#636363';

export function renderGcHtml(s: GcSummary, advice: GcAdvice): string {
  const bytes = (n: number | undefined): string => (n === undefined ? 'n/a' : formatSize(BigInt(Math.round(n))));
  const kinds = Object.entries(s.pauses.byKind).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
  const rows = kinds
    .map(([k, d]) => `<tr><td><span class="dot" style="background:${colourOf(k)}"></span>${esc(k)}</td><td>${d.count}</td><td>${d.totalMs.toFixed(3)}</td><td>${d.meanMs}</td><td>${d.p50Ms}</td><td>${d.p95Ms}</td><td>${d.p99Ms}</td><td>${d.maxMs}</td></tr>`)
    .join('');
  const bad = Object.entries(s.badEvents.counts).map(([k, n]) => `<li><b>${esc(k)}</b>: ${n}</li>`).join('') || '<li>none</li>';
  const h = advice.heap;
  const adviceItems = [
    h === undefined ? '' : `<li><b>${h.action} the JVM heap</b>: ${esc(h.reason)}.${h.action === 'keep' ? '' : `<pre>${esc(Object.entries(h.configChange).map(([k, v]) => `${k}: ${v}`).join('\n'))}</pre>${h.resulting ? `Resulting total process memory ${formatSize(h.resulting.totalProcessBytes)} (${h.resulting.totalProcessBytes} bytes); ${esc(h.resulting.jvmParams)}` : ''}`}</li>`,
    ...advice.flags.map((f) => `<li><code>${esc(f.flag)}</code>: ${esc(f.reason)}</li>`),
    ...advice.configNotes.map((n) => `<li>${esc(n)}</li>`),
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GC report: ${esc(s.collector)}</title>
<style>
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#666;--grid:#ddd}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#151515;--muted:#aaa;--grid:#333}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:2rem auto;max-width:1000px;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:right}
td:first-child,th:first-child{text-align:left}.figures{display:flex;flex-wrap:wrap;gap:1.5rem}.figures div{min-width:9rem}
.figures b{display:block;font-size:1.3rem}.dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.4rem}
svg{width:100%;height:auto}svg text{fill:var(--muted);font-size:11px}.grid{stroke:var(--grid)}pre{background:rgba(127,127,127,.12);padding:.5rem}
</style></head><body>
<h1>GC report: ${esc(s.collector)}</h1>
<p>${s.inputs.map((i) => `${esc(i.name)} (${i.format}, ${i.lines} lines)`).join(', ')}</p>
<div class="figures">
<div>Span<b>${s.spanSeconds.toFixed(1)} s</b></div>${s.jvmRuns > 1 ? `<div>JVM runs<b>${s.jvmRuns}</b></div>` : ''}
${
  s.pauseTimesLogged
    ? `<div>Pauses<b>${s.pauses.count}</b></div>
<div>Total pause<b>${s.pauses.totalMs.toFixed(1)} ms</b></div><div>Max pause<b>${s.pauses.maxMs} ms</b></div>
<div>Throughput<b>${s.throughputPercent === undefined ? 'n/a' : `${s.throughputPercent.toFixed(2)}%`}</b></div>`
    : '<div>Pause times<b>not in this log</b></div>'
}
<div>Full GCs<b>${s.fullGc.count}</b></div><div>Live set<b>${bytes(s.heap.liveSetBytes)}</b></div>
<div>Allocation<b>${s.heap.allocationRateMBps === undefined ? 'n/a' : `${s.heap.allocationRateMBps} MB/s`}</b></div>
</div>
<h2>Heap after GC over time</h2>
${scatter(s.heap.heapAfterGc, 'heap after GC', (v) => formatSize(BigInt(Math.round(v))), s.heap.maxCapacityBytes)}
<h2>Pause durations over time</h2>
${scatter(s.heap.pauseSeries, 'pause (ms)', (v) => `${round(v)} ms`, undefined)}
<h2>Pause histogram</h2>
${histogram(s.pauses.histogram.edgesMs, s.pauses.histogram.counts)}
<h2>Pauses by kind</h2>
<table><thead><tr><th>kind</th><th>count</th><th>total ms</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Full GCs and bad events</h2>
<p>Full GCs: ${s.fullGc.count} ${Object.entries(s.fullGc.causes).map(([c, n]) => `(${esc(c)}: ${n})`).join(' ')}${s.fullGc.requested > 0 ? `; ${s.fullGc.requested} requested explicitly (System.gc(), jcmd, jmap), not collector trouble` : ''}</p>
<ul>${bad}</ul>
<p>Lines: ${s.lines}; not recognised: ${s.unrecognisedLines}</p>
<h2>Advice</h2>
<ul>${adviceItems || '<li>nothing to change</li>'}</ul>
${advice.envJavaOpts ? `<pre>${esc(advice.envJavaOpts)}</pre>` : ''}
</body></html>
`;
}

const W = 960;
const H = 280;
const PAD = { left: 80, right: 20, top: 10, bottom: 30 };

function scatter(points: ReadonlyArray<readonly [number, number, string]>, title: string, label: (v: number) => string, ceiling: number | undefined): string {
  if (points.length === 0) return '<p>No data in the log.</p>';
  const t0 = Math.min(...points.map((p) => p[0]));
  const t1 = Math.max(...points.map((p) => p[0]), t0 + 1e-9);
  const vMax = Math.max(ceiling ?? 0, ...points.map((p) => p[1]), 1e-9);
  const x = (t: number): number => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - (v / vMax) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(f * vMax)}" y2="${y(f * vMax)}"/><text x="${PAD.left - 6}" y="${y(f * vMax) + 4}" text-anchor="end">${esc(label(f * vMax))}</text>`)
    .join('');
  const xTicks = [0, 0.5, 1].map((f) => `<text x="${x(t0 + f * (t1 - t0))}" y="${H - 8}" text-anchor="middle">${round(t0 + f * (t1 - t0))} s</text>`).join('');
  const dots = points.map(([t, v, k]) => `<circle cx="${x(t).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.2" fill="${colourOf(k)}"><title>${round(t)} s: ${esc(label(v))} (${esc(k)})</title></circle>`).join('');
  const cap = ceiling === undefined ? '' : `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(ceiling)}" y2="${y(ceiling)}" stroke="#d7191c" stroke-dasharray="4 3"/>`;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${ticks}${xTicks}${cap}${dots}</svg>`;
}

function histogram(edges: readonly number[], counts: readonly number[]): string {
  const maxCount = Math.max(1, ...counts);
  const bw = (W - PAD.left - PAD.right) / counts.length;
  const bars = counts
    .map((n, i) => {
      const h = (n / maxCount) * (H - PAD.top - PAD.bottom);
      const lo = i === 0 ? 0 : edges[i - 1]!;
      const name = i === edges.length ? `>=${lo}` : `${lo}-${edges[i]}`;
      const x = PAD.left + i * bw;
      return `<rect x="${x + 2}" y="${H - PAD.bottom - h}" width="${bw - 4}" height="${h}" fill="#2b8cbe"><title>${name} ms: ${n}</title></rect><text x="${x + bw / 2}" y="${H - 12}" text-anchor="middle">${name}</text><text x="${x + bw / 2}" y="${H - PAD.bottom - h - 4}" text-anchor="middle">${n}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="pause histogram (ms)">${bars}</svg>`;
}

const round = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3));

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
