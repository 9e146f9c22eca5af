/**
 * Memory-related option definitions for the model. Keys, types, defaults and deprecated keys come
 * from the option catalog (src/catalog, data extracted from Flink's documentation per line), so
 * the model, `lint` and the web app share one source of truth; here each option only gets the
 * Java value the model computes with and a line for people.
 */
import { CATALOG } from '../catalog/catalog.js';
import type { CatalogOptionRecord } from '../catalog/types.js';
import { parseMemorySize } from './memory-size.js';
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

const CATALOG_TYPES: Readonly<Record<OptionType, string>> = {
  memory: 'MemorySize',
  float: 'Float',
  double: 'Double',
  int: 'Integer',
  boolean: 'Boolean',
  list: 'List<String>',
};

/** Flink's fraction options are Java floats; every read widens the float to double. */
const float = (value: number): number => Math.fround(value);

function record(key: string): CatalogOptionRecord {
  const found = CATALOG.options.find((r) => r.key === key);
  if (found === undefined) throw new Error(`the option catalog has no record for ${key}`);
  return found;
}

/** The default as the model computes with it, from the text Flink's documentation prints. */
function defaultValueOf(type: OptionType, text: string | null): ConfigOption['defaultValue'] {
  if (text === null) return undefined;
  switch (type) {
    case 'memory':
      return parseMemorySize(text);
    case 'float':
      return float(Number(text));
    case 'double':
    case 'int':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'list':
      return undefined;
  }
}

/**
 * One option as a Flink line reads it. The line matters only where a default changed (1.16's
 * 1 GiB network maximum); a key a line no longer reads keeps its definition, so the model can
 * still name it when it reports the key as ignored.
 */
export function catalogOption(line: string, key: string, type: OptionType, description: string): ConfigOption {
  const r = record(key);
  if (r.type !== CATALOG_TYPES[type]) throw new Error(`the option catalog types ${key} as ${r.type}, the model as ${type}`);
  const text = r.defaults?.[line] ?? r.default;
  return {
    key,
    type,
    defaultValue: defaultValueOf(type, text),
    // ConfigOption.toString() prints a missing default as Java's "null".
    defaultText: text ?? 'null',
    fallbackKeys: (r.deprecatedKeys ?? []).map((k) => ({ key: k, deprecated: true })),
    description,
  };
}

/** Flink's ConfigOption.toString(), which Flink embeds in several error messages. */
export function describeOption(o: ConfigOption): string {
  const fallbacks = o.fallbackKeys.map((f) => `{key=${f.key}, isDeprecated=${f.deprecated}}`).join(', ');
  return `Key: '${o.key}' , default: ${o.defaultText} (fallback keys: [${fallbacks}])`;
}

/** The memory options of one Flink line, from the catalog. */
export function memoryOptionsFor(line: string) {
  const o = (key: string, type: OptionType, description: string): ConfigOption => catalogOption(line, key, type, description);
  return {
    tm: {
      totalProcess: o('taskmanager.memory.process.size', 'memory',
        'Total Process Memory of the TaskManager: everything the JVM process may use.'),
      totalFlink: o('taskmanager.memory.flink.size', 'memory',
        'Total Flink Memory: process memory minus JVM metaspace and overhead.'),
      frameworkHeap: o('taskmanager.memory.framework.heap.size', 'memory',
        'JVM heap reserved for the Flink framework.'),
      frameworkOffHeap: o('taskmanager.memory.framework.off-heap.size', 'memory',
        'Direct memory reserved for the Flink framework.'),
      taskHeap: o('taskmanager.memory.task.heap.size', 'memory',
        'JVM heap for user code (operators, UDFs, heap state backend).'),
      taskOffHeap: o('taskmanager.memory.task.off-heap.size', 'memory',
        'Direct/native memory for user code.'),
      managedSize: o('taskmanager.memory.managed.size', 'memory',
        'Managed memory (RocksDB, batch sort/hash, Python).'),
      managedFraction: o('taskmanager.memory.managed.fraction', 'float',
        'Share of Total Flink Memory used as managed memory when its size is not set.'),
      networkMin: o('taskmanager.memory.network.min', 'memory',
        'Lower bound of network (shuffle) memory.'),
      networkMax: o('taskmanager.memory.network.max', 'memory',
        'Upper bound of network (shuffle) memory.'),
      networkFraction: o('taskmanager.memory.network.fraction', 'float',
        'Share of Total Flink Memory used as network memory, capped to min/max.'),
      jvmMetaspace: o('taskmanager.memory.jvm-metaspace.size', 'memory',
        'JVM metaspace (class metadata), passed as -XX:MaxMetaspaceSize.'),
      jvmOverheadMin: o('taskmanager.memory.jvm-overhead.min', 'memory',
        'Lower bound of JVM overhead (thread stacks, code cache, GC, native).'),
      jvmOverheadMax: o('taskmanager.memory.jvm-overhead.max', 'memory',
        'Upper bound of JVM overhead.'),
      jvmOverheadFraction: o('taskmanager.memory.jvm-overhead.fraction', 'float',
        'Share of Total Process Memory reserved as JVM overhead, capped to min/max.'),
      segmentSize: o('taskmanager.memory.segment-size', 'memory',
        'Size of one memory segment / network buffer.'),
      cpuCores: o('taskmanager.cpu.cores', 'double',
        'CPU cores of the TaskManager (defaults to the number of slots).'),
      numSlots: o('taskmanager.numberOfTaskSlots', 'int', 'Number of task slots.'),
      externalResources: o('external-resources', 'list',
        'External resources (e.g. GPUs) the TaskManager announces.'),
      legacyHeapSize: o('taskmanager.heap.size', 'memory',
        'Legacy (pre-1.10) TaskManager heap size, read as Total Flink Memory.'),
      legacyHeapMb: o('taskmanager.heap.mb', 'int',
        'Legacy (pre-1.10) TaskManager heap size in MiB, read as Total Flink Memory.'),
      legacyNetworkBuffers: o('taskmanager.network.numberOfBuffers', 'int',
        'Legacy fixed number of network buffers (network memory = buffers x segment size).'),
    },
    jm: {
      totalProcess: o('jobmanager.memory.process.size', 'memory',
        'Total Process Memory of the JobManager.'),
      totalFlink: o('jobmanager.memory.flink.size', 'memory',
        'Total Flink Memory of the JobManager: JVM heap plus off-heap.'),
      jvmHeap: o('jobmanager.memory.heap.size', 'memory', 'JVM heap of the JobManager.'),
      offHeap: o('jobmanager.memory.off-heap.size', 'memory',
        'Off-heap (direct and native) memory of the JobManager.'),
      jvmMetaspace: o('jobmanager.memory.jvm-metaspace.size', 'memory',
        'JVM metaspace, passed as -XX:MaxMetaspaceSize.'),
      jvmOverheadMin: o('jobmanager.memory.jvm-overhead.min', 'memory',
        'Lower bound of JVM overhead.'),
      jvmOverheadMax: o('jobmanager.memory.jvm-overhead.max', 'memory',
        'Upper bound of JVM overhead.'),
      jvmOverheadFraction: o('jobmanager.memory.jvm-overhead.fraction', 'float',
        'Share of Total Process Memory reserved as JVM overhead, capped to min/max.'),
      directMemoryLimit: o('jobmanager.memory.enable-jvm-direct-memory-limit', 'boolean',
        'Whether -XX:MaxDirectMemorySize is set to the off-heap size.'),
      legacyHeapSize: o('jobmanager.heap.size', 'memory',
        'Legacy (pre-1.11) JobManager heap size, read as JVM heap.'),
      legacyHeapMb: o('jobmanager.heap.mb', 'int',
        'Legacy (pre-1.11) JobManager heap size in MiB, read as JVM heap.'),
    },
  };
}

/** The memory options of the newest Flink line. */
export const BASE_OPTIONS = memoryOptionsFor('2.x');

export type TaskManagerOptionName = keyof typeof BASE_OPTIONS.tm;
export type JobManagerOptionName = keyof typeof BASE_OPTIONS.jm;
export type TaskManagerOptions = { readonly [K in TaskManagerOptionName]: ConfigOption };
export type JobManagerOptions = { readonly [K in JobManagerOptionName]: ConfigOption };
