import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlinkError } from '../../src/memory/errors.js';
import { javaHashMapOrder } from '../../src/memory/java/java-hash-map.js';
import { resolveFlinkVersion } from '../../src/memory/versions.js';

test('any release number maps to its line', () => {
  const cases: Array<[string, string]> = [
    ['2', '2.x'], ['2.0', '2.x'], ['2.0.0', '2.x'], ['2.1', '2.x'], ['2.1.1', '2.x'], ['2.2', '2.x'], ['v2.1', '2.x'], ['2.x', '2.x'],
    ['1.20', '1.20'], ['1.20.4', '1.20'], ['1.19.3', '1.19'], ['1.18', '1.18'], ['1.17.2', '1.17'], ['1.16.3', '1.16'],
    ['1.20-SNAPSHOT', '1.20'],
  ];
  for (const [text, line] of cases) assert.equal(resolveFlinkVersion(text).line, line, text);
});

test('an unsupported version is a clear error listing the supported ones', () => {
  for (const text of ['1.15', '1.9.3', '3.0', 'latest', '']) {
    assert.throws(
      () => resolveFlinkVersion(text),
      (e: unknown) =>
        e instanceof FlinkError &&
        e.message === `Unsupported Flink version '${text}'. Supported: 2.0-2.4 (2.x), 1.20, 1.19, 1.18, 1.17, 1.16.`,
    );
  }
});

test('1.16 caps network memory at 1 GiB by default, later lines do not', () => {
  assert.equal(resolveFlinkVersion('1.16').tm.networkMax.defaultValue, 1073741824n);
  assert.equal(resolveFlinkVersion('1.17').tm.networkMax.defaultValue, 9223372036854775807n);
});

test('HashMap iteration order matches Java for the JobManager -D keys', () => {
  // Order observed from Flink 2.x / 1.20 (JobManagerProcessUtils.generateDynamicConfigsStr).
  assert.deepEqual(
    javaHashMapOrder([
      'jobmanager.memory.heap.size',
      'jobmanager.memory.off-heap.size',
      'jobmanager.memory.jvm-metaspace.size',
      'jobmanager.memory.jvm-overhead.min',
      'jobmanager.memory.jvm-overhead.max',
    ]),
    [
      'jobmanager.memory.off-heap.size',
      'jobmanager.memory.jvm-overhead.min',
      'jobmanager.memory.jvm-metaspace.size',
      'jobmanager.memory.heap.size',
      'jobmanager.memory.jvm-overhead.max',
    ],
  );
});

test("option descriptions print defaults as Flink's MemorySize.toString: the largest unit that divides exactly", async () => {
  const { describeOption } = await import('../../src/memory/options.js');
  const { resolveFlinkVersion: line } = await import('../../src/memory/versions.js');
  // Long.MAX_VALUE is odd, so only bytes divide it; 1.16's 1 GiB default prints as "1 gb".
  assert.equal(describeOption(line('2.1').tm.networkMax), "Key: 'taskmanager.memory.network.max' , default: 9223372036854775807 bytes (fallback keys: [{key=taskmanager.network.memory.max, isDeprecated=true}])");
  assert.equal(describeOption(line('1.16').tm.networkMax), "Key: 'taskmanager.memory.network.max' , default: 1 gb (fallback keys: [{key=taskmanager.network.memory.max, isDeprecated=true}])");
});

test('the model reads keys, types and defaults from the option catalog, and refuses a type the catalog contradicts', async () => {
  const { catalogOption } = await import('../../src/memory/options.js');
  const managed = catalogOption('1.20', 'taskmanager.memory.managed.size', 'memory', 'x');
  assert.deepEqual([managed.defaultValue, managed.defaultText, managed.fallbackKeys], [undefined, 'null', [{ key: 'taskmanager.memory.size', deprecated: true }]]);
  // Fractions are Java floats: 0.4 widened to double.
  assert.equal(catalogOption('2.x', 'taskmanager.memory.managed.fraction', 'float', 'x').defaultValue, Math.fround(0.4));
  assert.equal(catalogOption('1.16', 'taskmanager.memory.network.max', 'memory', 'x').defaultValue, 1024n ** 3n);
  assert.throws(() => catalogOption('2.x', 'taskmanager.memory.process.size', 'int', 'x'), /the option catalog types taskmanager\.memory\.process\.size as MemorySize, the model as int/);
});
