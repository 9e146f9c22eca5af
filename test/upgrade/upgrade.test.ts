import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveFlinkVersion } from '../../src/memory/versions.js';
import { upgradeConfiguration } from '../../src/upgrade/upgrade.js';
import { runCliCaptured } from '../cli/cli-harness.js';

const v = resolveFlinkVersion;

test('1.20 -> 2.x with taskmanager.heap.size: ignored on 2.x, replaced by taskmanager.memory.flink.size', () => {
  const report = upgradeConfiguration({ 'taskmanager.heap.size': '2g' }, v('1.20'), v('2.x'));
  assert.deepEqual(report.keys.map((k) => [k.key, k.change, k.replacement]), [['taskmanager.heap.size', 'stops', 'taskmanager.memory.flink.size']]);
  const [tm] = report.processes;
  assert.equal(tm?.process, 'taskmanager');
  assert.equal(tm.diff.a.ok, true);
  assert.equal(tm.diff.b.ok, false); // the failure appears: nothing sizes the TaskManager on 2.x
  assert.deepEqual(tm.proposal?.settings.map((s) => [s.key, s.value]), [['taskmanager.heap.size', null], ['taskmanager.memory.flink.size', '2g']]);
  assert.equal(tm.proposal?.keepsLayout, true);
  const before = tm.diff.a.ok ? tm.diff.a.spec.jvmParams : '';
  const after = tm.proposal?.result.ok === true ? tm.proposal.result.spec.jvmParams : '';
  assert.equal(after, before);
  assert.equal(before, '-Xmx939524080 -Xms939524080 -XX:MaxDirectMemorySize=348966096 -XX:MaxMetaspaceSize=268435456');
});

test('1.16 -> 2.x: the network cap of 1.16 is kept by setting its old default', () => {
  const report = upgradeConfiguration({ 'taskmanager.memory.process.size': '16g' }, v('1.16'), v('2.x'));
  const [tm] = report.processes;
  const network = tm?.diff.components.find((c) => c.component === 'network');
  assert.equal(network?.a, 1073741824n);
  assert.equal(network?.changed, true);
  assert.deepEqual(tm?.proposal?.settings.map((s) => [s.key, s.value]), [['taskmanager.memory.network.max', '1gb']]);
  assert.equal(tm?.proposal?.keepsLayout, true);
});

test('same layout: no proposal', () => {
  const report = upgradeConfiguration({ 'taskmanager.memory.process.size': '1728m' }, v('1.18'), v('1.20'));
  assert.equal(report.processes[0]?.unchanged, true);
  assert.equal(report.processes[0]?.proposal, undefined);
  assert.deepEqual(report.keys, []);
});

test('CLI: text and JSON, exit 1 when the new line rejects, 2 on usage errors', async () => {
  const text = await runCliCaptured(['upgrade', '--from', '1.20', '--to', '2.x', '--config', 'test/fixtures/lint/legacy-heap/config.yaml']);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /taskmanager\.heap\.size: stops taking effect/);
  assert.match(text.stdout, /This failure appears with the upgrade\./);
  assert.match(text.stdout, /taskmanager\.memory\.flink\.size: 2g {4}# what taskmanager\.heap\.size gave on Flink 1\.20/);
  assert.match(text.stdout, /Checked with Flink 2\.x's model: the same memory and JVM flags as on 1\.20\./);
  const json = await runCliCaptured(['upgrade', '--from', '1.20', '--to', '2.x', '-D', 'jobmanager.heap.size=1g', '--format', 'json']);
  const parsed = JSON.parse(json.stdout) as { processes: Array<{ process: string; failure: string | null; proposal: { settings: Array<{ key: string; value: string | null }>; keepsLayout: boolean } | null }> };
  const jm = parsed.processes.find((p) => p.process === 'jobmanager');
  assert.equal(jm?.failure, null); // the shipped 1600m process size still sizes the JobManager on 2.x
  assert.equal((await runCliCaptured(['upgrade', '--from', '1.20'])).code, 2);
  const bad = await runCliCaptured(['upgrade', '--from', '1.12', '--to', '2.x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^flink-memory: upgrade: Unsupported Flink version '1\.12'/);
});

test('the configuration file: flink-conf.yaml is not read by 2.x, config.yaml not by 1.16-1.18', async () => {
  const legacy = await runCliCaptured(['upgrade', '--from', '1.20', '--to', '2.0', '--config', 'test/fixtures/lint/public/litone01-1.15/flink-conf.yaml', '--format', 'json']);
  const notes = (JSON.parse(legacy.stdout) as { fileNotes: string[] }).fileNotes;
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /^Flink 2\.x does not read flink-conf\.yaml, only config\.yaml: rewrite .*litone01-1\.15\/flink-conf\.yaml as config\.yaml \(flink-memory migrate /);
  const standard = await runCliCaptured(['upgrade', '--from', '1.18', '--to', '1.20', '--config', 'test/fixtures/lint/shipped/1.19+/config.yaml', '--format', 'json']);
  assert.deepEqual((JSON.parse(standard.stdout) as { fileNotes: string[] }).fileNotes, ['Flink 1.18 does not read config.yaml, only flink-conf.yaml: the "before" side assumes the same settings in flink-conf.yaml']);
  assert.deepEqual(upgradeConfiguration({}, v('1.20'), v('2.x')).fileNotes, []);
});
