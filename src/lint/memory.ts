/**
 * Memory checks with the exact model: settings Flink would reject, settings Flink resolves away
 * (the derivation is byte-for-byte the same without them), what an ignored legacy key changes, and
 * a process larger than its container.
 */
import type { ConfigEntry } from '../config/types.js';
import type { FlatConfig } from '../memory/configuration.js';
import { deriveProcessMemory } from '../memory/derive.js';
import { parseMemorySize } from '../memory/memory-size.js';
import type { ConfigOption } from '../memory/options.js';
import type { DerivationResult, MemoryComponent, ProcessKind, ProcessSpec } from '../memory/spec.js';
import { resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import { parseJavaFloat } from '../memory/java/java-numbers.js';
import { formatSize } from '../report/format.js';
import { flinkMemoryText } from '../report/flink-deployment-patch.js';
import { placeOf, type LintProblem } from './problems.js';

export const PROCESS_NAMES: Readonly<Record<ProcessKind, string>> = { taskmanager: 'TaskManager', jobmanager: 'JobManager' };


/** Keys whose presence means the configuration sizes this process (so its derivation is checked). */
export function sizesProcess(process: ProcessKind, key: string): boolean {
  return process === 'taskmanager'
    ? key.startsWith('taskmanager.memory.') || key.startsWith('taskmanager.heap.') || key.startsWith('taskmanager.network.')
    : key.startsWith('jobmanager.memory.') || key.startsWith('jobmanager.heap.');
}

function optionsOf(process: ProcessKind, version: FlinkVersionBehaviour): ConfigOption[] {
  return Object.values(process === 'taskmanager' ? version.tm : version.jm);
}

/** The model's option a key sets (its own key or a fallback). */
function optionFor(process: ProcessKind, version: FlinkVersionBehaviour, key: string): ConfigOption | undefined {
  return optionsOf(process, version).find((o) => o.key === key || o.fallbackKeys.some((f) => f.key === key));
}

export function sameSpec(a: ProcessSpec, b: ProcessSpec): boolean {
  if (a.jvmParams !== b.jvmParams || a.dynamicConfigs !== b.dynamicConfigs) return false;
  const am = a.memory as Readonly<Record<string, MemoryComponent>>;
  const bm = b.memory as Readonly<Record<string, MemoryComponent>>;
  return Object.keys(am).every((name) => am[name]!.bytes === bm[name]?.bytes);
}

/** Whether a raw value equals the option's default (then setting it has no effect by design). */
function isDefault(option: ConfigOption, raw: string): boolean {
  try {
    switch (option.type) {
      case 'memory':
        return option.defaultValue !== undefined && parseMemorySize(raw) === option.defaultValue;
      case 'float':
        return option.defaultValue !== undefined && Math.fround(parseJavaFloat(raw)) === option.defaultValue;
      default:
        return option.defaultValue !== undefined && raw.trim() === String(option.defaultValue);
    }
  } catch {
    return false;
  }
}

export interface MemoryLintInput {
  readonly entries: ReadonlyMap<string, ConfigEntry>;
  readonly values: FlatConfig;
  readonly version: FlinkVersionBehaviour;
  /** Memory limits of the containers the processes run in. */
  readonly limits: Partial<Record<ProcessKind, { readonly bytes: bigint; readonly what: string }>>;
}

export interface MemoryLintResult {
  readonly problems: LintProblem[];
  /** The derivations that were checked (a process is checked when the configuration sizes it). */
  readonly results: Partial<Record<ProcessKind, DerivationResult>>;
  /** For keys this line ignores: what that changes, to add to the ignored-key message. */
  readonly consequences: ReadonlyMap<string, string>;
}

export function checkMemory(input: MemoryLintInput): MemoryLintResult {
  const problems: LintProblem[] = [];
  const results: Partial<Record<ProcessKind, DerivationResult>> = {};
  const consequences = new Map<string, string>();
  const keys = Object.keys(input.values);
  for (const process of ['taskmanager', 'jobmanager'] as const) {
    if (!keys.some((k) => sizesProcess(process, k))) continue;
    const result = deriveProcessMemory(process, input.values, input.version);
    results[process] = result;
    const name = PROCESS_NAMES[process];
    if (!result.ok) {
      // A legacy heap key stands in for the option it is mapped onto (Flink names the new option).
      const legacyFor: Readonly<Record<string, readonly string[]>> = {
        'taskmanager.memory.flink.size': ['taskmanager.heap.size', 'taskmanager.heap.mb'],
        'jobmanager.memory.heap.size': ['jobmanager.heap.size', 'jobmanager.heap.mb'],
      };
      const involved = result.error.keys
        .flatMap((k) => (Object.hasOwn(input.values, k) ? [k] : (legacyFor[k] ?? []).filter((l) => Object.hasOwn(input.values, l))));
      const key = involved[0] ?? result.error.keys[0] ?? null;
      problems.push({
        code: 'rejected',
        severity: 'error',
        key,
        ...placeOf(key === null ? undefined : input.entries.get(key)?.source),
        message: `Flink ${input.version.line} refuses to start the ${name}: ${result.error.error}: ${result.error.message}${result.error.keys.length > 1 ? ` (options involved: ${result.error.keys.join(', ')})` : ''}`,
        suggestion: null,
      });
    } else {
      problems.push(...noEffectSettings(process, result.spec, input));
      const limit = input.limits[process];
      const total = result.spec.memory.totalProcessMemory.bytes;
      if (limit !== undefined && total > limit.bytes) {
        const key = `${process}.memory.process.size`;
        problems.push({
          code: 'container-exceeded',
          severity: 'error',
          key,
          ...placeOf(input.entries.get(key)?.source),
          message: `${name} Total Process Memory ${formatSize(total)} (${total} bytes) exceeds ${limit.what} of ${formatSize(limit.bytes)} (${limit.bytes} bytes) by ${formatSize(total - limit.bytes)}: the container is killed (OOMKilled) once the process uses its whole budget`,
          suggestion: `${key}: ${flinkMemoryText(limit.bytes)}`,
        });
      }
    }
    // The consequence is that of the whole configuration on 1.20 vs this line: derived once for all keys.
    let consequence: string | undefined;
    for (const key of input.version.ignoredKeys) {
      if (!Object.hasOwn(input.values, key) || !sizesProcess(process, key)) continue;
      consequence ??= ignoredConsequence(process, result, input);
      consequences.set(key, consequence);
    }
  }
  return { problems, results, consequences };
}

/** Settings Flink accepts and then resolves away: the exact derivation does not change without them. */
function noEffectSettings(process: ProcessKind, spec: ProcessSpec, input: MemoryLintInput): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const [key, raw] of Object.entries(input.values)) {
    if (!sizesProcess(process, key) || input.version.ignoredKeys.includes(key)) continue;
    // A bound (min/max) that is not reached is a safety net, not a mistake.
    if (/\.(min|max)$/.test(key)) continue;
    const option = optionFor(process, input.version, key);
    if (option === undefined || isDefault(option, raw)) continue;
    const without: Record<string, string> = { ...input.values };
    delete without[key];
    const other = deriveProcessMemory(process, without, input.version);
    if (!other.ok || !sameSpec(spec, other.spec)) continue;
    problems.push({
      code: 'no-effect',
      severity: 'warning',
      key,
      ...placeOf(input.entries.get(key)?.source),
      message: `${key}: ${raw} has no effect on Flink ${input.version.line}: ${whyNoEffect(key, spec, input.values)}; the ${PROCESS_NAMES[process]} gets exactly the same memory without it`,
      suggestion: `remove ${key}`,
    });
  }
  return problems;
}

function whyNoEffect(key: string, spec: ProcessSpec, values: FlatConfig): string {
  if (key === 'taskmanager.memory.managed.fraction' && Object.hasOwn(values, 'taskmanager.memory.managed.size')) {
    return 'taskmanager.memory.managed.size is set, and a set size wins over the fraction';
  }
  if (/^taskmanager\.heap\.|^jobmanager\.heap\./.test(key)) {
    return 'a legacy heap key is read only when none of the memory options (process, flink or heap sizes) is set, and some are';
  }
  if (key === 'taskmanager.network.numberOfBuffers') return 'the legacy buffer count is read only when no taskmanager.memory.network.* option is set';
  const component = Object.values(spec.memory as Readonly<Record<string, MemoryComponent>>).find(
    (c) => c.provenance.kind === 'fraction' && c.provenance.fractionOption === key,
  );
  if (component !== undefined && component.provenance.kind === 'fraction') {
    const p = component.provenance;
    if (p.min === p.max) return `the matching min and max are equal (${formatSize(p.min)}), which fixes the size whatever the fraction`;
    if (p.capped !== undefined) {
      return `${p.fraction} × ${p.base} = ${formatSize(p.uncapped)} lies outside [${formatSize(p.min)}, ${formatSize(p.max)}], so the size is the ${p.capped}imum (with this total size)`;
    }
  }
  if (/\.fraction$/.test(key)) return 'the size it would scale is fixed by other settings';
  return 'other settings fix everything it would size';
}

/** What dropping a key changes: the derivation on the newest line that still reads it vs. this line. */
function ignoredConsequence(process: ProcessKind, current: DerivationResult, input: MemoryLintInput): string {
  const older = deriveProcessMemory(process, input.values, resolveFlinkVersion('1.20'));
  if (!older.ok) return 'Flink 1.20 rejected this configuration as well';
  const before = `on Flink 1.20 it gave ${summary(older.spec)}`;
  if (!current.ok) return `${before}; without it Flink ${input.version.line} refuses to start the ${PROCESS_NAMES[process]} (${current.error.message})`;
  if (sameSpec(older.spec, current.spec)) return `${before}, and Flink ${input.version.line} derives the same memory without it`;
  return `${before}; Flink ${input.version.line} derives ${summary(current.spec)} instead`;
}

export function summary(spec: ProcessSpec): string {
  const m = spec.memory as Readonly<Record<string, MemoryComponent>>;
  const size = (name: string): string => formatSize(m[name]!.bytes);
  return spec.process === 'taskmanager'
    ? `Total Process Memory ${size('totalProcessMemory')}, JVM heap ${size('jvmHeap')}, managed ${size('managed')}, network ${size('network')}`
    : `Total Process Memory ${size('totalProcessMemory')}, JVM heap ${size('jvmHeap')}`;
}
