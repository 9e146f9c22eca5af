/** `upgrade` output: keys, components and JVM flags before/after, failures, the proposal. */
import type { DerivationResult, MemoryComponent } from '../memory/spec.js';
import { JOB_MANAGER_COMPONENTS, TASK_MANAGER_COMPONENTS } from '../memory/spec.js';
import { COMPONENT_LABELS } from '../plan/diff.js';
import type { ProcessUpgrade, UpgradeReport } from '../upgrade/upgrade.js';
import { formatSize } from './format.js';

const NAMES = { taskmanager: 'TaskManager', jobmanager: 'JobManager' } as const;

function componentsOf(result: DerivationResult): Readonly<Record<string, MemoryComponent>> | undefined {
  return result.ok ? (result.spec.memory as Readonly<Record<string, MemoryComponent>>) : undefined;
}

export function renderUpgradeText(report: UpgradeReport): string {
  const lines: string[] = [`Upgrade from Flink ${report.from} to Flink ${report.to}`, ''];
  if (report.fileNotes.length > 0) lines.push('Configuration file', ...report.fileNotes.map((n) => `  ${n}`), '');
  lines.push('Keys');
  if (report.keys.length === 0) lines.push(`  every key is read the same way by ${report.from} and ${report.to}`);
  for (const k of report.keys) {
    lines.push(k.change === 'deprecated' ? `  ${k.key}: deprecated, use ${k.replacement ?? ''} (${k.detail})` : `  ${k.key}: ${k.change} taking effect (${k.detail})`);
  }
  for (const p of report.processes) lines.push('', ...processText(p, report));
  return `${lines.join('\n')}\n`;
}

function processText(p: ProcessUpgrade, report: UpgradeReport): string[] {
  const out: string[] = [NAMES[p.process]];
  const a = p.diff.a;
  const b = p.diff.b;
  const names = p.process === 'taskmanager' ? TASK_MANAGER_COMPONENTS : JOB_MANAGER_COMPONENTS;
  const am = componentsOf(a);
  const bm = componentsOf(b);
  const cell = (m: Readonly<Record<string, MemoryComponent>> | undefined, name: string): string => (m === undefined ? 'rejected' : formatSize(m[name]!.bytes));
  out.push(`  ${'Component'.padEnd(22)}${report.from.padStart(12)}${report.to.padStart(12)}  Change`);
  for (const name of names) {
    const x = am?.[name]?.bytes;
    const y = bm?.[name]?.bytes;
    const change = x === undefined || y === undefined ? '' : x === y ? '=' : `${y > x ? '+' : '-'}${formatSize(y > x ? y - x : x - y)}`;
    out.push(`  ${(COMPONENT_LABELS[name] ?? name).padEnd(22)}${cell(am, name).padStart(12)}${cell(bm, name).padStart(12)}  ${change}`);
  }
  out.push(`  JVM flags on ${report.from}: ${a.ok ? a.spec.jvmParams : '(rejected)'}`);
  out.push(`  JVM flags on ${report.to}: ${b.ok ? b.spec.jvmParams : '(rejected)'}`);
  if (!a.ok) out.push(`  Flink ${report.from} rejects it: ${a.error.error}: ${a.error.message}`);
  if (!b.ok) out.push(`  Flink ${report.to} rejects it: ${b.error.error}: ${b.error.message}`);
  if (a.ok && !b.ok) out.push(`  This failure appears with the upgrade.`);
  if (!a.ok && b.ok) out.push(`  This failure disappears with the upgrade.`);
  if (p.unchanged) out.push(`  Same memory and JVM flags on both lines.`);
  if (p.proposal !== undefined) {
    out.push(`  To keep the ${report.from} layout on ${report.to}:`);
    for (const s of p.proposal.settings) out.push(`    ${s.value === null ? `${s.key}: (remove)` : `${s.key}: ${s.value}`}    # ${s.reason}`);
    const r = p.proposal.result;
    out.push(
      p.proposal.keepsLayout
        ? `  Checked with Flink ${report.to}'s model: the same memory and JVM flags as on ${report.from}.`
        : r.ok
          ? `  Checked with Flink ${report.to}'s model: valid, but not the same layout (JVM flags ${r.spec.jvmParams}).`
          : `  Checked with Flink ${report.to}'s model: still rejected (${r.error.message}).`,
    );
  }
  return out;
}

export function renderUpgradeJson(report: UpgradeReport): string {
  const side = (result: DerivationResult): unknown =>
    result.ok
      ? { ok: true, mode: result.spec.mode, jvmParams: result.spec.jvmParams, memory: Object.fromEntries(Object.entries(result.spec.memory as Readonly<Record<string, MemoryComponent>>).map(([k, c]) => [k, c.bytes.toString()])) }
      : { ok: false, error: result.error.error, message: result.error.message, keys: result.error.keys };
  const json = {
    from: report.from,
    to: report.to,
    fileNotes: report.fileNotes,
    keys: report.keys.map((k) => ({ key: k.key, change: k.change, detail: k.detail, replacement: k.replacement ?? null })),
    processes: report.processes.map((p) => ({
      process: p.process,
      before: side(p.diff.a),
      after: side(p.diff.b),
      unchanged: p.unchanged,
      failure: p.diff.a.ok && !p.diff.b.ok ? 'appears' : !p.diff.a.ok && p.diff.b.ok ? 'disappears' : null,
      components: p.diff.components.map((c) => ({ component: c.component, before: c.a.toString(), after: c.b.toString(), delta: c.delta.toString(), changed: c.changed })),
      proposal:
        p.proposal === undefined
          ? null
          : { settings: p.proposal.settings.map((s) => ({ key: s.key, value: s.value, reason: s.reason })), keepsLayout: p.proposal.keepsLayout, result: side(p.proposal.result) },
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
