import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveJobManagerMemory } from '../../src/memory/jobmanager.js';
import type { JobManagerSpec, TaskManagerSpec } from '../../src/memory/spec.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { resolveFlinkVersion } from '../../src/memory/versions.js';
import { CapacityInputError, planCapacity, type ClusterResources } from '../../src/plan/capacity.js';

const V2 = resolveFlinkVersion('2.x');
const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

function tm(config: Record<string, string>): TaskManagerSpec {
  const r = deriveTaskManagerMemory(config, V2);
  assert.ok(r.ok);
  return r.spec;
}
function jm(config: Record<string, string> = { 'jobmanager.memory.process.size': '1600m' }): JobManagerSpec {
  const r = deriveJobManagerMemory(config, V2);
  assert.ok(r.ok);
  return r.spec;
}
const fourGigTwoSlots = (): TaskManagerSpec => tm({ 'taskmanager.memory.process.size': '4g', 'taskmanager.numberOfTaskSlots': '2' });

test('YARN: 4 nodes of 64 GiB / 16 vcores, 8 GiB reserved, TaskManagers of 4g with 2 slots, a 1600m JobManager', () => {
  const resources: ClusterResources = { nodeMemory: 64n * GiB, nodeCores: 16, nodes: 4, reserved: 8n * GiB, yarn: { minAllocation: 1024n * MiB } };
  const plan = planCapacity(resources, fourGigTwoSlots(), jm());
  // NodeManager memory 56 GiB = 57344 MB. TaskManager: 4096 MB (already a multiple of 1024), 2 vcores (2 slots).
  // JobManager: 1600 MB -> rounded up to 2048 MB, 1 vcore (yarn.appmaster.vcores).
  assert.equal(plan.nodeContainerMemory, 57344n * MiB);
  assert.deepEqual(plan.taskManager, { processMemory: 4096n * MiB, requestedMemory: 4096n * MiB, containerMemory: 4096n * MiB, unusedMemory: 0n, cores: 2 });
  assert.deepEqual(plan.jobManager, { processMemory: 1600n * MiB, requestedMemory: 1600n * MiB, containerMemory: 2048n * MiB, unusedMemory: 448n * MiB, cores: 1 });
  // JobManager node: memory (57344 - 2048) / 4096 = 13.5 -> 13, vcores (16 - 1) / 2 = 7.5 -> 7: 7 TaskManagers, free 55296 - 28672 = 26624 MB.
  // Other nodes: 57344 / 4096 = 14, 16 / 2 = 8: 8 TaskManagers, free 57344 - 32768 = 24576 MB.
  assert.deepEqual(
    plan.groups.map((g) => [g.kind, g.count, g.taskManagers, g.byMemory, g.byCores, g.limitedBy, g.memoryFree / MiB, g.memoryForOthers / MiB]),
    [
      ['jobmanager', 1, 7, 13, 7, 'cores', 26624n, 26624n + 8192n],
      ['taskmanagers', 3, 8, 14, 8, 'cores', 24576n, 24576n + 8192n],
    ],
  );
  // 7 + 3 x 8 = 31 TaskManagers, 62 slots; left for others: 34 GiB + 3 x 32 GiB = 130 GiB.
  assert.equal(plan.taskManagers, 31);
  assert.equal(plan.slots, 62);
  assert.equal(plan.maxParallelism, 62);
  assert.equal(plan.memoryForOthers, 130n * GiB);
  // Keeping 8 (and 7) per node: min(57344 / 8, 55296 / 7) = min(7168, 7899.4) MB -> 7168 MB, a multiple of 1024.
  assert.equal(plan.fillingProcessSize, 7168n * MiB);
  const rounded = plan.findings.find((f) => f.code === 'jobmanager-rounded')!;
  assert.equal(
    rounded.message,
    "The configured JobManager memory is 1600 MB. YARN will allocate 2048 MB to make up an integer multiple of its minimum allocation memory (1024 MB, configured via 'yarn.scheduler.minimum-allocation-mb'). The extra 448 MB may not be used by Flink.",
  );
  assert.ok(plan.findings.some((f) => f.code === 'cores-limit' && f.message.includes('24 more')));
});

test('YARN\'s DefaultResourceCalculator counts memory only', () => {
  const plan = planCapacity(
    { nodeMemory: 64n * GiB, nodeCores: 16, nodes: 4, reserved: 8n * GiB, yarn: { minAllocation: 1024n * MiB }, ignoreCores: true },
    fourGigTwoSlots(),
    jm(),
  );
  // 13 + 3 x 14 = 55 TaskManagers, 110 slots.
  assert.equal(plan.taskManagers, 55);
  assert.equal(plan.slots, 110);
});

test('the default 1728m TaskManager on YARN: 1728 MB becomes a 2048 MB container', () => {
  const plan = planCapacity({ nodeMemory: 16n * GiB, nodeCores: 8, yarn: { minAllocation: 1024n * MiB } }, tm({ 'taskmanager.memory.process.size': '1728m' }), undefined);
  // 16384 / 2048 = 8 TaskManagers, 8 cores / 1 = 8.
  assert.equal(plan.taskManager.containerMemory, 2048n * MiB);
  assert.equal(plan.taskManager.unusedMemory, 320n * MiB);
  assert.equal(plan.taskManagers, 8);
  assert.ok(plan.findings.some((f) => f.code === 'taskmanager-rounded' && f.message.includes('The extra 320 MB may not be used by Flink.')));
  // 1728 MiB x 8 would not even use the node: the filling size is 2048 MiB (a whole container, no waste).
  assert.equal(plan.fillingProcessSize, 2048n * MiB);
});

test('Flink requests whole MiB, rounding down: a process not in whole MiB can outgrow a 1 MB-unit container', () => {
  // 1728 MiB + 1 byte: request 1728 MB; with a 1 MB minimum allocation the container is 1 byte short.
  const plan = planCapacity({ nodeMemory: 16n * GiB, nodeCores: 8, yarn: { minAllocation: MiB } }, tm({ 'taskmanager.memory.process.size': '1811939329b' }), undefined);
  assert.equal(plan.taskManager.requestedMemory, 1728n * MiB);
  assert.equal(plan.taskManager.containerMemory, 1728n * MiB);
  assert.equal(plan.taskManager.unusedMemory, -1n);
  assert.ok(plan.findings.some((f) => f.code === 'taskmanager-container-too-small' && f.severity === 'warning'));
});

test('YARN vcores: taskmanager.cpu.cores rounded up, else yarn.containers.vcores, else slots', () => {
  const resources: ClusterResources = { nodeMemory: 64n * GiB, nodeCores: 16, yarn: { minAllocation: 1024n * MiB } };
  assert.equal(planCapacity(resources, tm({ 'taskmanager.memory.process.size': '4g', 'taskmanager.cpu.cores': '2.5' }), undefined).taskManager.cores, 3);
  const values = { 'taskmanager.memory.process.size': '4g', 'taskmanager.numberOfTaskSlots': '2', 'yarn.containers.vcores': '4' };
  assert.equal(planCapacity(resources, tm(values), undefined, values).taskManager.cores, 4);
  // taskmanager.cpu.cores wins over yarn.containers.vcores.
  const both = { ...values, 'taskmanager.cpu.cores': '1' };
  assert.equal(planCapacity(resources, tm(both), undefined, both).taskManager.cores, 1);
});

test('without YARN: containers are the process sizes, fractional cores counted exactly', () => {
  // 1.5 cores per TaskManager: 16 / 1.5 = 10.67 -> 10 (in doubles 16 / 1.5 is exact too, but 0.1-steps are not).
  const spec = tm({ 'taskmanager.memory.process.size': '2g', 'taskmanager.cpu.cores': '0.1' });
  const plan = planCapacity({ nodeMemory: 64n * GiB, nodeCores: 3 }, spec, undefined);
  // 3 / 0.1 = 30 exactly (3 / 0.1 in doubles is 29.999999999999996); memory 64 / 2 = 32.
  assert.equal(plan.groups[0]!.byCores, 30);
  assert.equal(plan.groups[0]!.byMemory, 32);
  assert.equal(plan.taskManagers, 30);
  assert.equal(plan.taskManager.containerMemory, 2n * GiB);
});

test('maximum allocation: Flink refuses to deploy a TaskManager above it, with its message', () => {
  const plan = planCapacity(
    { nodeMemory: 64n * GiB, nodeCores: 16, yarn: { minAllocation: 1024n * MiB, maxAllocation: 2048n * MiB } },
    fourGigTwoSlots(),
    undefined,
  );
  const e = plan.findings.find((f) => f.code === 'taskmanager-above-max-allocation')!;
  assert.equal(e.severity, 'error');
  assert.match(e.message, /The cluster does not have the requested resources for the TaskManagers available! Maximum Memory: 2048 Requested: 4096MB\./);
});

test('a TaskManager larger than a node: nothing fits', () => {
  const plan = planCapacity({ nodeMemory: 3n * GiB, nodeCores: 4 }, fourGigTwoSlots(), undefined);
  assert.equal(plan.taskManagers, 0);
  assert.equal(plan.findings[0]?.code, 'taskmanager-does-not-fit');
});

test('bad resources are input errors', () => {
  assert.throws(() => planCapacity({ nodeMemory: 8n * GiB, nodeCores: 4, reserved: 8n * GiB }, fourGigTwoSlots(), undefined), CapacityInputError);
  assert.throws(() => planCapacity({ nodeMemory: 8n * GiB, nodeCores: 0 }, fourGigTwoSlots(), undefined), CapacityInputError);
  assert.throws(() => planCapacity({ nodeMemory: 8n * GiB, nodeCores: 4, yarn: { minAllocation: 1000n } }, fourGigTwoSlots(), undefined), CapacityInputError);
});
