import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyDynamicProperties,
  ConfigLoadError,
  parseConfigYaml,
  parseDynamicProperty,
  shippedDefaultConfig,
  toFlatMap,
} from '../../src/config/index.js';

test('parseDynamicProperty splits at the first =, trims the key, keeps the value verbatim', () => {
  assert.deepStrictEqual(parseDynamicProperty('taskmanager.memory.process.size=4g', 0), {
    key: 'taskmanager.memory.process.size',
    value: '4g',
    source: { kind: 'dynamic', index: 0 },
  });
  assert.deepStrictEqual(parseDynamicProperty('a=b=c', 3), { key: 'a', value: 'b=c', source: { kind: 'dynamic', index: 3 } });
  assert.deepStrictEqual(parseDynamicProperty('key=', 1), { key: 'key', value: '', source: { kind: 'dynamic', index: 1 } });
  assert.deepStrictEqual(parseDynamicProperty('  key  = v ', 2), { key: 'key', value: ' v ', source: { kind: 'dynamic', index: 2 } });
});

test('parseDynamicProperty rejects a missing = and an empty key', () => {
  assert.throws(
    () => parseDynamicProperty('noequals', 0),
    (e: unknown) => e instanceof ConfigLoadError && e.code === 'INVALID_DYNAMIC_PROPERTY' && e.message === '-D noequals: expected key=value',
  );
  assert.throws(
    () => parseDynamicProperty('=x', 0),
    (e: unknown) => e instanceof ConfigLoadError && e.code === 'INVALID_DYNAMIC_PROPERTY' && e.message === "-D =x: the key before '=' is empty (expected key=value)",
  );
  assert.throws(() => parseDynamicProperty('  =x', 0), (e: unknown) => e instanceof ConfigLoadError && e.code === 'INVALID_DYNAMIC_PROPERTY');
});

test('overrides win over the file, a later -D over an earlier one; sources say where each value came from', () => {
  const file = parseConfigYaml('taskmanager.memory.process.size: 2g\ntaskmanager.numberOfTaskSlots: 2\n', 'config.yaml');
  const merged = applyDynamicProperties(file, [
    'taskmanager.memory.process.size=3g',
    'parallelism.default=8',
    'taskmanager.memory.process.size=4g',
  ]);
  assert.deepStrictEqual(toFlatMap(merged), {
    'taskmanager.memory.process.size': '4g',
    'taskmanager.numberOfTaskSlots': '2',
    'parallelism.default': '8',
  });
  assert.deepStrictEqual(merged.entries.get('taskmanager.memory.process.size')?.source, { kind: 'dynamic', index: 2 });
  assert.deepStrictEqual(merged.entries.get('parallelism.default')?.source, { kind: 'dynamic', index: 1 });
  assert.deepStrictEqual(merged.entries.get('taskmanager.numberOfTaskSlots')?.source, { kind: 'file', file: 'config.yaml', line: 2 });
  assert.equal(merged.file, 'config.yaml');
  assert.equal(merged.format, 'config.yaml');
  // The base configuration is not modified.
  assert.equal(file.entries.get('taskmanager.memory.process.size')?.value, '2g');
  assert.equal(file.entries.has('parallelism.default'), false);
});

test('applyDynamicProperties reports the bad override', () => {
  assert.throws(
    () => applyDynamicProperties(shippedDefaultConfig(), ['a=1', 'broken']),
    (e: unknown) => e instanceof ConfigLoadError && e.code === 'INVALID_DYNAMIC_PROPERTY' && e.message === '-D broken: expected key=value',
  );
});

test("shippedDefaultConfig is Flink's shipped configuration for memory", () => {
  const defaults = shippedDefaultConfig();
  assert.deepStrictEqual(toFlatMap(defaults), {
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.memory.process.size': '1728m',
    'taskmanager.numberOfTaskSlots': '1',
    'parallelism.default': '1',
  });
  for (const entry of defaults.entries.values()) assert.deepStrictEqual(entry.source, { kind: 'default-config' });
  assert.equal(defaults.file, undefined);
  assert.deepStrictEqual(defaults.warnings, []);
  const overridden = applyDynamicProperties(defaults, ['taskmanager.memory.process.size=4g']);
  assert.deepStrictEqual(overridden.entries.get('taskmanager.memory.process.size'), {
    key: 'taskmanager.memory.process.size',
    value: '4g',
    source: { kind: 'dynamic', index: 0 },
  });
  assert.deepStrictEqual(overridden.entries.get('jobmanager.memory.process.size')?.source, { kind: 'default-config' });
});

test('toFlatMap keeps unusual keys as plain data', () => {
  const config = applyDynamicProperties(shippedDefaultConfig(), ['__proto__=x', 'constructor=y']);
  const flat = toFlatMap(config);
  assert.equal(Object.getOwnPropertyDescriptor(flat, '__proto__')?.value, 'x');
  assert.equal(flat['constructor'], 'y');
  assert.equal(Object.getPrototypeOf(flat), Object.prototype);
});
