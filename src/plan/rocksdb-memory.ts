/**
 * RocksDB's (and ForSt's) native memory per slot, as Flink sets it up.
 *
 * Which budget RocksDB gets (RocksDBSharedResourcesFactory.from, in this order):
 *   - `memory.fixed-per-slot` set: that many bytes per slot, outside managed memory;
 *   - else `memory.managed` (default true): the slot's STATE_BACKEND share of managed memory,
 *     `(long) floor(slotManaged x fraction)` (see managed-memory.ts);
 *   - else `memory.fixed-per-tm` > 0 (Flink 1.17+): that many bytes per TaskManager, shared by
 *     all its slots, outside managed memory;
 *   - else nothing is shared: every state (column family) of every operator has its own write
 *     buffers and block cache, and nothing bounds the total.
 *
 * A shared budget T is split by RocksDBMemoryControllerUtils with Java double arithmetic:
 *   block cache capacity        C = (long) ((3 - r) * T / 3)
 *   write buffer manager        W = (long) (2 * T * r / 3)       (r = write-buffer-ratio)
 * The write buffer manager charges memtables to the cache, so C holds memtables, index/filter
 * blocks and data blocks together. Memtables may overshoot W by up to half (RocksDB flushes only
 * once they pass 7/8 of W, or W with half of it mutable), i.e. reach 1.5 x W = r x T; the T - C
 * kept out of the cache is the room for that. The cache is an LRUCache split into 2^n shards
 * (each at least 512 KiB, at most 64 shards); each shard reserves
 * (size_t) (shardCapacity x high-prio-pool-ratio) for index and filter blocks.
 *
 * Pure: no I/O.
 */
import { FlinkConfiguration, type FlatConfig } from '../memory/configuration.js';
import { FlinkError } from '../memory/errors.js';
import { javaDoubleToString } from '../memory/java/java-numbers.js';
import type { ConfigOption, OptionType } from '../memory/options.js';
import type { TaskManagerSpec } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import {
  javaDoubleToLong,
  splitManagedMemory,
  stateBackendOf,
  type ManagedMemoryConsumer,
  type ManagedMemorySplit,
  type StateBackendChoice,
} from './managed-memory.js';

export type RocksDbBackend = 'rocksdb' | 'forst';

/** How RocksDB's memory is bounded; the names are Flink's RocksDBSharedResourcesFactory cases. */
export type RocksDbMemoryMode = 'managed' | 'fixed-per-slot' | 'fixed-per-tm' | 'per-column-family';

const MiB = 1024n * 1024n;
/** RocksDB's own default write_buffer_size, which Flink's option default repeats. */
const DEFAULT_WRITE_BUFFER_SIZE = 64n * MiB;

const option = (key: string, type: OptionType, defaultValue: ConfigOption['defaultValue'], defaultText: string): ConfigOption => ({
  key,
  type,
  defaultValue,
  defaultText,
  fallbackKeys: [],
  description: '',
});

/** The memory options of one backend; ForSt repeats RocksDB's under its own prefix (2.x only). */
function optionsOf(backend: RocksDbBackend) {
  const p = backend === 'rocksdb' ? 'state.backend.rocksdb' : 'state.backend.forst';
  return {
    managed: option(`${p}.memory.managed`, 'boolean', true, 'true'),
    fixedPerSlot: option(`${p}.memory.fixed-per-slot`, 'memory', undefined, 'none'),
    fixedPerTm: option(`${p}.memory.fixed-per-tm`, 'memory', undefined, 'none'),
    writeBufferRatio: option(`${p}.memory.write-buffer-ratio`, 'double', 0.5, '0.5'),
    highPriorityPoolRatio: option(`${p}.memory.high-prio-pool-ratio`, 'double', 0.1, '0.1'),
    // ForSt partitions index and filter blocks unless told otherwise; RocksDB does not.
    partitionedIndexFilters: option(`${p}.memory.partitioned-index-filters`, 'boolean', backend === 'forst', String(backend === 'forst')),
    writeBufferSize: option(`${p}.writebuffer.size`, 'memory', DEFAULT_WRITE_BUFFER_SIZE, '64 mb'),
    writeBufferCount: option(`${p}.writebuffer.count`, 'int', 2, '2'),
    blockCacheSize: option(`${p}.block.cache-size`, 'memory', 8n * MiB, '8 mb'),
  };
}

export interface RocksDbSettings {
  readonly backend: RocksDbBackend;
  readonly managed: boolean;
  readonly fixedPerSlot: bigint | undefined;
  /** Undefined also when the Flink line has no such option (before 1.17). */
  readonly fixedPerTm: bigint | undefined;
  readonly writeBufferRatio: number;
  readonly highPriorityPoolRatio: number;
  readonly partitionedIndexFilters: boolean;
  readonly writeBufferSize: bigint;
  readonly writeBufferCount: number;
  readonly blockCacheSize: bigint;
  /** Option keys by setting, so reports can name what to change. */
  readonly keys: {
    readonly managed: string;
    readonly fixedPerSlot: string;
    readonly fixedPerTm: string;
    readonly writeBufferRatio: string;
    readonly highPriorityPoolRatio: string;
    readonly partitionedIndexFilters: string;
    readonly writeBufferSize: string;
    readonly writeBufferCount: string;
    readonly blockCacheSize: string;
  };
  /** Keys the configuration sets explicitly. */
  readonly explicit: readonly string[];
}

/**
 * Reads the backend's memory options with Flink's parsing; a malformed value throws Flink's
 * "Could not parse value ..." FlinkError, as configuring the backend would.
 */
export function readRocksDbSettings(values: FlatConfig, version: FlinkVersionBehaviour, backend: RocksDbBackend = 'rocksdb'): RocksDbSettings {
  const o = optionsOf(backend);
  const config = new FlinkConfiguration(values);
  const hasFixedPerTm = backend === 'forst' || !['1.16'].includes(version.line);
  const explicit = Object.values(o)
    .map((opt) => opt.key)
    .filter((key) => Object.hasOwn(values, key) && (key !== o.fixedPerTm.key || hasFixedPerTm));
  return {
    backend,
    managed: config.getBoolean(o.managed)!,
    fixedPerSlot: config.getMemory(o.fixedPerSlot),
    fixedPerTm: hasFixedPerTm ? config.getMemory(o.fixedPerTm) : undefined,
    writeBufferRatio: config.getDouble(o.writeBufferRatio)!,
    highPriorityPoolRatio: config.getDouble(o.highPriorityPoolRatio)!,
    partitionedIndexFilters: config.getBoolean(o.partitionedIndexFilters)!,
    writeBufferSize: config.getMemory(o.writeBufferSize)!,
    writeBufferCount: config.getInt(o.writeBufferCount)!,
    blockCacheSize: config.getMemory(o.blockCacheSize)!,
    keys: {
      managed: o.managed.key,
      fixedPerSlot: o.fixedPerSlot.key,
      fixedPerTm: o.fixedPerTm.key,
      writeBufferRatio: o.writeBufferRatio.key,
      highPriorityPoolRatio: o.highPriorityPoolRatio.key,
      partitionedIndexFilters: o.partitionedIndexFilters.key,
      writeBufferSize: o.writeBufferSize.key,
      writeBufferCount: o.writeBufferCount.key,
      blockCacheSize: o.blockCacheSize.key,
    },
    explicit,
  };
}

// ---------------------------------------------------------------------------------------------

/** RocksDBMemoryControllerUtils.calculateActualCacheCapacity: (long) ((3 - r) * T / 3) in doubles. */
export function calculateActualCacheCapacity(totalMemorySize: bigint, writeBufferRatio: number): bigint {
  return javaDoubleToLong(((3 - writeBufferRatio) * Number(totalMemorySize)) / 3);
}

/** RocksDBMemoryControllerUtils.calculateWriteBufferManagerCapacity: 2 * T is a long product, the rest doubles. */
export function calculateWriteBufferManagerCapacity(totalMemorySize: bigint, writeBufferRatio: number): bigint {
  return javaDoubleToLong((Number(BigInt.asIntN(64, 2n * totalMemorySize)) * writeBufferRatio) / 3);
}

export interface BlockCacheLayout {
  /** RocksDB's GetDefaultCacheShardBits(capacity): one more bit per doubling above 512 KiB, at most 6. */
  readonly shardBits: number;
  readonly shards: number;
  /** (capacity + shards - 1) / shards: every shard gets the rounded-up share. */
  readonly perShardCapacity: bigint;
  /** (size_t) (perShardCapacity x high-prio-pool-ratio). */
  readonly highPriorityPerShard: bigint;
}

const MIN_SHARD_SIZE = 512n * 1024n;
const MAX_SHARD_BITS = 6;

/** How RocksDB's LRUCache (capacity, numShardBits -1, not strict, ratio) divides its capacity. */
export function lruCacheLayout(capacity: bigint, highPriorityPoolRatio: number): BlockCacheLayout {
  // jlong -> size_t: a negative capacity would wrap; Flink never passes one for a valid budget.
  const size = BigInt.asUintN(64, capacity);
  let shardBits = 0;
  let numShards = size / MIN_SHARD_SIZE;
  while ((numShards >>= 1n) > 0n) {
    if (++shardBits >= MAX_SHARD_BITS) break;
  }
  const shards = 1 << shardBits;
  const perShardCapacity = (size + BigInt(shards - 1)) / BigInt(shards);
  const high = Number(perShardCapacity) * highPriorityPoolRatio;
  return { shardBits, shards, perShardCapacity, highPriorityPerShard: high > 0 ? javaDoubleToLong(high) : 0n };
}

export interface SharedResources {
  /** T: what the cache and write buffer manager are sized from. */
  readonly budget: bigint;
  /** C: the LRU block cache capacity (memtables, index/filter and data blocks all count in it). */
  readonly blockCache: bigint;
  /** W: the write buffer manager capacity, charged to the cache. */
  readonly writeBufferManager: bigint;
  /** H: shards x per-shard high-priority capacity, for index and filter blocks. */
  readonly highPriorityPool: bigint;
  /** C - W - H: what is left for data blocks when memtables and index/filters are full (negative = overcommitted). */
  readonly dataBlocks: bigint;
  /** T - C: kept outside the cache for memtables overshooting W. */
  readonly overshootRoom: bigint;
  /** W + W / 2: the most memtables may take (Flink's 1.5 x W assumption). */
  readonly memtablePeak: bigint;
  readonly cache: BlockCacheLayout;
  /** W x 7 / 8: RocksDB's mutable_limit_; the write buffer manager flushes above it. */
  readonly mutableLimit: bigint;
  readonly writeBufferSize: bigint;
  /** write_buffer_size / 8 rounded up to 4 KiB: RocksDB's default arena block size. */
  readonly arenaBlockSize: bigint;
  /** Flink's sanity check (arenaBlockSize <= mutableLimit); false: RocksDB flushes constantly. */
  readonly arenaBlockFits: boolean;
  /** W / arenaBlockSize: written states (column families) whose first arena blocks alone fill W. */
  readonly statesToFillWriteBuffers: bigint;
}

/** Splits a shared budget exactly as Flink and RocksDB do. */
export function sharedResources(
  budget: bigint,
  writeBufferRatio: number,
  highPriorityPoolRatio: number,
  writeBufferSize: bigint = DEFAULT_WRITE_BUFFER_SIZE,
): SharedResources {
  const blockCache = calculateActualCacheCapacity(budget, writeBufferRatio);
  const writeBufferManager = calculateWriteBufferManagerCapacity(budget, writeBufferRatio);
  const cache = lruCacheLayout(blockCache, highPriorityPoolRatio);
  const highPriorityPool = BigInt(cache.shards) * cache.highPriorityPerShard;
  const arenaBlockSize = ((writeBufferSize / 8n + 4095n) / 4096n) * 4096n;
  const mutableLimit = BigInt.asIntN(64, writeBufferManager * 7n) / 8n;
  return {
    budget,
    blockCache,
    writeBufferManager,
    highPriorityPool,
    dataBlocks: blockCache - writeBufferManager - highPriorityPool,
    overshootRoom: budget - blockCache,
    memtablePeak: writeBufferManager + writeBufferManager / 2n,
    cache,
    mutableLimit,
    writeBufferSize,
    arenaBlockSize,
    arenaBlockFits: arenaBlockSize <= mutableLimit,
    statesToFillWriteBuffers: arenaBlockSize > 0n && writeBufferManager > 0n ? writeBufferManager / arenaBlockSize : 0n,
  };
}

// ---------------------------------------------------------------------------------------------

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface RocksDbFinding {
  /** error: Flink or RocksDB fails or misbehaves; warning: memory can exceed its budget; info: worth knowing. */
  readonly severity: FindingSeverity;
  readonly code: string;
  readonly message: string;
  readonly keys: readonly string[];
}

export interface ColumnFamilyMemory {
  /** writebuffer.count x writebuffer.size: memtables of one state. */
  readonly writeBuffers: bigint;
  /** block.cache-size: the state's own block cache. */
  readonly blockCache: bigint;
  /** Their sum; index and filter blocks come on top, unbounded. */
  readonly total: bigint;
}

export interface RocksDbMemoryPlan {
  readonly backend: RocksDbBackend;
  /** What `state.backend.type` selects (a job may choose RocksDB in code anyway). */
  readonly configuredBackend: StateBackendChoice;
  readonly flinkVersion: string;
  readonly mode: RocksDbMemoryMode;
  readonly settings: RocksDbSettings;
  readonly split: ManagedMemorySplit;
  /** The shared cache and write buffer manager: of one slot (managed, fixed-per-slot) or of the TaskManager (fixed-per-tm). */
  readonly shared: SharedResources | undefined;
  readonly sharedScope: 'slot' | 'taskmanager' | undefined;
  /** RocksDB's bounded native memory on the whole TaskManager; undefined when unbounded. */
  readonly perTaskManager: bigint | undefined;
  /** Memory of one state when nothing is shared. */
  readonly perColumnFamily: ColumnFamilyMemory | undefined;
  readonly findings: readonly RocksDbFinding[];
}

export interface RocksDbPlanOptions {
  /** Which backend to size (default: the configured one if it is RocksDB or ForSt, else RocksDB). */
  readonly backend?: RocksDbBackend;
  /** Other kinds of managed-memory consumers in a slot; STATE_BACKEND is always there. */
  readonly consumers?: readonly ManagedMemoryConsumer[];
  /** See readConsumerWeights. */
  readonly standardYaml?: boolean;
}

/**
 * RocksDB's memory per slot for a derived TaskManager and its configuration: the managed-memory
 * split, the mode Flink picks, the shared cache and write buffer manager, and findings on
 * settings that let RocksDB exceed its budget or make Flink fail. Throws a FlinkError when Flink
 * cannot even read the options (malformed values).
 */
export function rocksDbMemoryPerSlot(
  spec: TaskManagerSpec,
  values: FlatConfig,
  version: FlinkVersionBehaviour,
  options: RocksDbPlanOptions = {},
): RocksDbMemoryPlan {
  const configuredBackend = stateBackendOf(values, version);
  const backend: RocksDbBackend = options.backend ?? (configuredBackend.kind === 'forst' ? 'forst' : 'rocksdb');
  const settings = readRocksDbSettings(values, version, backend);
  // RocksDB is a STATE_BACKEND consumer itself, whatever else the caller lists.
  const consumers: ManagedMemoryConsumer[] = ['STATE_BACKEND', ...(options.consumers ?? []).filter((c) => c !== 'STATE_BACKEND')];
  // The backends declare managed-memory use whatever `memory.managed` says, so the weight counts.
  const split = splitManagedMemory(spec, values, version, {
    consumers,
    stateBackendUsesManagedMemory: true,
    ...(options.standardYaml === undefined ? {} : { standardYaml: options.standardYaml }),
  });
  const findings: RocksDbFinding[] = [];
  const add = (severity: FindingSeverity, code: string, message: string, ...keys: string[]): void => {
    findings.push({ severity, code, message, keys });
  };
  const k = settings.keys;
  const bytes = (b: bigint): string => `${b} bytes`;

  if (backend === 'forst' && version.line !== '2.x') {
    add('error', 'forst-unavailable', `The ForSt state backend exists only in Flink 2.x; Flink ${version.line} cannot load it.`, 'state.backend.type');
  }
  if (configuredBackend.kind !== backend) {
    add('info', 'backend-not-configured',
      `${configuredBackend.key ?? 'state.backend.type'} is '${configuredBackend.name}'${configuredBackend.key === undefined ? ' (default)' : ''}: ` +
        `these figures apply to jobs that choose ${backend === 'rocksdb' ? 'RocksDB' : 'ForSt'} in code.`,
      'state.backend.type');
  }
  for (const w of split.warnings) {
    if (w.consumer === 'STATE_BACKEND' && w.code === 'zero-fraction') continue;
    add('warning', `managed-${w.code}`, w.message, 'taskmanager.memory.managed.consumer-weights');
  }

  const stateShare = split.shares.find((s) => s.consumer === 'STATE_BACKEND')!;
  let mode: RocksDbMemoryMode;
  let budget: bigint | undefined;
  let sharedScope: 'slot' | 'taskmanager' | undefined;
  if (settings.fixedPerSlot !== undefined) {
    mode = 'fixed-per-slot';
    budget = settings.fixedPerSlot;
    sharedScope = 'slot';
    if (Object.hasOwn(values, k.managed) && settings.managed) {
      add('info', 'managed-overridden', `${k.fixedPerSlot} overrides ${k.managed}: true; RocksDB does not use managed memory.`, k.fixedPerSlot, k.managed);
    }
  } else if (settings.managed) {
    mode = 'managed';
    budget = stateShare.bytesPerSlot;
    sharedScope = 'slot';
    if (stateShare.fraction === 0) {
      add('error', 'zero-state-backend-fraction',
        `RocksDB's share of managed memory is 0 (STATE_BACKEND weight ${stateShare.weight ?? 'not configured'} of ${split.totalWeight}): ` +
          `every stateful task fails with "Failed to acquire shared cache resource for RocksDB", caused by "The fraction of memory ` +
          `to allocate should not be 0. Please make sure that all types of managed memory consumers contained in the job are ` +
          `configured with a non-negative weight via \`taskmanager.memory.managed.consumer-weights\`."`,
        'taskmanager.memory.managed.consumer-weights');
    }
  } else if (settings.fixedPerTm !== undefined && settings.fixedPerTm > 0n) {
    mode = 'fixed-per-tm';
    budget = settings.fixedPerTm;
    sharedScope = 'taskmanager';
  } else {
    mode = 'per-column-family';
  }
  if (settings.fixedPerTm !== undefined && mode !== 'fixed-per-tm') {
    add('warning', 'fixed-per-tm-ignored',
      mode === 'per-column-family'
        ? `${k.fixedPerTm} is 0, which Flink treats as not set.`
        : `${k.fixedPerTm} is set but ignored: it only applies when ${k.managed} is false and ${k.fixedPerSlot} is not set.`,
      k.fixedPerTm);
  }
  if (settings.fixedPerTm === undefined && Object.hasOwn(values, k.fixedPerTm) && backend === 'rocksdb') {
    add('warning', 'fixed-per-tm-unknown', `${k.fixedPerTm} does not exist in Flink ${version.line} (added in 1.17) and is ignored.`, k.fixedPerTm);
  }

  const shared =
    budget === undefined ? undefined : sharedResources(budget, settings.writeBufferRatio, settings.highPriorityPoolRatio, settings.writeBufferSize);
  const numSlots = BigInt(split.numSlots);
  const perTaskManager = mode === 'per-column-family' ? undefined : sharedScope === 'taskmanager' ? budget : budget! * numSlots;
  const perColumnFamily: ColumnFamilyMemory | undefined =
    mode === 'per-column-family'
      ? {
          writeBuffers: BigInt(settings.writeBufferCount) * settings.writeBufferSize,
          blockCache: settings.blockCacheSize,
          total: BigInt(settings.writeBufferCount) * settings.writeBufferSize + settings.blockCacheSize,
        }
      : undefined;

  checkRatios(settings, shared !== undefined, add);
  if (settings.writeBufferSize <= 0n) {
    add('error', 'write-buffer-size', `Configured size for key${k.writeBufferSize} must be larger than 0.`, k.writeBufferSize);
  }
  if (settings.writeBufferCount <= 0) {
    add('error', 'write-buffer-count', `Configured value for key: ${k.writeBufferCount} must be larger than 0.`, k.writeBufferCount);
  }

  if (mode === 'per-column-family') {
    const cf = perColumnFamily!;
    add('warning', 'unbounded',
      `RocksDB memory is not bounded: ${k.managed} is false and neither ${k.fixedPerSlot} nor ${k.fixedPerTm} is set, so every ` +
        `state of every stateful operator (timers count too) allocates its own write buffers (${k.writeBufferCount} x ` +
        `${k.writeBufferSize} = ${bytes(cf.writeBuffers)}) and block cache (${bytes(cf.blockCache)}), plus index and filter ` +
        `blocks without limit: up to ${bytes(cf.total)} x states x ${split.numSlots} slot(s) of native memory that no part of ` +
        `taskmanager.memory.process.size reserves (Flink's docs: roughly 140 MB x states across all tasks x slots).`,
      k.managed);
  }
  if (mode !== 'managed') {
    unusedManagedShare(split, stateShare.bytesPerSlot, add, k.managed);
  }
  if (mode === 'fixed-per-slot' || mode === 'fixed-per-tm') {
    outsideBudget(spec, settings, mode, perTaskManager!, add);
  }
  if (shared !== undefined) sharedFindings(shared, settings, sharedScope!, add);

  return {
    backend,
    configuredBackend,
    flinkVersion: version.line,
    mode,
    settings,
    split,
    shared,
    sharedScope,
    perTaskManager,
    perColumnFamily,
    findings,
  };
}

type Add = (severity: FindingSeverity, code: string, message: string, ...keys: string[]) => void;

/** RocksDBMemoryConfiguration.validate, plus the ranges RocksDB itself needs. */
function checkRatios(s: RocksDbSettings, shared: boolean, add: Add): void {
  const r = s.writeBufferRatio;
  const hp = s.highPriorityPoolRatio;
  if ((2 * r) / (3 - r) + hp >= 1.0) {
    add('error', 'invalid-ratios',
      `Flink rejects the state backend: "Invalid configuration: writeBufferRatio ${javaDoubleToString(r)} with highPriPoolRatio ` +
        `${javaDoubleToString(hp)}" (2 x ratio / (3 - ratio) + high-prio-pool-ratio must stay below 1, so that the memtables ` +
        `and the high-priority pool fit in the cache).`,
      s.keys.writeBufferRatio, s.keys.highPriorityPoolRatio);
  }
  if (!shared) return;
  if (!(r > 0 && r < 1)) {
    add('error', 'write-buffer-ratio-range',
      `${s.keys.writeBufferRatio} is ${javaDoubleToString(r)}, outside (0, 1): the write buffer manager gets a capacity of ` +
        `${r <= 0 ? 'zero or less, which RocksDB reads as no limit on memtables' : 'more than the cache'}.`,
      s.keys.writeBufferRatio);
  }
  if (!(hp >= 0 && hp <= 1)) {
    add('error', 'high-prio-pool-ratio-range',
      `${s.keys.highPriorityPoolRatio} is ${javaDoubleToString(hp)}, outside [0, 1]: RocksDB refuses to create the shared cache.`,
      s.keys.highPriorityPoolRatio);
  } else if (hp === 0) {
    add('warning', 'no-high-priority-pool',
      `${s.keys.highPriorityPoolRatio} is 0: index and filter blocks compete with data blocks in the cache (Flink's docs strongly advise against it).`,
      s.keys.highPriorityPoolRatio);
  }
}

function unusedManagedShare(split: ManagedMemorySplit, share: bigint, add: Add, managedKey: string): void {
  if (share <= 0n) return;
  add('warning', 'managed-share-unused',
    `RocksDB does not use managed memory, yet the STATE_BACKEND weight still claims ${share} bytes of each slot's managed memory ` +
      `(${share * BigInt(split.numSlots)} bytes per TaskManager) that nothing uses: lower taskmanager.memory.managed.size/fraction, ` +
      `or drop STATE_BACKEND from taskmanager.memory.managed.consumer-weights, or set ${managedKey}: true.`,
    'taskmanager.memory.managed.consumer-weights', managedKey);
}

/** Fixed RocksDB memory lives outside Flink's memory model: it has to fit where nothing else is. */
function outsideBudget(spec: TaskManagerSpec, s: RocksDbSettings, mode: RocksDbMemoryMode, total: bigint, add: Add): void {
  const taskOffHeap = spec.memory.taskOffHeap.bytes;
  const managed = spec.memory.managed.bytes;
  const what =
    mode === 'fixed-per-slot'
      ? `${s.keys.fixedPerSlot} x ${spec.numSlots} slot(s) = ${total} bytes`
      : `${s.keys.fixedPerTm} = ${total} bytes`;
  const key = mode === 'fixed-per-slot' ? s.keys.fixedPerSlot : s.keys.fixedPerTm;
  if (total > taskOffHeap) {
    add('warning', 'exceeds-task-off-heap',
      `RocksDB may use ${what} of native memory outside managed memory, but taskmanager.memory.task.off-heap.size reserves only ` +
        `${taskOffHeap} bytes: the process can grow ${total - taskOffHeap} bytes beyond taskmanager.memory.process.size ` +
        `(${spec.memory.totalProcessMemory.bytes} bytes) and be killed by its container. Raise task off-heap by that much ` +
        `(and lower managed memory), or use ${s.keys.managed}: true.`,
      key, 'taskmanager.memory.task.off-heap.size');
  }
  if (total > managed) {
    add('warning', 'exceeds-managed',
      `${what} is more than the TaskManager's whole managed memory (${managed} bytes), which RocksDB would otherwise be bounded by.`,
      key, 'taskmanager.memory.managed.size');
  }
  if (mode === 'fixed-per-tm') {
    add('info', 'no-slot-isolation', `${s.keys.fixedPerTm}: all slots share one cache and write buffer manager, so one job's state can evict another's.`, key);
  }
  if (total === 0n) {
    add('warning', 'zero-budget', `${key} is 0: a cache of 0 bytes and a write buffer manager of capacity 0, which RocksDB reads as no limit.`, key);
  }
}

function sharedFindings(r: SharedResources, s: RocksDbSettings, scope: 'slot' | 'taskmanager', add: Add): void {
  if (r.budget === 0n && scope === 'slot' && s.fixedPerSlot === undefined) {
    add('warning', 'zero-budget',
      `RocksDB's managed memory per slot is 0 bytes: its cache holds nothing and its write buffer manager has capacity 0, ` +
        `which RocksDB reads as no limit on memtables. Give the TaskManager managed memory (taskmanager.memory.managed.size/fraction).`,
      'taskmanager.memory.managed.size', 'taskmanager.memory.managed.fraction');
  } else if (r.writeBufferManager <= 0n && r.budget > 0n) {
    add('warning', 'zero-write-buffer-manager', `The write buffer manager's capacity is ${r.writeBufferManager}: RocksDB reads it as no limit on memtables.`, s.keys.writeBufferRatio);
  }
  if (!r.arenaBlockFits && r.budget > 0n) {
    add('warning', 'arena-block',
      `Flink logs "RocksDBStateBackend performance will be poor because of the current Flink memory configuration! RocksDB will ` +
        `flush memtable constantly, causing high IO and CPU." — arena block ${r.arenaBlockSize} bytes (${s.keys.writeBufferSize} / 8) ` +
        `> mutable limit ${r.mutableLimit} bytes (7/8 of the write buffer manager's ${r.writeBufferManager}). Give RocksDB more ` +
        `memory per ${scope === 'slot' ? 'slot' : 'TaskManager'} (at least ${minimumBudget(r, s)} bytes) or lower ${s.keys.writeBufferSize}.`,
      s.keys.writeBufferSize, 'taskmanager.memory.managed.size');
  }
  if (r.dataBlocks < 0n) {
    add('warning', 'cache-overcommitted',
      `Memtables (${r.writeBufferManager}) and the high-priority pool (${r.highPriorityPool}) together exceed the cache (${r.blockCache}): no room is left for data blocks.`,
      s.keys.writeBufferRatio, s.keys.highPriorityPoolRatio);
  }
  add('info', 'memtable-overshoot',
    `Memtables may overshoot the write buffer manager by up to half (RocksDB flushes only above 7/8 of ${r.writeBufferManager} ` +
      `bytes), i.e. reach ${r.memtablePeak} bytes; Flink keeps ${r.overshootRoom} bytes of the budget outside the cache for this.`);
  if (r.statesToFillWriteBuffers > 0n) {
    add('info', 'arena-per-state',
      `Every state (column family, timers included) that receives writes allocates its memtable in ${r.arenaBlockSize}-byte ` +
        `arena blocks: with more than ${r.statesToFillWriteBuffers} such states per ${scope === 'slot' ? 'slot' : 'TaskManager'}, ` +
        `their first blocks alone exceed the write buffer manager, which then flushes constantly while RocksDB's memory exceeds its budget.`,
      s.keys.writeBufferSize);
  }
  add('info', 'cache-not-strict',
    `The cache is created without a strict limit (FLINK-15532): blocks pinned by iterators (e.g. over MapState)${
      s.partitionedIndexFilters ? ', and the pinned top-level index/filter partitions,' : ', and pinned L0 index/filter blocks'
    } can push usage above ${r.blockCache} bytes.`);
}

/** The smallest budget whose mutable limit holds one arena block (solved on W, then on T). */
function minimumBudget(r: SharedResources, s: RocksDbSettings): bigint {
  // Need W * 7 / 8 >= arena, i.e. W >= ceil(arena * 8 / 7); W ~ 2T x ratio / 3, searched upward for exactness.
  const needW = (r.arenaBlockSize * 8n + 6n) / 7n;
  const ratio = s.writeBufferRatio;
  if (!(ratio > 0)) return 0n;
  let t = javaDoubleToLong((Number(needW) * 3) / (2 * ratio));
  while (calculateWriteBufferManagerCapacity(t, ratio) * 7n / 8n < r.arenaBlockSize) t++;
  while (t > 0n && (calculateWriteBufferManagerCapacity(t - 1n, ratio) * 7n) / 8n >= r.arenaBlockSize) t--;
  return t;
}

/** For callers that prefer a value over an exception for options Flink cannot parse. */
export function tryRocksDbMemoryPerSlot(
  spec: TaskManagerSpec,
  values: FlatConfig,
  version: FlinkVersionBehaviour,
  options: RocksDbPlanOptions = {},
): { ok: true; plan: RocksDbMemoryPlan } | { ok: false; error: FlinkError } {
  try {
    return { ok: true, plan: rocksDbMemoryPerSlot(spec, values, version, options) };
  } catch (e) {
    if (e instanceof FlinkError) return { ok: false, error: e };
    throw e;
  }
}
