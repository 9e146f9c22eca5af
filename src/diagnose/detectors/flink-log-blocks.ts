/**
 * What a Flink process writes about its own memory at startup, spread over several lines:
 *
 * - the memory block the start scripts' BashJavaUtils logs (`logTaskExecutorConfiguration`,
 *   `logMasterConfiguration`) with layout `%-5p %x - %m%n`; TaskManagerRunner and the cluster entry
 *   points print it again inside their " Preconfiguration: " record (EnvironmentInformation), so in a
 *   log file it arrives as continuation lines:
 *   `INFO  [] -   Total Process Memory:          1.688gb (1811939328 bytes)`;
 * - EnvironmentInformation's " JVM Options:" record followed by one record per option (`    -Xmx536870902`);
 * - GlobalConfiguration's "Loading dynamic configuration property: key, value" records, which carry
 *   the exact sizes the launcher passed with `-D` (also on Kubernetes and YARN, where no script ran).
 */
import { parseMemorySize } from '../../memory/memory-size.js';
import type { Facts } from './flink-log-collector.js';

// --- The "Final ... Memory configuration:" block --------------------------------------------------

export const MEMORY_BLOCK_HINT = 'Memory configuration:';
const TM_HEADER = 'Final TaskExecutor Memory configuration:';
const JM_HEADER = 'Final Master Memory configuration:';

/** Which process a header line announces, if it is one. */
export function memoryBlockHeader(text: string): 'taskmanager' | 'jobmanager' | undefined {
  if (text.includes(TM_HEADER)) return 'taskmanager';
  if (text.includes(JM_HEADER)) return 'jobmanager';
  return undefined;
}

// Indentation tells the two "Framework:"/"Task:" lines of the TaskManager block apart (heap at 8,
// direct memory at 10), exactly as BashJavaUtils prints them.
const TM_LABELS: Readonly<Record<string, string>> = {
  '2:Total Process Memory': 'totalProcessMemory',
  '4:Total Flink Memory': 'totalFlinkMemory',
  '6:Total JVM Heap Memory': 'jvmHeap',
  '8:Framework': 'frameworkHeap',
  '8:Task': 'taskHeap',
  '6:Total Off-heap Memory': 'totalOffHeap',
  '8:Managed': 'managed',
  '8:Total JVM Direct Memory': 'jvmDirect',
  '10:Framework': 'frameworkOffHeap',
  '10:Task': 'taskOffHeap',
  '10:Network': 'network',
  '4:JVM Metaspace': 'jvmMetaspace',
  '4:JVM Overhead': 'jvmOverhead',
};
const JM_LABELS: Readonly<Record<string, string>> = {
  '2:Total Process Memory': 'totalProcessMemory',
  '4:Total Flink Memory': 'totalFlinkMemory',
  '6:JVM Heap': 'jvmHeap',
  '6:Off-heap': 'offHeap',
  '4:JVM Metaspace': 'jvmMetaspace',
  '4:JVM Overhead': 'jvmOverhead',
};

// The bash utilities' prefix ("INFO  [] - "), or a full log line's prefix when a layout wrote it.
const BLOCK_LINE = /^(?:.*? - )?( +)([A-Za-z][A-Za-z -]*?):\s+(.+?)\s*$/;
// MemorySize.toHumanReadableString: "1.688gb (1811939328 bytes)", or "0 bytes" below 1 KiB.
const EXACT_BYTES = /\((\d+) bytes\)$|^(\d+) bytes$/;

/**
 * One line of the block: the component it names and its exact size in bytes, or undefined when the
 * line is not part of the block (which ends it).
 */
export function memoryBlockLine(process: 'taskmanager' | 'jobmanager', text: string): { component: string; bytes: string } | undefined {
  const m = BLOCK_LINE.exec(text);
  if (m === null) return undefined;
  const component = (process === 'taskmanager' ? TM_LABELS : JM_LABELS)[`${m[1]!.length}:${m[2]!}`];
  if (component === undefined) return undefined;
  const size = EXACT_BYTES.exec(m[3]!);
  if (size === null) return undefined;
  return { component, bytes: size[1] ?? size[2]! };
}

// --- " JVM Options:" ------------------------------------------------------------------------------

export const JVM_OPTIONS_HINT = 'JVM Options:';

/** `-Xmx1g` style sizes (HotSpot's: no unit is bytes; k, m, g, t in either case). */
function jvmSize(text: string): string | undefined {
  const m = /^(\d+)([kKmMgGtT]?)$/.exec(text);
  if (m === null) return undefined;
  const shift: Record<string, bigint> = { '': 0n, k: 10n, m: 20n, g: 30n, t: 40n };
  return (BigInt(m[1]!) << shift[m[2]!.toLowerCase()]!).toString();
}

const SIZE_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ['-Xmx', 'Xmx'],
  ['-Xms', 'Xms'],
  ['-Xss', 'Xss'],
  ['-XX:MaxDirectMemorySize=', 'MaxDirectMemorySize'],
  ['-XX:MaxMetaspaceSize=', 'MaxMetaspaceSize'],
  ['-XX:MetaspaceSize=', 'MetaspaceSize'],
  ['-XX:CompressedClassSpaceSize=', 'CompressedClassSpaceSize'],
  ['-XX:ReservedCodeCacheSize=', 'ReservedCodeCacheSize'],
];
const GCS: Readonly<Record<string, string>> = {
  '-XX:+UseG1GC': 'G1',
  '-XX:+UseParallelGC': 'Parallel',
  '-XX:+UseSerialGC': 'Serial',
  '-XX:+UseConcMarkSweepGC': 'CMS',
  '-XX:+UseZGC': 'Z',
  '-XX:+UseShenandoahGC': 'Shenandoah',
};
const BOOLEAN_FLAGS = ['HeapDumpOnOutOfMemoryError', 'ExitOnOutOfMemoryError', 'CrashOnOutOfMemoryError', 'AlwaysPreTouch'];

/**
 * Facts from the options a JVM started with. A later occurrence wins, as it does for the JVM
 * (env.java.opts come after Flink's own -Xmx, so a user's -Xmx there is the one in force).
 */
export function jvmOptionFacts(options: readonly string[]): Facts {
  const facts: Facts = { count: options.length };
  for (const raw of options) {
    const option = raw.trim();
    for (const [prefix, name] of SIZE_FLAGS) {
      if (option.startsWith(prefix)) {
        const bytes = jvmSize(option.slice(prefix.length));
        if (bytes !== undefined) facts[name] = bytes;
      }
    }
    const gc = GCS[option];
    if (gc !== undefined) facts['gc'] = gc;
    let m = /^-XX:NativeMemoryTracking=(\w+)$/.exec(option);
    if (m !== null) facts['NativeMemoryTracking'] = m[1]!;
    m = /^-XX:(MaxRAMPercentage|InitialRAMPercentage|MaxGCPauseMillis|InitiatingHeapOccupancyPercent|NewRatio)=([\d.]+)$/.exec(option);
    if (m !== null) facts[m[1]!] = Number(m[2]);
    m = /^-XX:([+-])(\w+)$/.exec(option);
    if (m !== null && BOOLEAN_FLAGS.includes(m[2]!)) facts[m[2]!] = m[1] === '+';
  }
  return facts;
}

// --- GlobalConfiguration: "Loading dynamic configuration property: {}, {}" -------------------------

export const DYNAMIC_PROPERTY_PREFIX = 'Loading dynamic configuration property: ';

const TM_KEYS: Readonly<Record<string, string>> = {
  'taskmanager.memory.framework.heap.size': 'frameworkHeap',
  'taskmanager.memory.task.heap.size': 'taskHeap',
  'taskmanager.memory.framework.off-heap.size': 'frameworkOffHeap',
  'taskmanager.memory.task.off-heap.size': 'taskOffHeap',
  'taskmanager.memory.managed.size': 'managed',
  'taskmanager.memory.jvm-metaspace.size': 'jvmMetaspace',
};
const JM_KEYS: Readonly<Record<string, string>> = {
  'jobmanager.memory.heap.size': 'jvmHeap',
  'jobmanager.memory.off-heap.size': 'offHeap',
  'jobmanager.memory.jvm-metaspace.size': 'jvmMetaspace',
};
// A range the launcher pins to one value (min = max) is that component's exact size.
const RANGES: ReadonlyArray<readonly [string, string, string]> = [
  ['taskmanager.memory.network.min', 'taskmanager.memory.network.max', 'network'],
  ['taskmanager.memory.jvm-overhead.min', 'taskmanager.memory.jvm-overhead.max', 'jvmOverhead'],
  ['jobmanager.memory.jvm-overhead.min', 'jobmanager.memory.jvm-overhead.max', 'jvmOverhead'],
];

/** `key, value` of one dynamic property message, when it is a memory option. */
export function dynamicMemoryProperty(message: string): { key: string; value: string } | undefined {
  if (!message.startsWith(DYNAMIC_PROPERTY_PREFIX)) return undefined;
  const rest = message.slice(DYNAMIC_PROPERTY_PREFIX.length);
  const comma = rest.indexOf(', ');
  if (comma === -1) return undefined;
  const key = rest.slice(0, comma);
  if (!key.startsWith('taskmanager.memory.') && !key.startsWith('jobmanager.memory.')) return undefined;
  return { key, value: rest.slice(comma + 2).trim() };
}

/** Components (bytes as decimal strings) that a set of dynamic memory properties fixes. */
export function dynamicPropertyFacts(properties: ReadonlyMap<string, string>): { process: 'taskmanager' | 'jobmanager'; components: Facts } | undefined {
  const bytes = (key: string): string | undefined => {
    const value = properties.get(key);
    if (value === undefined) return undefined;
    try {
      return parseMemorySize(value).toString();
    } catch {
      return undefined;
    }
  };
  const components: Facts = {};
  let tm = 0;
  let jm = 0;
  for (const [key, name] of Object.entries(TM_KEYS)) {
    const b = bytes(key);
    if (b !== undefined) {
      components[name] = b;
      tm++;
    }
  }
  for (const [key, name] of Object.entries(JM_KEYS)) {
    const b = bytes(key);
    if (b !== undefined) {
      components[name] = b;
      jm++;
    }
  }
  for (const [minKey, maxKey, name] of RANGES) {
    const min = bytes(minKey);
    if (min !== undefined && min === bytes(maxKey)) {
      components[name] = min;
      if (minKey.startsWith('taskmanager.')) tm++;
      else jm++;
    }
  }
  if (tm === 0 && jm === 0) return undefined;
  return { process: tm >= jm ? 'taskmanager' : 'jobmanager', components };
}
