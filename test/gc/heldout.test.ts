/**
 * Real GC log excerpts that showed format gaps when a wider set of public logs was run through the
 * parsers (see test/fixtures/gc/heldout/README.md for where each comes from). Every figure below
 * was counted from the excerpt's text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeGcLogs } from '../../src/gc/analyze.js';
import type { GcEvent, HeapConfigEvent } from '../../src/gc/events.js';
import { createJdk8Parser } from '../../src/gc/jdk8/index.js';
import { createUnifiedParser } from '../../src/gc/unified/index.js';
import { badOf, collectorsOf, concurrentOf, parseWith, pausesOf, unrecognisedOf } from './parse-helpers.js';
import { simpleCount as simpleCountJdk8 } from './jdk8/simple-counter.js';
import { simpleCount as simpleCountUnified } from './unified/simple-counter.js';

/** The repository root: this file runs as dist/test/gc/heldout.test.js. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const heldout = join(root, 'test', 'fixtures', 'gc', 'heldout');
const read = (name: string): string => readFileSync(join(heldout, name), 'latin1');
const jdk8 = (name: string): GcEvent[] => parseWith(createJdk8Parser(), read(name));
const unified = (name: string): GcEvent[] => parseWith(createUnifiedParser(), read(name));

function kinds(events: readonly GcEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of pausesOf(events)) counts[p.kind] = (counts[p.kind] ?? 0) + 1;
  return counts;
}
const totalNs = (events: readonly GcEvent[]): number => Math.round(pausesOf(events).reduce((sum, p) => sum + p.durationMs, 0) * 1e6);
const regionSizes = (events: readonly GcEvent[]): Array<number | undefined> =>
  events.filter((e): e is HeapConfigEvent => e.type === 'heap-config' && e.regionSizeBytes !== undefined).map((e) => e.regionSizeBytes);

test('JDK 8 Shenandoah: a cancellation inside the concurrent record is a concurrent mode failure, and the record names the collector', () => {
  // garbagecat dataset190: "[Concurrent marking" … "Cancelling GC: Allocation Failure" … ", 2714.003 ms]", no header.
  const events = jdk8('shenandoah-jdk8-cancel-inside-record.txt');
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(collectorsOf(events), ['Shenandoah']);
  assert.deepEqual(pausesOf(events), []);
  assert.deepEqual(
    badOf(events).map((b) => [b.line, b.kind, b.detail]),
    [[3, 'concurrent-mode-failure', 'Cancelling GC: Allocation Failure']],
  );
  assert.deepEqual(badOf(events)[0]!.time, { epochMs: Date.parse('2020-08-18T14:05:39.789+00:00'), uptimeSec: 854865.439 });
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.line, c.phase, c.durationMs]),
    [[4, 'Concurrent marking', 2714.003]],
  );
  assert.deepEqual(simpleCountJdk8(read('shenandoah-jdk8-cancel-inside-record.txt')).bad, { 'concurrent-mode-failure': 1 });
});

test('JDK 8 Shenandoah: "Cancelling GC: Stopping VM" is no failure', () => {
  const text = '2020-10-21T12:11:13.444-0400: 70.360: [Concurrent marking\n    Cancelling GC: Stopping VM\n, 5.130 ms]\nCancelling concurrent GC: Stopping VM\n';
  const events = parseWith(createJdk8Parser(), text);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(badOf(events), []);
  assert.deepEqual(collectorsOf(events), ['Shenandoah']);
});

test('JDK 8 Shenandoah: a cycle\'s phase table without the log\'s header is still Shenandoah\'s', () => {
  // garbagecat dataset191: "[Concurrent cleanup …, 0.048 ms]" then the per-cycle statistics (65 table and prose lines).
  const events = jdk8('shenandoah-jdk8-cycle-stats-no-header.txt');
  assert.deepEqual(unrecognisedOf(events).map((u) => `${u.line}: ${u.text}`), []);
  assert.deepEqual(collectorsOf(events), ['Shenandoah']);
  assert.deepEqual(pausesOf(events), [], 'the table rows "Pause Init Mark (G)  1096 us" are statistics, not pauses');
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.line, c.phase, c.durationMs, c.heap?.beforeBytes, c.heap?.afterBytes]),
    [[1, 'Concurrent cleanup', 0.048, 21278 * 1024, 4701 * 1024]],
  );
});

test('JDK 8u232 Shenandoah: heuristics lines at the start of a log are recognised', () => {
  // "Evacuation Reserve: 8M (4 regions), …" and "Immediate Garbage: 0M (0% of total), 0 regions".
  const events = jdk8('shenandoah-jdk8u232-beginning.txt');
  assert.deepEqual(unrecognisedOf(events).map((u) => `${u.line}: ${u.text}`), []);
  assert.deepEqual(collectorsOf(events), ['Shenandoah']);
  assert.deepEqual(pausesOf(events), [], 'the log ends inside the first cycle: only ", start]" markers');
  assert.deepEqual(regionSizes(events), [2048 * 1024]);
  assert.deepEqual(concurrentOf(events).map((c) => [c.line, c.phase, c.durationMs]), [[19, 'Concurrent reset', 0.401]]);
});

test('JDK 8u171 Shenandoah: set-up and heuristics lines, and a pause record the heuristics are printed into', async () => {
  const name = 'shenandoah-jdk8u171-beginning.txt';
  const events = jdk8(name);
  assert.deepEqual(unrecognisedOf(events).map((u) => `${u.line}: ${u.text}`), []);
  assert.deepEqual(collectorsOf(events), ['Shenandoah']);
  // Five "[Pause …, N ms]" records; the Final Mark spans lines 17-22 with the heuristics inside.
  assert.deepEqual(kinds(events), { 'init-mark': 2, 'final-mark': 1, 'init-update-refs': 1, 'final-update-refs': 1 });
  assert.equal(totalNs(events), 43_460_000 + 4_730_000 + 314_000 + 3_659_000 + 8_571_000);
  const finalMark = pausesOf(events).find((p) => p.kind === 'final-mark')!;
  assert.equal(finalMark.label, 'Pause Final Mark');
  assert.equal(finalMark.durationMs, 4.73);
  assert.deepEqual(finalMark.heap, { beforeBytes: 184 * 1024 ** 3, afterBytes: 181 * 1024 ** 3, capacityBytes: 256 * 1024 ** 3 });
  // The single-line pauses are what the simple counter sees.
  const simple = simpleCountJdk8(read(name));
  assert.deepEqual(simple.kinds, { 'init-mark': 2, 'init-update-refs': 1, 'final-update-refs': 1 });
  assert.equal(simple.totalNs + 4_730_000, totalNs(events));
  assert.deepEqual(regionSizes(events), [32 * 1024 * 1024]);
  assert.equal(concurrentOf(events).length, 6, '"[Concurrent marking …]", evacuation, update references, three resets');

  const summary = await analyzeGcLogs([{ kind: 'file', path: join(heldout, name) }]);
  assert.equal(summary.collector, 'Shenandoah');
  assert.equal(summary.pauses.count, 5);
  assert.equal(summary.unrecognisedLines, 0);
});

test('generational ZGC preview: "Minor Garbage Collection" is a ZGC cycle', () => {
  const name = 'zgc-generational-preview-cycle.txt';
  const events = unified(name);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(collectorsOf(events), ['ZGC']);
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.gcId, c.phase, c.durationMs, c.heap?.beforeBytes, c.heap?.afterBytes]),
    [[163, 'Minor Garbage Collection', 641, 42238 * 1024 ** 2, 16152 * 1024 ** 2]],
  );
  assert.equal(simpleCountUnified(read(name)).otherConcurrent, 1);
});

test('generational ZGC: the per-generation summaries alone tell the collector', async () => {
  // An excerpt of "Y: Young Generation …" / "O: Old Generation …" lines (gc,phases), as grep leaves them.
  const name = 'zgc-generational-generation-lines.txt';
  const events = unified(name);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(collectorsOf(events), ['ZGC']);
  assert.deepEqual(pausesOf(events), []);
  const summary = await analyzeGcLogs([{ kind: 'file', path: join(heldout, name) }]);
  assert.equal(summary.collector, 'ZGC');
  assert.equal(summary.pauses.count, 0);
});

test('JDK 11 on the console: the uncaught OutOfMemoryError between decorated lines is a failure', () => {
  // -Xlog:gc*:…:time,uptime,pid,tid,level,tags written to stdout with the program's own output.
  const name = 'serial-jdk11-console-oom.txt';
  const events = unified(name);
  const simple = simpleCountUnified(read(name));
  assert.deepEqual(kinds(events), { young: 7, full: 7 });
  assert.deepEqual(kinds(events), simple.kinds);
  assert.equal(totalNs(events), simple.totalNs);
  assert.deepEqual(collectorsOf(events), ['Serial']);
  assert.deepEqual(
    badOf(events).filter((b) => b.kind === 'out-of-memory').map((b) => [b.line, b.detail, b.time]),
    [[17, 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', { uptimeSec: 1.64, epochMs: Date.parse('2020-10-28T09:37:46.759+08:00') }]],
  );
  assert.equal(badOf(events).filter((b) => b.kind === 'full-gc').length, 7);
  // The program's own lines: its progress message and the exception's stack frames.
  assert.deepEqual(unrecognisedOf(events).map((u) => u.line), [3, 18, 19]);
});
