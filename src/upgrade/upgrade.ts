/**
 * `upgrade`: what the same configuration does on another Flink line. Both sides are derived with
 * the exact model of their line and compared (src/plan/diff.ts); keys that stop or start being
 * read come from the option catalog; when the layout changes, a configuration for the new line
 * that keeps the old layout is proposed and checked with the new line's model.
 */
import { catalogFor } from '../catalog/catalog.js';
import type { ConfigFormat } from '../config/types.js';
import type { FlatConfig } from '../memory/configuration.js';
import type { DerivationResult, MemoryComponent, ProcessKind, ProcessSpec } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { diffConfigurations, type ConfigDiff } from '../plan/diff.js';
import { flinkMemoryText } from '../report/flink-deployment-patch.js';
import { sameSpec, sizesProcess } from '../lint/memory.js';
import { deriveProcessMemory } from '../memory/derive.js';

export interface KeyChange {
  readonly key: string;
  /** `deprecated`: both lines read the key, the new one only as a deprecated spelling of another option. */
  readonly change: 'stops' | 'starts' | 'deprecated';
  readonly detail: string;
  /** The option to use instead on the new line, when there is one. */
  readonly replacement: string | undefined;
}

/** One setting of a proposal: a value to set, or null to remove the key. */
export interface ProposedSetting {
  readonly key: string;
  readonly value: string | null;
  readonly reason: string;
}

export interface UpgradeProposal {
  readonly settings: readonly ProposedSetting[];
  readonly config: FlatConfig;
  /** The new line's derivation of the proposed configuration. */
  readonly result: DerivationResult;
  /** The proposed configuration gives every component and JVM flag the old line gave. */
  readonly keepsLayout: boolean;
}

export interface ProcessUpgrade {
  readonly process: ProcessKind;
  readonly diff: ConfigDiff;
  /** Same sizes and JVM flags on both lines. */
  readonly unchanged: boolean;
  readonly proposal: UpgradeProposal | undefined;
}

export interface UpgradeReport {
  readonly from: string;
  readonly to: string;
  /** What changes for the configuration file itself (flink-conf.yaml is not read by 2.x, config.yaml not by 1.16-1.18). */
  readonly fileNotes: readonly string[];
  readonly keys: readonly KeyChange[];
  readonly processes: readonly ProcessUpgrade[];
}

function readsKey(line: string, key: string): boolean {
  const kind = catalogFor(line).status(key).kind;
  return kind === 'option' || kind === 'deprecated';
}

const READS_ONLY_FLINK_CONF = ['1.16', '1.17', '1.18'];

/** The file-format change an upgrade brings, for a configuration read from a file of this format. */
function fileNotesFor(file: { readonly path: string; readonly format: ConfigFormat } | undefined, from: FlinkVersionBehaviour, to: FlinkVersionBehaviour): string[] {
  if (file === undefined) return [];
  if (file.format === 'flink-conf.yaml' && to.line === '2.x' && from.line !== '2.x') {
    return [`Flink ${to.line} does not read flink-conf.yaml, only config.yaml: rewrite ${file.path} as config.yaml (flink-memory migrate ${file.path} > config.yaml) before upgrading; the comparison below assumes the same settings in config.yaml`];
  }
  if (file.format === 'config.yaml' && READS_ONLY_FLINK_CONF.includes(from.line) && !READS_ONLY_FLINK_CONF.includes(to.line)) {
    return [`Flink ${from.line} does not read config.yaml, only flink-conf.yaml: the "before" side assumes the same settings in flink-conf.yaml`];
  }
  return [];
}

export function upgradeConfiguration(
  values: FlatConfig,
  from: FlinkVersionBehaviour,
  to: FlinkVersionBehaviour,
  file?: { readonly path: string; readonly format: ConfigFormat },
): UpgradeReport {
  const keys: KeyChange[] = [];
  for (const key of Object.keys(values)) {
    const before = readsKey(from.line, key) && !from.ignoredKeys.includes(key);
    const after = readsKey(to.line, key) && !to.ignoredKeys.includes(key);
    if (before && after) {
      const now = catalogFor(to.line).status(key);
      if (now.kind === 'deprecated' && catalogFor(from.line).status(key).kind !== 'deprecated') {
        keys.push({
          key,
          change: 'deprecated',
          detail: `Flink ${to.line} still reads it, as a deprecated spelling of ${now.option.key}`,
          replacement: now.option.key,
        });
      }
      continue;
    }
    if (before === after) continue;
    // The line that does not read the key knows why (removed, or not yet there).
    const status = catalogFor(before ? to.line : from.line).status(key);
    const record = status.kind === 'removed' || status.kind === 'not-yet' ? status.record : undefined;
    const replacement = record?.replacement;
    keys.push({
      key,
      change: before ? 'stops' : 'starts',
      detail: before
        ? `Flink ${from.line} reads ${key}; Flink ${to.line} ignores it${replacement === undefined ? '' : ` (use ${replacement})`}`
        : `Flink ${from.line} ignores ${key}; Flink ${to.line} reads it`,
      replacement,
    });
  }
  const processes: ProcessUpgrade[] = [];
  const sized = (['taskmanager', 'jobmanager'] as const).filter((p) => Object.keys(values).some((k) => sizesProcess(p, k)));
  for (const process of sized.length === 0 ? (['taskmanager'] as const) : sized) {
    const before = deriveProcessMemory(process, values, from);
    const after = deriveProcessMemory(process, values, to);
    const diff = diffConfigurations({ config: values, result: before }, { config: values, result: after });
    const unchanged = before.ok && after.ok && sameSpec(before.spec, after.spec);
    const proposal = before.ok && !unchanged ? propose(process, values, before.spec, from, to) : undefined;
    processes.push({ process, diff, unchanged, proposal });
  }
  return { from: from.line, to: to.line, fileNotes: fileNotesFor(file, from, to), keys, processes };
}

/** Candidates from the smallest change to pinning every component; the first that keeps the layout wins. */
function propose(process: ProcessKind, values: FlatConfig, spec: ProcessSpec, from: FlinkVersionBehaviour, to: FlinkVersionBehaviour): UpgradeProposal {
  const memory = spec.memory as Readonly<Record<string, MemoryComponent>>;
  const size = (name: string): string => flinkMemoryText(memory[name]!.bytes);
  const targeted: ProposedSetting[] = [];
  for (const key of to.ignoredKeys) {
    if (Object.hasOwn(values, key) && sizesProcess(process, key)) targeted.push({ key, value: null, reason: `Flink ${to.line} ignores it` });
  }
  for (const [name, component] of Object.entries(memory)) {
    const p = component.provenance;
    if (p.kind === 'legacy' && to.ignoredKeys.includes(p.key)) {
      targeted.push({ key: p.option, value: size(name), reason: `what ${p.key} gave on Flink ${from.line}` });
    }
    if (p.kind === 'buffers' && to.ignoredKeys.includes(p.buffersKey)) {
      targeted.push({ key: 'taskmanager.memory.network.min', value: size(name), reason: `${p.buffers} buffers × ${p.segmentSize} bytes, as ${p.buffersKey} gave on Flink ${from.line}` });
      targeted.push({ key: 'taskmanager.memory.network.max', value: size(name), reason: 'min = max fixes the network memory' });
    }
  }
  // An option left at its default whose default differs between the lines (1.16's network max).
  const oldCatalog = catalogFor(from.line);
  const newCatalog = catalogFor(to.line);
  for (const [key, option] of oldCatalog.options) {
    if (!sizesProcess(process, key) || Object.hasOwn(values, key) || option.deprecatedKeys.some((k) => Object.hasOwn(values, k))) continue;
    const newer = newCatalog.options.get(key);
    if (newer !== undefined && option.defaultText !== null && newer.defaultText !== option.defaultText) {
      targeted.push({ key, value: option.defaultText.replace(/ /g, ''), reason: `Flink ${from.line}'s default; Flink ${to.line}'s is ${newer.defaultText}` });
    }
  }
  const candidates: ProposedSetting[][] = [targeted];
  if (process === 'taskmanager') {
    const pinned = (name: string, key: string): ProposedSetting => ({ key, value: size(name), reason: `the ${name} Flink ${from.line} derived` });
    candidates.push([
      ...targeted.filter((s) => s.value === null),
      pinned('totalProcessMemory', 'taskmanager.memory.process.size'),
      pinned('frameworkHeap', 'taskmanager.memory.framework.heap.size'),
      pinned('taskHeap', 'taskmanager.memory.task.heap.size'),
      pinned('frameworkOffHeap', 'taskmanager.memory.framework.off-heap.size'),
      pinned('taskOffHeap', 'taskmanager.memory.task.off-heap.size'),
      pinned('managed', 'taskmanager.memory.managed.size'),
      pinned('network', 'taskmanager.memory.network.min'),
      pinned('network', 'taskmanager.memory.network.max'),
      pinned('jvmMetaspace', 'taskmanager.memory.jvm-metaspace.size'),
      pinned('jvmOverhead', 'taskmanager.memory.jvm-overhead.min'),
      pinned('jvmOverhead', 'taskmanager.memory.jvm-overhead.max'),
    ]);
  } else {
    candidates.push([
      ...targeted.filter((s) => s.value === null),
      { key: 'jobmanager.memory.process.size', value: size('totalProcessMemory'), reason: `the Total Process Memory Flink ${from.line} derived` },
      { key: 'jobmanager.memory.heap.size', value: size('jvmHeap'), reason: `the JVM heap Flink ${from.line} derived` },
      { key: 'jobmanager.memory.off-heap.size', value: size('offHeap'), reason: `the off-heap memory Flink ${from.line} derived` },
      { key: 'jobmanager.memory.jvm-metaspace.size', value: size('jvmMetaspace'), reason: `the metaspace Flink ${from.line} derived` },
    ]);
  }
  let last: UpgradeProposal | undefined;
  for (const settings of candidates) {
    if (settings.length === 0) continue;
    const config: Record<string, string> = { ...values };
    for (const s of settings) {
      if (s.value === null) delete config[s.key];
      else config[s.key] = s.value;
    }
    const result = deriveProcessMemory(process, config, to);
    const keepsLayout = result.ok && sameSpec(spec, result.spec);
    last = { settings, config, result, keepsLayout };
    if (keepsLayout) return last;
  }
  const fallbackConfig = { ...values };
  return last ?? { settings: [], config: fallbackConfig, result: deriveProcessMemory(process, fallbackConfig, to), keepsLayout: false };
}
