/**
 * Memory-related option definitions: keys, types, defaults and fallback (deprecated) keys, as
 * Flink's TaskManagerOptions / JobManagerOptions / NettyShuffleEnvironmentOptions declare them.
 * Per-version differences are not here: `versions.ts` patches this base table.
 */
export type OptionType = 'memory' | 'float' | 'double' | 'int' | 'boolean' | 'list';

export interface FallbackKey {
  readonly key: string;
  readonly deprecated: boolean;
}

export interface ConfigOption {
  readonly key: string;
  readonly type: OptionType;
  /** The default as Flink holds it: bytes for sizes, numbers, booleans; undefined = no default. */
  readonly defaultValue: bigint | number | boolean | undefined;
  /** How Java prints the default in ConfigOption.toString() ("0.1", "null"). */
  readonly defaultText: string;
  readonly fallbackKeys: readonly FallbackKey[];
  /** One line for people: what this option controls. */
  readonly description: string;
}

const MiB = 1024n * 1024n;

const option = (
  key: string,
  type: OptionType,
  defaultValue: ConfigOption['defaultValue'],
  defaultText: string,
  description: string,
  fallbackKeys: readonly FallbackKey[] = [],
): ConfigOption => ({ key, type, defaultValue, defaultText, fallbackKeys, description });

const deprecated = (key: string): FallbackKey => ({ key, deprecated: true });

/** Flink's fraction options are Java floats; every read widens the float to double. */
const float = (value: number): number => Math.fround(value);

/** Flink's ConfigOption.toString(), which Flink embeds in several error messages. */
export function describeOption(o: ConfigOption): string {
  const fallbacks = o.fallbackKeys.map((f) => `{key=${f.key}, isDeprecated=${f.deprecated}}`).join(', ');
  return `Key: '${o.key}' , default: ${o.defaultText} (fallback keys: [${fallbacks}])`;
}

/** The memory options of the newest Flink line; older lines patch a few entries. */
export const BASE_OPTIONS = {
  tm: {
    totalProcess: option('taskmanager.memory.process.size', 'memory', undefined, 'null',
      'Total Process Memory of the TaskManager: everything the JVM process may use.'),
    totalFlink: option('taskmanager.memory.flink.size', 'memory', undefined, 'null',
      'Total Flink Memory: process memory minus JVM metaspace and overhead.'),
    frameworkHeap: option('taskmanager.memory.framework.heap.size', 'memory', 128n * MiB, '128 mb',
      'JVM heap reserved for the Flink framework.'),
    frameworkOffHeap: option('taskmanager.memory.framework.off-heap.size', 'memory', 128n * MiB, '128 mb',
      'Direct memory reserved for the Flink framework.'),
    taskHeap: option('taskmanager.memory.task.heap.size', 'memory', undefined, 'null',
      'JVM heap for user code (operators, UDFs, heap state backend).'),
    taskOffHeap: option('taskmanager.memory.task.off-heap.size', 'memory', 0n, '0 bytes',
      'Direct/native memory for user code.'),
    managedSize: option('taskmanager.memory.managed.size', 'memory', undefined, 'null',
      'Managed memory (RocksDB, batch sort/hash, Python).', [deprecated('taskmanager.memory.size')]),
    managedFraction: option('taskmanager.memory.managed.fraction', 'float', float(0.4), '0.4',
      'Share of Total Flink Memory used as managed memory when its size is not set.'),
    networkMin: option('taskmanager.memory.network.min', 'memory', 64n * MiB, '64 mb',
      'Lower bound of network (shuffle) memory.', [deprecated('taskmanager.network.memory.min')]),
    networkMax: option('taskmanager.memory.network.max', 'memory', 9223372036854775807n, '9223372036854775807 bytes',
      'Upper bound of network (shuffle) memory.', [deprecated('taskmanager.network.memory.max')]),
    networkFraction: option('taskmanager.memory.network.fraction', 'float', float(0.1), '0.1',
      'Share of Total Flink Memory used as network memory, capped to min/max.',
      [deprecated('taskmanager.network.memory.fraction')]),
    jvmMetaspace: option('taskmanager.memory.jvm-metaspace.size', 'memory', 256n * MiB, '256 mb',
      'JVM metaspace (class metadata), passed as -XX:MaxMetaspaceSize.'),
    jvmOverheadMin: option('taskmanager.memory.jvm-overhead.min', 'memory', 192n * MiB, '192 mb',
      'Lower bound of JVM overhead (thread stacks, code cache, GC, native).'),
    jvmOverheadMax: option('taskmanager.memory.jvm-overhead.max', 'memory', 1024n * MiB, '1 gb',
      'Upper bound of JVM overhead.'),
    jvmOverheadFraction: option('taskmanager.memory.jvm-overhead.fraction', 'float', float(0.1), '0.1',
      'Share of Total Process Memory reserved as JVM overhead, capped to min/max.'),
    segmentSize: option('taskmanager.memory.segment-size', 'memory', 32n * 1024n, '32 kb',
      'Size of one memory segment / network buffer.'),
    cpuCores: option('taskmanager.cpu.cores', 'double', undefined, 'null',
      'CPU cores of the TaskManager (defaults to the number of slots).'),
    numSlots: option('taskmanager.numberOfTaskSlots', 'int', 1, '1', 'Number of task slots.'),
    externalResources: option('external-resources', 'list', undefined, 'null',
      'External resources (e.g. GPUs) the TaskManager announces.'),
    legacyHeapSize: option('taskmanager.heap.size', 'memory', undefined, 'null',
      'Legacy (pre-1.10) TaskManager heap size, read as Total Flink Memory.'),
    legacyHeapMb: option('taskmanager.heap.mb', 'int', undefined, 'null',
      'Legacy (pre-1.10) TaskManager heap size in MiB, read as Total Flink Memory.'),
    legacyNetworkBuffers: option('taskmanager.network.numberOfBuffers', 'int', 2048, '2048',
      'Legacy fixed number of network buffers (network memory = buffers x segment size).'),
  },
  jm: {
    totalProcess: option('jobmanager.memory.process.size', 'memory', undefined, 'null',
      'Total Process Memory of the JobManager.'),
    totalFlink: option('jobmanager.memory.flink.size', 'memory', undefined, 'null',
      'Total Flink Memory of the JobManager: JVM heap plus off-heap.'),
    jvmHeap: option('jobmanager.memory.heap.size', 'memory', undefined, 'null', 'JVM heap of the JobManager.'),
    offHeap: option('jobmanager.memory.off-heap.size', 'memory', 128n * MiB, '128 mb',
      'Off-heap (direct and native) memory of the JobManager.'),
    jvmMetaspace: option('jobmanager.memory.jvm-metaspace.size', 'memory', 256n * MiB, '256 mb',
      'JVM metaspace, passed as -XX:MaxMetaspaceSize.'),
    jvmOverheadMin: option('jobmanager.memory.jvm-overhead.min', 'memory', 192n * MiB, '192 mb',
      'Lower bound of JVM overhead.'),
    jvmOverheadMax: option('jobmanager.memory.jvm-overhead.max', 'memory', 1024n * MiB, '1 gb',
      'Upper bound of JVM overhead.'),
    jvmOverheadFraction: option('jobmanager.memory.jvm-overhead.fraction', 'float', float(0.1), '0.1',
      'Share of Total Process Memory reserved as JVM overhead, capped to min/max.'),
    directMemoryLimit: option('jobmanager.memory.enable-jvm-direct-memory-limit', 'boolean', false, 'false',
      'Whether -XX:MaxDirectMemorySize is set to the off-heap size.'),
    legacyHeapSize: option('jobmanager.heap.size', 'memory', undefined, 'null',
      'Legacy (pre-1.11) JobManager heap size, read as JVM heap.'),
    legacyHeapMb: option('jobmanager.heap.mb', 'int', undefined, 'null',
      'Legacy (pre-1.11) JobManager heap size in MiB, read as JVM heap.'),
  },
} as const;

export type TaskManagerOptionName = keyof typeof BASE_OPTIONS.tm;
export type JobManagerOptionName = keyof typeof BASE_OPTIONS.jm;
export type TaskManagerOptions = { readonly [K in TaskManagerOptionName]: ConfigOption };
export type JobManagerOptions = { readonly [K in JobManagerOptionName]: ConfigOption };
