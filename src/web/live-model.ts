/**
 * The live view's reading of Flink's REST API (`/taskmanagers`, `/taskmanagers/:id`, `/jobs/overview`,
 * `/jobs/:id/checkpoints`) and its proposals, which are re-derived with the exact model. Pure.
 */
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { configSize } from '../plan/sizes.js';

export interface TaskManagerMemoryConfiguration {
  readonly frameworkHeap: number;
  readonly taskHeap: number;
  readonly frameworkOffHeap: number;
  readonly taskOffHeap: number;
  readonly networkMemory: number;
  readonly managedMemory: number;
  readonly jvmMetaspace: number;
  readonly jvmOverhead: number;
  readonly totalFlinkMemory: number;
  readonly totalProcessMemory: number;
}

export interface TaskManagerMetrics {
  readonly heapUsed?: number;
  readonly heapMax?: number;
  readonly directUsed?: number;
  readonly directMax?: number;
  readonly nonHeapUsed?: number;
  readonly nettyShuffleMemoryUsed?: number;
  readonly nettyShuffleMemoryTotal?: number;
  readonly garbageCollectors?: ReadonlyArray<{ readonly name: string; readonly count: number; readonly time: number }>;
}

export interface TaskManagerInfo {
  readonly id: string;
  readonly path?: string;
  readonly slotsNumber?: number;
  readonly freeSlots?: number;
  readonly memoryConfiguration?: TaskManagerMemoryConfiguration;
  readonly metrics?: TaskManagerMetrics;
}

export interface Proposal {
  readonly reason: string;
  readonly set: Readonly<Record<string, string>>;
  /** Total Process Memory the exact model derives for the proposal. */
  readonly totalProcessBytes: bigint;
}

const MiB = 1024n * 1024n;
const HEAP_PRESSURE = 0.85;

/** The TaskManager's reported sizes as a fine-grained configuration the model re-derives exactly. */
export function configOf(m: TaskManagerMemoryConfiguration): Record<string, string> {
  const b = (n: number): string => `${Math.round(n)}b`;
  return {
    'taskmanager.memory.framework.heap.size': b(m.frameworkHeap),
    'taskmanager.memory.task.heap.size': b(m.taskHeap),
    'taskmanager.memory.framework.off-heap.size': b(m.frameworkOffHeap),
    'taskmanager.memory.task.off-heap.size': b(m.taskOffHeap),
    'taskmanager.memory.network.min': b(m.networkMemory),
    'taskmanager.memory.network.max': b(m.networkMemory),
    'taskmanager.memory.managed.size': b(m.managedMemory),
    'taskmanager.memory.jvm-metaspace.size': b(m.jvmMetaspace),
    'taskmanager.memory.jvm-overhead.min': b(m.jvmOverhead),
    'taskmanager.memory.jvm-overhead.max': b(m.jvmOverhead),
  };
}

/** What the metrics suggest: more task heap under heap pressure, always valid by the model. */
export function proposals(tm: TaskManagerInfo, version: FlinkVersionBehaviour): Proposal[] {
  const m = tm.memoryConfiguration;
  const metrics = tm.metrics;
  if (m === undefined || metrics?.heapUsed === undefined || metrics.heapMax === undefined || metrics.heapMax <= 0) return [];
  const used = metrics.heapUsed / metrics.heapMax;
  if (used < HEAP_PRESSURE) return [];
  // A quarter more task heap, in whole MiB; the rest of the TaskManager stays as it is.
  const taskHeap = ((BigInt(Math.round(m.taskHeap * 1.25)) + MiB - 1n) / MiB) * MiB;
  const config = { ...configOf(m), 'taskmanager.memory.task.heap.size': configSize(taskHeap) };
  const result = deriveTaskManagerMemory(config, version);
  if (!result.ok) return [];
  const total = result.spec.memory.totalProcessMemory.bytes;
  return [
    {
      reason: `heap ${(used * 100).toFixed(0)}% used (of ${Math.round(metrics.heapMax / 1048576)} MiB): give the task heap a quarter more`,
      set: { 'taskmanager.memory.task.heap.size': configSize(taskHeap), 'taskmanager.memory.process.size': configSize(((total + MiB - 1n) / MiB) * MiB) },
      totalProcessBytes: total,
    },
  ];
}
