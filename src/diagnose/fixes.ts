/**
 * Configuration changes that are valid by construction. A fix says which component needs how much
 * more; this module finds where the bytes come from (headroom left in the container, then a share
 * of managed memory, then a larger container) and writes the result as explicit options that the
 * exact model re-derives before anything is shown.
 *
 * Why pin every component: under a fixed process size Flink spreads any change over all the
 * fractions (more metaspace would also shrink the task heap). Pinning the components that should
 * not move makes the fix say exactly what it does: "take 256m from managed memory, give it to
 * metaspace", and the model confirms Flink derives exactly that.
 */
import type { FlatConfig } from '../memory/configuration.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { formatHumanReadable, parseMemorySize } from '../memory/memory-size.js';
import { formatSize } from '../report/format.js';
import type { TaskManagerSpec } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { configSize, roundUpToMiB } from '../plan/sizes.js';

/** The TaskManager components a fix can grow. */
export type GrowableComponent = 'taskHeap' | 'taskOffHeap' | 'managed' | 'network' | 'jvmMetaspace' | 'jvmOverhead' | 'frameworkOffHeap';

export interface FixRequest {
  readonly component: GrowableComponent;
  /** The size the component should have at least. */
  readonly atLeast: bigint;
  /** Why, for the explanation ("heap OOM at 1.2 GiB task heap"). */
  readonly why: string;
}

export interface MemoryFix {
  /** The option changes, relative to the configuration the TaskManager ran with. */
  readonly set: Readonly<Record<string, string>>;
  readonly before: TaskManagerSpec;
  readonly after: TaskManagerSpec;
  /** Whether the new total fits the known container limit (true when none is known). */
  readonly fitsContainer: boolean;
  /** When the container must grow: the size to request. */
  readonly containerNeeded?: bigint;
  /** One or two sentences: where the bytes come from. */
  readonly explanation: string;
}

const KEYS = {
  process: 'taskmanager.memory.process.size',
  flink: 'taskmanager.memory.flink.size',
  taskHeap: 'taskmanager.memory.task.heap.size',
  taskOffHeap: 'taskmanager.memory.task.off-heap.size',
  frameworkOffHeap: 'taskmanager.memory.framework.off-heap.size',
  managedSize: 'taskmanager.memory.managed.size',
  networkMin: 'taskmanager.memory.network.min',
  networkMax: 'taskmanager.memory.network.max',
  metaspace: 'taskmanager.memory.jvm-metaspace.size',
  overheadMin: 'taskmanager.memory.jvm-overhead.min',
  overheadMax: 'taskmanager.memory.jvm-overhead.max',
} as const;

const LABELS: Readonly<Record<GrowableComponent, string>> = {
  taskHeap: 'task heap',
  taskOffHeap: 'task off-heap',
  managed: 'managed memory',
  network: 'network memory',
  jvmMetaspace: 'JVM metaspace',
  jvmOverhead: 'JVM overhead',
  frameworkOffHeap: 'framework off-heap',
};

/** Managed memory gives at most half of itself: RocksDB and batch operators still need the rest. */
const MANAGED_DONOR_SHARE = 2n;

export class FixError extends Error {}

/**
 * The fix for one need, given the configuration a TaskManager ran with and (when known) the
 * container or pod limit. Throws FixError when the configuration itself does not derive.
 */
export function proposeFix(
  config: FlatConfig,
  version: FlinkVersionBehaviour,
  need: FixRequest,
  containerLimit?: bigint,
): MemoryFix | undefined {
  const derived = deriveTaskManagerMemory(config, version);
  if (!derived.ok) throw new FixError(`the configuration does not derive: ${derived.error.message}`);
  const before = derived.spec;
  const m = before.memory;
  const current = m[need.component].bytes;
  if (current >= need.atLeast) return undefined;
  const target = roundUpToMiB(need.atLeast);
  let missing = target - current;
  const process = m.totalProcessMemory.bytes;
  const limit = containerLimit ?? process;
  const sources: string[] = [];

  // 1. Headroom: a container larger than the process it runs.
  const headroom = limit > process ? ((limit - process) / (1024n * 1024n)) * 1024n * 1024n : 0n;
  const fromHeadroom = headroom < missing ? headroom : missing;
  if (fromHeadroom > 0n) sources.push('unused container headroom');
  missing -= fromHeadroom;

  // 2. Managed memory, when it is not the component in need.
  let managed = m.managed.bytes;
  if (missing > 0n && need.component !== 'managed') {
    const spare = roundDownToMiB(managed / MANAGED_DONOR_SHARE);
    const take = spare < missing ? spare : missing;
    if (take > 0n) {
      managed -= take;
      missing -= take;
      sources.push('managed memory');
    }
  }

  // 3. A larger container for the rest.
  if (missing > 0n) sources.push('a larger container');
  const grown = process + fromHeadroom + missing;
  // A grown container is requested in whole MiB, but never past a known limit it fits under.
  const newProcess = grown === process ? process : missing === 0n && roundUpToMiB(grown) > limit ? grown : roundUpToMiB(grown);

  // Components that follow a fraction or a remainder are pinned to whole MiB (rounded down, the
  // grown one up); fixed sizes (framework, task off-heap, metaspace) only change when they are the
  // need. JVM overhead takes the remainder, so its range is set around it.
  const grow = (component: GrowableComponent, bytes: bigint) => (component === need.component ? roundUpToMiB(need.atLeast) : bytes);
  const taskHeap = grow('taskHeap', roundDownToMiB(m.taskHeap.bytes));
  const managedPinned = grow('managed', roundDownToMiB(managed));
  const network = grow('network', roundDownToMiB(m.network.bytes));
  const taskOffHeap = grow('taskOffHeap', m.taskOffHeap.bytes);
  const frameworkOffHeap = grow('frameworkOffHeap', m.frameworkOffHeap.bytes);
  const metaspace = grow('jvmMetaspace', m.jvmMetaspace.bytes);
  const flink = m.frameworkHeap.bytes + taskHeap + frameworkOffHeap + taskOffHeap + managedPinned + network;
  const overhead = newProcess - flink - metaspace;

  const pinned: Record<string, string> = { ...config };
  pinned[KEYS.process] = configSize(newProcess);
  pinned[KEYS.taskHeap] = configSize(taskHeap);
  pinned[KEYS.managedSize] = configSize(managedPinned);
  pinned[KEYS.networkMin] = configSize(network);
  pinned[KEYS.networkMax] = configSize(network);
  if (need.component === 'taskOffHeap') pinned[KEYS.taskOffHeap] = configSize(taskOffHeap);
  if (need.component === 'frameworkOffHeap') pinned[KEYS.frameworkOffHeap] = configSize(frameworkOffHeap);
  if (need.component === 'jvmMetaspace') pinned[KEYS.metaspace] = configSize(metaspace);
  pinned[KEYS.overheadMin] = configSize(roundDownToMiB(overhead));
  pinned[KEYS.overheadMax] = configSize(roundUpToMiB(overhead));
  // Total Flink memory, when configured (directly or through a legacy heap key), must agree with the parts.
  if (config[KEYS.flink] !== undefined || config['taskmanager.heap.size'] !== undefined || config['taskmanager.heap.mb'] !== undefined) {
    pinned[KEYS.flink] = configSize(flink);
  }

  const after = deriveTaskManagerMemory(pinned, version);
  if (!after.ok) throw new FixError(`the fix does not derive (${after.error.message}); please report this`);
  if (after.spec.memory[need.component].bytes < need.atLeast || after.spec.memory.totalProcessMemory.bytes !== newProcess) {
    throw new FixError(`the fix derives ${formatHumanReadable(after.spec.memory[need.component].bytes)} of ${LABELS[need.component]}; please report this`);
  }

  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(pinned)) if (!sameSize(config[key], value)) set[key] = value;
  const fitsContainer = containerLimit === undefined || newProcess <= containerLimit;
  const moved = (Object.keys(LABELS) as GrowableComponent[])
    .filter((c) => c !== need.component)
    .filter((c) => abs(after.spec.memory[c].bytes - m[c].bytes) >= 1024n * 1024n)
    .map((c) => `${LABELS[c]} ${formatSize(m[c].bytes)} -> ${formatSize(after.spec.memory[c].bytes)}`);
  if (newProcess !== process) moved.push(`total process memory ${formatSize(process)} -> ${formatSize(newProcess)}`);
  const explanation =
    `${LABELS[need.component]} ${formatSize(current)} -> ${formatSize(after.spec.memory[need.component].bytes)} (${need.why}); ` +
    `the bytes come from ${sources.join(', then ')}${moved.length > 0 ? ` (${moved.join('; ')})` : ''}` +
    (fitsContainer ? '.' : `; the container must grow to ${configSize(newProcess)}.`);
  return {
    set,
    before,
    after: after.spec,
    fitsContainer,
    ...(fitsContainer ? {} : { containerNeeded: newProcess }),
    explanation,
  };
}

function roundDownToMiB(bytes: bigint): bigint {
  const MiB = 1024n * 1024n;
  return (bytes / MiB) * MiB;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** "4096m" and "4g" are the same setting: only real changes belong in a fix. */
function sameSize(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  if (a === b) return true;
  try {
    return parseMemorySize(a) === parseMemorySize(b);
  } catch {
    return false;
  }
}

export interface CombinedFix {
  /** The option changes of all fixes together, relative to the original configuration. */
  readonly set: Readonly<Record<string, string>>;
  readonly before: TaskManagerSpec;
  readonly after: TaskManagerSpec;
  readonly fitsContainer: boolean;
  readonly containerNeeded?: bigint;
  /** Each step, in the order applied. */
  readonly steps: readonly string[];
}

/**
 * Every need at once: each fix is proposed on the configuration the previous ones produced, so
 * later needs see the bytes earlier ones took. The result is derived again from the original
 * configuration plus the combined changes, so it is valid by construction.
 */
export function combineFixes(
  config: FlatConfig,
  version: FlinkVersionBehaviour,
  needs: readonly FixRequest[],
  containerLimit?: bigint,
): CombinedFix | undefined {
  const first = deriveTaskManagerMemory(config, version);
  if (!first.ok) throw new FixError(`the configuration does not derive: ${first.error.message}`);
  let current: Record<string, string> = { ...config };
  const steps: string[] = [];
  for (const need of needs) {
    const fix = proposeFix(current, version, need, containerLimit);
    if (fix === undefined) continue;
    current = { ...current, ...fix.set };
    steps.push(fix.explanation);
  }
  if (steps.length === 0) return undefined;
  const after = deriveTaskManagerMemory(current, version);
  if (!after.ok) throw new FixError(`the combined fix does not derive (${after.error.message}); please report this`);
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(current)) if (!sameSize(config[key], value)) set[key] = value;
  const total = after.spec.memory.totalProcessMemory.bytes;
  const fitsContainer = containerLimit === undefined || total <= containerLimit;
  return { set, before: first.spec, after: after.spec, fitsContainer, ...(fitsContainer ? {} : { containerNeeded: total }), steps };
}
