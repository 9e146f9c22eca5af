/**
 * `inspect --format html`: one self-contained page (inline CSS, inline SVG bars, no script, nothing
 * fetched) with the data of `--format json`: a fleet table worst first, then per cluster the
 * JobManager, every TaskManager's configured vs used memory, GC per collector, jobs (checkpoints,
 * failures classified, back-pressure, memory exceptions), findings, proposals, errors and notes.
 * Every string from a cluster is untrusted: everything goes through `esc`.
 */
import { clusterRank } from '../inspect/analyse.js';
import type { ClusterJson, InspectJson, JobJson, LimitJson, ProposalJson, Sizes, TaskManagerJson } from '../inspect/result.js';
import { formatSize } from './format.js';
import { bytesOf, COMPONENT_ROWS, wholePercent } from '../inspect/view.js';

/** Text and attribute values alike: & < > " ' become entities. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "172 MiB" with the exact bytes as a tooltip. */
const sizeCell = (s: string | null | undefined): string => {
  const b = bytesOf(s);
  return b === undefined ? '–' : `<span title="${b} bytes">${esc(formatSize(b))}</span>`;
};


/** A bar of `pct` percent (capped at 100) as inline SVG: green, orange above 75%, red above 90%. */
function bar(pct: number | undefined): string {
  if (pct === undefined) return '';
  const width = Math.max(0, Math.min(100, pct));
  const cls = pct >= 90 ? 'hi' : pct >= 75 ? 'mid' : 'lo';
  return `<svg class="bar" viewBox="0 0 100 8" width="120" height="10" role="img" aria-label="${pct}%"><rect class="track" x="0" y="0" width="100" height="8"/><rect class="${cls}" x="0" y="0" width="${width}" height="8"/></svg>`;
}

/** "used / max pct%" with its bar and, when it differs from the max, what the process is configured with. */
function usage(used: string | null, max: string | null, configured: string | undefined, limit?: LimitJson): string {
  if (limit?.unlimited === true) return `<div class="use">${sizeCell(used)} / no limit</div>`;
  if (used === null && max === null && configured === undefined) return '–';
  const whole = max ?? configured ?? null;
  const pct = wholePercent(used, whole);
  const conf = configured !== undefined && configured !== max ? `<div class="muted">configured ${sizeCell(configured)}</div>` : '';
  return `<div class="use">${sizeCell(used)} / ${sizeCell(whole)}${pct === undefined ? '' : ` <b>${pct}%</b>`}</div>${bar(pct)}${conf}`;
}

const CSS = `:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#666;--line:#ddd;--track:#e6e6e6}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#151515;--muted:#aaa;--line:#333;--track:#2a2a2a}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:2rem auto;max-width:1200px;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid var(--line)}h3{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
td.n,th.n{text-align:right}.muted{color:var(--muted);font-size:.9em}code,pre{font-family:ui-monospace,monospace;font-size:.92em}
pre{background:rgba(127,127,127,.12);padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere}.id{overflow-wrap:anywhere;max-width:22rem}
svg.bar{display:block;margin-top:2px}svg.bar .track{fill:var(--track)}svg.bar .lo{fill:#2b8cbe}svg.bar .mid{fill:#fdae61}svg.bar .hi{fill:#d7191c}
.sev{display:inline-block;padding:0 .4rem;border-radius:.3rem;color:#fff;font-size:.85em}.critical{background:#a50f15}.high{background:#d7191c}.medium{background:#e6850e}.low{background:#5a7d9a}
.proposals,.findings{list-style:none;padding-left:0}.proposals>li,.findings>li{margin-bottom:1rem}.declined{color:#b35806}.expired{color:#d7191c}.aborted{color:#7b3294}`;

export function renderInspectHtml(result: InspectJson): string {
  const clusters = result.clusters.map((c, i) => ({ c, i })).sort((a, b) => clusterRank(a.c) - clusterRank(b.c) || a.i - b.i).map((x) => x.c);
  const tms = clusters.reduce((s, c) => s + c.taskManagers.length, 0);
  const title = clusters.length === 1 ? `Flink cluster ${clusters[0]!.name ?? clusters[0]!.url}` : `Flink fleet: ${clusters.length} clusters`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
${CSS}
</style></head><body>
<h1>${esc(title)}</h1>
<p>${clusters.length} cluster(s), ${tms} TaskManager(s); ${clusters.filter((c) => c.findings.length > 0).length} with findings, ${clusters.filter((c) => c.errors.length > 0).length} with errors. Sizes are binary (MiB = 2<sup>20</sup> bytes); hover a size for its exact bytes.</p>
${fleetTable(clusters)}
${clusters.map((c, i) => renderCluster(c, i)).join('\n')}
</body></html>
`;
}

function fleetTable(clusters: readonly ClusterJson[]): string {
  const rows = clusters.map((c, i) => {
    const heap = c.taskManagers.reduce((m, t) => Math.max(m, wholePercent(t.used.heapUsed, t.used.heapMax ?? t.configured?.['jvmHeap']) ?? -1), -1);
    const managed = c.taskManagers.reduce((m, t) => Math.max(m, wholePercent(t.used.managedUsed, t.used.managedTotal ?? t.configured?.['managed']) ?? -1), -1);
    const failed = c.jobs.reduce((s, j) => s + (j.checkpoints?.counts.failed ?? 0), 0);
    const worst = c.findings[0];
    return `<tr data-cluster="${i}"><td><a href="#cluster-${i}">${esc(c.name ?? c.url)}</a></td><td>${esc(c.flinkVersion ?? '?')}</td><td class="n">${c.taskManagers.length}</td><td class="n">${heap < 0 ? '–' : `${heap}%`}</td><td class="n">${managed < 0 ? '–' : `${managed}%`}</td><td class="n">${failed}</td><td>${worst === undefined ? 'none' : `<span class="sev ${esc(worst.severity)}">${esc(worst.severity)}</span> ${esc(worst.kind)}${c.findings.length > 1 ? ` +${c.findings.length - 1}` : ''}`}</td><td class="n">${c.errors.length}</td></tr>`;
  });
  return `<h2>Clusters, worst first</h2>
<table id="fleet"><thead><tr><th>cluster</th><th>Flink</th><th class="n">TMs</th><th class="n">heap peak</th><th class="n">managed peak</th><th class="n">failed checkpoints</th><th>worst finding</th><th class="n">errors</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
}

function renderCluster(c: ClusterJson, index: number): string {
  const o = c.overview;
  const out: string[] = [];
  out.push(`<section class="cluster" id="cluster-${index}">`);
  out.push(`<h2>${esc(c.name !== null ? `${c.name} ` : '')}<code>${esc(c.url)}</code></h2>`);
  out.push(`<p>${c.flinkVersion === null ? 'Flink version unknown' : `Flink ${esc(c.flinkVersion)}`} (memory rules of ${esc(c.modelVersion)})${o === null ? '' : `; ${o.taskManagers ?? '?'} TaskManager(s), ${o.slotsTotal ?? '?'} slots (${o.slotsAvailable ?? '?'} free), ${o.jobsRunning ?? '?'} job(s) running`}; ${c.samples} sample(s)</p>`);
  if (c.declared !== undefined) {
    const d = c.declared;
    out.push(`<p>FlinkDeployment ${esc(d.namespace ?? '?')}/${esc(d.name ?? '?')} declares TaskManager process ${sizeCell(d.taskManagerProcess)}, JobManager process ${sizeCell(d.jobManagerProcess)}, ${d.taskManagerReplicas ?? '?'} TaskManager replica(s).</p>`);
  }
  out.push(jobManager(c));
  out.push(taskManagers(c));
  out.push(gc(c));
  out.push(jobs(c.jobs));
  out.push(findings(c));
  out.push(proposals(c.proposals));
  if (c.errors.length > 0) {
    out.push(`<h3>Errors (${c.errors.length}; the figures above are partial)</h3><table class="errors"><thead><tr><th>URL</th><th class="n">status</th><th>message</th></tr></thead><tbody>${c.errors.map((e) => `<tr><td class="id"><code>${esc(e.url)}</code></td><td class="n">${e.status ?? '–'}</td><td>${esc(e.message)}</td></tr>`).join('')}</tbody></table>`);
  }
  if (c.notes.length > 0) out.push(`<h3>Notes</h3><ul>${c.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  out.push('</section>');
  return out.join('\n');
}

function jobManager(c: ClusterJson): string {
  const jm = c.jobManager;
  const conf = jm.configured;
  const lines: string[] = ['<h3>JobManager</h3>'];
  if (conf === null) lines.push('<p>configuration not available</p>');
  else lines.push(`<p>process ${sizeCell(conf['totalProcessMemory'])}: heap ${sizeCell(conf['jvmHeap'])}, off-heap ${sizeCell(conf['offHeap'])}, metaspace ${sizeCell(conf['jvmMetaspace'])}, overhead ${sizeCell(conf['jvmOverhead'])} (${jm.configurationKeys} options in /jobmanager/config)</p>`);
  lines.push(`<table class="jobmanager"><thead><tr><th>heap used / max</th><th>metaspace used / max</th></tr></thead><tbody><tr><td>${usage(jm.used.heapUsed, jm.used.heapMax, conf?.['jvmHeap'])}</td><td>${usage(jm.used.metaspaceUsed, jm.used.metaspaceMax, conf?.['jvmMetaspace'])}</td></tr></tbody></table>`);
  if (jm.jvmOptions.length > 0) lines.push(`<p class="muted">JVM options: <code>${esc(jm.jvmOptions.join(' '))}</code></p>`);
  return lines.join('\n');
}

function taskManagers(c: ClusterJson): string {
  const lines: string[] = [`<h3>TaskManagers (${c.taskManagers.length}): configured vs used</h3>`];
  if (c.taskManagers.length === 0) return lines.concat('<p>none registered</p>').join('\n');
  const row = (t: TaskManagerJson): string => {
    const conf = t.configured ?? {};
    const b = t.buffers;
    return `<tr class="tm"><td class="id"><code>${esc(t.id)}</code><div class="muted">${t.slots ?? '?'} slot(s), sizes ${t.configuredSource === 'model' ? 'derived from /jobmanager/config' : t.configuredSource === 'rest' ? 'as reported' : 'unknown'}</div></td>
<td class="n">${sizeCell(conf['totalProcessMemory'])}</td>
<td>${usage(t.used.heapUsed, t.used.heapMax, conf['jvmHeap'], t.limits?.heap)}</td>
<td>${usage(t.used.managedUsed, t.used.managedTotal, conf['managed'], t.limits?.managed)}</td>
<td>${usage(t.used.networkUsed, t.used.networkTotal, conf['network'], t.limits?.network)}</td>
<td>${usage(t.used.metaspaceUsed, t.used.metaspaceMax, conf['jvmMetaspace'], t.limits?.metaspace)}</td>
<td>${b.directUsed === null && b.directMax === null ? '–' : `${sizeCell(b.directUsed)} / ${sizeCell(b.directMax)}`}${b.mappedUsed === null ? '' : `<div class="muted">mapped ${sizeCell(b.mappedUsed)}</div>`}</td></tr>`;
  };
  lines.push(`<table class="taskmanagers"><thead><tr><th>TaskManager</th><th class="n">process</th><th>heap used / max</th><th>managed used / total</th><th>network used / total</th><th>metaspace used / max</th><th>direct used / max</th></tr></thead><tbody>
${c.taskManagers.map(row).join('\n')}
</tbody></table>`);
  const disagreeing = c.taskManagers.filter((t) => t.disagreements.length > 0);
  if (disagreeing.length > 0) {
    lines.push(`<p>${disagreeing.length} TaskManager(s) run with other sizes than the model derives from the cluster configuration (set at deployment: -D, -tm, a FlinkDeployment's resource):</p>`);
    lines.push(`<table class="disagreements"><thead><tr><th>TaskManager</th><th>component</th><th class="n">reported</th><th class="n">derived</th></tr></thead><tbody>${disagreeing
      .slice(0, 50)
      .flatMap((t) => t.disagreements.map((d) => `<tr><td class="id"><code>${esc(t.id)}</code></td><td>${esc(d.component)}</td><td class="n">${sizeCell(d.reported)} (${esc(d.reported)})</td><td class="n">${sizeCell(d.derived)} (${esc(d.derived)})</td></tr>`))
      .join('')}</tbody></table>`);
  } else if (c.taskManagers.some((t) => t.configuredSource === 'rest' && t.derived !== null)) lines.push('<p class="muted">Reported memory = re-derived from the cluster configuration, to the byte.</p>');
  return lines.join('\n');
}

function gc(c: ClusterJson): string {
  const rows = c.taskManagers.flatMap((t) => t.gc.map((g) => `<tr><td class="id"><code>${esc(t.id)}</code></td><td>${esc(g.name)}</td><td class="n">${esc(g.count)}</td><td class="n">${esc(g.timeMs)}</td><td class="n">${g.timeMsPerSecond === undefined ? '–' : esc(g.timeMsPerSecond)}</td></tr>`));
  if (rows.length === 0) return '<h3>GC</h3><p>no GC metrics reported</p>';
  return `<h3>GC per collector</h3><table class="gc"><thead><tr><th>TaskManager</th><th>collector</th><th class="n">count</th><th class="n">time (ms)</th><th class="n">ms per second</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const when = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? '–' : esc(new Date(ms).toISOString()));

function jobs(list: readonly JobJson[]): string {
  if (list.length === 0) return '<h3>Jobs</h3><p>no running job</p>';
  const parts: string[] = [`<h3>Jobs (${list.length})</h3>`];
  for (const j of list) {
    parts.push(`<div class="job"><h4>${esc(j.name)} <code class="muted">${esc(j.id)}</code> ${esc(j.state)}</h4>`);
    const cp = j.checkpoints;
    if (cp === null) parts.push('<p>checkpoints: not available</p>');
    else {
      const n = cp.counts;
      const latest = cp.latestCompleted;
      parts.push(`<table class="checkpoints"><thead><tr><th class="n">total</th><th class="n">completed</th><th class="n">failed</th><th class="n">in progress</th><th class="n">restored</th><th>latest completed</th></tr></thead><tbody><tr><td class="n">${n.total ?? '–'}</td><td class="n">${n.completed ?? '–'}</td><td class="n">${n.failed ?? '–'}</td><td class="n">${n.inProgress ?? '–'}</td><td class="n">${n.restored ?? '–'}</td><td>${latest === null ? '–' : `#${latest.id ?? '?'} took ${latest.durationMs ?? '?'} ms, ${sizeCell(latest.checkpointedSize ?? latest.stateSize)}`}</td></tr></tbody></table>`);
      if (cp.failures.length > 0) {
        parts.push(`<table class="failures"><thead><tr><th class="n">checkpoint</th><th>classification</th><th>reason</th><th>message</th><th>time</th></tr></thead><tbody>${cp.failures.map((f) => `<tr><td class="n">#${f.id ?? '?'}</td><td class="${esc(f.classification)}">${esc(f.classification)}</td><td>${esc(f.reason ?? '–')}</td><td><pre>${esc(f.message)}</pre></td><td>${when(f.timestamp)}</td></tr>`).join('')}</tbody></table>`);
      }
    }
    if (j.backpressure.length > 0) {
      parts.push(`<table class="backpressure"><thead><tr><th>vertex</th><th>back-pressure</th><th class="n">max ratio</th></tr></thead><tbody>${j.backpressure
        .map((b) => `<tr><td>${esc(b.name)} <code class="muted">${esc(b.vertex)}</code></td><td>${esc(b.level)}</td><td class="n">${b.maxRatio === null ? '–' : esc(b.maxRatio)}${bar(b.maxRatio === null ? undefined : Math.round(b.maxRatio * 100))}</td></tr>`)
        .join('')}</tbody></table>`);
    }
    if (j.memoryExceptions.length > 0) {
      parts.push(`<ul class="exceptions">${j.memoryExceptions.map((e) => `<li><b>${esc(e.kind)}</b>: ${esc(e.summary)}${e.taskManagerId === null ? '' : ` on <code>${esc(e.taskManagerId)}</code>`} (${when(e.timestamp)})</li>`).join('')}</ul>`);
    }
    parts.push('</div>');
  }
  return parts.join('\n');
}

function findings(c: ClusterJson): string {
  if (c.findings.length === 0) return '<h3>Findings</h3><p>none</p>';
  return `<h3>Findings (${c.findings.length})</h3><ul class="findings">${c.findings
    .map((f) => {
      const tms = f.taskManagers.length === 0 ? '' : `<div class="muted">TaskManager(s): ${f.taskManagers.map((t) => `<code>${esc(t)}</code>`).join(', ')}</div>`;
      const advice = f.advice.length === 0 ? '' : `<ul>${f.advice.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`;
      const evidence = f.evidence.length === 0 ? '' : `<details><summary>evidence (${f.evidence.length})</summary><ul>${f.evidence.map((e) => `<li><code>${esc(e.source)}${e.line > 0 ? `:${e.line}` : ''}</code> ${esc(e.text)}</li>`).join('')}</ul></details>`;
      return `<li class="finding"><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span> <b>${esc(f.kind)}</b> (${esc(f.scope)}): ${esc(f.summary)}${tms}${advice}${evidence}</li>`;
    })
    .join('')}</ul>`;
}

function proposals(list: readonly ProposalJson[]): string {
  if (list.length === 0) return '';
  const one = (p: ProposalJson, n: number): string => {
    const who = p.process === 'jobmanager' ? 'JobManager' : `${p.taskManagers.length} TaskManager(s)`;
    const rows: string[] = [];
    for (const [key, label] of COMPONENT_ROWS) {
      const b = (p.before as Sizes)[key];
      const a = (p.after as Sizes)[key];
      if (b === undefined || a === undefined) continue;
      if (b === a && key !== 'totalProcessMemory') continue;
      rows.push(`<tr><td>${label}</td><td class="n">${sizeCell(b)} (${esc(b)})</td><td class="n">${sizeCell(a)} (${esc(a)})</td></tr>`);
    }
    return `<li class="proposal"><b>${n}. ${esc(p.kind)}</b> (${who}): ${esc(p.reason)}
<pre class="set">${esc(Object.entries(p.set).map(([k, v]) => `${k}: ${v}`).join('\n'))}</pre>
<table class="sizes"><thead><tr><th>component</th><th class="n">before</th><th class="n">after</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p>${p.fitsProcess ? 'fits the current process size' : `needs a process of ${sizeCell(p.processNeeded)} (${esc(p.processNeeded ?? '?')})`}</p>${p.steps.length === 0 ? '' : `<ul>${p.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`}${p.taskManagers.length === 0 ? '' : `<details><summary>TaskManagers</summary>${p.taskManagers.map((t) => `<code>${esc(t)}</code>`).join(', ')}</details>`}</li>`;
  };
  return `<h3>Proposals (each derived again with the exact model)</h3><ul class="proposals">${list.map((p, i) => one(p, i + 1)).join('\n')}</ul>`;
}
