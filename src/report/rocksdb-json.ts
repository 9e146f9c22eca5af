/**
 * The JSON contract of `flink-memory rocksdb --format json` (documented in the README). Sizes are
 * decimal strings of bytes, so every 64-bit value survives any JSON parser; fractions and ratios
 * are the doubles Flink computes.
 */
import type { ManagedMemoryConsumer } from '../plan/managed-memory.js';
import type { RocksDbMemoryPlan } from '../plan/rocksdb-memory.js';
import type { TaskManagerSpec } from '../memory/spec.js';

export interface RocksDbJson {
  readonly ok: true;
  readonly flinkVersion: string;
  readonly backend: 'rocksdb' | 'forst';
  readonly configuredStateBackend: { readonly name: string; readonly key: string | null; readonly usesManagedMemory: boolean };
  readonly mode: RocksDbMemoryPlan['mode'];
  readonly taskManager: {
    readonly totalProcessMemory: string;
    readonly managed: string;
    readonly taskOffHeap: string;
    readonly numSlots: number;
  };
  readonly managedMemory: {
    readonly perTaskManager: string;
    readonly perSlot: string;
    readonly unassigned: string;
    readonly weightsSource: 'default' | 'value' | 'prefixed-keys';
    readonly configuredWeights: Readonly<Record<string, string>>;
    readonly totalWeight: number;
    readonly consumers: readonly {
      readonly consumer: ManagedMemoryConsumer;
      readonly weight: number | null;
      readonly present: boolean;
      readonly counted: boolean;
      readonly fraction: number;
      readonly bytesPerSlot: string;
    }[];
  };
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  readonly sharedScope: 'slot' | 'taskmanager' | null;
  readonly shared: Readonly<Record<string, string | number | boolean>> | null;
  readonly perTaskManager: string | null;
  readonly perColumnFamily: { readonly writeBuffers: string; readonly blockCache: string; readonly total: string } | null;
  readonly findings: readonly { readonly severity: string; readonly code: string; readonly message: string; readonly keys: readonly string[] }[];
}

export function rocksDbJson(spec: TaskManagerSpec, plan: RocksDbMemoryPlan): RocksDbJson {
  const s = plan.settings;
  const r = plan.shared;
  return {
    ok: true,
    flinkVersion: plan.flinkVersion,
    backend: plan.backend,
    configuredStateBackend: {
      name: plan.configuredBackend.name,
      key: plan.configuredBackend.key ?? null,
      usesManagedMemory: plan.configuredBackend.usesManagedMemory,
    },
    mode: plan.mode,
    taskManager: {
      totalProcessMemory: spec.memory.totalProcessMemory.bytes.toString(),
      managed: spec.memory.managed.bytes.toString(),
      taskOffHeap: spec.memory.taskOffHeap.bytes.toString(),
      numSlots: spec.numSlots,
    },
    managedMemory: {
      perTaskManager: plan.split.managed.toString(),
      perSlot: plan.split.perSlot.toString(),
      unassigned: plan.split.unassigned.toString(),
      weightsSource: plan.split.weights.source,
      configuredWeights: plan.split.weights.configured,
      totalWeight: plan.split.totalWeight,
      consumers: plan.split.shares.map((c) => ({
        consumer: c.consumer,
        weight: c.weight ?? null,
        present: c.present,
        counted: c.counted,
        fraction: c.fraction,
        bytesPerSlot: c.bytesPerSlot.toString(),
      })),
    },
    options: {
      [s.keys.managed]: s.managed,
      [s.keys.fixedPerSlot]: s.fixedPerSlot?.toString() ?? null,
      [s.keys.fixedPerTm]: s.fixedPerTm?.toString() ?? null,
      [s.keys.writeBufferRatio]: s.writeBufferRatio,
      [s.keys.highPriorityPoolRatio]: s.highPriorityPoolRatio,
      [s.keys.partitionedIndexFilters]: s.partitionedIndexFilters,
      [s.keys.writeBufferSize]: s.writeBufferSize.toString(),
      [s.keys.writeBufferCount]: s.writeBufferCount,
      [s.keys.blockCacheSize]: s.blockCacheSize.toString(),
    },
    sharedScope: plan.sharedScope ?? null,
    shared:
      r === undefined
        ? null
        : {
            budget: r.budget.toString(),
            blockCache: r.blockCache.toString(),
            writeBufferManager: r.writeBufferManager.toString(),
            highPriorityPool: r.highPriorityPool.toString(),
            dataBlocks: r.dataBlocks.toString(),
            overshootRoom: r.overshootRoom.toString(),
            memtablePeak: r.memtablePeak.toString(),
            cacheShards: r.cache.shards,
            perShardCapacity: r.cache.perShardCapacity.toString(),
            highPriorityPerShard: r.cache.highPriorityPerShard.toString(),
            mutableLimit: r.mutableLimit.toString(),
            arenaBlockSize: r.arenaBlockSize.toString(),
            arenaBlockFits: r.arenaBlockFits,
          },
    perTaskManager: plan.perTaskManager?.toString() ?? null,
    perColumnFamily:
      plan.perColumnFamily === undefined
        ? null
        : {
            writeBuffers: plan.perColumnFamily.writeBuffers.toString(),
            blockCache: plan.perColumnFamily.blockCache.toString(),
            total: plan.perColumnFamily.total.toString(),
          },
    findings: plan.findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message, keys: f.keys })),
  };
}
