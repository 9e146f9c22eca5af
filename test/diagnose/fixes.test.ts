/**
 * Fixes are checked the way a user applies them: the original configuration plus `set`, derived
 * by the exact model, must give exactly `after`. Expected sizes are worked out by hand from
 * Flink's rules for `taskmanager.memory.process.size: 4g` (2.x defaults):
 *   overhead 429496736, Flink memory 3597035104, managed (float 0.4) 1438814063,
 *   network (float 0.1) 359703515, task heap 1530082070.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proposeFix, FixError, type MemoryFix } from '../../src/diagnose/fixes.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, resolveFlinkVersion } from '../../src/memory/versions.js';

const MiB = 1024n * 1024n;
const base = { 'taskmanager.memory.process.size': '4g' };

function applied(config: Record<string, string>, fix: MemoryFix, version = DEFAULT_FLINK_VERSION) {
  const again = deriveTaskManagerMemory({ ...config, ...fix.set }, version);
  assert.ok(again.ok, again.ok ? '' : again.error.message);
  assert.deepEqual(
    Object.fromEntries(Object.entries(again.spec.memory).map(([k, c]) => [k, c.bytes])),
    Object.fromEntries(Object.entries(fix.after.memory).map(([k, c]) => [k, c.bytes])),
  );
  return again.spec;
}

test('metaspace up inside the same container: the bytes come from managed memory', () => {
  const fix = proposeFix(base, DEFAULT_FLINK_VERSION, { component: 'jvmMetaspace', atLeast: 512n * MiB, why: 'Metaspace OOM' }, 4096n * MiB)!;
  // task heap 1530082070 -> 1459m (whole MiB, down); managed 1438814063 - 256m = 1170378607 -> 1116m;
  // network 359703515 -> 343m; Flink memory 128+1459+128+0+1116+343 = 3174m; overhead 4096-3174-512 = 410m.
  assert.deepEqual(fix.set, {
    'taskmanager.memory.task.heap.size': '1459m',
    'taskmanager.memory.managed.size': '1116m',
    'taskmanager.memory.network.min': '343m',
    'taskmanager.memory.network.max': '343m',
    'taskmanager.memory.jvm-metaspace.size': '512m',
    'taskmanager.memory.jvm-overhead.min': '410m',
    'taskmanager.memory.jvm-overhead.max': '410m',
  });
  const after = applied(base, fix);
  assert.equal(after.memory.jvmMetaspace.bytes, 512n * MiB);
  assert.equal(after.memory.totalProcessMemory.bytes, 4096n * MiB);
  assert.equal(fix.fitsContainer, true);
  assert.equal(fix.explanation, 'JVM metaspace 256 MiB -> 512 MiB (Metaspace OOM); the bytes come from managed memory (managed memory 1.34 GiB -> 1.09 GiB).');
});

test('heap beyond what managed memory can give: the container must grow, and says to what', () => {
  // Managed gives at most half of itself (686m of 1372m); task heap 1459m -> 3g needs 1613m more.
  const fix = proposeFix(base, DEFAULT_FLINK_VERSION, { component: 'taskHeap', atLeast: 3n * 1024n * MiB, why: 'heap OOM' }, 4096n * MiB)!;
  assert.equal(fix.fitsContainer, false);
  const after = applied(base, fix);
  assert.equal(after.memory.taskHeap.bytes, 3n * 1024n * MiB);
  assert.equal(fix.containerNeeded, after.memory.totalProcessMemory.bytes);
  assert.equal(fix.containerNeeded! % MiB, 0n);
  assert.match(fix.explanation, /the container must grow to \d+m\.$/);
});

test('headroom in the container is used first', () => {
  const config = { 'taskmanager.memory.process.size': '3g' };
  const fix = proposeFix(config, DEFAULT_FLINK_VERSION, { component: 'jvmOverhead', atLeast: 600n * MiB, why: 'pod OOMKilled' }, 4096n * MiB)!;
  const after = applied(config, fix);
  assert.ok(after.memory.jvmOverhead.bytes >= 600n * MiB);
  assert.ok(after.memory.totalProcessMemory.bytes <= 4096n * MiB);
  assert.equal(after.memory.managed.bytes > 0n, true);
  assert.match(fix.explanation, /the bytes come from unused container headroom/);
});

test('a component already large enough needs no fix; a configuration Flink rejects is an error', () => {
  assert.equal(proposeFix(base, DEFAULT_FLINK_VERSION, { component: 'jvmMetaspace', atLeast: 200n * MiB, why: 'x' }), undefined);
  assert.throws(() => proposeFix({}, DEFAULT_FLINK_VERSION, { component: 'taskHeap', atLeast: MiB, why: 'x' }), FixError);
});

test('legacy heap key in 1.20: total Flink memory is rewritten to agree with the parts', () => {
  const v120 = resolveFlinkVersion('1.20');
  const legacy = { 'taskmanager.heap.size': '2g' };
  const fix = proposeFix(legacy, v120, { component: 'network', atLeast: 400n * MiB, why: 'insufficient network buffers' })!;
  assert.ok('taskmanager.memory.flink.size' in fix.set);
  const after = applied(legacy, fix, v120);
  assert.equal(after.memory.network.bytes, 400n * MiB);
});
