/**
 * `doctor` end to end over the two incidents of the seed documents (see
 * test/fixtures/diagnose/incidents/README.md): the right root cause, the chain, and fixes that the
 * exact model accepts when applied to the configuration the TaskManager ran with.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliCaptured } from '../cli/cli-harness.js';
import { configFromStartup, runDoctor, type Diagnosis } from '../../src/diagnose/doctor.js';
import { loadConfigFile } from '../../src/config/load.js';
import { toFlatMap } from '../../src/config/flat-map.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import type { FlatConfig } from '../../src/memory/configuration.js';

const incidents = join(import.meta.dirname, '../../../test/fixtures/diagnose/incidents');
const seed1 = join(incidents, 'seed1-full-gc-oom-native');
const seed2 = join(incidents, 'seed2-checkpoint-expired');
const MiB = 1024n * 1024n;

function bytesOf(spec: { memory: Record<string, { bytes: bigint }> }): Record<string, bigint> {
  return Object.fromEntries(Object.entries(spec.memory).map(([k, c]) => [k, c.bytes]));
}

/** Every fix, applied to the configuration it was computed for, derives exactly its "after". */
function assertFixesDerive(d: Diagnosis, config: FlatConfig): void {
  const fixes = [...d.findings.flatMap((f) => (f.fix ? [f.fix] : [])), ...(d.combinedFix ? [d.combinedFix] : [])];
  assert.ok(fixes.length > 0);
  for (const fix of fixes) {
    const again = deriveTaskManagerMemory({ ...config, ...fix.set });
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    assert.deepEqual(bytesOf(again.spec), bytesOf(fix.after));
  }
}

test('seed 1: Full GCs, a heap OutOfMemoryError and native memory a connector took beyond the direct budget', async () => {
  const d = await runDoctor([seed1]);
  assert.deepEqual(d.rootCause?.kind, 'oom-heap');
  assert.deepEqual(d.findings.map((f) => f.kind), ['oom-heap', 'native-memory-overuse', 'gc-full']);
  const [oom, native, fullGc] = d.findings;
  assert.deepEqual(oom!.evidence.map((e) => [e.file.endsWith('taskmanager.out'), e.line]), [[true, 1]]);
  // The GC log's own count of Full GCs.
  const fullPauses = readFileSync(join(seed1, 'gc.log'), 'latin1').split('\n').filter((l) => /\] GC\(\d+\) Pause Full \(.*\) .*ms$/.test(l)).length;
  assert.equal(fullGc!.count, fullPauses);
  assert.match(native!.summary, /^Other grew by \d+mb to \d+mb since the baseline, \d+mb beyond the 32mb direct memory budget/);
  // The heap fix: task heap 32m grows by 256m (at least half again, at least 256m); managed gives half of itself.
  assert.deepEqual(oom!.fix?.set, { 'taskmanager.memory.task.heap.size': '288m', 'taskmanager.memory.managed.size': '16m', 'taskmanager.memory.process.size': '496m' });
  assert.equal(d.configuration?.source.endsWith('config.yaml'), true);
  assertFixesDerive(d, toFlatMap(await loadConfigFile(join(seed1, 'conf', 'config.yaml'))));
});

test('seed 2: pod OOMKilled -> TaskManager lost -> checkpoint 42 expired, and a fix inside the 4Gi pod', async () => {
  const d = await runDoctor([seed2]);
  assert.equal(d.rootCause?.kind, 'container-killed');
  assert.match(d.rootCause!.chain!, /^pod flink-job-taskmanager-1-2: container flink-main-container was OOMKilled \(exit code 137, SIGKILL\)[^>]* -> TaskManager flink-job-taskmanager-1-2 lost -> checkpoint 42 expired -> job restarting/);
  // One clock for all inputs: the kill (kubectl, JobManager log) before the loss before the expiry.
  const at = (kind: string) => d.timeline.find((t) => t.kind === kind)!.time;
  assert.equal(at('container-killed'), '2024-05-01T10:02:25.000Z');
  assert.equal(at('taskmanager-lost'), '2024-05-01T10:02:25.512Z');
  assert.equal(at('checkpoint-expired'), '2024-05-01T10:03:00.012Z');
  const killed = d.findings.find((f) => f.kind === 'container-killed')!;
  assert.equal(killed.severity, 'critical');
  // The configuration the replacement TaskManager logged; the limit kubectl states (4Gi).
  const startup = d.configuration!;
  assert.match(startup.source, /taskmanager\.log:\d+ \(TaskManager startup\)$/);
  const fix = killed.fix!;
  assert.equal(fix.fitsContainer, true);
  // JVM overhead 409.6 MiB (0.1 x 4g) grows by at least 256m and stays inside the pod.
  assert.ok(fix.after.memory.jvmOverhead.bytes >= 429496736n + 256n * MiB);
  assert.ok(fix.after.memory.totalProcessMemory.bytes <= 4096n * MiB);
  assertFixesDerive(d, startup.config);
  const expired = d.findings.find((f) => f.kind === 'checkpoint-expired')!;
  assert.deepEqual(expired.evidence.map((e) => e.line), [9]);
});

test('the command: JSON contract, Markdown, exit codes, unreadable and missing inputs', async (t) => {
  const run = await runCliCaptured(['doctor', seed2, '--format', 'json']);
  assert.equal(run.code, 1);
  const json = JSON.parse(run.stdout) as {
    rootCause: { kind: string; summary: string };
    findings: Array<{ kind: string; severity: string; summary: string; evidence: Array<{ file: string; line: number; text: string }>; fix: { set: Record<string, string>; memory: Record<string, { before: string; after: string }> } | null }>;
    timeline: Array<{ kind: string }>;
  };
  assert.equal(json.rootCause.kind, 'container-killed');
  const killed = json.findings.find((f) => f.kind === 'container-killed')!;
  assert.equal(killed.fix!.memory['jvmOverhead']!.before, '429496736');
  assert.ok(killed.evidence.every((e) => typeof e.file === 'string' && e.line > 0 && e.text.length > 0));
  const md = await runCliCaptured(['doctor', seed2, '-f', 'markdown']);
  assert.match(md.stdout, /^# flink-memory doctor\n\n## Root cause\n/);

  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-doctor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'flink-conf.yaml'), 'taskmanager.memory.process.size: 4g\n');
  writeFileSync(join(dir, 'core.bin'), Buffer.from([0, 1, 2, 3, 0, 255, 254, 0]));
  const healthy = await runCliCaptured(['doctor', dir]);
  assert.equal(healthy.code, 0, healthy.stderr);
  assert.match(healthy.stdout, /^No memory problem found in the inputs\.\n/);
  assert.match(healthy.stdout, /core\.bin: binary \(skipped/);
  const missing = await runCliCaptured(['doctor', join(dir, 'nope.log')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^flink-memory: doctor: .*nope\.log: no such file or directory\n$/);
  const usage = await runCliCaptured(['doctor']);
  assert.equal(usage.code, 2);
});

test('configFromStartup: the sizes a TaskManager logged derive to themselves', () => {
  const facts = { taskHeap: '1530082070', managed: '1438814063', network: '359703515', frameworkHeap: '134217728', frameworkOffHeap: '134217728', taskOffHeap: '0', jvmMetaspace: '268435456', jvmOverhead: '429496736' };
  const config = configFromStartup(facts)!;
  const spec = deriveTaskManagerMemory(config);
  assert.ok(spec.ok);
  // 4g exactly: the parts the 2.x defaults give a 4g process, so the total is 4294967296.
  assert.equal(spec.spec.memory.totalProcessMemory.bytes, 4294967296n);
  assert.equal(configFromStartup({ taskHeap: '1' }), undefined);
});

test("an -Xmx from env.java.opts (the seed's -Xms12g -Xmx12g) is named against Flink's own flags", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-doctor-xmx-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = readFileSync(join(import.meta.dirname, '../../../test/fixtures/diagnose/logs/flink/taskmanager-incident.log'), 'utf8');
  // The JVM options block lists Flink's -Xmx/-Xms first; a user's env.java.opts come after and win.
  const withUserFlags = log.replace(
    /(\n[^\n]*-XX:MaxMetaspaceSize=268435456\n)/,
    (line) => `${line}${line.slice(1).replace('-XX:MaxMetaspaceSize=268435456', '-Xms12g')}${line.slice(1).replace('-XX:MaxMetaspaceSize=268435456', '-Xmx12g')}`,
  );
  assert.notEqual(withUserFlags, log);
  writeFileSync(join(dir, 'taskmanager.log'), withUserFlags);
  const d = await runDoctor([dir]);
  const mismatch = d.findings.find((f) => f.kind === 'config-mismatch')!;
  // Flink computes -Xmx = framework heap 128m + task heap 1530082070 = 1664299798 bytes (1.55 GiB).
  assert.match(mismatch.summary, /-Xmx \(framework \+ task heap\): 12 GiB in force, Flink computes 1\.55 GiB; -Xms \(framework \+ task heap\): 12 GiB in force, Flink computes 1\.55 GiB/);
});
