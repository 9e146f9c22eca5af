import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlinkError } from '../../src/memory/errors.js';
import type { TaskManagerSpec } from '../../src/memory/spec.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { resolveFlinkVersion } from '../../src/memory/versions.js';
import {
  fractionRoundedDown,
  javaDoubleToLong,
  readConsumerWeights,
  splitManagedMemory,
  stateBackendOf,
} from '../../src/plan/managed-memory.js';

const V2 = resolveFlinkVersion('2.1');
const V120 = resolveFlinkVersion('1.20');
const KEY = 'taskmanager.memory.managed.consumer-weights';

/** Managed memory set explicitly, so the test does not depend on fraction arithmetic. */
function tm(config: Record<string, string>): TaskManagerSpec {
  const r = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '4g', 'taskmanager.memory.managed.size': '1g', ...config }, V2);
  assert.ok(r.ok, 'the TaskManager derives');
  return r.spec;
}

function flinkError(fn: () => unknown): FlinkError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FlinkError) return e;
    throw e;
  }
  assert.fail('expected a FlinkError');
}

test('consumer weights: Flink default OPERATOR:70, STATE_BACKEND:70, PYTHON:30 when nothing is set', () => {
  const w = readConsumerWeights({});
  assert.equal(w.source, 'default');
  assert.deepEqual(w.weights, { OPERATOR: 70, STATE_BACKEND: 70, PYTHON: 30 });
});

test('consumer weights: the NAME:weight pattern, with whitespace and quotes as StructuredOptionsSplitter reads them', () => {
  // Unquoted tokens are trimmed and whitespace between tokens skipped; a quoted item keeps its text
  // and is split at ':' in the second pass.
  const w = readConsumerWeights({ [KEY]: " OPERATOR : 60 , 'STATE_BACKEND:40'" }, false);
  assert.equal(w.source, 'value');
  assert.deepEqual(w.weights, { OPERATOR: 60, STATE_BACKEND: 40 });
  // PYTHON has no weight: Flink's getOrDefault makes it 0 later.
  assert.equal('PYTHON' in w.weights, false);
  // Quotes are already consumed by the first (',') pass: a quoted key followed by ':' is an error there.
  // 'STATE_BACKEND' spans positions 0-14, ':' is 15, the unquoted run from 15 meets '"' at 16.
  assert.equal(
    flinkError(() => readConsumerWeights({ [KEY]: `'STATE_BACKEND':"40"` }, false)).cause?.message,
    'Could not split string. Illegal quoting at position: 16',
  );
});

test('consumer weights: the pre-1.13 DATAPROC name counts for OPERATOR and STATE_BACKEND', () => {
  const w = readConsumerWeights({ [KEY]: 'DATAPROC:50,PYTHON:50' });
  assert.deepEqual(w.weights, { OPERATOR: 50, STATE_BACKEND: 50, PYTHON: 50 });
  assert.deepEqual(w.names, { OPERATOR: 'DATAPROC', STATE_BACKEND: 'DATAPROC', PYTHON: 'PYTHON' });
  // The own name wins over DATAPROC.
  assert.equal(readConsumerWeights({ [KEY]: 'DATAPROC:50,OPERATOR:10' }).weights.OPERATOR, 10);
});

test('consumer weights: a nested config.yaml mapping arrives as prefixed keys, which Flink reads as the map', () => {
  const w = readConsumerWeights({ [`${KEY}.OPERATOR`]: '10', [`${KEY}.STATE_BACKEND`]: '30' });
  assert.equal(w.source, 'prefixed-keys');
  assert.deepEqual(w.weights, { OPERATOR: 10, STATE_BACKEND: 30 });
});

test('consumer weights: a YAML flow mapping in standard YAML, typed as SnakeYAML types it', () => {
  // YAML 1.1: 070 is octal 56; the legacy pattern would have read 70.
  assert.deepEqual(readConsumerWeights({ [KEY]: '{OPERATOR: 070, STATE_BACKEND: 70}' }, true).weights, { OPERATOR: 56, STATE_BACKEND: 70 });
  // Without standard YAML (flink-conf.yaml) the braces stay part of the key and the value: "70}" is no int.
  const e = flinkError(() => readConsumerWeights({ [KEY]: '{OPERATOR: 070, STATE_BACKEND: 70}' }, false));
  assert.equal(e.error, 'NumberFormatException');
  assert.equal(e.message, 'For input string: "70}"');
});

test('consumer weights: Flink\'s failures, with its messages', () => {
  const missingColon = flinkError(() => readConsumerWeights({ [KEY]: 'OPERATOR' }));
  assert.equal(missingColon.error, 'IllegalArgumentException');
  assert.equal(missingColon.message, `Could not parse value 'OPERATOR' for key '${KEY}'.`);
  assert.equal(missingColon.cause?.message, "Map item is not a key-value pair (missing ':'?)");

  const negative = flinkError(() => readConsumerWeights({ [KEY]: 'OPERATOR:-1,STATE_BACKEND:70' }));
  assert.equal(negative.error, 'IllegalConfigurationException');
  assert.equal(negative.message, 'Managed memory weight should not be negative. Configured weight for OPERATOR is -1.');

  // Integer.parseInt, not a lenient parse.
  assert.equal(flinkError(() => readConsumerWeights({ [KEY]: 'STATE_BACKEND:7x' })).message, 'For input string: "7x"');
  // A quote inside an unquoted run: the first pass stops at it (position 14).
  assert.equal(flinkError(() => readConsumerWeights({ [KEY]: "STATE_BACKEND:'7'x" })).cause?.message, 'Could not split string. Illegal quoting at position: 14');
});

test('fractions are BigDecimal quotients cut to 16 decimals, not plain double divisions', () => {
  // 30/170 = 0.17647058823529411..., cut to 0.1764705882352941; 30 / 170 in doubles is 0.17647058823529413.
  assert.equal(fractionRoundedDown(30, 170), 0.1764705882352941);
  assert.notEqual(fractionRoundedDown(30, 170), 30 / 170);
  // 70/170 = 0.41176470588235294... -> 0.4117647058823529.
  assert.equal(fractionRoundedDown(70, 170), 0.4117647058823529);
  assert.equal(fractionRoundedDown(70, 70), 1);
});

test('Java (long) casts of doubles', () => {
  assert.equal(javaDoubleToLong(2.9999), 2n);
  assert.equal(javaDoubleToLong(-2.9999), -2n);
  assert.equal(javaDoubleToLong(Number.NaN), 0n);
  assert.equal(javaDoubleToLong(1e300), 9223372036854775807n);
});

test('a slot gets managed / slots, the remainder belongs to no slot', () => {
  // 1g / 3 = 1073741824 / 3 = 357913941 rest 1.
  const split = splitManagedMemory(tm({ 'taskmanager.numberOfTaskSlots': '3' }), { 'state.backend.type': 'rocksdb' }, V2);
  assert.equal(split.perSlot, 357913941n);
  assert.equal(split.unassigned, 1n);
  // Only the state backend in the slot: its share is 70/70 = 1, the whole slot.
  const sb = split.shares.find((s) => s.consumer === 'STATE_BACKEND')!;
  assert.equal(sb.fraction, 1);
  assert.equal(sb.bytesPerSlot, 357913941n);
  assert.deepEqual(split.warnings, []);
});

test('all three kinds in a slot share it 70:70:30, each floor(slot x fraction)', () => {
  // 2 slots: 536870912 each. OPERATOR and STATE_BACKEND 0.4117647058823529:
  //   536870912 x 7/17 = 221064493.18 -> 221064493 (the 16-decimal cut moves it by < 1e-7).
  // PYTHON 0.1764705882352941: 536870912 x 3/17 = 94741925.65 -> 94741925. One byte stays unused.
  const split = splitManagedMemory(tm({ 'taskmanager.numberOfTaskSlots': '2' }), { 'state.backend.type': 'rocksdb' }, V2, {
    consumers: ['OPERATOR', 'STATE_BACKEND', 'PYTHON'],
  });
  assert.equal(split.perSlot, 536870912n);
  assert.equal(split.totalWeight, 170);
  assert.deepEqual(
    split.shares.map((s) => [s.consumer, s.fraction, s.bytesPerSlot]),
    [
      ['OPERATOR', 0.4117647058823529, 221064493n],
      ['STATE_BACKEND', 0.4117647058823529, 221064493n],
      ['PYTHON', 0.1764705882352941, 94741925n],
    ],
  );
});

test('a heap state backend leaves STATE_BACKEND out of the total', () => {
  // hashmap: useManagedMemory() is false, so the total is OPERATOR's 70 alone and OPERATOR takes the slot.
  const split = splitManagedMemory(tm({}), {}, V2, { consumers: ['OPERATOR', 'STATE_BACKEND'] });
  assert.equal(split.stateBackendUsesManagedMemory, false);
  assert.equal(split.totalWeight, 70);
  assert.deepEqual(split.shares.map((s) => [s.consumer, s.counted, s.fraction]), [
    ['OPERATOR', true, 1],
    ['STATE_BACKEND', false, 0],
    ['PYTHON', false, 0],
  ]);
  assert.deepEqual(split.warnings.map((w) => w.code), ['heap-backend']);
});

test('a kind without weight gets fraction 0, which Flink refuses when it allocates', () => {
  const split = splitManagedMemory(tm({}), { [KEY]: 'OPERATOR:70,PYTHON:30', 'state.backend.type': 'rocksdb' }, V2);
  const sb = split.shares.find((s) => s.consumer === 'STATE_BACKEND')!;
  assert.equal(sb.weight, undefined);
  assert.equal(sb.fraction, 0);
  assert.equal(sb.bytesPerSlot, 0n);
  assert.equal(split.warnings[0]?.code, 'zero-fraction');
  assert.match(split.warnings[0]!.message, /The fraction of memory to allocate should not be 0/);
});

test('weights sum as a Java int: an overflow makes every fraction 0', () => {
  // 2147483647 + 1 wraps to -2147483648; Flink then takes "totalWeights > 0" as false.
  const split = splitManagedMemory(tm({}), { [KEY]: 'OPERATOR:2147483647,STATE_BACKEND:1', 'state.backend.type': 'rocksdb' }, V2, {
    consumers: ['OPERATOR', 'STATE_BACKEND'],
  });
  assert.equal(split.totalWeight, -2147483648);
  assert.ok(split.shares.every((s) => s.fraction === 0));
});

test('the configured state backend and whether it takes managed memory', () => {
  assert.deepEqual(stateBackendOf({}, V2), { kind: 'hashmap', name: 'hashmap', key: undefined, usesManagedMemory: false });
  assert.deepEqual(stateBackendOf({ 'state.backend': 'RocksDB' }, V120), { kind: 'rocksdb', name: 'RocksDB', key: 'state.backend', usesManagedMemory: true });
  // The new key wins over the deprecated one.
  assert.equal(stateBackendOf({ 'state.backend.type': 'hashmap', 'state.backend': 'rocksdb' }, V2).kind, 'hashmap');
  assert.equal(stateBackendOf({ 'state.backend.type': 'forst' }, V2).kind, 'forst');
  // No 'forst' shortcut in 1.x: a class name Flink cannot load, so it reserves managed memory.
  assert.deepEqual(stateBackendOf({ 'state.backend.type': 'forst' }, V120).kind, 'custom');
  assert.equal(stateBackendOf({ 'state.backend.type': 'filesystem' }, V120).usesManagedMemory, false);
  assert.equal(stateBackendOf({ 'state.backend.type': 'com.example.MyBackendFactory' }, V2).usesManagedMemory, true);
});
