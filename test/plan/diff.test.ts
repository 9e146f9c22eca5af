/** `flink-memory diff`: sizes from the exact model on both sides, and the options that differ. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runDiff } from '../../src/cli/diff.js';
import { UsageError } from '../../src/cli/io.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { diffConfigurations } from '../../src/plan/diff.js';

function capture() {
  const io = { out: '', err: '', stdout: (t: string) => (io.out += t), stderr: (t: string) => (io.err += t), color: false, columns: 80 };
  return io;
}

test('diffConfigurations: every component, deltas b - a, changed flags, options sorted', () => {
  const a = { 'taskmanager.memory.process.size': '1728m' };
  const b = { 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.managed.size': '0' };
  const diff = diffConfigurations({ config: a, result: deriveTaskManagerMemory(a) }, { config: b, result: deriveTaskManagerMemory(b) });
  assert.equal(diff.components.length, 12);
  const changed = Object.fromEntries(diff.components.filter((d) => d.changed).map((d) => [d.component, d.delta]));
  // Managed memory 0.4 x 1.25 GiB Flink memory (536870920 bytes in Flink's float arithmetic) moves to task heap;
  // nothing else changes, so the JVM heap grows by exactly what managed memory loses.
  assert.deepEqual(Object.keys(changed).sort(), ['jvmHeap', 'managed', 'taskHeap']);
  assert.equal(changed['managed'], -536870920n);
  assert.equal(changed['taskHeap'], 536870920n);
  assert.equal(changed['jvmHeap'], 536870920n);
  assert.deepEqual(diff.options, [{ key: 'taskmanager.memory.managed.size', a: undefined, b: '0' }]);
  assert.equal(diff.jvmParamsChanged, true);
});

test('the command: files, defaults, -A/-B, JSON, a rejected side, usage errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-diff-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const old = join(dir, 'flink-conf.yaml');
  writeFileSync(old, 'taskmanager.memory.process.size: 4g\ntaskmanager.numberOfTaskSlots: 4\n');
  const io = capture();
  assert.equal(await runDiff([old, 'defaults', '-f', 'json'], io), 0);
  const json = JSON.parse(io.out) as { ok: boolean; components: Array<{ component: string; a: string; b: string; changed: boolean }>; options: Array<{ key: string; a: string | null; b: string | null }> };
  assert.equal(json.ok, true);
  const total = json.components.find((c) => c.component === 'totalProcessMemory')!;
  assert.deepEqual([total.a, total.b], [String(4n * 1024n ** 3n), String(1728n * 1024n ** 2n)]);
  assert.ok(json.options.some((o) => o.key === 'taskmanager.numberOfTaskSlots' && o.a === '4' && o.b === '1'));

  const text = capture();
  assert.equal(await runDiff(['defaults', 'defaults', '-B', 'taskmanager.memory.managed.size=0'], text), 0);
  assert.match(text.out, /^A: defaults\nB: defaults with -D taskmanager\.memory\.managed\.size=0\n/);
  assert.match(text.out, /\nManaged Memory +512 MiB +0 B +-512 MiB\n/);
  assert.match(text.out, /\n {4}B: set: taskmanager\.memory\.managed\.size = 0 \[-D #1\]\n/);
  assert.match(text.out, /\nOptions that differ\n {2}taskmanager\.memory\.managed\.size: \(not set\) -> 0\n$/);

  const rejected = capture();
  assert.equal(await runDiff(['empty', 'defaults'], rejected), 1);
  assert.match(rejected.out, /A is rejected by Flink 2\.x:\n {2}TaskManager memory configuration failed: Either required fine-grained memory/);

  await assert.rejects(runDiff(['defaults'], capture()), (e: unknown) => e instanceof UsageError && /expected two configurations A and B/.test(e.message));
  await assert.rejects(runDiff(['defaults', join(dir, 'missing.yaml')], capture()), /missing\.yaml/);
});
