/** Renderings of `flink-memory diff`: a side-by-side table with the reason for each change, and JSON. */
import pc from 'picocolors';
import type { LoadedConfig } from '../config/types.js';
import { COMPONENT_LABELS, type ConfigDiff } from '../plan/diff.js';
import { formatSize } from './format.js';
import { stringifyJson, toExplainJson } from './json.js';
import { hanging, provenanceText, wrap } from './text.js';

export interface DiffTextOptions {
  readonly color: boolean;
  readonly columns: number;
  readonly aName: string;
  readonly bName: string;
  readonly aSource?: LoadedConfig;
  readonly bSource?: LoadedConfig;
}

function signed(delta: bigint): string {
  if (delta === 0n) return '=';
  return `${delta > 0n ? '+' : '-'}${formatSize(delta > 0n ? delta : -delta)}`;
}

export function renderDiffText(diff: ConfigDiff, o: DiffTextOptions): string {
  const c = pc.createColors(o.color);
  const width = Math.max(60, o.columns);
  const out: string[] = [];
  out.push(c.bold(`A: ${o.aName}`));
  out.push(c.bold(`B: ${o.bName}`));
  out.push('');
  for (const [name, result] of [['A', diff.a], ['B', diff.b]] as const) {
    if (!result.ok) {
      out.push(c.red(`${name} is rejected by Flink ${result.flinkVersion}:`));
      for (const line of wrap(result.error.message, width - 2)) out.push(`  ${line}`);
      out.push('');
    }
  }
  if (diff.components.length > 0) {
    const rows = diff.components.map((d) => [COMPONENT_LABELS[d.component] ?? d.component, formatSize(d.a), formatSize(d.b), signed(d.delta)] as const);
    const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['Component', 'A', 'B', 'Change'][i]!.length));
    const line = (r: readonly string[]) => `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padStart(w[1]!)}  ${r[2]!.padStart(w[2]!)}  ${r[3]!.padStart(w[3]!)}`;
    out.push(c.bold(line(['Component', 'A', 'B', 'Change'])));
    diff.components.forEach((d, i) => {
      const text = line(rows[i]!);
      out.push(d.changed ? c.yellow(text) : c.dim(text));
    });
    const changed = diff.components.filter((d) => d.changed);
    out.push('');
    if (changed.length === 0) out.push('Every component is the same size.');
    else {
      out.push(c.bold('Why they differ'));
      for (const d of changed) {
        out.push(`  ${COMPONENT_LABELS[d.component] ?? d.component}: ${formatSize(d.a)} -> ${formatSize(d.b)} (${d.delta} bytes)`);
        // A sum or remainder on both sides only follows the changes above: one line says so.
        const sameRule = d.aProvenance.kind === d.bProvenance.kind && (d.aProvenance.kind === 'sum' || d.aProvenance.kind === 'remainder');
        const reasons = sameRule
          ? [['follows from the above', d.bProvenance, o.bSource] as const]
          : ([['A', d.aProvenance, o.aSource], ['B', d.bProvenance, o.bSource]] as const);
        for (const [side, p, src] of reasons) {
          const text = sameRule ? `${side}: ${provenanceText(p, src).replace(/ \([^)]*\)/g, '')}` : `${side}: ${provenanceText(p, src)}`;
          out.push(...hanging(text, width - 6, '    ', '       ').map((l) => c.dim(l)));
        }
      }
    }
    if (diff.jvmParamsChanged && diff.a.ok && diff.b.ok) {
      out.push('');
      out.push(c.bold('JVM parameters'));
      out.push(`  A: ${diff.a.spec.jvmParams}`);
      out.push(`  B: ${diff.b.spec.jvmParams}`);
    }
  }
  out.push('');
  if (diff.options.length === 0) out.push('Options: the same on both sides.');
  else {
    out.push(c.bold('Options that differ'));
    for (const d of diff.options) out.push(`  ${d.key}: ${d.a ?? '(not set)'} -> ${d.b ?? '(not set)'}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderDiffJson(diff: ConfigDiff): string {
  return `${stringifyJson({
    ok: diff.a.ok && diff.b.ok,
    a: toExplainJson(diff.a),
    b: toExplainJson(diff.b),
    components: diff.components.map((d) => ({ component: d.component, a: d.a.toString(), b: d.b.toString(), delta: d.delta.toString(), changed: d.changed })),
    options: diff.options.map((d) => ({ key: d.key, a: d.a ?? null, b: d.b ?? null })),
    jvmParamsChanged: diff.jvmParamsChanged,
  })}\n`;
}
