/**
 * The collector of a log that lost its "Using …" line (every file of a rotated set but the first,
 * an excerpt): every real log here, its "Using" line removed, must still name its collector from
 * wording only that collector writes, and read the same pauses and cycles as with it. Serial's
 * -Xlog:gc lines are word for word Parallel's, so those logs name none rather than guess.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { collectorsOf, concurrentOf, fixtures, parseUnified, pauseKinds, pausesOf, root } from './helpers.js';

const USING = /\bUsing (G1|Parallel|Serial|The Z Garbage Collector|Shenandoah|Concurrent Mark Sweep)\s*$/;
const NAMES: Readonly<Record<string, string>> = {
  G1: 'G1',
  Parallel: 'Parallel',
  Serial: 'Serial',
  'The Z Garbage Collector': 'ZGC',
  Shenandoah: 'Shenandoah',
  'Concurrent Mark Sweep': 'CMS',
};

/** -Xlog:gc of the Serial collector: "Pause Young (Allocation Failure)", "Pause Full (…)", as Parallel writes them. */
const INDISTINGUISHABLE = new Set(['serial-gc-uptimenanos.txt', 'sample-ujl-serial-gc-defaults.txt']);

const samples = join(root, '..', 'shared', 'gc-samples', 'unified');
const logs = [
  ...readdirSync(fixtures).filter((f) => f.includes('.txt')).map((f) => join(fixtures, f)),
  ...(existsSync(samples) ? readdirSync(samples).filter((f) => f.endsWith('.txt')).map((f) => join(samples, f)) : []),
];

for (const path of logs) {
  const name = basename(path);
  const lines = readFileSync(path, 'latin1').split('\n');
  const announced = lines.map((l) => USING.exec(l)?.[1]).find((c) => c !== undefined);
  // Logs without a "Using" line already are headless: the fixture and sample tests cover them.
  if (announced === undefined) continue;
  test(`collector without "Using": ${name}`, () => {
    const headless = lines.filter((l) => !USING.test(l)).join('\n');
    const withHeader = parseUnified(lines.join('\n'));
    const without = parseUnified(headless);
    assert.deepEqual(collectorsOf(without), INDISTINGUISHABLE.has(name) ? [] : [NAMES[announced]]);
    assert.deepEqual(pauseKinds(without), pauseKinds(withHeader), 'the same pauses');
    assert.equal(pausesOf(without).length, pausesOf(withHeader).length);
    assert.equal(concurrentOf(without).length, concurrentOf(withHeader).length, 'the same concurrent cycles');
  });
}

test('collector wording, line by line (lines from real JDK 11 / 17 logs)', () => {
  const cases: ReadonlyArray<readonly [string, string | undefined]> = [
    ['[0.321s][info][gc            ] GC(12) To-space exhausted', 'G1'],
    ['[0.081s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(64M) 4.030ms', 'G1'],
    ['[0.220s][info][gc] GC(13) Pause Cleanup 30M->30M(64M) 0.016ms', 'G1'],
    ['[0.222s][info][gc] GC(13) Concurrent Mark Cycle 8.010ms', 'G1'],
    ['[0.321s][info][gc,heap       ] GC(12) Eden regions: 1->0(1)', 'G1'],
    ['[0.228s][info][gc] GC(2) Pause Full (Ergonomics) 62M->61M(123M) 13.765ms', 'Parallel'],
    ['[0.057s][info][gc,heap     ] GC(0) PSYoungGen: 16384K(18944K)->1328K(18944K) Eden: 16384K(16384K)->0K(16384K) From: 0K(2560K)->1328K(2560K)', 'Parallel'],
    ['[0.058s][info][gc,heap     ] GC(0) DefNew: 17472K(19648K)->1349K(19648K) Eden: 17472K(17472K)->0K(17472K) From: 0K(2176K)->1349K(2176K)', 'Serial'],
    ['[0.058s][info][gc,heap     ] GC(0) Tenured: 0K(43712K)->0K(43712K)', 'Serial'],
    ['[0.714s][info][gc] GC(18) Concurrent Abortable Preclean 16.163ms', 'CMS'],
    ['[0.715s][info][gc] GC(18) Concurrent Sweep 1.111ms', 'CMS'],
    ['[1,474s][info][gc                ] Cancelling concurrent GC: System.gc()', 'Shenandoah'],
    ['[0.901s][info][gc           ] GC(0) Concurrent reset 0.674ms', 'Shenandoah'],
    ['[0.776s][info][gc] GC(6) Pause Degenerated GC (Outside of Cycle) 29M->8M(32M) 2.755ms', 'Shenandoah'],
    ['[0.102s][info][gc] Allocation Stall (main) 4.998ms', 'ZGC'],
    ['[0.103s][info][gc] GC(0) Garbage Collection (Allocation Stall) 32M(100%)->16M(50%)', 'ZGC'],
    ['[200.344s][info][gc,phases   ] GC(25) Pause Mark Start 0.008ms', 'ZGC'],
    // Every collector but Serial and Parallel's own words.
    ['[0.203s][info][gc] GC(0) Pause Young (Allocation Failure) 32M->29M(123M) 6.868ms', undefined],
    ['[0.799s][info][gc] GC(22) Pause Full (Allocation Failure) 125M->31M(150M) 9.775ms', undefined],
    ['[0.697s][info][gc] GC(18) Concurrent Mark 2.299ms', undefined],
    ['[0.058s][info][gc,metaspace] GC(0) Metaspace: 134K(320K)->134K(320K) NonClass: 129K(192K)->129K(192K) Class: 4K(128K)->4K(128K)', undefined],
  ];
  for (const [line, collector] of cases) assert.deepEqual(collectorsOf(parseUnified(line)), collector === undefined ? [] : [collector], line);
});

test('"Using" after inferred wording does not tell the collector twice', () => {
  const text = ['[0.1s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(64M) 4.030ms', '[0.2s][info][gc] Using G1'].join('\n');
  assert.deepEqual(collectorsOf(parseUnified(text)), ['G1']);
});
