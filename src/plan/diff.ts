/**
 * Two configurations side by side: each is derived with the exact model, then compared component
 * by component and option by option. Pure: the caller loads the configurations.
 */
import type { FlatConfig } from '../memory/configuration.js';
import type { Provenance } from '../memory/provenance.js';
import { JOB_MANAGER_COMPONENTS, TASK_MANAGER_COMPONENTS, type DerivationResult, type MemoryComponent } from '../memory/spec.js';

/** People's names for the components, in the order of the model. */
export const COMPONENT_LABELS: Readonly<Record<string, string>> = {
  frameworkHeap: 'Framework Heap',
  taskHeap: 'Task Heap',
  frameworkOffHeap: 'Framework Off-Heap',
  taskOffHeap: 'Task Off-Heap',
  network: 'Network',
  managed: 'Managed Memory',
  jvmMetaspace: 'JVM Metaspace',
  jvmOverhead: 'JVM Overhead',
  totalFlinkMemory: 'Total Flink Memory',
  totalProcessMemory: 'Total Process Memory',
  jvmHeap: 'JVM Heap',
  jvmDirect: 'JVM Direct Memory',
  offHeap: 'Off-Heap Memory',
};

export interface ComponentDifference {
  readonly component: string;
  readonly a: bigint;
  readonly b: bigint;
  /** b - a */
  readonly delta: bigint;
  readonly aProvenance: Provenance;
  readonly bProvenance: Provenance;
}

export interface OptionDifference {
  readonly key: string;
  /** undefined: not set on that side. */
  readonly a: string | undefined;
  readonly b: string | undefined;
}

export interface ConfigDiff {
  readonly a: DerivationResult;
  readonly b: DerivationResult;
  /** Every component when both sides derive; `changed` marks those whose size differs. */
  readonly components: ReadonlyArray<ComponentDifference & { readonly changed: boolean }>;
  readonly options: readonly OptionDifference[];
  readonly jvmParamsChanged: boolean;
}

export function diffConfigurations(a: { config: FlatConfig; result: DerivationResult }, b: { config: FlatConfig; result: DerivationResult }): ConfigDiff {
  const options: OptionDifference[] = [];
  const keys = new Set([...Object.keys(a.config), ...Object.keys(b.config)]);
  for (const key of [...keys].sort()) {
    const av = a.config[key];
    const bv = b.config[key];
    if (av !== bv) options.push({ key, a: av, b: bv });
  }
  const components: Array<ComponentDifference & { changed: boolean }> = [];
  let jvmParamsChanged = false;
  if (a.result.ok && b.result.ok && a.result.spec.process === b.result.spec.process) {
    const names = a.result.spec.process === 'taskmanager' ? TASK_MANAGER_COMPONENTS : JOB_MANAGER_COMPONENTS;
    const am = a.result.spec.memory as Readonly<Record<string, MemoryComponent>>;
    const bm = b.result.spec.memory as Readonly<Record<string, MemoryComponent>>;
    for (const name of names) {
      const x = am[name]!;
      const y = bm[name]!;
      components.push({ component: name, a: x.bytes, b: y.bytes, delta: y.bytes - x.bytes, aProvenance: x.provenance, bProvenance: y.provenance, changed: x.bytes !== y.bytes });
    }
    jvmParamsChanged = a.result.spec.jvmParams !== b.result.spec.jvmParams;
  }
  return { a: a.result, b: b.result, components, options, jvmParamsChanged };
}
