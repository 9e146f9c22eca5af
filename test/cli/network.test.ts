import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expectedJson, FIXTURES, loadNetworkVectors, networkArgs } from '../plan/network-vectors.js';
import { runCliCaptured } from './cli-harness.js';

const vectors = loadNetworkVectors();
const plans = join(FIXTURES, 'plans');

test('every network-buffer vector through the CLI, in-process (the held-out set\'s command line)', async () => {
  const failures: string[] = [];
  for (const v of vectors) {
    const run = await runCliCaptured(networkArgs(v));
    try {
      assert.equal(run.stderr, '');
      assert.equal(run.code, v.expected.ok ? 0 : 1);
      assert.deepStrictEqual(JSON.parse(run.stdout), expectedJson(v));
    } catch (e) {
      failures.push(`line ${v.line} ${v.id}: ${(e as Error).message.slice(0, 600)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${vectors.length} vectors differ:\n${failures.slice(0, 5).join('\n')}`);
});

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'flink-memory.js');
const exec = promisify(execFile);

async function runProcess(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [bin, ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('a sample of vectors as real processes (node bin/flink-memory.js network ...)', async () => {
  const sample = vectors.filter((_, i) => i % 20 === 0);
  assert.ok(sample.length >= 10);
  assert.ok(sample.some((v) => !v.expected.ok));
  for (const v of sample) {
    const run = await runProcess(networkArgs(v));
    assert.notEqual(run.stdout.trim(), '', `${v.id}: no output (exit ${run.code}); stderr: ${run.stderr.slice(0, 300)}`);
    assert.equal(run.code, v.expected.ok ? 0 : 1, v.id);
    assert.deepStrictEqual(JSON.parse(run.stdout), expectedJson(v), v.id);
  }
});

test('--config reads a file like explain; -D wins over it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-network-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, 'taskmanager:\n  memory:\n    segment-size: 64kb\n');
  const fromFile = await runCliCaptured(['network', '--config', file, '--gate', '10:PIPELINED_BOUNDED', '--format', 'json']);
  assert.equal(fromFile.code, 0);
  const json = JSON.parse(fromFile.stdout) as { effective: { segmentSize: number }; networkMemoryBytes: string };
  assert.equal(json.effective.segmentSize, 65536);
  assert.equal(json.networkMemoryBytes, String(28 * 65536));
  const overridden = await runCliCaptured(['network', '--config', file, '-D', 'taskmanager.memory.segment-size=16kb', '--gate', '10:PIPELINED_BOUNDED', '--format', 'json']);
  assert.equal((JSON.parse(overridden.stdout) as { effective: { segmentSize: number } }).effective.segmentSize, 16384);
});

test('text output explains each gate and partition and ends with the exact total', async () => {
  const run = await runCliCaptured(['network', '--gate', '100:PIPELINED_BOUNDED:2', '--partition', '500:BLOCKING', '-D', 'taskmanager.network.sort-shuffle.min-buffers=2048']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Input gate 1: 100 channels reading PIPELINED_BOUNDED, consumed 2 times/);
  assert.match(run.stdout, /target {5}100 × 2 \+ 8 floating = 208 buffers/);
  assert.match(run.stdout, /announced {2}208 × 2 = 416/);
  assert.match(run.stdout, /minimum {4}2048 \(sort-based shuffle: 500 ≥ min parallelism 1, sort-shuffle min buffers\)/);
  assert.match(run.stdout, /announced {2}2048 \(the minimum: a blocking result recycles its buffers promptly\)/);
  assert.match(run.stdout, /Total: 2,464 buffers × 32768 bytes = 80740352 bytes \(77 MiB\)/);
});

test('text output of a failure names the exception, the message and the option', async () => {
  const run = await runCliCaptured(['network', '-D', 'taskmanager.memory.segment-size=48kb', '--gate', '1:PIPELINED_BOUNDED']);
  assert.equal(run.code, 1);
  assert.equal(
    run.stdout,
    'Flink 2.x would refuse this: IllegalConfigurationException: Invalid configuration value for taskmanager.memory.segment-size : 49152 - Memory segment size must be a power of 2.\n' +
      'Options involved: taskmanager.memory.segment-size\n',
  );
});

test('a TaskManager running a job from its REST plan: enough buffers on the shipped TaskManager', async () => {
  const run = await runCliCaptured(['network', '--plan', join(plans, 'rest-job-details-slot-sharing.json'), '--slots', '2', '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout) as {
    ok: boolean;
    plan: { shape: string; vertices: number };
    taskManager: { requiredBuffers: string; announcedBuffers: string; configured: { networkBuffers: string }; insufficient: boolean; tasks: { subtasksOnTaskManager: number }[] };
  };
  assert.equal(json.ok, true);
  assert.deepEqual(json.plan, { shape: 'rest-plan', name: 'basic-example', vertices: 2, chainedEdges: 0 });
  // Per slot: the sink's gate of 2 channels (2×2+1 = 5 required, 12 target) and the source's partition (3 min, 12 max).
  assert.equal(json.taskManager.requiredBuffers, String(2 * (5 + 3)));
  assert.equal(json.taskManager.announcedBuffers, String(2 * (12 + 12)));
  assert.equal(json.taskManager.configured.networkBuffers, '4096');
  assert.equal(json.taskManager.insufficient, false);
  assert.deepEqual(json.taskManager.tasks.map((t) => t.subtasksOnTaskManager), [2, 2]);
});

test('--parallelism and --slots: the verdict, the minimum network memory and checked fixes (exit code 1)', async () => {
  const run = await runCliCaptured(['network', '--parallelism', '400', '--slots', '8']);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /Needs {4}9,616 buffers \(300\.5 MiB\) to start its tasks/);
  assert.match(run.stdout, /Verdict: "Insufficient number of network buffers" at deployment: short by 5,520 buffers\./);
  assert.match(run.stdout, /Minimum network memory: 315097088 bytes/);
  assert.match(run.stdout, /1\. taskmanager\.memory\.network\.min: 301m/);
  assert.match(run.stdout, /3\. taskmanager\.memory\.process\.size: 3624m/);
  const json = JSON.parse((await runCliCaptured(['network', '--parallelism', '400', '--slots', '8', '--format', 'json'])).stdout) as {
    taskManager: { insufficient: boolean; minimumNetworkMemory: string; proposals: { configChange: Record<string, string> }[] };
  };
  assert.equal(json.taskManager.insufficient, true);
  assert.equal(json.taskManager.minimumNetworkMemory, '315097088');
  assert.deepEqual(json.taskManager.proposals[0]!.configChange, { 'taskmanager.memory.network.min': '301m' });
});

test('a getExecutionPlan() file in batch mode, with the TaskManager from a config file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-network-'));
  const file = join(dir, 'flink-conf.yaml');
  writeFileSync(file, 'taskmanager.memory.process.size: 4g\nexecution.runtime-mode: BATCH\ntaskmanager.numberOfTaskSlots: 4\n');
  const run = await runCliCaptured(['network', '--config', file, '--plan', join(plans, 'execution-plan-sql-explain-docs.json'), '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout) as { taskManager: { slots: number; tasks: { gates: { partitionType: string }[] }[]; notes: string[] } };
  assert.equal(json.taskManager.slots, 4);
  assert.ok(json.taskManager.tasks.flatMap((t) => t.gates).every((g) => g.partitionType === 'BLOCKING'));
  assert.ok(json.taskManager.notes.some((n) => n.includes('upper bound')));
});

test('--gate with --slots checks a TaskManager running that many such tasks, keeping the per-task contract', async () => {
  const run = await runCliCaptured(['network', '--gate', '100:PIPELINED_BOUNDED', '--slots', '4', '--format', 'json']);
  assert.equal(run.code, 0);
  const json = JSON.parse(run.stdout) as { networkBuffers: number; taskManager: { requiredBuffers: string; announcedBuffers: string } };
  assert.equal(json.networkBuffers, 208);
  assert.equal(json.taskManager.requiredBuffers, String(4 * 201));
  assert.equal(json.taskManager.announcedBuffers, String(4 * 208));
});

const usage = async (args: string[], pattern: RegExp) => {
  const run = await runCliCaptured(['network', ...args]);
  assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr.trimEnd(), pattern);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.ok(!run.stderr.includes('    at '), 'no stack trace');
};

test('bad input: one clear line and exit code 2', async () => {
  await usage(['--parallelism', '4', '--slots', '0'], /^flink-memory: network: --slots must be a positive whole number \(got '0'\)$/);
  await usage(['--parallelism', 'four'], /--parallelism must be a positive whole number \(got 'four'\)/);
  await usage(['--plan', join(plans, 'not-a-plan-rest-overview.json'), '--slots', '2'], /not-a-plan-rest-overview\.json: not a Flink execution plan \(no "nodes" array\)/);
  await usage(['--plan', join(plans, 'rest-job-details-empty-plan.json')], /the plan has no nodes/);
  await usage(['--plan', join(plans, 'does-not-exist.json')], /cannot read plan '.*does-not-exist\.json': no such file/);
  await usage(['--plan', join(plans, 'SOURCES.md')], /SOURCES\.md: not valid JSON/);
  await usage(['--gate', '10:PIPELINED_BOUNDEDD'], /--gate '10:PIPELINED_BOUNDEDD': unknown partition type 'PIPELINED_BOUNDEDD' \(expected one of PIPELINED, /);
  await usage(['--gate', 'ten:BLOCKING'], /--gate 'ten:BLOCKING' channels: 'ten' is not a whole number/);
  await usage(['--gate', '10'], /--gate '10': expected CHANNELS:TYPE or CHANNELS:TYPE:REUSE/);
  await usage(['--partition', '3000000000:BLOCKING'], /outside Java's int range/);
  await usage(['--gate', '1:BLOCKING', '--plan', 'x.json'], /do not combine with --plan/);
  await usage(['--plan', 'a.json', '--parallelism', '2'], /either --plan or --parallelism/);
  await usage(['--flink-version', '0.9'], /Unsupported Flink version '0\.9'/);
  await usage(['--flink-version', '1.16'], /Flink 1\.16 is not supported by this command/);
  await usage(['--format', 'yaml'], /unknown --format 'yaml'/);
  await usage(['--bogus'], /^flink-memory: network: Unknown option '--bogus'/);
});

test('older 1.x lines use 1.20\'s rules with a note on stderr', async () => {
  const run = await runCliCaptured(['network', '--flink-version', '1.19', '--gate', '10:PIPELINED_BOUNDED', '--format', 'json']);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /note: Flink 1\.19 is computed with the rules of 1\.20/);
  assert.equal((JSON.parse(run.stdout) as { networkBuffers: number }).networkBuffers, 28);
});

test('--help lists the options', async () => {
  const run = await runCliCaptured(['network', '--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--gate CHANNELS:TYPE\[:REUSE\]/);
  assert.match(run.stdout, /--plan FILE/);
});

test('a negative count after --gate is a value for Flink to judge, not an option', async () => {
  const run = await runCliCaptured(['network', '--gate', '-5:BLOCKING', '--format', 'json']);
  assert.equal(run.code, 1);
  assert.deepEqual(JSON.parse(run.stdout), { ok: false, error: 'IllegalArgumentException', message: 'Must be positive.', causes: [] });
});
