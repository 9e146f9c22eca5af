/**
 * Every real JDK 9+ log in ../shared/gc-samples/unified/ (GCViewer's test data, JDK 11 and 17; see
 * that folder's README): the parser must agree with the simple counter (simple-counter.ts) on the
 * pause lines, pause counts per kind, total pause time and bad events, leave no line unrecognised,
 * and name the collector the file name gives, also where the log lacks its "Using …" line.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeGcLogs } from '../../../src/gc/analyze.js';
import { badKinds, collectorsOf, concurrentOf, parseUnified, pauseKinds, pausesOf, root, totalPauseNs, unrecognisedOf } from './helpers.js';
import { simpleCount } from './simple-counter.js';

const samples = join(root, '..', 'shared', 'gc-samples', 'unified');
const present = existsSync(samples);
const files = present ? readdirSync(samples).filter((f) => f.endsWith('.txt') || f.endsWith('.log')).sort() : [];

/** GCViewer names its samples after the collector that wrote them. */
function collectorOfName(name: string): string {
  const lower = name.toLowerCase();
  for (const [word, collector] of [['shenandoah', 'Shenandoah'], ['g1', 'G1'], ['zgc', 'ZGC'], ['cms', 'CMS'], ['parallel', 'Parallel'], ['serial', 'Serial']] as const) {
    if (lower.includes(word)) return collector;
  }
  throw new Error(`no collector in the name ${name}`);
}

/** Failures some samples were recorded for, by the GCViewer file name. */
const RECORDED_FOR: Readonly<Record<string, string>> = {
  'sample-ujl-g1-gc-all,safepoint,os+cpu-to-space-exhausted.txt': 'to-space-exhausted',
  'Sample-ujl-shenandoah-jdk11-PauseDegeneratedGc.txt': 'degenerated-gc',
  'SampleShenandoahAllocationFailure.txt': 'concurrent-mode-failure',
};

test('unified samples folder', { skip: present ? false : `no sample logs at ${samples} (the shared GC samples are not checked in here)` }, () => {
  assert.ok(files.length >= 20, `logs in ${samples}: ${files.length}`);
});

for (const name of files) {
  test(`unified sample ${name}`, async () => {
    const path = join(samples, name);
    const text = readFileSync(path, 'latin1');
    const expected = simpleCount(text);
    const events = parseUnified(text);

    assert.deepEqual(unrecognisedOf(events).map((u) => `${u.line}: ${u.text.slice(0, 120)}`), [], 'every line is understood');
    assert.deepEqual(pausesOf(events).map((p) => p.line), expected.pauses.map((p) => p.line), 'a pause event for every pause line, and no other');
    assert.deepEqual(pauseKinds(events), expected.kinds, 'pauses per kind');
    assert.equal(totalPauseNs(events), expected.totalNs, 'total pause time (ns)');
    assert.deepEqual(badKinds(events), expected.bad, 'bad events');
    const recordedFor = RECORDED_FOR[name];
    if (recordedFor !== undefined) assert.ok((expected.bad[recordedFor] ?? 0) > 0, `the sample shows ${recordedFor}`);

    const collector = collectorOfName(name);
    assert.deepEqual(collectorsOf(events), [collector], 'collector, told once');
    const concurrent = concurrentOf(events).length;
    assert.equal(concurrent, collector === 'G1' ? expected.g1Cycles : expected.otherConcurrent, 'concurrent cycles / phases');

    if (expected.pauses.length > 0) {
      const summary = await analyzeGcLogs([{ kind: 'file', path }]);
      assert.equal(summary.collector, collector, 'summary collector');
      assert.equal(summary.pauses.count, expected.pauses.length, 'summary pause count');
      assert.equal(summary.unrecognisedLines, 0);
    }
  });
}
