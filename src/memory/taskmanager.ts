/**
 * TaskManager memory: the generic process derivation with the TaskManager strategy, plus what
 * Flink's launcher adds around it (CPU cores, slots, external resources, JVM flags, -D list).
 */
import type { FlatConfig, FlinkConfiguration } from './configuration.js';
import { illegalConfiguration, numberFormat } from './errors.js';
import { javaHashMapOrder } from './java/java-hash-map.js';
import { JavaNumberFormatError, javaBigDecimalValueOf, javaDoubleToString } from './java/java-numbers.js';
import { mapLegacyHeap } from './legacy-heap.js';
import { addSizes, bytesOption } from './memory-size.js';
import { ProcessMemoryDerivation, type SizedValue } from './process-memory.js';
import type { Provenance } from './provenance.js';
import type { DerivationResult, ExternalResource, MemoryComponent, TaskManagerSpec } from './spec.js';
import { TaskManagerFlinkMemoryStrategy } from './taskmanager-flink-memory.js';
import { DEFAULT_FLINK_VERSION, type FlinkVersionBehaviour } from './versions.js';
import { assembleDynamicConfigs, perVersion, processMemoryOptions, runDerivation, withErrorPrefix } from './derivation-support.js';

const derivationFor = perVersion(
  (version) => new ProcessMemoryDerivation(processMemoryOptions(version.tm, [version.tm.taskHeap, version.tm.managedSize]), new TaskManagerFlinkMemoryStrategy(version)),
);

/** Derives a TaskManager's memory exactly as Flink's `taskmanager.sh` launcher does. */
export function deriveTaskManagerMemory(
  values: FlatConfig,
  version: FlinkVersionBehaviour = DEFAULT_FLINK_VERSION,
): DerivationResult<TaskManagerSpec> {
  return runDerivation('taskmanager', values, version, deriveOrThrow);
}

function deriveOrThrow(initial: FlinkConfiguration, version: FlinkVersionBehaviour, notes: string[]): TaskManagerSpec {
  const o = version.tm;
  const config = version.legacyHeapKeys
    ? withErrorPrefix('TaskManager failed to map legacy JVM heap option to the new one: ', () =>
        mapLegacyHeap(initial, o.totalFlink, o.legacyHeapSize, o.legacyHeapMb),
      )
    : initial;
  const legacyKey = config.mappedFrom(o.totalFlink);
  if (legacyKey !== undefined) notes.push(`'${legacyKey}' is read as '${o.totalFlink.key}' (legacy heap option).`);

  const { memory, cpuCores, numSlots, externalResources } = withErrorPrefix('TaskManager memory configuration failed: ', () => {
    const pm = derivationFor(version).derive(config);
    const cpu = cpuCoresOf(config, version);
    const slots = config.getInt(o.numSlots) ?? 1;
    return { memory: pm, cpuCores: cpu, numSlots: slots, externalResources: externalResourcesOf(config) };
  });

  const fm = memory.flinkMemory;
  const component = (v: SizedValue, option: string | undefined): MemoryComponent => ({
    bytes: v.bytes,
    option: optionOf(v.provenance) ?? option,
    provenance: v.provenance,
  });
  const sum = (parts: string[], ...values: SizedValue[]): MemoryComponent => ({
    bytes: addSizes(...values.map((v) => v.bytes)),
    option: undefined,
    provenance: { kind: 'sum', parts },
  });
  const spec: TaskManagerSpec['memory'] = {
    frameworkHeap: component(fm.frameworkHeap, o.frameworkHeap.key),
    taskHeap: component(fm.taskHeap, o.taskHeap.key),
    frameworkOffHeap: component(fm.frameworkOffHeap, o.frameworkOffHeap.key),
    taskOffHeap: component(fm.taskOffHeap, o.taskOffHeap.key),
    network: component(fm.network, o.networkFraction.key),
    managed: component(fm.managed, o.managedSize.key),
    jvmMetaspace: component(memory.jvm.metaspace, o.jvmMetaspace.key),
    jvmOverhead: component(memory.jvm.overhead, o.jvmOverheadFraction.key),
    totalFlinkMemory: component(memory.totalFlinkMemory, o.totalFlink.key),
    totalProcessMemory: component(memory.totalProcessMemory, o.totalProcess.key),
    jvmHeap: sum(['Framework Heap', 'Task Heap'], fm.frameworkHeap, fm.taskHeap),
    jvmDirect: sum(['Framework Off-Heap', 'Task Off-Heap', 'Network'], fm.frameworkOffHeap, fm.taskOffHeap, fm.network),
  };

  const jvmParams = `-Xmx${spec.jvmHeap.bytes} -Xms${spec.jvmHeap.bytes} -XX:MaxDirectMemorySize=${spec.jvmDirect.bytes} -XX:MaxMetaspaceSize=${spec.jvmMetaspace.bytes}`;
  return {
    process: 'taskmanager',
    flinkVersion: version.line,
    mode: memory.mode,
    memory: spec,
    cpuCores,
    numSlots,
    externalResources,
    jvmParams,
    dynamicConfigs: dynamicConfigs(spec, cpuCores, numSlots, externalResources, version),
    notes,
  };
}

/** The option a reader should look at for a value reached this way. */
function optionOf(p: Provenance): string | undefined {
  switch (p.kind) {
    case 'explicit':
    case 'default':
    case 'legacy':
      return p.option;
    case 'fraction':
      return p.fractionOption;
    case 'buffers':
      return p.buffersKey;
    default:
      return undefined;
  }
}

/** CPU cores: the option, else the slot count; Flink then holds it as a BigDecimal. */
function cpuCoresOf(config: FlinkConfiguration, version: FlinkVersionBehaviour): number {
  const o = version.tm;
  const cores = config.contains(o.cpuCores) ? (config.getDouble(o.cpuCores) ?? 0) : (config.getInt(o.numSlots) ?? 1);
  if (cores <= 0) {
    throw illegalConfiguration(
      `TaskExecutors need to be started with a positive number of CPU cores. Please configure ${o.cpuCores.key} accordingly.`,
      undefined,
      [o.cpuCores.key, o.numSlots.key],
    );
  }
  let decimal: { unscaled: bigint; scale: number };
  try {
    decimal = javaBigDecimalValueOf(cores);
  } catch (e) {
    if (e instanceof JavaNumberFormatError) throw numberFormat(e.message);
    throw e;
  }
  // Flink's Resource keeps at most 8 decimal places, rounding down.
  if (decimal.scale <= CPU_SCALE) return cores;
  const truncated = decimal.unscaled / 10n ** BigInt(decimal.scale - CPU_SCALE);
  return Number(`${truncated}e-${CPU_SCALE}`);
}

const CPU_SCALE = 8;

/** External resources with a positive amount; Flink ignores (and logs) the others. */
function externalResourcesOf(config: FlinkConfiguration): ExternalResource[] {
  const raw = config.raw('external-resources');
  if (raw === undefined || raw === 'none') return [];
  const names = raw.replace(/^\[(.*)\]$/s, '$1').split(/[;,]/).map((n) => n.trim()).filter((n) => n.length > 0);
  const resources: ExternalResource[] = [];
  for (const name of javaHashMapOrder(names)) {
    const amount = config.getLong(`external-resource.${name}.amount`);
    if (amount !== undefined && amount > 0n) resources.push({ name, amount });
  }
  return resources;
}

function dynamicConfigs(
  m: TaskManagerSpec['memory'],
  cpuCores: number,
  numSlots: number,
  externalResources: readonly ExternalResource[],
  version: FlinkVersionBehaviour,
): string {
  const values = [
    javaDoubleToString(cpuCores),
    bytesOption(m.frameworkHeap.bytes),
    bytesOption(m.frameworkOffHeap.bytes),
    bytesOption(m.taskHeap.bytes),
    bytesOption(m.taskOffHeap.bytes),
    bytesOption(m.network.bytes),
    bytesOption(m.network.bytes),
    bytesOption(m.managed.bytes),
    bytesOption(m.jvmMetaspace.bytes),
    bytesOption(m.jvmOverhead.bytes),
    bytesOption(m.jvmOverhead.bytes),
    String(numSlots),
  ];
  const base = dynamicConfigKeys(version);
  if (externalResources.length === 0) return assembleDynamicConfigs(base, [...values, 'none']);
  const keys = [...base];
  values.push(`"${externalResources.map((r) => r.name).join(';')}"`);
  for (const r of externalResources) {
    keys.push(`external-resource.${r.name}.amount`);
    values.push(String(r.amount));
  }
  return assembleDynamicConfigs(keys, values);
}

/** The keys TaskExecutorProcessUtils puts into its HashMap, in insertion order. */
const dynamicConfigKeys = perVersion((version): readonly string[] => {
  const o = version.tm;
  return [
      o.cpuCores.key,
      o.frameworkHeap.key,
      o.frameworkOffHeap.key,
      o.taskHeap.key,
      o.taskOffHeap.key,
      o.networkMin.key,
      o.networkMax.key,
      o.managedSize.key,
      o.jvmMetaspace.key,
      o.jvmOverheadMin.key,
      o.jvmOverheadMax.key,
      o.numSlots.key,
      o.externalResources.key,
    ];
});
