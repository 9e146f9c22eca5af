/**
 * Renderings of a plan: the fragments a user pastes (config.yaml, flink-conf.yaml, -D flags), a
 * JSON object, and the terminal view (rationale, fragment and the model's diagram).
 */
import pc from 'picocolors';
import type { Plan, PlannedSetting } from '../plan/plan.js';
import { renderFlinkDeploymentPatch } from './flink-deployment-patch.js';
import { formatSize } from './format.js';
import { stringifyJson, toExplainJson, type ExplainJsonSuccess } from './json.js';
import { hanging, renderExplainText, wrap } from './text.js';

/** A value YAML (and Flink's legacy parser) reads back as the same string, quoted only when needed. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|~)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

interface YamlTree {
  readonly children: Map<string, YamlTree>;
  setting?: PlannedSetting;
}

/**
 * Standard YAML for Flink 1.19+/2.x `config.yaml`, nested by the dots of each key as Flink's own
 * migration writes it. A key that is also the prefix of another cannot nest and stays flat.
 */
export function renderPlanYaml(plan: Plan, withRationale = true): string {
  const root: YamlTree = { children: new Map() };
  const keys = plan.settings.map((s) => s.key);
  const flat: PlannedSetting[] = [];
  for (const setting of plan.settings) {
    const isPrefix = keys.some((k) => k !== setting.key && k.startsWith(`${setting.key}.`));
    if (isPrefix) {
      flat.push(setting);
      continue;
    }
    let node = root;
    for (const part of setting.key.split('.')) {
      let child = node.children.get(part);
      if (child === undefined) node.children.set(part, (child = { children: new Map() }));
      node = child;
    }
    node.setting = setting;
  }
  const out: string[] = [];
  const emit = (node: YamlTree, indent: string): void => {
    for (const [name, child] of node.children) {
      if (child.setting !== undefined && child.children.size === 0) {
        if (withRationale) out.push(`${indent}# ${child.setting.rationale}`);
        out.push(`${indent}${name}: ${yamlScalar(child.setting.value)}`);
      } else {
        out.push(`${indent}${name}:`);
        emit(child, `${indent}  `);
      }
    }
  };
  emit(root, '');
  for (const setting of flat) {
    if (withRationale) out.push(`# ${setting.rationale}`);
    out.push(`${setting.key}: ${yamlScalar(setting.value)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The legacy `flink-conf.yaml`: one flat `key: value` per line (Flink splits at the first ": "). */
export function renderPlanFlinkConf(plan: Plan): string {
  return `${plan.settings.map((s) => `# ${s.rationale}\n${s.key}: ${s.value}`).join('\n')}\n`;
}

/** `-Dkey=value` flags for `flink run`, `kubernetes-session.sh` or `yarn-session.sh`. */
export function renderPlanDynamic(plan: Plan): string {
  return `${plan.settings.map((s) => shellWord(`-D${s.key}=${s.value}`)).join(' ')}\n`;
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A merge patch for a Flink Kubernetes Operator FlinkDeployment: the process size goes to
 * `resource.memory` (the operator sets the process size from it), the rest to `flinkConfiguration`.
 */
export function renderPlanFlinkDeployment(plan: Plan, name?: string): string {
  const processSize = plan.spec.memory.totalProcessMemory.bytes;
  return renderFlinkDeploymentPatch({
    ...(name !== undefined ? { name } : {}),
    config: plan.config,
    ...(plan.process === 'taskmanager' ? { taskManager: { processSize } } : { jobManager: { processSize } }),
    comments: Object.fromEntries(plan.settings.map((s) => [s.key, s.rationale])),
  });
}

export interface PlanJson {
  readonly ok: true;
  readonly process: Plan['process'];
  readonly flinkVersion: string;
  readonly totalProcessMemory: string;
  readonly settings: ReadonlyArray<{ key: string; value: string; rationale: string; origin: 'plan' | 'user' }>;
  readonly notes: readonly string[];
  readonly explain: ExplainJsonSuccess;
}

export function toPlanJson(plan: Plan): PlanJson {
  const explain = toExplainJson({ ok: true, spec: plan.spec }) as ExplainJsonSuccess;
  return {
    ok: true,
    process: plan.process,
    flinkVersion: plan.spec.flinkVersion,
    totalProcessMemory: plan.spec.memory.totalProcessMemory.bytes.toString(),
    settings: plan.settings.map((s) => ({ key: s.key, value: s.value, rationale: s.rationale, origin: s.origin })),
    notes: plan.notes,
    explain,
  };
}

export function renderPlanJson(plan: Plan): string {
  return `${stringifyJson(toPlanJson(plan))}\n`;
}

export interface PlanTextOptions {
  readonly color: boolean;
  readonly columns: number;
  /** One line describing the request, e.g. "4 GiB container, rocksdb, streaming, 4 slots". */
  readonly title: string;
  /** Extra sections (e.g. RocksDB per slot, network buffers), already rendered. */
  readonly sections?: readonly string[];
}

export function renderPlanText(plan: Plan, options: PlanTextOptions): string {
  const c = pc.createColors(options.color);
  const width = Math.max(60, options.columns);
  const who = plan.process === 'taskmanager' ? 'TaskManager' : 'JobManager';
  const out: string[] = [];
  out.push(c.bold(`${who} plan: ${options.title} (Flink ${plan.spec.flinkVersion})`));
  out.push(`Total process memory: ${formatSize(plan.spec.memory.totalProcessMemory.bytes)} (${plan.spec.memory.totalProcessMemory.bytes} bytes)`);
  out.push('');
  out.push(c.bold('Settings'));
  for (const s of plan.settings) {
    out.push(`  ${c.cyan(s.key)}: ${s.value}`);
    for (const line of wrap(s.rationale, width - 6)) out.push(c.dim(`      ${line}`));
  }
  if (plan.notes.length > 0) {
    out.push('');
    out.push(c.bold('Notes'));
    for (const note of plan.notes) out.push(...hanging(note, width - 4, '  - ', '    '));
  }
  for (const section of options.sections ?? []) {
    out.push('');
    out.push(section.trimEnd());
  }
  out.push('');
  out.push(c.bold('config.yaml fragment'));
  out.push(renderPlanYaml(plan, false).trimEnd());
  out.push('');
  out.push(renderExplainText({ ok: true, spec: plan.spec }, { color: options.color, columns: options.columns }).trimEnd());
  return `${out.join('\n')}\n`;
}
