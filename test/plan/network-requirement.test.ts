import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { resolveFlinkVersion } from '../../src/memory/versions.js';
import { linearJobPlan, tasksFromPlan, type ExchangeDefaults } from '../../src/plan/job-plan.js';
import { checkNetworkRequirement, type TaskSpec } from '../../src/plan/network-requirement.js';

const V2 = resolveFlinkVersion('2.x');
const STREAMING: ExchangeDefaults = { runtimeMode: 'STREAMING', batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' };
const SHIPPED = { 'taskmanager.memory.process.size': '1728m' };
const keyByJob = (parallelism: number): TaskSpec[] => tasksFromPlan(linearJobPlan(parallelism, 1), STREAMING);

function check(tasks: readonly TaskSpec[], slots: number, tm: Record<string, string> = SHIPPED) {
  const r = checkNetworkRequirement({}, tasks, slots, V2, tm);
  assert.ok(r.ok);
  return r.requirement;
}

// Flink's configuration docs up to 1.4 ("Configuring the Network Buffers", docs/ops/config.md in
// apache/flink): "the required number of buffers on a task manager is total-degree-of-parallelism
// (number of targets) * intra-node-parallelism (number of sources in one task manager) * n ... it
// frequently boils down to #slots-per-TM^2 * #TMs * 4 ... To support, for example, a cluster of 20
// 8-slot machines, you should use roughly 5000 network buffers". With n = 4 = 2 exclusive buffers
// per channel on each side of one keyBy, the exact model gives the same 5120 plus the 8 floating
// buffers of each of the 16 pools (one input gate and one result partition per slot).
test('docs (Configuring the Network Buffers): 20 machines of 8 slots, one keyBy: 8²×20×4 = 5120 + floating buffers', () => {
  const r = check(keyByJob(20 * 8), 8);
  const docsFormula = 8 ** 2 * 20 * 4;
  assert.equal(docsFormula, 5120);
  assert.equal(r.announcedBuffers, BigInt(docsFormula + 8 * 2 * 8)); // 5248
  // What the tasks cannot start without: 160×2+1 per gate and 160+1 per partition, per slot.
  assert.equal(r.requiredBuffers, 8n * (321n + 161n));
  assert.equal(r.requiredBytes, 3856n * 32768n);
});

// "Set up TaskManager memory" / configuration reference: network memory is
// taskmanager.memory.network.fraction (0.1) of Total Flink Memory within [64mb, max]; the shipped
// 1728m TaskManager has 1280 MiB of Flink memory, so 128 MiB of network memory: 4096 buffers of 32 KiB.
test('docs (Set up TaskManager memory): the shipped 1728m TaskManager has 4096 buffers, enough for that job', () => {
  const r = check(keyByJob(160), 8);
  assert.ok(r.configured.ok);
  assert.equal(r.configured.networkBuffers, 4096n);
  assert.equal(r.configured.insufficient, false);
  assert.equal(r.configured.shortfallBuffers, 0n);
  assert.deepEqual(r.configured.proposals, []);
});

test('parallelism 400 on 8 slots: Insufficient number of network buffers, with the exact minimum and fixes', () => {
  const r = check(keyByJob(400), 8);
  assert.ok(r.configured.ok);
  assert.equal(r.requiredBuffers, 8n * (801n + 401n)); // 9616
  assert.equal(r.requiredBytes, 315097088n);
  assert.equal(r.configured.insufficient, true);
  assert.equal(r.configured.shortfallBuffers, 9616n - 4096n);
  const kinds = r.configured.proposals.map((p) => p.kind);
  assert.deepEqual(kinds, ['network-min', 'network-fraction', 'grow-process']);
  assert.deepEqual(r.configured.proposals[0]!.configChange, { 'taskmanager.memory.network.min': '301m' });
  // Valid by construction: each proposal, derived again, is accepted and holds the buffers.
  for (const p of r.configured.proposals) {
    const derived = deriveTaskManagerMemory({ ...SHIPPED, ...p.configChange }, V2);
    assert.ok(derived.ok, p.kind);
    assert.equal(derived.spec.memory.network.bytes, p.network);
    assert.ok(derived.spec.memory.network.bytes / 32768n >= r.requiredBuffers, p.kind);
  }
  const grown = r.configured.proposals[2]!;
  assert.equal(grown.configChange['taskmanager.memory.process.size'], '3624m');
  // The grown TaskManager is the smallest whole MiB that fits: one MiB less does not.
  const smaller = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '3623m' }, V2);
  assert.ok(smaller.ok && smaller.spec.memory.network.bytes / 32768n < r.requiredBuffers);
});

test('a network maximum below the need is raised together with the minimum', () => {
  const tm = { ...SHIPPED, 'taskmanager.memory.network.max': '100m' };
  const r = check(keyByJob(400), 8, tm);
  assert.ok(r.configured.ok && r.configured.insufficient);
  assert.deepEqual(r.configured.proposals[0]!.configChange, { 'taskmanager.memory.network.min': '301m', 'taskmanager.memory.network.max': '301m' });
});

test('slots beyond the parallelism hold no more subtasks of that vertex', () => {
  const r = check(keyByJob(2), 8);
  assert.deepEqual(r.tasks.map((t) => t.subtasksOnTaskManager), [2, 2]);
  assert.equal(r.requiredBuffers, 2n * (3n + 5n));
});

test('slot sharing groups: the TaskManager gets the fullest slots over all groups', () => {
  const gate = (channels: number) => ({ channels, partitionType: 'PIPELINED_BOUNDED' as const });
  const tasks: TaskSpec[] = [
    { vertex: 'a', name: 'a', parallelism: 3, slotSharingGroup: 'g1', inputs: [gate(100)], outputs: [] }, // 201 per slot
    { vertex: 'b', name: 'b', parallelism: 1, slotSharingGroup: 'g2', inputs: [gate(1000)], outputs: [] }, // 2001 in one slot
  ];
  const r = check(tasks, 2);
  assert.deepEqual(r.tasks.map((t) => t.subtasksOnTaskManager), [1, 1]);
  assert.equal(r.requiredBuffers, 201n + 2001n);
});

test('the network settings of the configuration decide the figures; Flink\'s failure is returned as is', () => {
  const bad = checkNetworkRequirement({ 'taskmanager.memory.segment-size': '48kb' }, keyByJob(2), 1, V2, SHIPPED);
  assert.ok(!bad.ok);
  assert.equal(bad.error.message, 'Invalid configuration value for taskmanager.memory.segment-size : 49152 - Memory segment size must be a power of 2.');
});

test('a TaskManager whose memory cannot be derived still gets the requirement', () => {
  const r = check(keyByJob(4), 1, {});
  assert.equal(r.configured.ok, false);
  assert.equal(r.requiredBuffers, 5n + 9n);
});

test('blocking exchanges are compared by their pools\' minimum (sort-shuffle buffers) and noted as an upper bound', () => {
  const tasks = tasksFromPlan(linearJobPlan(100, 1), { runtimeMode: 'BATCH', batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' });
  const r = check(tasks, 4);
  // Result partition: sort shuffle, 512 buffers; gate: 100 channels × 2 + 1 = 201 (under the batch cap of 1000).
  assert.equal(r.requiredBuffers, 4n * (512n + 201n));
  assert.ok(r.notes.some((n) => n.includes('upper bound')));
});
