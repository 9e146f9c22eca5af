/** The terminal summary of `flink-memory gc`: figures, a pause histogram, the advice. */
import pc from 'picocolors';
import type { GcAdvice } from '../gc/advice.js';
import type { GcSummary } from '../gc/analyze.js';
import { formatSize } from './format.js';
import { hanging, wrap } from './text.js';

export function renderGcText(s: GcSummary, advice: GcAdvice, options: { color: boolean; columns: number }): string {
  const c = pc.createColors(options.color);
  const width = Math.max(60, options.columns);
  const out: string[] = [];
  const bytes = (n: number | undefined): string => (n === undefined ? 'n/a' : formatSize(BigInt(Math.round(n))));
  const rate = (r: number | undefined): string => (r === undefined ? 'n/a' : `${r} MB/s`);
  /** A moment of the log: a date where the log's clock is the wall clock, else seconds. */
  const at = (seconds: number | undefined): string =>
    seconds === undefined ? 'an unknown time' : s.timeBase === 'epoch' ? new Date(Math.round(seconds * 1000)).toISOString() : `${seconds.toFixed(3)} s`;
  out.push(c.bold(`GC log summary: ${s.collector}${s.jvmRuns > 1 ? ` (${s.jvmRuns} JVM runs)` : ''}`) + c.dim(`  (${s.inputs.map((i) => `${i.name} [${i.format}]`).join(', ')})`));
  const span = `Span ${s.spanSeconds.toFixed(3)} s${s.jvmRuns > 1 ? ` (the sum of the runs' spans)` : ''}`;
  if (s.pauseTimesLogged) {
    out.push(`${span}   pauses ${s.pauses.count}   total pause ${s.pauses.totalMs.toFixed(3)} ms   throughput ${s.throughputPercent === undefined ? 'n/a' : `${s.throughputPercent.toFixed(2)}%`}`);
  } else {
    out.push(`${span}   pause times: not in this log (ZGC writes them with gc+phases: -Xlog:gc*,safepoint)`);
  }
  if (s.jvmRuns > 1) {
    for (const [i, run] of s.runs.slice(0, RUNS_SHOWN).entries()) {
      const start = run.startEpochMs === undefined ? '' : `, from ${new Date(run.startEpochMs).toISOString()}`;
      const throughput = run.throughputPercent === undefined || !s.pauseTimesLogged ? '' : `, throughput ${run.throughputPercent.toFixed(2)}%`;
      out.push(c.dim(`  run ${i + 1}: ${run.file}:${run.line}${start}, span ${run.spanSeconds.toFixed(3)} s, ${run.pauses} pause(s) ${run.pauseMs.toFixed(3)} ms${throughput}`));
    }
    if (s.jvmRuns > RUNS_SHOWN) out.push(c.dim(`  … and ${s.jvmRuns - RUNS_SHOWN} more run(s)`));
  }
  out.push('');
  out.push(s.pauseTimesLogged ? c.bold('Pauses by kind') + c.dim('            count    total ms   mean   p50    p95    p99    max (ms)') : c.bold('Pauses'));
  const row = (name: string, d: GcSummary['pauses']): string =>
    `  ${name.padEnd(22)}${String(d.count).padStart(9)}${d.totalMs.toFixed(1).padStart(12)}${fmt(d.meanMs)}${fmt(d.p50Ms)}${fmt(d.p95Ms)}${fmt(d.p99Ms)}${fmt(d.maxMs)}`;
  if (s.pauseTimesLogged) {
    for (const [kind, d] of Object.entries(s.pauses.byKind)) if (d !== undefined) out.push(row(kind, { ...d, byKind: {}, histogram: s.pauses.histogram }));
    out.push(c.bold(row('all', s.pauses)));
    out.push('');
    out.push(c.bold('Pause histogram'));
    const { edgesMs, counts } = s.pauses.histogram;
    const maxCount = Math.max(1, ...counts);
    const barWidth = Math.max(10, width - 30);
    counts.forEach((n, i) => {
      const lo = i === 0 ? 0 : edgesMs[i - 1]!;
      const label = i === edgesMs.length ? `>= ${lo} ms` : `${lo}-${edgesMs[i]} ms`;
      const bar = '█'.repeat(Math.round((n / maxCount) * barWidth));
      out.push(`  ${label.padStart(13)} ${String(n).padStart(7)} ${c.cyan(bar)}`);
    });
  } else {
    out.push('  none stated: the log has ZGC cycles but no pause times');
  }
  out.push('');
  out.push(c.bold('Heap'));
  out.push(`  max committed ${bytes(s.heap.maxCapacityBytes)}   peak before GC ${bytes(s.heap.peakBeforeBytes)}   peak after GC ${bytes(s.heap.peakAfterBytes)}`);
  out.push(s.heap.liveSetBytes === undefined ? `  live set: not in the log (${s.heap.liveSetMethod})` : `  live set ~${bytes(s.heap.liveSetBytes)} (${s.heap.liveSetMethod})`);
  if (s.heap.markingOccupancyBytes !== undefined) out.push(`  concurrent marking starts at up to ${bytes(s.heap.markingOccupancyBytes)} of occupancy`);
  out.push(`  allocation rate ${rate(s.heap.allocationRateMBps)}   promotion rate ${rate(s.heap.promotionRateMBps)}`);
  out.push('');
  const badKinds = Object.entries(s.badEvents.counts);
  out.push(c.bold('Full GCs and other trouble'));
  out.push(
    `  Full GC: ${s.fullGc.count}` +
      (s.fullGc.count > 0 ? ` (${Object.entries(s.fullGc.causes).map(([cause, n]) => `${cause}: ${n}`).join(', ')})` : '') +
      (s.fullGc.requested > 0 ? `; ${s.fullGc.requested} requested explicitly (System.gc(), jcmd, jmap), not collector trouble` : ''),
  );
  if (badKinds.length === 0) out.push('  no bad events');
  for (const [kind, n] of badKinds) {
    const first = s.badEvents.first.find((e) => e.kind === kind);
    out.push(`  ${c.red(kind)}: ${n}` + (first !== undefined ? c.dim(`  first at ${at(first.seconds)} (${first.file}:${first.line})`) : ''));
  }
  out.push(`  concurrent phases: ${s.concurrent.count} (${s.concurrent.totalMs.toFixed(1)} ms)`);
  out.push(`  lines: ${s.lines}, not recognised: ${s.unrecognisedLines}`);
  for (const sample of s.unrecognisedSamples.slice(0, 3)) out.push(c.dim(`    ${sample.file}:${sample.line}: ${sample.detail.slice(0, width - 20)}`));
  out.push('');
  out.push(c.bold(c.yellow('Advice')));
  const h = advice.heap;
  if (h !== undefined) {
    const verb = h.action === 'keep' ? 'Keep' : h.action === 'grow' ? 'Grow' : 'Shrink';
    for (const line of wrap(`${verb} the JVM heap: ${h.reason}.`, width - 4)) out.push(`  ${line}`);
    if (h.action !== 'keep') {
      out.push(`  Task heap ${formatSize(h.recommendedTaskHeapBytes)} (JVM heap ${formatSize(h.recommendedJvmHeapBytes)} = framework heap + task heap):`);
      for (const [k, v] of Object.entries(h.configChange)) out.push(`    ${k}: ${v}`);
      if (h.resulting !== undefined) out.push(`    -> total process memory ${formatSize(h.resulting.totalProcessBytes)} (${h.resulting.totalProcessBytes} bytes), ${h.resulting.jvmParams}`);
      if (h.rejectedBecause !== undefined) out.push(c.red(`    Flink would reject this: ${h.rejectedBecause}`));
    }
  }
  for (const f of advice.flags) out.push(...hanging(`${f.flag}: ${f.reason}`, width - 6, '  - ', '    '));
  for (const note of advice.configNotes) out.push(...hanging(note, width - 6, '  - ', '    '));
  if (advice.envJavaOpts !== undefined) out.push(`  ${c.bold(advice.envJavaOpts)}`);
  if (h === undefined && advice.flags.length === 0 && advice.configNotes.length === 0) out.push('  nothing to change: the log shows no pressure');
  return `${out.join('\n')}\n`;
}

/** Runs listed one by one in the text report. */
const RUNS_SHOWN = 10;

const fmt = (x: number): string => (x >= 1000 ? x.toFixed(0) : x.toFixed(1)).padStart(7);
