/** The web app's pure parts, in Node: URL state, option catalogue, diagram model and exports. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveFlinkVersion } from '../../src/memory/versions.js';
import { renderExport } from '../../src/web/exports.js';
import { boxTree, derive, errorKeys, segments, shareText, type Box } from '../../src/web/model.js';
import { catalogKeys, optionGroups, parseOtherOptions, renderOtherOptions } from '../../src/web/options-catalog.js';
import { decodeState, defaultState, encodeState } from '../../src/web/state.js';
import { lintByKey, lintForPage } from '../../src/web/lint-model.js';
import { FLINK_VERSIONS } from '../../src/memory/versions.js';

const v2 = resolveFlinkVersion('2.x');
const v120 = resolveFlinkVersion('1.20');

test('the URL hash round-trips the whole state, comparison and planner included', () => {
  const state = {
    ...defaultState(),
    view: 'plan' as const,
    calc: { version: '1.20', process: 'taskmanager' as const, config: { 'taskmanager.memory.process.size': '4g', 'a&b': 'x=y #z' }, compare: { 'taskmanager.memory.managed.size': '0' } },
    plan: { ...defaultState().plan, memory: '8g', backend: 'hashmap' as const, slots: '4' },
  };
  const hash = encodeState(state);
  assert.equal(hash, '#plan?v=1.20&p=taskmanager&taskmanager.memory.process.size=4g&a%26b=x%3Dy+%23z&cmp=1&B%3Ataskmanager.memory.managed.size=0&plan.memory=8g&plan.backend=hashmap&plan.slots=4');
  assert.deepEqual(decodeState(hash), state);
  assert.deepEqual(decodeState(''), defaultState());
  // A cleared configuration stays cleared; junk falls back to defaults.
  assert.deepEqual(decodeState('#calc?v=2.x&p=jobmanager').calc, { version: '2.x', process: 'jobmanager', config: {}, compare: undefined });
  assert.equal(decodeState('#nonsense?plan.backend=evil&plan.mode=x').plan.backend, 'rocksdb');
  assert.equal(decodeState('#nonsense').view, 'calc');
});

test('the option catalogue follows the Flink line: legacy keys only where honoured', () => {
  const keys2 = catalogKeys(optionGroups('taskmanager', v2));
  const keys120 = catalogKeys(optionGroups('taskmanager', v120));
  assert.equal(keys2.size, 19);
  assert.ok(!keys2.has('taskmanager.heap.size'));
  assert.ok(keys120.has('taskmanager.heap.size') && keys120.has('taskmanager.heap.mb') && keys120.has('taskmanager.network.numberOfBuffers'));
  assert.deepEqual([...catalogKeys(optionGroups('jobmanager', v2))].sort(), [
    'jobmanager.memory.enable-jvm-direct-memory-limit', 'jobmanager.memory.flink.size', 'jobmanager.memory.heap.size', 'jobmanager.memory.jvm-metaspace.size',
    'jobmanager.memory.jvm-overhead.fraction', 'jobmanager.memory.jvm-overhead.max', 'jobmanager.memory.jvm-overhead.min', 'jobmanager.memory.off-heap.size',
    'jobmanager.memory.process.size',
  ]);
  const managed = optionGroups('taskmanager', v2).flatMap((g) => g.fields).find((f) => f.key === 'taskmanager.memory.managed.size')!;
  assert.deepEqual(managed.fallbackKeys, ['taskmanager.memory.size']);
  assert.equal(managed.defaultText, 'not set');
});

test('other options: key: value or key=value lines, comments, errors by line', () => {
  assert.deepEqual(parseOtherOptions('state.backend.type: rocksdb\n# c\n\na=b=c\nbad line'), { config: { 'state.backend.type': 'rocksdb', a: 'b=c' }, errors: ['line 5: expected key: value'] });
  assert.equal(renderOtherOptions({ 'taskmanager.memory.process.size': '1g', x: '1' }, new Set(['taskmanager.memory.process.size'])), 'x: 1');
});

function flatten(box: Box): Box[] {
  return [box, ...box.children.flatMap(flatten)];
}

test('the diagram model: nested boxes add up, shares as explain prints them, provenance with the value typed', () => {
  const config = { 'taskmanager.memory.process.size': '1728m' };
  const result = derive('taskmanager', config, v2);
  assert.ok(result.ok);
  const tree = boxTree(result.spec, config);
  for (const box of flatten(tree)) {
    if (box.children.length > 0) assert.equal(box.children.reduce((s, c) => s + c.bytes, 0n), box.bytes, box.id);
  }
  assert.equal(tree.provenance, 'set: taskmanager.memory.process.size = 1728m');
  assert.deepEqual(segments(result.spec).map((s) => [s.id, s.bytes, s.share]), [
    ['frameworkHeap', 134217728n, '7.4%'], ['taskHeap', 402653174n, '22.2%'], ['frameworkOffHeap', 134217728n, '7.4%'], ['taskOffHeap', 0n, '0.0%'],
    ['network', 134217730n, '7.4%'], ['managed', 536870920n, '29.6%'], ['jvmMetaspace', 268435456n, '14.8%'], ['jvmOverhead', 201326592n, '11.1%'],
  ]);
  assert.equal(shareText(1n, 3n), '33.3%');
  const rejected = derive('taskmanager', {}, v2);
  assert.ok(!rejected.ok);
  assert.deepEqual([...errorKeys(rejected.error)].sort(), ['taskmanager.memory.flink.size', 'taskmanager.memory.managed.size', 'taskmanager.memory.process.size', 'taskmanager.memory.task.heap.size']);
});

test('exports write what the CLI renderers write', () => {
  const config = { 'jobmanager.memory.process.size': '2g', 'jobmanager.memory.enable-jvm-direct-memory-limit': 'true' };
  const result = derive('jobmanager', config, v2);
  assert.ok(result.ok);
  assert.equal(renderExport('config.yaml', config, result.spec, v2), 'jobmanager:\n  memory:\n    process:\n      size: 2g\n    enable-jvm-direct-memory-limit: "true"\n');
  assert.equal(renderExport('flink-conf.yaml', config, result.spec, v2), 'jobmanager.memory.process.size: 2g\njobmanager.memory.enable-jvm-direct-memory-limit: true\n');
  assert.equal(renderExport('dynamic', config, result.spec, v2), '-Djobmanager.memory.process.size=2g -Djobmanager.memory.enable-jvm-direct-memory-limit=true\n');
  assert.match(renderExport('flinkdeployment', config, result.spec, v2), /\n {2}jobManager:\n {4}resource:\n {6}memory: "2g"\n$/);
});

test('lint in the calculator: the seed\'s misspelled key, an ignored legacy key, a conflicting -Xmx; none for the shipped configurations', () => {
  const problems = lintForPage(
    { 'taskmanager.memory.process.size': '1728m', 'taskmanage.memory.task.off-heap.size': '128m', 'taskmanager.heap.size': '1g', 'env.java.opts.taskmanager': '-Xmx12g' },
    v2,
  );
  assert.deepEqual(problems.map((p) => [p.code, p.key, p.suggestion]), [
    ['unknown-key', 'taskmanage.memory.task.off-heap.size', 'taskmanager.memory.task.off-heap.size'],
    ['ignored-key', 'taskmanager.heap.size', 'taskmanager.memory.flink.size'],
    ['jvm-option-conflict', 'env.java.opts.taskmanager', 'remove -Xmx12g from env.java.opts.taskmanager; for that heap set taskmanager.memory.task.heap.size: 12160m (heap = framework heap + task heap)'],
  ]);
  assert.match(problems[1]!.message, /What that changes: on Flink 1\.20 it gave Total Process Memory 1\.69 GiB, JVM heap 384 MiB, managed 409\.6 MiB/);
  assert.match(problems[2]!.message, /-Xmx12g replaces Flink's -Xmx536870902 \(512 MiB\)/);
  assert.deepEqual([...lintByKey(problems).keys()], ['taskmanage.memory.task.off-heap.size', 'taskmanager.heap.size', 'env.java.opts.taskmanager']);
  // Flink's rejection is the calculator's own message: lint does not repeat it.
  assert.deepEqual(lintForPage({ 'taskmanager.memory.process.size': '100m' }, v2).filter((p) => p.code === 'rejected'), []);
  for (const version of FLINK_VERSIONS) {
    const state = defaultState();
    assert.deepEqual(lintForPage(state.calc.config, version), [], `shipped TaskManager on ${version.line}`);
    assert.deepEqual(lintForPage({ 'jobmanager.memory.process.size': '1600m' }, version), [], `shipped JobManager on ${version.line}`);
  }
});
