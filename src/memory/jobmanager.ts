/**
 * JobManager memory: the generic process derivation with the JobManager strategy, plus the
 * launcher's JVM flags and -D list.
 */
import type { FlatConfig, FlinkConfiguration } from './configuration.js';
import { assembleDynamicConfigs, perVersion, processMemoryOptions, runDerivation, withErrorPrefix } from './derivation-support.js';
import { JobManagerFlinkMemoryStrategy } from './jobmanager-flink-memory.js';
import { mapLegacyHeap } from './legacy-heap.js';
import { bytesOption, formatHumanReadable } from './memory-size.js';
import { ProcessMemoryDerivation, type SizedValue } from './process-memory.js';
import type { DerivationResult, JobManagerSpec, MemoryComponent } from './spec.js';
import { DEFAULT_FLINK_VERSION, type FlinkVersionBehaviour } from './versions.js';

/** JobManagerOptions.MIN_JVM_HEAP_SIZE: below it Flink only warns. */
const MIN_JVM_HEAP_SIZE = 128n * 1024n * 1024n;

const derivationFor = perVersion(
  (version) => new ProcessMemoryDerivation(processMemoryOptions(version.jm, [version.jm.jvmHeap]), new JobManagerFlinkMemoryStrategy(version)),
);

/** Derives a JobManager's memory exactly as Flink's `jobmanager.sh` launcher does. */
export function deriveJobManagerMemory(
  values: FlatConfig,
  version: FlinkVersionBehaviour = DEFAULT_FLINK_VERSION,
): DerivationResult<JobManagerSpec> {
  return runDerivation('jobmanager', values, version, deriveOrThrow);
}

function deriveOrThrow(initial: FlinkConfiguration, version: FlinkVersionBehaviour, notes: string[]): JobManagerSpec {
  const o = version.jm;
  const derive = () => {
    const config = version.legacyHeapKeys ? mapLegacyHeap(initial, o.jvmHeap, o.legacyHeapSize, o.legacyHeapMb) : initial;
    return { config, memory: derivationFor(version).derive(config) };
  };
  // 1.x launchers wrap JobManager failures; the 2.x launcher reports them as they are.
  const { config, memory } = version.jobManagerErrorPrefix
    ? withErrorPrefix('JobManager memory configuration failed: ', derive)
    : derive();
  const legacyKey = config.mappedFrom(o.jvmHeap);
  if (legacyKey !== undefined) notes.push(`'${legacyKey}' is read as '${o.jvmHeap.key}' (legacy heap option).`);
  const directLimit = config.getBoolean(o.directMemoryLimit) ?? false;

  const fm = memory.flinkMemory;
  if (fm.jvmHeap.bytes < MIN_JVM_HEAP_SIZE) {
    notes.push(
      `The JVM heap (${formatHumanReadable(fm.jvmHeap.bytes)}) is below Flink's recommended minimum (${formatHumanReadable(MIN_JVM_HEAP_SIZE)}); Flink logs a warning.`,
    );
  }
  const component = (v: SizedValue, option: string): MemoryComponent => ({ bytes: v.bytes, option, provenance: v.provenance });
  const m: JobManagerSpec['memory'] = {
    jvmHeap: component(fm.jvmHeap, o.jvmHeap.key),
    offHeap: component(fm.offHeap, o.offHeap.key),
    jvmMetaspace: component(memory.jvm.metaspace, o.jvmMetaspace.key),
    jvmOverhead: component(memory.jvm.overhead, memory.jvm.overhead.provenance.kind === 'fraction' ? o.jvmOverheadFraction.key : o.jvmOverheadMin.key),
    totalFlinkMemory: component(memory.totalFlinkMemory, o.totalFlink.key),
    totalProcessMemory: component(memory.totalProcessMemory, o.totalProcess.key),
  };
  const direct = directLimit ? ` -XX:MaxDirectMemorySize=${m.offHeap.bytes}` : '';
  const jvmParams = `-Xmx${m.jvmHeap.bytes} -Xms${m.jvmHeap.bytes}${direct} -XX:MaxMetaspaceSize=${m.jvmMetaspace.bytes}`;
  const dynamicConfigs = assembleDynamicConfigs(dynamicConfigKeys(version), [
    bytesOption(m.jvmHeap.bytes),
    bytesOption(m.offHeap.bytes),
    bytesOption(m.jvmMetaspace.bytes),
    bytesOption(m.jvmOverhead.bytes),
    bytesOption(m.jvmOverhead.bytes),
  ]);
  return {
    process: 'jobmanager',
    flinkVersion: version.line,
    mode: memory.mode,
    memory: m,
    jvmDirectMemoryLimit: directLimit,
    jvmParams,
    dynamicConfigs,
    notes,
  };
}

/** The keys JobManagerProcessUtils puts into its HashMap, in insertion order. */
const dynamicConfigKeys = perVersion((version): readonly string[] => {
  const o = version.jm;
  return [o.jvmHeap.key, o.offHeap.key, o.jvmMetaspace.key, o.jvmOverheadMin.key, o.jvmOverheadMax.key];
});
