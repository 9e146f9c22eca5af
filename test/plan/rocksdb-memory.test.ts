import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlinkError } from '../../src/memory/errors.js';
import type { TaskManagerSpec } from '../../src/memory/spec.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { resolveFlinkVersion, type FlinkVersionBehaviour } from '../../src/memory/versions.js';
import {
  calculateActualCacheCapacity,
  calculateWriteBufferManagerCapacity,
  lruCacheLayout,
  rocksDbMemoryPerSlot,
  sharedResources,
  type RocksDbMemoryPlan,
} from '../../src/plan/rocksdb-memory.js';

const V2 = resolveFlinkVersion('2.0');
const V116 = resolveFlinkVersion('1.16');
const V120 = resolveFlinkVersion('1.20');
const MiB = 1024n * 1024n;

/** 4g process with 1g managed memory set explicitly, plus the given options. */
function plan(config: Record<string, string>, version: FlinkVersionBehaviour = V2, options = {}): { spec: TaskManagerSpec; plan: RocksDbMemoryPlan } {
  const values = { 'taskmanager.memory.process.size': '4g', 'taskmanager.memory.managed.size': '1g', 'state.backend.type': 'rocksdb', ...config };
  const r = deriveTaskManagerMemory(values, version);
  assert.ok(r.ok, 'the TaskManager derives');
  return { spec: r.spec, plan: rocksDbMemoryPerSlot(r.spec, values, version, options) };
}
const codes = (p: RocksDbMemoryPlan, severity?: string): string[] =>
  p.findings.filter((f) => severity === undefined || f.severity === severity).map((f) => f.code);

test('cache and write buffer manager capacities use Java double arithmetic, truncated', () => {
  // T = 512 MiB, ratio 0.5: C = 2.5 x 536870912 / 3 = 447392426.67 -> 447392426; W = 536870912 / 3 = 178956970.67 -> 178956970.
  assert.equal(calculateActualCacheCapacity(536870912n, 0.5), 447392426n);
  assert.equal(calculateWriteBufferManagerCapacity(536870912n, 0.5), 178956970n);
  // Exact math gives (3 - 0.2) x 45 / 3 = 42, but the double 2.8 is 2.79999999999999982..., so Java gets 41.99... -> 41.
  assert.equal(calculateActualCacheCapacity(45n, 0.2), 41n);
  // 2 x 45 x 0.7 / 3 is exactly 21, but 90 x 0.7 = 62.99999999999999 in doubles -> 20.
  assert.equal(calculateWriteBufferManagerCapacity(45n, 0.7), 20n);
});

test('the LRU cache: shards of at least 512 KiB, at most 64, each with its own high-priority pool', () => {
  // 447392426 / 524288 = 853 -> halvings 426, 213, 106, 53, 26, 13: 6 bits, the cap -> 64 shards.
  // Per shard ceil(447392426 / 64) = 6990507; high priority (size_t) (6990507 x 0.1) = 699050.
  assert.deepEqual(lruCacheLayout(447392426n, 0.1), { shardBits: 6, shards: 64, perShardCapacity: 6990507n, highPriorityPerShard: 699050n });
  // 1 MiB: 1048576 / 524288 = 2 -> one halving to 1: 1 bit, 2 shards of 524288; 52428.8 -> 52428.
  assert.deepEqual(lruCacheLayout(1048576n, 0.1), { shardBits: 1, shards: 2, perShardCapacity: 524288n, highPriorityPerShard: 52428n });
  // Under 1 MiB: a single shard.
  assert.deepEqual(lruCacheLayout(1000000n, 0.25), { shardBits: 0, shards: 1, perShardCapacity: 1000000n, highPriorityPerShard: 250000n });
});

test('a shared budget split: cache, memtables, high-priority pool, data blocks, arena check', () => {
  const r = sharedResources(536870912n, 0.5, 0.1);
  assert.equal(r.blockCache, 447392426n);
  assert.equal(r.writeBufferManager, 178956970n);
  assert.equal(r.highPriorityPool, 64n * 699050n); // 44739200
  assert.equal(r.dataBlocks, 447392426n - 178956970n - 44739200n); // 223696256
  assert.equal(r.overshootRoom, 536870912n - 447392426n); // 89478486
  assert.equal(r.memtablePeak, 178956970n + 89478485n); // W + W/2
  // mutable limit W x 7 / 8 = 1252698790 / 8 = 156587348; the default arena block 64 MiB / 8 = 8 MiB fits.
  assert.equal(r.mutableLimit, 156587348n);
  assert.equal(r.arenaBlockSize, 8n * MiB);
  assert.equal(r.arenaBlockFits, true);
  // 178956970 / 8388608 = 21.3: the first arena blocks of 21 written states fill W.
  assert.equal(r.statesToFillWriteBuffers, 21n);
  // write_buffer_size 10000000: / 8 = 1250000, aligned up to 4 KiB: 306 x 4096 = 1253376.
  assert.equal(sharedResources(536870912n, 0.5, 0.1, 10000000n).arenaBlockSize, 1253376n);
});

test('default: managed memory, the slot\'s STATE_BACKEND share is RocksDB\'s budget', () => {
  // 1g managed, 2 slots: 536870912 per slot, STATE_BACKEND alone -> fraction 1 -> T = 536870912.
  const { plan: p } = plan({ 'taskmanager.numberOfTaskSlots': '2' });
  assert.equal(p.mode, 'managed');
  assert.equal(p.sharedScope, 'slot');
  assert.equal(p.shared?.budget, 536870912n);
  assert.equal(p.shared?.blockCache, 447392426n);
  assert.equal(p.perTaskManager, 1073741824n);
  assert.deepEqual(codes(p, 'error'), []);
  assert.deepEqual(codes(p, 'warning'), []);
  assert.deepEqual(codes(p, 'info'), ['memtable-overshoot', 'arena-per-state', 'cache-not-strict']);
});

test('Python workers in the slot take 30 of 100: RocksDB gets 0.7 of the slot', () => {
  // 1g, 1 slot: floor(1073741824 x 0.7) = floor(751619276.8) = 751619276.
  const { plan: p } = plan({}, V2, { consumers: ['STATE_BACKEND', 'PYTHON'] });
  assert.equal(p.shared?.budget, 751619276n);
});

test('the STATE_BACKEND weight counts even when RocksDB does not use managed memory', () => {
  // fixed-per-slot: RocksDB allocates 256m per slot outside managed memory, yet STATE_BACKEND's
  // weight still claims the whole slot (only consumer): 1g idle.
  const { plan: p } = plan({ 'state.backend.rocksdb.memory.fixed-per-slot': '256m', 'taskmanager.numberOfTaskSlots': '2' });
  assert.equal(p.mode, 'fixed-per-slot');
  assert.equal(p.shared?.budget, 256n * MiB);
  assert.equal(p.perTaskManager, 512n * MiB);
  const unused = p.findings.find((f) => f.code === 'managed-share-unused')!;
  assert.match(unused.message, /claims 536870912 bytes of each slot's managed memory \(1073741824 bytes per TaskManager\)/);
  // 512 MiB of native memory beyond task off-heap (0): the process can outgrow its size by 536870912 bytes.
  const offHeap = p.findings.find((f) => f.code === 'exceeds-task-off-heap')!;
  assert.equal(offHeap.severity, 'warning');
  assert.match(offHeap.message, /reserves only 0 bytes: the process can grow 536870912 bytes beyond/);
  assert.equal(codes(p).includes('exceeds-managed'), false);
});

test('fixed-per-slot x slots larger than managed memory and task off-heap', () => {
  // 4 slots x 512m = 2 GiB > 1 GiB managed, > 1 GiB task off-heap by 1 GiB.
  const { plan: p } = plan({
    'state.backend.rocksdb.memory.fixed-per-slot': '512m',
    'taskmanager.numberOfTaskSlots': '4',
    'taskmanager.memory.task.off-heap.size': '1g',
    'taskmanager.memory.process.size': '6g',
  });
  assert.equal(p.perTaskManager, 2147483648n);
  assert.match(p.findings.find((f) => f.code === 'exceeds-task-off-heap')!.message, /the process can grow 1073741824 bytes/);
  assert.match(p.findings.find((f) => f.code === 'exceeds-managed')!.message, /more than the TaskManager's whole managed memory \(1073741824 bytes\)/);
});

test('fixed-per-tm: only with managed false, one budget for all slots (1.17+)', () => {
  const { plan: p } = plan({ 'state.backend.rocksdb.memory.managed': 'false', 'state.backend.rocksdb.memory.fixed-per-tm': '1g', 'taskmanager.numberOfTaskSlots': '4' });
  assert.equal(p.mode, 'fixed-per-tm');
  assert.equal(p.sharedScope, 'taskmanager');
  assert.equal(p.perTaskManager, 1073741824n);
  assert.ok(codes(p).includes('no-slot-isolation'));
  // With managed left at its default (true), fixed-per-tm is ignored.
  const { plan: ignored } = plan({ 'state.backend.rocksdb.memory.fixed-per-tm': '1g' });
  assert.equal(ignored.mode, 'managed');
  assert.ok(codes(ignored, 'warning').includes('fixed-per-tm-ignored'));
  // Flink 1.16 has no such option: unbounded per column family instead.
  const { plan: old } = plan({ 'state.backend.rocksdb.memory.managed': 'false', 'state.backend.rocksdb.memory.fixed-per-tm': '1g' }, V116);
  assert.equal(old.mode, 'per-column-family');
  assert.ok(codes(old, 'warning').includes('fixed-per-tm-unknown'));
});

test('managed false and no fixed size: unbounded, per state', () => {
  // writebuffer.count 3 x 32 MiB + block cache 16 MiB = 112 MiB = 117440512 per state.
  const { plan: p } = plan({
    'state.backend.rocksdb.memory.managed': 'false',
    'state.backend.rocksdb.writebuffer.size': '32m',
    'state.backend.rocksdb.writebuffer.count': '3',
    'state.backend.rocksdb.block.cache-size': '16m',
  });
  assert.equal(p.mode, 'per-column-family');
  assert.equal(p.shared, undefined);
  assert.equal(p.perTaskManager, undefined);
  assert.deepEqual(p.perColumnFamily, { writeBuffers: 100663296n, blockCache: 16777216n, total: 117440512n });
  assert.match(p.findings.find((f) => f.code === 'unbounded')!.message, /up to 117440512 bytes x states x 1 slot\(s\)/);
  assert.ok(codes(p, 'warning').includes('managed-share-unused'));
});

test('ratios Flink rejects, with its message', () => {
  // 2 x 0.9 / (3 - 0.9) + 0.5 = 0.857 + 0.5 >= 1.
  const { plan: p } = plan({ 'state.backend.rocksdb.memory.write-buffer-ratio': '0.9', 'state.backend.rocksdb.memory.high-prio-pool-ratio': '0.5' });
  const e = p.findings.find((f) => f.code === 'invalid-ratios')!;
  assert.equal(e.severity, 'error');
  assert.match(e.message, /"Invalid configuration: writeBufferRatio 0\.9 with highPriPoolRatio 0\.5"/);
  // 2 x 0.5 / 2.5 + 0.59 = 0.99 < 1 is accepted.
  assert.deepEqual(codes(plan({ 'state.backend.rocksdb.memory.high-prio-pool-ratio': '0.59' }).plan, 'error'), []);
});

test('a STATE_BACKEND weight of 0 fails every stateful task', () => {
  const { plan: p } = plan({ 'taskmanager.memory.managed.consumer-weights': 'OPERATOR:70,STATE_BACKEND:0' });
  assert.equal(p.shared?.budget, 0n);
  assert.deepEqual(codes(p, 'error'), ['zero-state-backend-fraction']);
});

test('no managed memory: a write buffer manager of capacity 0 is no limit at all', () => {
  const { plan: p } = plan({ 'taskmanager.memory.managed.size': '0' });
  assert.equal(p.shared?.budget, 0n);
  assert.equal(p.shared?.writeBufferManager, 0n);
  assert.ok(codes(p, 'warning').includes('zero-budget'));
});

test('too little memory per slot: the arena block exceeds the mutable limit', () => {
  // 64m managed / 4 slots = 16777216 per slot: W = 16777216 / 3 -> 5592405; 7/8 of it = 4893354 < 8388608.
  // Smallest budget that passes: W x 7 / 8 >= 8388608 needs W >= 9586981, W = floor(T / 3) -> T >= 28760943.
  const { plan: p } = plan({ 'taskmanager.memory.managed.size': '64m', 'taskmanager.numberOfTaskSlots': '4' });
  assert.equal(p.shared?.mutableLimit, 4893354n);
  const f = p.findings.find((x) => x.code === 'arena-block')!;
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /RocksDB will flush memtable constantly/);
  assert.match(f.message, /at least 28760943 bytes/);
});

test('a malformed option fails as Flink fails reading it', () => {
  assert.throws(
    () => plan({ 'state.backend.rocksdb.memory.write-buffer-ratio': 'half' }),
    (e: unknown) => e instanceof FlinkError && e.message === "Could not parse value 'half' for key 'state.backend.rocksdb.memory.write-buffer-ratio'.",
  );
});

test('ForSt shares the mechanism under its own keys, with partitioned index/filters by default', () => {
  const { plan: p } = plan({ 'state.backend.type': 'forst', 'state.backend.forst.memory.write-buffer-ratio': '0.25' });
  assert.equal(p.backend, 'forst');
  assert.equal(p.settings.partitionedIndexFilters, true);
  assert.equal(p.settings.writeBufferRatio, 0.25);
  // T = 1073741824: W = 2 x T x 0.25 / 3 = 178956970.67 -> 178956970.
  assert.equal(p.shared?.writeBufferManager, 178956970n);
  // RocksDB's options do not apply to ForSt.
  assert.equal(plan({ 'state.backend.type': 'forst', 'state.backend.rocksdb.memory.managed': 'false' }).plan.mode, 'managed');
  // No ForSt before 2.0.
  assert.deepEqual(codes(plan({}, V120, { backend: 'forst' }).plan, 'error'), ['forst-unavailable']);
});

test('a heap backend in the configuration: the plan is for a job choosing RocksDB in code', () => {
  const { plan: p } = plan({ 'state.backend.type': 'hashmap' });
  assert.equal(p.configuredBackend.kind, 'hashmap');
  assert.equal(p.backend, 'rocksdb');
  assert.ok(codes(p, 'info').includes('backend-not-configured'));
  // The job's RocksDB declares managed memory, so STATE_BACKEND still takes the slot.
  assert.equal(p.shared?.budget, 1073741824n);
});
