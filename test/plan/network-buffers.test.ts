import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveFlinkVersion } from '../../src/memory/versions.js';
import { computeGateBuffers, computeTaskNetwork, readNetworkSettings } from '../../src/plan/network-buffers.js';
import { toNetworkJson } from '../../src/report/network-json.js';
import { expectedJson, loadNetworkVectors } from './network-vectors.js';

const V2 = resolveFlinkVersion('2.x');
const V120 = resolveFlinkVersion('1.20');
const vectors = loadNetworkVectors();

test('every Flink-generated network-buffer vector is reproduced by the library', () => {
  assert.ok(vectors.length >= 236);
  const failures: string[] = [];
  for (const v of vectors) {
    const result = computeTaskNetwork(v.config, v.inputs, v.outputs, resolveFlinkVersion(v.version));
    const actual = JSON.parse(JSON.stringify(toNetworkJson(result))) as unknown;
    try {
      assert.deepStrictEqual(actual, expectedJson(v));
    } catch (e) {
      failures.push(`line ${v.line} ${v.id}: ${(e as Error).message.slice(0, 600)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${vectors.length} vectors differ:\n${failures.slice(0, 5).join('\n')}`);
});

test('both Flink lines and both outcomes are covered by the vectors', () => {
  const count = (version: string, ok: boolean) => vectors.filter((v) => v.version === version && v.expected.ok === ok).length;
  assert.ok(count('2.x', true) > 50 && count('1.20', true) > 50);
  assert.ok(count('2.x', false) > 10 && count('1.20', false) > 10);
});

// "Network Buffer Tuning" (docs/content/docs/deployment/memory/network_mem_tuning.md, section
// "Network buffer lifecycle"): each local pool is limited to
// `#channels * taskmanager.network.memory.buffers-per-channel + taskmanager.network.memory.floating-buffers-per-gate`,
// and on the input side "all exclusive buffers must be fulfilled" while "a single floating buffer
// has to be allocated for Flink to be able to make progress".
test('docs (Network Buffer Tuning): a gate of 100 channels with the defaults', () => {
  const r = computeTaskNetwork({}, [{ channels: 100, partitionType: 'PIPELINED_BOUNDED' }], [], V2);
  assert.ok(r.ok);
  const gate = r.gates[0]!;
  assert.equal(gate.totalBuffers, 100 * 2 + 8); // the pool limit of the docs formula: 208
  assert.equal(gate.exclusivePerChannel, 2); // every configured exclusive buffer is required
  assert.equal(gate.requiredFloatingBuffers, 1); // plus a single floating buffer
  assert.equal(gate.requiredBuffers, 201);
  assert.equal(r.networkBuffers, 208);
  assert.equal(r.networkMemoryBytes, 208n * 32768n); // default segment size 32 KiB
});

// Same page, "Output network buffers": "Flink can make progress with only a single exclusive buffer
// per output subpartition and zero floating buffers"; Flink's pool minimum keeps one buffer more.
test('docs (Network Buffer Tuning): a pipelined result partition needs one buffer per subpartition (+1) to progress', () => {
  const r = computeTaskNetwork({}, [], [{ subpartitions: 100, partitionType: 'PIPELINED_BOUNDED' }], V2);
  assert.ok(r.ok);
  assert.equal(r.partitions[0]!.minBuffers, 101);
  assert.equal(r.partitions[0]!.maxBuffers, 100 * 2 + 8); // the docs' pool limit
  assert.equal(r.partitions[0]!.announcedBuffers, 208);
});

// Configuration reference, taskmanager.network.sort-shuffle.min-buffers: "For production usage, it is
// suggested to increase this config value to at least 2048 (64M memory if the default 32K memory
// segment size is used)".
test('docs (configuration): 2048 sort-shuffle buffers are 64 MiB with the default 32 KiB segments', () => {
  const r = computeTaskNetwork({ 'taskmanager.network.sort-shuffle.min-buffers': '2048' }, [], [{ subpartitions: 500, partitionType: 'BLOCKING' }], V2);
  assert.ok(r.ok);
  assert.equal(r.partitions[0]!.sortShuffle, true);
  assert.equal(r.partitions[0]!.announcedBuffers, 2048); // a blocking partition announces its minimum
  assert.equal(r.networkMemoryBytes, 64n * 1024n * 1024n);
});

// Configuration reference, taskmanager.network.memory.read-buffer.required-per-gate.max: "If not
// explicitly configured, the default value is Integer.MAX_VALUE for streaming workloads, and 1000
// for batch workloads."
test('docs (configuration): required buffers per gate are capped at 1000 for batch inputs only', () => {
  const settings = readNetworkSettings({}, V2);
  assert.ok(settings.ok);
  const batch = computeGateBuffers(settings.settings, { channels: 1000, partitionType: 'BLOCKING' });
  const stream = computeGateBuffers(settings.settings, { channels: 1000, partitionType: 'PIPELINED_BOUNDED' });
  assert.ok(batch.ok && stream.ok);
  assert.equal(batch.gate.requiredBuffers, 1000);
  assert.equal(batch.gate.exclusivePerChannel, 0); // 999 / 1000 channels: all required buffers float
  assert.equal(batch.gate.requiredFloatingBuffers, 1000);
  assert.equal(stream.gate.requiredBuffers, 2001);
  // The target (what is announced) is the same: the cap only moves buffers from required to optional.
  assert.equal(batch.gate.totalBuffers, 2008);
  assert.equal(stream.gate.totalBuffers, 2008);
});

test('2.x ignores the removed options, even unparsable ones; 1.20 reads and checks them', () => {
  const config = {
    'taskmanager.network.memory.buffers-per-channel': 'x',
    'taskmanager.network.memory.floating-buffers-per-gate': '0',
    'taskmanager.network.sort-shuffle.min-parallelism': 'y',
  };
  const v2 = computeTaskNetwork(config, [{ channels: 4, partitionType: 'PIPELINED_BOUNDED' }], [], V2);
  assert.ok(v2.ok);
  assert.equal(v2.networkBuffers, 4 * 2 + 8);
  const v120 = computeTaskNetwork(config, [{ channels: 4, partitionType: 'PIPELINED_BOUNDED' }], [], V120);
  assert.equal(v120.ok, false);
  assert.ok(!v120.ok);
  assert.equal(v120.error.error, 'IllegalArgumentException');
  assert.equal(v120.error.message, "Could not parse value 'x' for key 'taskmanager.network.memory.buffers-per-channel'.");
  assert.deepEqual(v120.error.causes, [{ error: 'NumberFormatException', message: 'For input string: "x"' }]);
});

test('1.20 reads the buffer options: 4 per channel and 16 floating change the figure', () => {
  const config = { 'taskmanager.network.memory.buffers-per-channel': '4', 'taskmanager.network.memory.floating-buffers-per-gate': '16' };
  const r = computeTaskNetwork(config, [{ channels: 10, partitionType: 'PIPELINED_BOUNDED' }], [{ subpartitions: 10, partitionType: 'PIPELINED_BOUNDED' }], V120);
  assert.ok(r.ok);
  assert.equal(r.gates[0]!.totalBuffers, 56);
  assert.equal(r.partitions[0]!.maxBuffers, 56);
  assert.equal(r.networkBuffers, 112);
});

test('Java int overflow is reproduced: a gate whose target wraps negative fails like Flink', () => {
  const config = { 'taskmanager.network.memory.buffers-per-channel': '1000000', 'taskmanager.network.memory.floating-buffers-per-gate': '1000000' };
  const r = computeTaskNetwork(config, [{ channels: 4000, partitionType: 'PIPELINED_BOUNDED' }], [], V120);
  assert.ok(!r.ok);
  assert.equal(r.error.message, 'Require at least 1 buffer per gate.');
});

test('a total that wraps negative is rejected by MemorySize', () => {
  // 1.20: 60000 channels × 20000 per channel + 8 = 1200000008 per gate; two gates wrap past 2^31.
  const config = { 'taskmanager.network.memory.buffers-per-channel': '20000' };
  const gates = [
    { channels: 60000, partitionType: 'PIPELINED_BOUNDED' as const },
    { channels: 60000, partitionType: 'PIPELINED_BOUNDED' as const },
  ];
  const r = computeTaskNetwork(config, gates, [], V120);
  assert.ok(!r.ok);
  assert.equal(r.error.error, 'IllegalArgumentException');
  assert.equal(r.error.message, 'bytes must be >= 0');
});

test('zero channels fail with Flink\'s precondition message', () => {
  const r = computeTaskNetwork({}, [{ channels: 0, partitionType: 'PIPELINED_BOUNDED' }], [], V2);
  assert.ok(!r.ok);
  assert.deepEqual({ error: r.error.error, message: r.error.message }, { error: 'IllegalArgumentException', message: 'Must be positive.' });
});

test('1.20 reads enable-new-mode only for a hybrid batch shuffle mode; 2.x reads job recovery', () => {
  const hybrid = { 'execution.batch-shuffle-mode': 'ALL_EXCHANGES_HYBRID_FULL', 'taskmanager.network.hybrid-shuffle.enable-new-mode': 'maybe' };
  const r = computeTaskNetwork(hybrid, [], [], V120);
  assert.ok(!r.ok);
  assert.equal(r.error.message, "Could not parse value 'maybe' for key 'taskmanager.network.hybrid-shuffle.enable-new-mode'.");
  assert.equal(r.error.causes[0]!.message, 'Unrecognized option for boolean: maybe. Expected either true or false(case insensitive)');
  assert.ok(computeTaskNetwork(hybrid, [], [], V2).ok);
  const recovery = computeTaskNetwork({ 'execution.batch.job-recovery.enabled': 'perhaps' }, [], [], V2);
  assert.ok(!recovery.ok);
  assert.equal(recovery.error.message, "Could not parse value 'perhaps' for key 'execution.batch.job-recovery.enabled'.");
  assert.ok(computeTaskNetwork({ 'execution.batch.job-recovery.enabled': 'perhaps' }, [], [], V120).ok);
});

test('the batch shuffle mode is matched case-insensitively, like Flink\'s enum conversion', () => {
  assert.ok(computeTaskNetwork({ 'execution.batch-shuffle-mode': 'all_exchanges_blocking' }, [], [], V2).ok);
});

test('PIPELINED_APPROXIMATE inputs get the batch cap of 1000 required buffers when unset', () => {
  const r = computeTaskNetwork({}, [{ channels: 3057, partitionType: 'PIPELINED_APPROXIMATE' }], [], V120);
  assert.ok(r.ok);
  assert.equal(r.gates[0]!.requiredBuffers, 1000);
  assert.equal(r.gates[0]!.totalBuffers, 3057 * 2 + 8);
});
