/**
 * The planner's output is checked by feeding it back through the exact model: what it prints as a
 * config.yaml / flink-conf.yaml fragment, loaded the way Flink loads it, must derive the same
 * memory. Sizes asserted by value are worked out by hand in the comments from Flink's rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigYaml } from '../../src/config/config-yaml.js';
import { parseFlinkConfLegacy } from '../../src/config/flink-conf-legacy.js';
import { toFlatMap } from '../../src/config/flat-map.js';
import { runPlan } from '../../src/cli/plan.js';
import { UsageError } from '../../src/cli/io.js';
import { deriveJobManagerMemory } from '../../src/memory/jobmanager.js';
import type { TaskManagerSpec } from '../../src/memory/spec.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, resolveFlinkVersion } from '../../src/memory/versions.js';
import { MIN_TASK_HEAP_PER_SLOT, PlanError, plan, type PlanRequest, type TaskManagerPlan } from '../../src/plan/plan.js';
import { renderPlanDynamic, renderPlanFlinkConf, renderPlanYaml } from '../../src/report/plan.js';

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

const base: PlanRequest = {
  process: 'taskmanager',
  version: DEFAULT_FLINK_VERSION,
  stateBackend: 'hashmap',
  mode: 'streaming',
  components: {},
  userSettings: {},
};

function memoryOf(spec: TaskManagerSpec): Record<string, bigint> {
  return Object.fromEntries(Object.entries(spec.memory).map(([k, c]) => [k, c.bytes]));
}

/** The fragments, read back as Flink reads them, derive exactly the planned TaskManager. */
function assertRoundTrip(p: TaskManagerPlan): void {
  for (const loaded of [
    parseConfigYaml(renderPlanYaml(p), 'config.yaml'),
    parseFlinkConfLegacy(renderPlanFlinkConf(p), 'flink-conf.yaml'),
  ]) {
    assert.deepEqual(toFlatMap(loaded), p.config);
    const again = deriveTaskManagerMemory(toFlatMap(loaded), DEFAULT_FLINK_VERSION);
    assert.ok(again.ok);
    assert.deepEqual(memoryOf(again.spec), memoryOf(p.spec));
  }
}

test('RocksDB, 4g, 4 slots: the largest managed share that leaves 256m of task heap per slot', () => {
  const p = plan({ ...base, processMemory: 4n * GiB, stateBackend: 'rocksdb', slots: 4 }) as TaskManagerPlan;
  assert.deepEqual(p.config, {
    'taskmanager.memory.process.size': '4g',
    'taskmanager.numberOfTaskSlots': '4',
    'state.backend.type': 'rocksdb',
    'taskmanager.memory.managed.fraction': '0.5',
  });
  // overhead = (float)0.1 x 4294967296 = 429496736 (truncated); flink = 4g - 256m - overhead = 3597035104;
  // managed = 0.5 x flink = 1798517552; network = (float)0.1 x flink = 359703515;
  // task heap = flink - 128m - 128m - managed - network = 1170378581, i.e. 292594645 per slot >= 256m.
  assert.equal(p.spec.memory.managed.bytes, 1798517552n);
  assert.equal(p.spec.memory.taskHeap.bytes, 1170378581n);
  // 0.6 would have left a slot less than 256m, which is why it was not chosen.
  const greedier = deriveTaskManagerMemory({ ...p.config, 'taskmanager.memory.managed.fraction': '0.6' });
  assert.ok(greedier.ok && greedier.spec.memory.taskHeap.bytes / 4n < MIN_TASK_HEAP_PER_SLOT);
  assertRoundTrip(p);
});

test('RocksDB with one slot in a large container takes the 0.6 share', () => {
  const p = plan({ ...base, processMemory: 8n * GiB, stateBackend: 'rocksdb', slots: 1 }) as TaskManagerPlan;
  assert.equal(p.config['taskmanager.memory.managed.fraction'], '0.6');
  assertRoundTrip(p);
});

test('heap state backend in streaming: no managed memory, all of it task heap', () => {
  const p = plan({ ...base, processMemory: 4n * GiB, slots: 2 }) as TaskManagerPlan;
  assert.equal(p.config['taskmanager.memory.managed.size'], '0');
  assert.equal(p.spec.memory.managed.bytes, 0n);
  // task heap = 3597035104 - 128m - 128m - 359703515 = 2968896133
  assert.equal(p.spec.memory.taskHeap.bytes, 2968896133n);
  assertRoundTrip(p);
});

test('batch: managed memory for sort and hash operators', () => {
  const p = plan({ ...base, processMemory: 4n * GiB, mode: 'batch', slots: 2 }) as TaskManagerPlan;
  assert.equal(p.config['taskmanager.memory.managed.fraction'], '0.5');
  assertRoundTrip(p);
});

test('a container too small for the fixed parts: the smallest accepted size is named and is exact', () => {
  assert.throws(
    () => plan({ ...base, processMemory: 600n * MiB }),
    (e: unknown) => {
      assert.ok(e instanceof PlanError);
      assert.equal(e.code, 'TOO_SMALL');
      // 128m framework heap + 128m framework off-heap + 64m network min + 256m metaspace + 192m overhead min
      assert.equal(e.smallestWorkable, 768n * MiB);
      assert.match(e.message, /the smallest process size Flink accepts is 768m \(--memory 768m\)/);
      return true;
    },
  );
  assert.ok(deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '768m', 'taskmanager.memory.managed.size': '0' }).ok);
  assert.ok(!deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '767m', 'taskmanager.memory.managed.size': '0' }).ok);
});

test('reverse sizing: the parts asked for, and a whole-MiB container that holds them', () => {
  const p = plan({ ...base, stateBackend: 'rocksdb', components: { taskHeap: 2n * GiB, managed: 3n * GiB } }) as TaskManagerPlan;
  assert.equal(p.spec.memory.taskHeap.bytes, 2n * GiB);
  assert.equal(p.spec.memory.managed.bytes, 3n * GiB);
  const total = p.spec.memory.totalProcessMemory.bytes;
  assert.equal(total % MiB, 0n);
  assert.equal(p.config['taskmanager.memory.process.size'], `${total / MiB}m`);
  // Without the process size the parts add up to a little less; the rounding went to JVM overhead.
  const parts = deriveTaskManagerMemory({ 'taskmanager.memory.task.heap.size': '2g', 'taskmanager.memory.managed.size': '3g', 'state.backend.type': 'rocksdb' });
  assert.ok(parts.ok);
  assert.ok(total - parts.spec.memory.totalProcessMemory.bytes < MiB);
  assert.equal(p.spec.memory.jvmOverhead.bytes - parts.spec.memory.jvmOverhead.bytes, total - parts.spec.memory.totalProcessMemory.bytes);
  assertRoundTrip(p);
});

test('reverse sizing needs managed memory for RocksDB', () => {
  assert.throws(() => plan({ ...base, stateBackend: 'rocksdb', components: { taskHeap: GiB } }), /--managed SIZE is needed/);
  assert.throws(() => plan({ ...base }), /give --memory SIZE/);
});

test('options the user fixes with -D are kept and planned around', () => {
  const p = plan({
    ...base,
    processMemory: 4n * GiB,
    stateBackend: 'rocksdb',
    userSettings: { 'taskmanager.memory.managed.fraction': '0.3', 'taskmanager.memory.jvm-overhead.fraction': '0.2' },
  }) as TaskManagerPlan;
  assert.equal(p.config['taskmanager.memory.managed.fraction'], '0.3');
  assert.deepEqual(p.settings.filter((s) => s.origin === 'user').map((s) => s.key), ['taskmanager.memory.managed.fraction', 'taskmanager.memory.jvm-overhead.fraction']);
  // (float)0.2 = 13421773 x 2^-26, so overhead = 13421773 x 64 = 858993472 exactly (within [192m, 1g]).
  assert.equal(p.spec.memory.jvmOverhead.bytes, 858993472n);
  assertRoundTrip(p);
});

test('a job needing more network buffers than the default share raises network.min', () => {
  const need = { bytes: 700n * MiB + 5n, why: 'test figure' };
  const p = plan({ ...base, processMemory: 4n * GiB, networkNeed: need }) as TaskManagerPlan;
  // 700 MiB + 5 bytes rounds up to 701m; the default share (343 MiB) was too small.
  assert.equal(p.config['taskmanager.memory.network.min'], '701m');
  assert.equal(p.spec.memory.network.bytes, 701n * MiB);
  assertRoundTrip(p);
  const enough = plan({ ...base, processMemory: 4n * GiB, networkNeed: { bytes: 100n * MiB, why: 'small job' } });
  assert.equal(enough.config['taskmanager.memory.network.min'], undefined);
  assert.match(enough.notes.join('\n'), /covers the job's 100\.000mb/);
});

test('ForSt needs Flink 2.x', () => {
  assert.throws(() => plan({ ...base, processMemory: 4n * GiB, stateBackend: 'forst', version: resolveFlinkVersion('1.20') }), /ForSt state backend needs Flink 2\.0/);
  assert.ok((plan({ ...base, processMemory: 4n * GiB, stateBackend: 'forst' }) as TaskManagerPlan).spec.memory.managed.bytes > 0n);
});

test('JobManager: forward from the container, reverse from the heap', () => {
  const forward = plan({ ...base, process: 'jobmanager', processMemory: 2n * GiB });
  assert.deepEqual(forward.config, { 'jobmanager.memory.process.size': '2g' });
  const reverse = plan({ ...base, process: 'jobmanager', components: { jvmHeap: GiB } });
  assert.equal(reverse.spec.memory.jvmHeap.bytes, GiB);
  const again = deriveJobManagerMemory(reverse.config);
  assert.ok(again.ok);
  assert.equal(again.spec.memory.totalProcessMemory.bytes, reverse.spec.memory.totalProcessMemory.bytes);
  assert.throws(() => plan({ ...base, process: 'jobmanager', processMemory: 500n * MiB }), /smallest process size Flink accepts is \d+m/);
});

test('dynamic flags are one line of -Dkey=value', () => {
  const p = plan({ ...base, processMemory: 2n * GiB, slots: 2 });
  assert.equal(
    renderPlanDynamic(p),
    '-Dtaskmanager.memory.process.size=2g -Dtaskmanager.numberOfTaskSlots=2 -Dstate.backend.type=hashmap -Dtaskmanager.memory.managed.size=0\n',
  );
});

test('the command: formats, failure JSON, usage errors', async () => {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t), color: false, columns: 80 };
  assert.equal(await runPlan(['--memory', '4g', '--state-backend', 'rocksdb', '--slots', '4', '-f', 'yaml'], io), 0);
  assert.deepEqual(toFlatMap(parseConfigYaml(out, 'x.yaml'))['taskmanager.memory.managed.fraction'], '0.5');
  out = '';
  assert.equal(await runPlan(['--memory', '512m', '-f', 'json'], io), 1);
  const failure = JSON.parse(out) as { ok: boolean; error: string; smallestWorkable: string };
  assert.deepEqual([failure.ok, failure.error, failure.smallestWorkable], [false, 'TOO_SMALL', String(768n * MiB)]);
  assert.match(err, /^flink-memory: plan: a TaskManager of 512\.000mb/);
  await assert.rejects(runPlan(['--memory', '4g', '--slots', '0'], io), (e: unknown) => e instanceof UsageError && /--slots must be/.test(e.message));
  await assert.rejects(runPlan(['--memory', '4 parsecs'], io), (e: unknown) => e instanceof UsageError && /--memory '4 parsecs' is not a memory size/.test(e.message));
  await assert.rejects(runPlan(['--memory', '4g', '--state-backend', 'leveldb'], io), /unknown --state-backend 'leveldb'/);
  out = '';
  assert.equal(await runPlan(['--memory', '4g'], io), 0);
  assert.match(out, /^TaskManager plan: 4 GiB container, hashmap, streaming \(Flink 2\.x\)\n/);
  assert.match(out, /config\.yaml fragment\ntaskmanager:\n  memory:\n    process:\n      size: 4g\n/);
});

test("parallelism sizes network memory: buffers per slot from Flink's per-gate and per-partition rules", async () => {
  let out = '';
  const io = { stdout: (t: string) => (out += t), stderr: () => {}, color: false, columns: 80 };
  assert.equal(await runPlan(['--memory', '4g', '--slots', '8', '--parallelism', '1000', '-f', 'json'], io), 0);
  const json = JSON.parse(out) as { settings: Array<{ key: string; value: string; rationale: string }>; explain: { memory: { network: string } } };
  // Per slot: one keyed input gate of 1000 channels (2 exclusive each + 1 floating required) and one
  // PIPELINED_BOUNDED partition of 1000 subpartitions (min 1000 + 1): 3002 buffers; 8 slots: 24016
  // buffers of 32 KiB = 786956288 bytes = 750.5 MiB -> network.min 751m.
  const min = json.settings.find((s) => s.key === 'taskmanager.memory.network.min')!;
  assert.equal(min.value, '751m');
  assert.match(min.rationale, /24016 buffers of 32768 bytes for 8 slot\(s\) running parallelism 1000/);
  assert.equal(json.explain.memory.network, String(751n * MiB));
});

test('the FlinkDeployment patch, loaded as a manifest the way the operator maps it, derives the planned TaskManager', async (t) => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { loadConfigFile } = await import('../../src/config/load.js');
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-plan-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const argv of [
    ['--memory', '4g', '--state-backend', 'rocksdb', '--slots', '4'],
    ['--task-heap', '2g', '--managed', '3g', '--state-backend', 'rocksdb'],
  ]) {
    let patch = '';
    const io = { stdout: (s: string) => (patch += s), stderr: () => {}, color: false, columns: 80 };
    assert.equal(await runPlan([...argv, '-f', 'flinkdeployment', '--name', 'job'], io), 0);
    let json = '';
    await runPlan([...argv, '-f', 'json'], { ...io, stdout: (s: string) => (json += s) });
    const planned = JSON.parse(json) as { explain: { memory: Record<string, string> } };
    const file = join(dir, 'patch.yaml');
    writeFileSync(file, patch);
    const again = deriveTaskManagerMemory(toFlatMap(await loadConfigFile(file)));
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    assert.deepEqual(Object.fromEntries(Object.entries(again.spec.memory).map(([k, c]) => [k, c.bytes.toString()])), planned.explain.memory);
  }
});
