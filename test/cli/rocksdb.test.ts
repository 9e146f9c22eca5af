import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCliCaptured } from './cli-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'flink-memory-rocksdb-'));

interface Json {
  ok: boolean;
  mode: string;
  backend: string;
  configuredStateBackend: { name: string; key: string | null; usesManagedMemory: boolean };
  managedMemory: { perTaskManager: string; perSlot: string; unassigned: string; weightsSource: string; totalWeight: number; consumers: Array<{ consumer: string; fraction: number; bytesPerSlot: string }> };
  shared: Record<string, string | number | boolean> | null;
  perTaskManager: string | null;
  findings: Array<{ severity: string; code: string; message: string }>;
  error?: string;
  message?: string;
}

test('rocksdb on the shipped defaults: 1728m, 1 slot, the whole managed memory for RocksDB', async () => {
  const run = await runCliCaptured(['rocksdb']);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, '');
  const lines = run.stdout.split('\n');
  assert.equal(lines[0], 'RocksDB memory per slot  (Flink 2.x TaskManager: 1.69 GiB process, 1 slot)');
  // Managed = 0.4f x Total Flink Memory (1728m - 256m metaspace - 192m overhead = 1342177280):
  // BigDecimal "0.4000000059604645" x 1342177280 = 536870920.00000003 -> 536870920.
  assert.ok(lines.includes('  per slot          512 MiB (536870920 bytes) = 536870920 / 1'));
  assert.ok(lines.includes('  state backend: hashmap (default)'));
  // T = 536870920: C = 2.5 x T / 3 = 447392433.3 -> 447392433; W = T / 3 = 178956973.3 -> 178956973;
  // 64 shards of ceil(447392433 / 64) = 6990507, high priority 699050 each -> 44739200.
  for (const expected of [
    '  ├─ block cache C = (3 - 0.5) x T / 3    426.7 MiB (447392433 bytes)',
    '  │  ├─ memtables W = 2 x T x 0.5 / 3     170.7 MiB (178956973 bytes)',
    '  │  ├─ index & filter (high priority)    42.67 MiB (44739200 bytes)',
    '  │  └─ data blocks = C - W - high prio.  213.3 MiB (223696260 bytes)',
    '  └─ outside the cache = T - C            85.33 MiB (89478487 bytes)',
  ]) {
    assert.ok(lines.includes(expected), `missing: ${expected}`);
  }
  assert.ok(run.stdout.includes("info: state.backend.type is 'hashmap' (default)"));
  assert.ok(lines.every((l) => [...l].length <= 80), 'fits 80 columns');
});

test('rocksdb --format json: the contract, with Python workers sharing the slot', async () => {
  const run = await runCliCaptured([
    'rocksdb', '-D', 'taskmanager.memory.process.size=4g', '-D', 'taskmanager.memory.managed.size=1g',
    '-D', 'taskmanager.numberOfTaskSlots=2', '-D', 'state.backend.type=rocksdb', '--consumers', 'python', '--format', 'json',
  ]);
  assert.equal(run.code, 0);
  const json = JSON.parse(run.stdout) as Json;
  assert.equal(json.ok, true);
  assert.equal(json.mode, 'managed');
  assert.deepEqual(json.configuredStateBackend, { name: 'rocksdb', key: 'state.backend.type', usesManagedMemory: true });
  // 1g / 2 slots = 536870912; STATE_BACKEND 70 of 100 -> floor(536870912 x 0.7) = floor(375809638.4) = 375809638;
  // PYTHON 0.3 -> floor(161061273.6) = 161061273.
  assert.equal(json.managedMemory.perSlot, '536870912');
  assert.equal(json.managedMemory.totalWeight, 100);
  assert.deepEqual(json.managedMemory.consumers.map((c) => [c.consumer, c.fraction, c.bytesPerSlot]), [
    ['OPERATOR', 0, '0'],
    ['STATE_BACKEND', 0.7, '375809638'],
    ['PYTHON', 0.3, '161061273'],
  ]);
  // T = 375809638: C = 2.5 x T / 3 = 313174698.3 -> 313174698; W = T / 3 = 125269879.3 -> 125269879.
  assert.equal(json.shared?.['budget'], '375809638');
  assert.equal(json.shared?.['blockCache'], '313174698');
  assert.equal(json.shared?.['writeBufferManager'], '125269879');
  assert.equal(json.perTaskManager, String(2n * 375809638n));
});

test('a config.yaml with nested consumer weights and fixed-per-slot memory', async () => {
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      'taskmanager:',
      '  numberOfTaskSlots: 2',
      '  memory:',
      '    process.size: 4g',
      '    managed:',
      '      size: 1g',
      '      consumer-weights: {OPERATOR: 60, STATE_BACKEND: 40}',
      'state.backend.type: rocksdb',
      'state.backend.rocksdb.memory.fixed-per-slot: 256m',
      '',
    ].join('\n'),
  );
  const run = await runCliCaptured(['rocksdb', '--config', file, '--format', 'json']);
  assert.equal(run.code, 0);
  const json = JSON.parse(run.stdout) as Json;
  // The nested mapping flattens to consumer-weights.OPERATOR / .STATE_BACKEND keys.
  assert.equal(json.managedMemory.weightsSource, 'prefixed-keys');
  assert.equal(json.mode, 'fixed-per-slot');
  assert.equal(json.shared?.['budget'], String(256n * 1024n * 1024n));
  // STATE_BACKEND alone in the slot: 40/40 = the whole 536870912 per slot reserved, unused by RocksDB.
  assert.ok(json.findings.some((f) => f.code === 'managed-share-unused' && f.message.includes('claims 536870912 bytes')));
  assert.ok(json.findings.some((f) => f.code === 'exceeds-task-off-heap'));
});

test('exit 1 when Flink fails the state backend or rejects the TaskManager', async () => {
  const ratios = await runCliCaptured(['rocksdb', '-D', 'state.backend.rocksdb.memory.write-buffer-ratio=0.9', '-D', 'state.backend.rocksdb.memory.high-prio-pool-ratio=0.5']);
  assert.equal(ratios.code, 1);
  // The report wraps long lines; compare the sentence regardless of where it wraps.
  const flat = ratios.stdout.replace(/\s*\n\s*/g, ' ');
  assert.ok(flat.includes('error: Flink rejects the state backend: "Invalid configuration: writeBufferRatio 0.9 with highPriPoolRatio 0.5"'));

  const malformed = await runCliCaptured(['rocksdb', '-D', 'state.backend.rocksdb.memory.managed=maybe']);
  assert.equal(malformed.code, 1);
  assert.equal(
    malformed.stdout,
    "Flink 2.x rejects this configuration: IllegalArgumentException: Could not parse value 'maybe' for key 'state.backend.rocksdb.memory.managed'.\n" +
      '  caused by IllegalArgumentException: Unrecognized option for boolean: maybe. Expected either true or false(case insensitive)\n',
  );

  // 100m cannot hold the default 256m metaspace: the TaskManager derivation itself fails.
  const tm = await runCliCaptured(['rocksdb', '-D', 'taskmanager.memory.process.size=100m', '--format', 'json']);
  assert.equal(tm.code, 1);
  const json = JSON.parse(tm.stdout) as Json;
  assert.equal(json.ok, false);
  assert.equal(json.error, 'IllegalConfigurationException');
});

test('usage errors: one line, exit 2', async () => {
  for (const [argv, message] of [
    [['rocksdb', '--consumers', 'SPARK'], "flink-memory: rocksdb: unknown consumer 'SPARK' in --consumers (expected OPERATOR, STATE_BACKEND, PYTHON)\n"],
    [['rocksdb', '--format', 'xml'], "flink-memory: rocksdb: unknown --format 'xml' (expected text or json)\n"],
    [['rocksdb', '--backend', 'leveldb'], "flink-memory: rocksdb: unknown --backend 'leveldb' (expected rocksdb or forst)\n"],
  ] as const) {
    const run = await runCliCaptured(argv);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, message);
    assert.equal(run.stdout, '');
  }
});

test('the real process: flink-memory rocksdb --format json', async () => {
  const bin = join(root, 'bin', 'flink-memory.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'rocksdb', '-D', 'state.backend.type=forst', '-f', 'json']);
  const json = JSON.parse(stdout) as Json;
  assert.equal(json.backend, 'forst');
  assert.equal(json.shared?.['budget'], '536870920');
});
