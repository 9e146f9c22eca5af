/** The terminal summary of `flink-memory gc`: figures, a pause histogram, the advice. */
import pc from 'picocolors';
import type { GcAdvice } from '../gc/advice.js';
import type { GcSummary } from '../gc/analyze.js';
import { formatSize } from './format.js';
import { wrap } from './text.js';

export function renderGcText(s: GcSummary, advice: GcAdvice, options: { color: boolean; columns: number }): string {
  const c = pc.createColors(options.color);
  const width = Math.max(60, options.columns);
  const out: string[] = [];
  const bytes = (n: number | undefined): string => (n === undefined ? 'n/a' : formatSize(BigInt(Math.round(n))));
  out.push(c.bold(`GC log summary: ${s.collector}`) + c.dim(`  (${s.inputs.map((i) => `${i.name} [${i.format}]`).join(', ')})`));
  out.push(`Span ${s.spanSeconds.toFixed(3)} s   pauses ${s.pauses.count}   total pause ${s.pauses.totalMs.toFixed(3)} ms   throughput ${s.throughputPercent === undefined ? 'n/a' : `${s.throughputPercent.toFixed(2)}%`}`);
  out.push('');
  out.push(c.bold('Pauses by kind') + c.dim('            count    total ms   mean   p50    p95    p99    max (ms)'));
  const row = (name: string, d: GcSummary['pauses']): string =>
    `  ${name.padEnd(22)}${String(d.count).padStart(9)}${d.totalMs.toFixed(1).padStart(12)}${fmt(d.meanMs)}${fmt(d.p50Ms)}${fmt(d.p95Ms)}${fmt(d.p99Ms)}${fmt(d.maxMs)}`;
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
  out.push('');
  out.push(c.bold('Heap'));
  out.push(`  max committed ${bytes(s.heap.maxCapacityBytes)}   peak before GC ${bytes(s.heap.peakBeforeBytes)}   peak after GC ${bytes(s.heap.peakAfterBytes)}`);
  out.push(`  live set ~${bytes(s.heap.liveSetBytes)} (${s.heap.liveSetMethod})`);
  out.push(`  allocation rate ${s.heap.allocationRateMBps ?? 'n/a'} MB/s   promotion rate ${s.heap.promotionRateMBps ?? 'n/a'} MB/s`);
  out.push('');
  const badKinds = Object.entries(s.badEvents.counts);
  out.push(c.bold('Full GCs and other trouble'));
  out.push(`  Full GC: ${s.fullGc.count}` + (s.fullGc.count > 0 ? ` (${Object.entries(s.fullGc.causes).map(([cause, n]) => `${cause}: ${n}`).join(', ')})` : ''));
  if (badKinds.length === 0) out.push('  no bad events');
  for (const [kind, n] of badKinds) {
    const first = s.badEvents.first.find((e) => e.kind === kind);
    out.push(`  ${c.red(kind)}: ${n}` + (first !== undefined ? c.dim(`  first at ${first.seconds?.toFixed(3) ?? '?'} s (${first.file}:${first.line})`) : ''));
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
  for (const f of advice.flags) for (const [i, line] of wrap(`${f.flag}: ${f.reason}`, width - 6).entries()) out.push(`${i === 0 ? '  - ' : '    '}${line}`);
  for (const note of advice.configNotes) for (const [i, line] of wrap(note, width - 6).entries()) out.push(`${i === 0 ? '  - ' : '    '}${line}`);
  if (advice.envJavaOpts !== undefined) out.push(`  ${c.bold(advice.envJavaOpts)}`);
  if (h === undefined && advice.flags.length === 0 && advice.configNotes.length === 0) out.push('  nothing to change: the log shows no pressure');
  return `${out.join('\n')}\n`;
}

const fmt = (x: number): string => (x >= 1000 ? x.toFixed(0) : x.toFixed(1)).padStart(7);
