/**
 * Rotated sets through the whole engine (analyzeGcLogs, and the CLI once): the files of a set,
 * given in any order, read as one log in the order the JVM wrote them, with every pause of every
 * file counted once. Expected figures come from the log text (simple-counter.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { analyzeGcLogs } from '../../../src/gc/analyze.js';
import { fixtures, root } from './helpers.js';
import { simpleCount, type SimpleCount } from './simple-counter.js';

const rotated = join(fixtures, 'rotated');
const files = readdirSync(rotated).map((f) => join(rotated, f));

/** The first "[…s]" uptime of a file: where it starts in the JVM's life. */
function firstUptime(path: string): number {
  const m = /\[(\d+\.\d+)s\]/.exec(readFileSync(path, 'latin1'));
  assert.ok(m !== null, path);
  return Number(m[1]);
}

function sum(counts: readonly SimpleCount[]): { pauses: number; kinds: Record<string, number>; totalNs: number; bad: Record<string, number> } {
  const kinds: Record<string, number> = {};
  const bad: Record<string, number> = {};
  let pauses = 0;
  let totalNs = 0;
  for (const c of counts) {
    pauses += c.pauses.length;
    totalNs += c.totalNs;
    for (const [k, n] of Object.entries(c.kinds)) kinds[k] = (kinds[k] ?? 0) + n;
    for (const [k, n] of Object.entries(c.bad)) bad[k] = (bad[k] ?? 0) + n;
  }
  return { pauses, kinds, totalNs, bad };
}

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

test('a rotated set (-Xlog:gc*:file=gc.txt::filecount=3,filesize=16k) reads as one log in write order', async () => {
  assert.equal(files.length, 4);
  const writeOrder = [...files].sort((a, b) => firstUptime(a) - firstUptime(b));
  // The set wrapped around: the oldest file is not gc.txt.0, and the "Using G1" line is gone.
  assert.notEqual(writeOrder[0], join(rotated, 'gc.txt.0'));
  assert.ok(!files.some((f) => readFileSync(f, 'latin1').includes('Using G1')));
  const expected = sum(files.map((f) => simpleCount(readFileSync(f, 'latin1'))));
  assert.ok(expected.pauses > 40);

  for (const given of [[...files].reverse(), [files[2]!, files[0]!, files[3]!, files[1]!]]) {
    const summary = await analyzeGcLogs(given.map((path) => ({ kind: 'file' as const, path })));
    assert.deepEqual(summary.inputs.map((i) => i.name), writeOrder, 'files in write order');
    assert.equal(summary.collector, 'G1', 'collector from the wording');
    assert.equal(summary.pauses.count, expected.pauses);
    assert.deepEqual(Object.fromEntries(Object.entries(summary.pauses.byKind).map(([k, d]) => [k, d.count])), expected.kinds);
    assert.equal(summary.pauses.totalMs, round3(expected.totalNs / 1e6));
    assert.deepEqual(summary.badEvents.counts, expected.bad);
    assert.equal(summary.unrecognisedLines, 0);
    const times = summary.heap.pauseSeries.map(([t]) => t);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'pauses in time order across files');
  }
});

test('a log and the archive the JVM made of the run before it (g1-gcstar-pressure.txt, .txt.0)', async () => {
  const live = join(fixtures, 'g1-gcstar-pressure.txt');
  const archive = `${live}.0`;
  const expected = sum([live, archive].map((f) => simpleCount(readFileSync(f, 'latin1'))));
  const summary = await analyzeGcLogs([{ kind: 'file', path: live }, { kind: 'file', path: archive }]);
  assert.deepEqual(summary.inputs.map((i) => i.name), [archive, live]);
  assert.equal(summary.pauses.count, expected.pauses);
  assert.equal(summary.pauses.totalMs, round3(expected.totalNs / 1e6));
  assert.deepEqual(summary.badEvents.counts, expected.bad);
  assert.equal(summary.fullGc.count, expected.kinds['full']);
});

test('the CLI on a rotated set: JSON collector, pauses and bad events', async () => {
  const expected = sum(files.map((f) => simpleCount(readFileSync(f, 'latin1'))));
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bin', 'flink-memory.js'), 'gc', '--format', 'json', ...files]);
  const json = JSON.parse(stdout) as { collector: string; pauses: { count: number; totalMs: number }; badEvents: { counts: Record<string, number> }; unrecognisedLines: number };
  assert.equal(json.collector, 'G1');
  assert.equal(json.pauses.count, expected.pauses);
  assert.equal(json.pauses.totalMs, round3(expected.totalNs / 1e6));
  assert.deepEqual(json.badEvents.counts, expected.bad);
  assert.equal(json.unrecognisedLines, 0);
});
