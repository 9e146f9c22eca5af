/** Renderings of a diagnosis: terminal text, Markdown (for a ticket) and the JSON contract. */
import pc from 'picocolors';
import type { Diagnosis } from '../diagnose/doctor.js';
import type { Finding } from '../diagnose/findings.js';
import type { CombinedFix, MemoryFix } from '../diagnose/fixes.js';
import { TASK_MANAGER_COMPONENTS } from '../memory/spec.js';
import { COMPONENT_LABELS } from '../plan/diff.js';
import { formatSize } from './format.js';
import { stringifyJson } from './json.js';
import { wrap } from './text.js';

function memoryJson(fix: MemoryFix | CombinedFix): Record<string, { before: string; after: string }> {
  const out: Record<string, { before: string; after: string }> = {};
  for (const name of TASK_MANAGER_COMPONENTS) {
    out[name] = { before: fix.before.memory[name].bytes.toString(), after: fix.after.memory[name].bytes.toString() };
  }
  return out;
}

function findingJson(f: Finding) {
  return {
    kind: f.kind,
    severity: f.severity,
    summary: f.summary,
    count: f.count,
    ...(f.firstEpochMs !== undefined ? { firstTime: new Date(f.firstEpochMs).toISOString() } : {}),
    evidence: f.evidence.map((e) => ({ file: e.file, line: e.line, text: e.text })),
    fix:
      f.fix === undefined
        ? null
        : {
            set: f.fix.set,
            memory: memoryJson(f.fix),
            fitsContainer: f.fix.fitsContainer,
            ...(f.fix.containerNeeded !== undefined ? { containerNeeded: f.fix.containerNeeded.toString() } : {}),
            explanation: f.fix.explanation,
          },
    advice: f.advice,
  };
}

export function renderDoctorJson(d: Diagnosis): string {
  return `${stringifyJson({
    rootCause: d.rootCause === null ? null : { kind: d.rootCause.kind, summary: d.rootCause.summary, ...(d.rootCause.chain ? { chain: d.rootCause.chain } : {}) },
    findings: d.findings.map(findingJson),
    timeline: d.timeline,
    combinedFix:
      d.combinedFix === undefined
        ? null
        : {
            set: d.combinedFix.set,
            memory: memoryJson(d.combinedFix),
            fitsContainer: d.combinedFix.fitsContainer,
            ...(d.combinedFix.containerNeeded !== undefined ? { containerNeeded: d.combinedFix.containerNeeded.toString() } : {}),
            steps: d.combinedFix.steps,
          },
    chains: d.chains.map((c) => c.text),
    inputs: d.inputs,
    notes: d.notes,
  })}\n`;
}

function fixLines(fix: MemoryFix | CombinedFix): string[] {
  const out = ['Set:'];
  for (const [key, value] of Object.entries(fix.set)) out.push(`  ${key}: ${value}`);
  // Pinning to whole MiB moves some components by a few bytes; only real changes are listed.
  const MiB = 1024n * 1024n;
  const changed = TASK_MANAGER_COMPONENTS.filter((c) => {
    const d = fix.after.memory[c].bytes - fix.before.memory[c].bytes;
    return d >= MiB || d <= -MiB;
  });
  if (changed.length > 0) {
    out.push('Memory (before -> after):');
    for (const c of changed) out.push(`  ${COMPONENT_LABELS[c] ?? c}: ${formatSize(fix.before.memory[c].bytes)} -> ${formatSize(fix.after.memory[c].bytes)}`);
  }
  return out;
}

/** Evidence lines in the terminal: enough to recognise the line; the file has the rest. */
const clip = (text: string): string => (text.length > 240 ? `${text.slice(0, 240)}...` : text);

export interface DoctorTextOptions {
  readonly color: boolean;
  readonly columns: number;
}

export function renderDoctorText(d: Diagnosis, o: DoctorTextOptions): string {
  const c = pc.createColors(o.color);
  const width = Math.max(60, o.columns);
  const out: string[] = [];
  const para = (text: string, indent: string, style: (s: string) => string = (s) => s) => {
    for (const line of wrap(text, width - indent.length)) out.push(style(`${indent}${line}`));
  };
  if (d.rootCause === null) out.push(c.green(c.bold('No memory problem found in the inputs.')));
  else {
    out.push(c.bold(c.red('Root cause')));
    para(d.rootCause.summary, '  ');
    if (d.rootCause.chain !== undefined) para(`chain: ${d.rootCause.chain}`, '  ', c.yellow);
  }
  if (d.findings.length > 0) {
    out.push('');
    out.push(c.bold(`Findings (${d.findings.length}, most severe first)`));
    d.findings.forEach((f, i) => {
      out.push('');
      const tag = f.severity === 'critical' ? c.red(f.severity) : f.severity === 'high' ? c.yellow(f.severity) : f.severity;
      out.push(`${i + 1}. [${tag}] ${c.bold(f.kind)}${f.count > 1 ? ` (x${f.count})` : ''}`);
      para(f.summary, '   ');
      for (const e of f.evidence) para(`${e.file}:${e.line}: ${clip(e.text.trim())}`, '     ', c.dim);
      if (f.fix !== undefined) {
        para(f.fix.explanation, '   ', c.cyan);
        for (const line of fixLines(f.fix)) out.push(`     ${line}`);
      }
      for (const a of f.advice) para(`- ${a}`, '   ');
    });
  }
  if (d.combinedFix !== undefined) {
    out.push('');
    out.push(c.bold('All fixes together'));
    if (!d.combinedFix.fitsContainer) para(`the container must grow to ${formatSize(d.combinedFix.containerNeeded!)}`, '  ', c.yellow);
    for (const line of fixLines(d.combinedFix)) out.push(`  ${line}`);
  }
  if (d.timeline.length > 0) {
    out.push('');
    out.push(c.bold('Timeline'));
    for (const t of d.timeline) para(`${t.time ?? '(no time)'}  ${t.kind}  ${t.summary}  [${t.file}:${t.line}]`, '  ');
  }
  out.push('');
  out.push(c.bold('Inputs'));
  for (const i of d.inputs) para(`${i.path}: ${i.kind}${i.note !== undefined ? ` (${i.note})` : ''}`, '  ', c.dim);
  for (const n of d.notes) para(`note: ${n}`, '  ', c.dim);
  return `${out.join('\n')}\n`;
}

export function renderDoctorMarkdown(d: Diagnosis): string {
  const out: string[] = ['# flink-memory doctor', ''];
  out.push('## Root cause', '');
  out.push(d.rootCause === null ? 'No memory problem found in the inputs.' : d.rootCause.summary);
  if (d.rootCause?.chain !== undefined) out.push('', `Chain: ${d.rootCause.chain}`);
  out.push('', '## Findings', '');
  for (const f of d.findings) {
    out.push(`### ${f.kind} (${f.severity}${f.count > 1 ? `, ${f.count} times` : ''})`, '', f.summary, '');
    for (const e of f.evidence) out.push(`- \`${e.file}:${e.line}\`: \`${e.text.replace(/`/g, "'")}\``);
    if (f.fix !== undefined) {
      out.push('', f.fix.explanation, '', '```yaml');
      for (const [key, value] of Object.entries(f.fix.set)) out.push(`${key}: ${value}`);
      out.push('```');
    }
    for (const a of f.advice) out.push(`- ${a}`);
    out.push('');
  }
  if (d.combinedFix !== undefined) {
    out.push('## All fixes together', '', '```yaml');
    for (const [key, value] of Object.entries(d.combinedFix.set)) out.push(`${key}: ${value}`);
    out.push('```', '');
  }
  if (d.timeline.length > 0) {
    out.push('## Timeline', '', '| time | event | where |', '| --- | --- | --- |');
    for (const t of d.timeline) out.push(`| ${t.time ?? ''} | ${t.kind}: ${t.summary.replace(/\|/g, '\\|')} | ${t.file}:${t.line} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
