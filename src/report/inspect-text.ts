/**
 * `inspect --format text`: one cluster in detail (TaskManagers, jobs, findings, proposals, errors),
 * or for several clusters one summary table, worst first, that fits a screen.
 */
import type { ClusterJson, InspectJson, ProposalJson, Sizes, TaskManagerJson } from '../inspect/result.js';
import { formatSize } from './format.js';
import { bytesOf, COMPONENT_ROWS, sizeText, usageCell, wholePercent } from '../inspect/view.js';
import { wrap } from './text.js';

export interface InspectTextOptions {
  readonly columns: number;
  /** TaskManager rows shown per cluster (the fullest heap first). */
  readonly maxTaskManagers?: number;
}

const size = (s: string | null | undefined): string => sizeText(s, formatSize);
const pct = (part: string | null, whole: string | null): string => {
  const p = wholePercent(part, whole);
  return p === undefined ? '' : `${p}%`;
};
const usedOf = (used: string | null, total: string | null): string => (used === null && total === null ? '-' : `${size(used)} / ${size(total)} ${pct(used, total)}`.trim());

function table(rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}


export function renderInspectText(result: InspectJson, options: InspectTextOptions): string {
  if (result.clusters.length === 1) return renderCluster(result.clusters[0]!, options);
  return renderFleet(result, options);
}

function indentWrap(text: string, indent: string, width: number): string[] {
  return wrap(text, Math.max(20, width - indent.length)).map((l) => indent + l);
}

function renderCluster(c: ClusterJson, options: InspectTextOptions): string {
  const width = options.columns;
  const out: string[] = [];
  const o = c.overview;
  const version = c.flinkVersion === null ? 'version unknown' : `Flink ${c.flinkVersion}`;
  out.push(`Cluster ${c.name !== null ? `${c.name} ` : ''}${c.url}  ${version} (memory rules of ${c.modelVersion})`);
  if (c.noData !== null) out.push(...indentWrap(`NO DATA: ${c.noData}`, '  ', width));
  if (o !== null) out.push(`  ${o.taskManagers ?? '?'} TaskManager(s), ${o.slotsTotal ?? '?'} slots (${o.slotsAvailable ?? '?'} free), ${o.jobsRunning ?? '?'} job(s) running${c.samples > 1 ? `; ${c.samples} samples` : ''}`);
  const jm = c.jobManager;
  out.push('');
  out.push('JobManager');
  if (jm.configured !== null) {
    out.push(`  process ${size(jm.configured['totalProcessMemory'])}: heap ${size(jm.configured['jvmHeap'])}, off-heap ${size(jm.configured['offHeap'])}, metaspace ${size(jm.configured['jvmMetaspace'])}, overhead ${size(jm.configured['jvmOverhead'])} (${jm.configurationKeys} options in /jobmanager/config)`);
  } else out.push(jm.configurationKeys > 0 ? `  no process sizes derived (${jm.configurationKeys} options in /jobmanager/config; see Notes)` : '  configuration not available');
  if (jm.used.heapUsed !== null || jm.used.metaspaceUsed !== null) out.push(`  used: heap ${usedOf(jm.used.heapUsed, jm.used.heapMax)}, metaspace ${usedOf(jm.used.metaspaceUsed, jm.used.metaspaceMax)}`);
  if (jm.jvmOptions.length > 0) out.push(...indentWrap(`JVM options: ${jm.jvmOptions.join(' ')}`, '  ', width));

  out.push('');
  out.push(`TaskManagers (${c.taskManagers.length})`);
  if (c.taskManagers.length > 0) {
    const max = options.maxTaskManagers ?? 20;
    const heapShare = (t: TaskManagerJson): number => {
      const u = bytesOf(t.used.heapUsed);
      const m = bytesOf(t.used.heapMax) ?? bytesOf(t.configured?.['jvmHeap']);
      return u === undefined || m === undefined || m === 0n ? -1 : Number((u * 10000n) / m);
    };
    const shown = [...c.taskManagers].sort((a, b) => heapShare(b) - heapShare(a)).slice(0, max);
    const rows: string[][] = [['id', 'process', 'heap used/max', 'managed used/total', 'network used/total', 'metaspace used/max', 'GC count/time']];
    for (const t of shown) {
      const gcCount = t.gc.reduce((s, g) => s + BigInt(g.count), 0n);
      const gcTime = t.gc.reduce((s, g) => s + BigInt(g.timeMs), 0n);
      rows.push([
        t.id.length > 24 ? `…${t.id.slice(-23)}` : t.id,
        size(t.configured?.['totalProcessMemory']),
        usageCell(t, 'heap', formatSize),
        usageCell(t, 'managed', formatSize),
        usageCell(t, 'network', formatSize),
        usageCell(t, 'metaspace', formatSize),
        t.gc.length === 0 ? '-' : `${gcCount} / ${gcTime} ms`,
      ]);
    }
    out.push(...table(rows).map((l) => `  ${l}`));
    if (c.taskManagers.length > shown.length) out.push(`  … ${c.taskManagers.length - shown.length} more (fullest heap shown first; --format json lists all)`);
    const sources = new Set(c.taskManagers.map((t) => t.configuredSource));
    if (sources.has('model')) out.push('  sizes: derived from /jobmanager/config (this Flink reports no memoryConfiguration)');
    const disagreeing = c.taskManagers.filter((t) => t.disagreements.length > 0);
    if (disagreeing.length > 0) {
      const d = disagreeing[0]!.disagreements.map((x) => `${x.component} ${size(x.reported)} (${x.reported}) vs ${size(x.derived)} (${x.derived})`).join(', ');
      out.push(...indentWrap(`reported vs re-derived from the cluster configuration: ${disagreeing.length} TaskManager(s) disagree: ${d}`, '  ', width));
    } else if (c.taskManagers.some((t) => t.configuredSource === 'rest' && t.derived !== null)) out.push('  reported memory = re-derived from the cluster configuration, to the byte');
  }

  if (c.jobs.length > 0) {
    out.push('');
    out.push('Jobs');
    for (const j of c.jobs) {
      out.push(`  ${j.name} (${j.id}) ${j.state}`);
      const cp = j.checkpoints;
      if (cp !== null) {
        const n = cp.counts;
        let line = `checkpoints: ${n.total ?? '?'} total, ${n.completed ?? '?'} completed, ${n.failed ?? '?'} failed, ${n.inProgress ?? '?'} in progress`;
        if (cp.latestCompleted !== null) line += `; latest #${cp.latestCompleted.id} took ${cp.latestCompleted.durationMs ?? '?'} ms, ${size(cp.latestCompleted.checkpointedSize ?? cp.latestCompleted.stateSize)}`;
        out.push(...indentWrap(line, '    ', width));
        for (const f of cp.failures.slice(0, 3)) out.push(...indentWrap(`failed #${f.id ?? '?'} ${f.classification}${f.reason !== null ? ` (${f.reason})` : ''}: ${f.message.split('\n')[0]}`, '      ', width));
      } else out.push('    checkpoints: not available');
      const bp = j.backpressure;
      if (bp.length > 0) out.push(...indentWrap(`back-pressure: ${bp.map((b) => `${b.name} ${b.level}${b.maxRatio !== null ? ` (${b.maxRatio})` : ''}`).join('; ')}`, '    ', width));
      for (const e of j.memoryExceptions.slice(0, 3)) out.push(...indentWrap(`memory exception (${e.kind}): ${e.summary}`, '    ', width));
    }
  }

  out.push('');
  if (c.findings.length === 0 && c.noData === null) out.push('Findings: none');
  else {
    out.push('Findings');
    for (const f of c.findings) {
      out.push(...indentWrap(`${f.severity}: ${f.kind}: ${f.summary}`, '  ', width));
      for (const a of f.advice) out.push(...indentWrap(`- ${a}`, '      ', width));
    }
  }
  if (c.proposals.length > 0) {
    out.push('');
    out.push('Proposals (each derived again with the exact model)');
    c.proposals.forEach((p, i) => out.push(...renderProposal(p, i + 1, width)));
  }
  if (c.errors.length > 0) {
    out.push('');
    out.push(`Errors (${c.errors.length}; the figures above are partial)`);
    for (const e of c.errors.slice(0, 20)) out.push(...indentWrap(`${e.url}: ${e.message}`, '  ', width));
    if (c.errors.length > 20) out.push(`  … ${c.errors.length - 20} more`);
  }
  if (c.notes.length > 0) {
    out.push('');
    out.push('Notes');
    for (const n of c.notes) out.push(...indentWrap(`- ${n}`, '  ', width));
  }
  return `${out.join('\n')}\n`;
}

function renderProposal(p: ProposalJson, n: number, width: number): string[] {
  const out: string[] = [];
  const who = p.process === 'jobmanager' ? 'JobManager' : `${p.taskManagers.length} TaskManager(s)`;
  out.push(...indentWrap(`${n}. ${p.kind} (${who}): ${p.reason}`, '  ', width));
  for (const [k, v] of Object.entries(p.set)) out.push(`       ${k}: ${v}`);
  const rows: string[][] = [['component', 'before', 'after']];
  for (const [key, label] of COMPONENT_ROWS.filter(([k]) => k !== 'totalFlinkMemory')) {
    const b = (p.before as Sizes)[key];
    const a = (p.after as Sizes)[key];
    if (b === undefined || a === undefined) continue;
    if (b === a && key !== 'totalProcessMemory') continue;
    rows.push([label, `${formatSize(BigInt(b))}`, `${formatSize(BigInt(a))} (${a})`]);
  }
  out.push(...table(rows, new Set([1, 2])).map((l) => `       ${l}`));
  out.push(p.fitsProcess ? '       fits the current process size' : `       needs a process of ${size(p.processNeeded)} (${p.processNeeded})`);
  for (const s of p.steps) out.push(...indentWrap(`- ${s}`, '       ', width));
  return out;
}

/** Fifty clusters in one screen: those with findings or errors, worst first, then the healthy ones on one line. */
function renderFleet(result: InspectJson, options: InspectTextOptions): string {
  const clusters = result.clusters;
  const out: string[] = [];
  const tms = clusters.reduce((s, c) => s + c.taskManagers.length, 0);
  const troubled = clusters.filter((c) => c.findings.length > 0 || c.errors.length > 0);
  out.push(`Fleet: ${clusters.length} clusters, ${tms} TaskManagers; ${clusters.filter((c) => c.findings.length > 0).length} with findings, ${clusters.filter((c) => c.errors.length > 0).length} with errors`);
  out.push('');
  const rows: string[][] = [['cluster', 'flink', 'TMs', 'heap peak', 'managed', 'failed ckpts', 'worst finding', 'errors']];
  const maxRows = 40;
  for (const c of troubled.slice(0, maxRows)) {
    const worstHeap = c.taskManagers.reduce((m, t) => Math.max(m, wholePercent(t.used.heapUsed, t.limits?.heap.bytes ?? t.used.heapMax ?? t.configured?.['jvmHeap']) ?? -1), -1);
    const managed = c.taskManagers.reduce((m, t) => Math.max(m, wholePercent(t.used.managedUsed, t.limits?.managed.bytes ?? t.used.managedTotal) ?? -1), -1);
    const failed = c.jobs.reduce((s, j) => s + (j.checkpoints?.counts.failed ?? 0), 0);
    const worst = c.findings[0];
    rows.push([
      c.name ?? c.url,
      c.flinkVersion ?? '?',
      String(c.taskManagers.length),
      worstHeap < 0 ? '-' : `${worstHeap}%`,
      managed < 0 ? '-' : `${managed}%`,
      String(failed),
      worst === undefined ? '-' : `${worst.severity} ${worst.kind}${c.findings.length > 1 ? ` +${c.findings.length - 1}` : ''}`,
      String(c.errors.length),
    ]);
  }
  out.push(...table(rows, new Set([2, 3, 4, 5, 7])).map((l) => l.slice(0, options.columns)));
  if (troubled.length > maxRows) out.push(`… ${troubled.length - maxRows} more with findings or errors`);
  const healthy = clusters.filter((c) => c.findings.length === 0 && c.errors.length === 0);
  if (healthy.length > 0) {
    out.push('');
    const names = healthy.map((c) => c.name ?? c.url).join(', ');
    const line = `${healthy.length} without findings or errors: ${names}`;
    out.push(line.length > options.columns * 2 ? `${line.slice(0, options.columns * 2 - 1)}…` : line);
  }
  out.push('');
  out.push('Details per cluster: --format json (or inspect one --rest URL).');
  return `${out.join('\n')}\n`;
}
