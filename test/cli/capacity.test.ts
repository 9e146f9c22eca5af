import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCliCaptured } from './cli-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Json {
  ok: boolean;
  yarn: boolean;
  nodeContainerMemory: string;
  taskManager: { processMemory: string; containerMemory: string; cores: number; slots: number };
  jobManager: { containerMemory: string; unusedMemory: string; cores: number } | null;
  groups: Array<{ kind: string; count: number; taskManagers: number; byMemory: number; byCores: number; memoryForOthers: string }>;
  taskManagers: number;
  slots: number;
  maxParallelism: number;
  memoryForOthers: string;
  fillingProcessSize: string | null;
  findings: Array<{ severity: string; code: string; message: string }>;
  error?: string;
}

const yarnArgs = [
  'capacity', '--node-memory', '64g', '--node-cores', '16', '--nodes', '4', '--reserved', '8g', '--yarn-min-allocation', '1024m',
  '-D', 'taskmanager.memory.process.size=4g', '-D', 'taskmanager.numberOfTaskSlots=2',
];

test('capacity on YARN: TaskManagers per node, slots, parallelism, memory left', async () => {
  const run = await runCliCaptured(yarnArgs);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, '');
  const lines = run.stdout.split('\n');
  assert.equal(lines[0], 'Capacity  (Flink 2.x, YARN: 4 nodes x 64 GiB, 16 cores)');
  // Per node 56 GiB = 57344 MB for containers. TaskManager 4096 MB / 2 vcores; JobManager (shipped
  // default 1600m) rounded up to 2048 MB, 1 vcore. JobManager node: min(55296 / 4096 = 13, 15 / 2 = 7) = 7;
  // other nodes: min(57344 / 4096 = 14, 16 / 2 = 8) = 8. Total 7 + 3 x 8 = 31 TaskManagers, 62 slots.
  for (const expected of [
    '  1 (JobManager)  7 each        13         7         26 GiB  34 GiB',
    '  3 (others)      8 each        14         8         24 GiB  32 GiB',
    '  TaskManagers            31',
    '  slots                   62 = 31 x 2',
    '  largest parallelism     62 (one slot sharing group)',
    '  memory left for others  130 GiB (139586437120 bytes)',
  ]) {
    assert.ok(lines.includes(expected), `missing: ${expected}`);
  }
  const flat = run.stdout.replace(/\s*\n\s*/g, ' ');
  assert.ok(flat.includes('yarn.nodemanager.resource.memory-mb: 57344'));
  assert.ok(flat.includes('The configured JobManager memory is 1600 MB. YARN will allocate 2048 MB'));
  // 8 per node at most 57344 / 8 = 7168 MB each (and 55296 / 7 on the JobManager's node is more).
  assert.ok(flat.includes('taskmanager.memory.process.size: 7168m would keep the same TaskManagers per node'));
  assert.ok(lines.every((l) => [...l].length <= 80), 'fits 80 columns');
});

test('capacity --format json, counting memory only', async () => {
  const run = await runCliCaptured([...yarnArgs, '--ignore-cores', '--format', 'json']);
  assert.equal(run.code, 0);
  const json = JSON.parse(run.stdout) as Json;
  assert.equal(json.yarn, true);
  assert.equal(json.nodeContainerMemory, String(57344n * 1024n * 1024n));
  assert.deepEqual(json.taskManager, { processMemory: '4294967296', requestedMemory: '4294967296', containerMemory: '4294967296', unusedMemory: '0', cores: 2, slots: 2 });
  // Memory only: 13 on the JobManager's node, 14 on the others: 55 TaskManagers, 110 slots.
  assert.deepEqual(json.groups.map((g) => [g.kind, g.count, g.taskManagers]), [['jobmanager', 1, 13], ['taskmanagers', 3, 14]]);
  assert.equal(json.taskManagers, 55);
  assert.equal(json.slots, 110);
  assert.equal(json.maxParallelism, 110);
  // Left: JobManager node 8 GiB + (55296 - 13 x 4096 = 2048 MB); others 8 GiB + 0: 8 + 2 + 3 x 8 = 34 GiB.
  assert.equal(json.memoryForOthers, String(34n * 1024n ** 3n));
});

test('without YARN and without a JobManager on the nodes', async () => {
  const run = await runCliCaptured(['capacity', '--node-memory', '16g', '--node-cores', '8', '--no-jobmanager', '-f', 'json']);
  assert.equal(run.code, 0);
  const json = JSON.parse(run.stdout) as Json;
  // The shipped 1728m TaskManager, 1 core: 16384 / 1728 = 9.48 -> 9 by memory, 8 by cores.
  assert.equal(json.jobManager, null);
  assert.equal(json.taskManager.containerMemory, String(1728n * 1024n * 1024n));
  assert.deepEqual(json.groups.map((g) => [g.taskManagers, g.byMemory, g.byCores]), [[8, 9, 8]]);
});

test('exit 1 when nothing fits or Flink rejects a process', async () => {
  const tooBig = await runCliCaptured(['capacity', '--node-memory', '3g', '--node-cores', '4', '-D', 'taskmanager.memory.process.size=4g']);
  assert.equal(tooBig.code, 1);
  assert.ok(tooBig.stdout.replace(/\s*\n\s*/g, ' ').includes('error: A TaskManager container (4294967296 bytes) is larger than what a node gives to containers'));

  const rejected = await runCliCaptured(['capacity', '--node-memory', '64g', '--node-cores', '4', '-D', 'jobmanager.memory.process.size=100m', '-f', 'json']);
  assert.equal(rejected.code, 1);
  const json = JSON.parse(rejected.stdout) as Json & { process: string };
  assert.equal(json.ok, false);
  assert.equal(json.process, 'jobmanager');
});

test('usage errors: one line, exit 2', async () => {
  for (const [argv, message] of [
    [['capacity', '--node-cores', '4'], 'flink-memory: capacity: --node-memory SIZE is required (e.g. --node-memory 64g)\n'],
    [['capacity', '--node-memory', '64g'], 'flink-memory: capacity: --node-cores N is required (e.g. --node-cores 16)\n'],
    [['capacity', '--node-memory', 'lots', '--node-cores', '4'], "flink-memory: capacity: --node-memory 'lots': text does not start with a number\n"],
    [['capacity', '--node-memory', '64g', '--node-cores', '1.5'], "flink-memory: capacity: --node-cores must be a whole number >= 1, was '1.5'\n"],
    [['capacity', '--node-memory', '8g', '--node-cores', '4', '--reserved', '8g'], "flink-memory: capacity: reserved memory (8589934592 bytes) leaves nothing of the node's 8589934592 bytes\n"],
    [['capacity', '--node-memory', '8g', '--node-cores', '4', '--yarn-min-allocation', '1000k'], 'flink-memory: capacity: the YARN minimum allocation must be a whole number of MiB, more than 0\n'],
  ] as const) {
    const run = await runCliCaptured(argv);
    assert.equal(run.code, 2, argv.join(' '));
    assert.equal(run.stderr, message);
  }
});

test('the real process: flink-memory capacity --format json', async () => {
  const bin = join(root, 'bin', 'flink-memory.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, ...yarnArgs, '--format', 'json']);
  const json = JSON.parse(stdout) as Json;
  assert.equal(json.taskManagers, 31);
  assert.equal(json.slots, 62);
});
