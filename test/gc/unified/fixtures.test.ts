/**
 * Every real-JVM fixture of test/fixtures/gc/unified (OpenJDK 17, made by
 * test/fixtures/gc/java/make-unified-fixtures.sh; one JDK 21 excerpt, see that folder's README):
 * the parser must find exactly the pauses, bad events, concurrent cycles and clocks that the simple
 * counter (simple-counter.ts) reads from the text, and each fixture must show what it was made for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PauseEvent } from '../../../src/gc/events.js';
import {
  badKinds,
  badOf,
  collectorsOf,
  concurrentOf,
  parseUnified,
  pauseKinds,
  pausesOf,
  readFixture,
  totalPauseNs,
  unrecognisedOf,
} from './helpers.js';
import { decorationClock, heapToken, simpleCount } from './simple-counter.js';

type Clock = 'uptime' | 'epoch' | 'both' | 'none';

interface Fixture {
  readonly file: string;
  readonly collector: string;
  /** Which clocks the decorations give. */
  readonly clock: Clock;
  /** Pause kinds and bad events the fixture was made to contain (each must occur). */
  readonly kinds: readonly string[];
  readonly bad: readonly string[];
}

const FIXTURES: readonly Fixture[] = [
  { file: 'g1-gc-default.txt', collector: 'G1', clock: 'uptime', kinds: ['young', 'mixed', 'remark', 'cleanup', 'full'], bad: ['to-space-exhausted', 'humongous-allocation', 'full-gc'] },
  { file: 'g1-gc-none.txt', collector: 'G1', clock: 'none', kinds: ['young', 'mixed', 'full'], bad: ['to-space-exhausted'] },
  { file: 'g1-gc-uptimemillis-pid-tid.txt', collector: 'G1', clock: 'uptime', kinds: ['young', 'mixed', 'full'], bad: ['to-space-exhausted'] },
  { file: 'g1-gc-utctime.txt', collector: 'G1', clock: 'epoch', kinds: ['young', 'mixed', 'full'], bad: ['full-gc'] },
  { file: 'g1-gc-all-decorators.txt', collector: 'G1', clock: 'both', kinds: ['young', 'remark', 'cleanup'], bad: ['humongous-allocation'] },
  { file: 'g1-gcstar-time-uptime-level-tags.txt', collector: 'G1', clock: 'both', kinds: ['young', 'mixed', 'full'], bad: ['humongous-allocation'] },
  { file: 'g1-gcstar-debug.txt', collector: 'G1', clock: 'uptime', kinds: ['young'], bad: [] },
  { file: 'g1-gcstar-pressure.txt', collector: 'G1', clock: 'uptime', kinds: ['young', 'mixed', 'full'], bad: ['to-space-exhausted', 'full-gc'] },
  { file: 'g1-gcstar-pressure.txt.0', collector: 'G1', clock: 'uptime', kinds: ['young', 'mixed'], bad: ['to-space-exhausted'] },
  { file: 'parallel-gcstar.txt', collector: 'Parallel', clock: 'uptime', kinds: ['young', 'full'], bad: ['full-gc'] },
  { file: 'parallel-gcstar-level-tags.txt', collector: 'Parallel', clock: 'none', kinds: ['young', 'full'], bad: ['full-gc'] },
  { file: 'parallel-gcstar-debug.txt', collector: 'Parallel', clock: 'uptime', kinds: ['young', 'full'], bad: ['full-gc'] },
  { file: 'serial-gcstar.txt', collector: 'Serial', clock: 'uptime', kinds: ['young', 'full'], bad: ['full-gc'] },
  { file: 'serial-gc-uptimenanos.txt', collector: 'Serial', clock: 'uptime', kinds: ['young', 'full'], bad: ['full-gc'] },
  { file: 'zgc-gcstar.txt', collector: 'ZGC', clock: 'uptime', kinds: ['mark-start', 'mark-end', 'relocate-start'], bad: ['allocation-stall'] },
  { file: 'zgc-gc-stalls.txt', collector: 'ZGC', clock: 'uptime', kinds: [], bad: ['allocation-stall'] },
  { file: 'zgc-gc-phases-time-pid-tid.txt', collector: 'ZGC', clock: 'epoch', kinds: ['mark-start', 'mark-end', 'relocate-start'], bad: ['allocation-stall'] },
  { file: 'zgc-generational-jdk21.txt', collector: 'ZGC', clock: 'epoch', kinds: ['mark-start', 'mark-end', 'relocate-start'], bad: [] },
  { file: 'shenandoah-gcstar.txt', collector: 'Shenandoah', clock: 'uptime', kinds: ['init-mark', 'final-mark', 'init-update-refs', 'final-update-refs', 'full'], bad: ['full-gc'] },
  { file: 'shenandoah-gc-pressure.txt', collector: 'Shenandoah', clock: 'uptime', kinds: ['init-mark', 'final-mark', 'final-roots', 'degenerated'], bad: ['degenerated-gc', 'concurrent-mode-failure'] },
];

/** The names "Using …" gives, as the events name them. */
const ANNOUNCED: Readonly<Record<string, string>> = {
  G1: 'G1',
  Parallel: 'Parallel',
  Serial: 'Serial',
  'The Z Garbage Collector': 'ZGC',
  Shenandoah: 'Shenandoah',
};

function clockOf(time: PauseEvent['time']): Clock {
  if (time.uptimeSec !== undefined) return time.epochMs !== undefined ? 'both' : 'uptime';
  return time.epochMs !== undefined ? 'epoch' : 'none';
}

for (const fixture of FIXTURES) {
  test(`unified fixture ${fixture.file}`, () => {
    const text = readFixture(fixture.file);
    const lines = text.split('\n');
    const expected = simpleCount(text);
    const events = parseUnified(text);

    assert.deepEqual(unrecognisedOf(events).map((u) => `${u.line}: ${u.text}`), [], 'every line is understood');
    const collectors = collectorsOf(events);
    assert.equal(collectors[0], fixture.collector, 'collector');
    assert.equal(collectors.length, 1, 'one collector, told once');
    if (expected.using !== undefined) assert.equal(ANNOUNCED[expected.using], fixture.collector, 'the "Using" line agrees');

    const pauses = pausesOf(events);
    assert.deepEqual(pauses.map((p) => p.line), expected.pauses.map((p) => p.line), 'a pause event for every pause line, and no other');
    assert.deepEqual(pauseKinds(events), expected.kinds, 'pauses per kind');
    assert.equal(totalPauseNs(events), expected.totalNs, 'total pause time (ns)');
    for (const kind of fixture.kinds) assert.ok((expected.kinds[kind] ?? 0) > 0, `the fixture has ${kind} pauses`);

    assert.deepEqual(badKinds(events), expected.bad, 'bad events');
    for (const [kind, lineNumbers] of Object.entries(expected.badLines)) {
      assert.deepEqual(badOf(events).filter((b) => b.kind === kind).map((b) => b.line), lineNumbers, `${kind} lines`);
    }
    for (const kind of fixture.bad) assert.ok((expected.bad[kind] ?? 0) > 0, `the fixture has ${kind}`);

    const concurrent = concurrentOf(events).length;
    assert.equal(concurrent, fixture.collector === 'G1' ? expected.g1Cycles : expected.otherConcurrent, 'concurrent cycles / phases');

    pauses.forEach((pause, i) => {
      const line = expected.pauses[i]!;
      const where = `line ${pause.line}`;
      assert.equal(Math.round(pause.durationMs * 1e6), line.ns, `${where}: duration`);
      assert.deepEqual(pause.heap, line.heap === undefined ? undefined : heapToken(line.heap), `${where}: heap before/after/capacity`);
      assert.ok(line.words.startsWith(pause.label.replace(/^[YyO]: /, '').slice('Pause '.length)), `${where}: label "${pause.label}" from "${line.words}"`);
      if (pause.cause !== undefined) assert.ok(line.words.includes(`(${pause.cause})`), `${where}: cause`);
      const gcId = /GC\((\d+)\)/.exec(lines[pause.line - 1]!)![1];
      assert.equal(pause.gcId, Number(gcId), `${where}: GC id`);
      assert.equal(clockOf(pause.time), fixture.clock, `${where}: clocks`);
      assert.deepEqual(pause.time, decorationClock(lines[pause.line - 1]!), `${where}: time`);
    });
  });
}

test('G1 -Xlog:gc* region lines give each pause its eden / survivor / old / humongous bytes', () => {
  const text = readFixture('g1-gcstar-time-uptime-level-tags.txt');
  const regionBytes = Number(/Heap Region Size: (\d+)M/.exec(text)![1]) * 1024 * 1024;
  const events = parseUnified(text);
  let checked = 0;
  for (const pause of pausesOf(events)) {
    for (const [name, key] of [['Eden', 'eden'], ['Survivor', 'survivor'], ['Old', 'old'], ['Humongous', 'humongous']] as const) {
      const m = new RegExp(`GC\\(${pause.gcId}\\) ${name} regions: (\\d+)->(\\d+)(?:\\((\\d+)\\))?`).exec(text);
      if (m === null) continue;
      const expected = m[3] === undefined
        ? { beforeBytes: Number(m[1]) * regionBytes, afterBytes: Number(m[2]) * regionBytes }
        : { beforeBytes: Number(m[1]) * regionBytes, afterBytes: Number(m[2]) * regionBytes, capacityBytes: Number(m[3]) * regionBytes };
      assert.deepEqual(pause.regions?.[key], expected, `GC(${pause.gcId}) ${name}`);
      checked++;
    }
  }
  assert.ok(checked >= 4 * 20, `region lines checked: ${checked}`);
});

test('Parallel -Xlog:gc* generation lines give each pause its young / old / metaspace bytes', () => {
  const text = readFixture('parallel-gcstar.txt');
  const events = parseUnified(text);
  const K = 1024;
  let checked = 0;
  for (const pause of pausesOf(events)) {
    // JDK 17: "PSYoungGen: 16384K(18944K)->1328K(18944K)", committed sizes on both sides.
    for (const [name, key] of [['PSYoungGen', 'young'], ['ParOldGen', 'old'], ['Metaspace', 'metaspace']] as const) {
      const m = new RegExp(`GC\\(${pause.gcId}\\) (?:.* )?${name}: (\\d+)K\\(\\d+K\\)->(\\d+)K\\((\\d+)K\\)`).exec(text);
      assert.ok(m !== null, `GC(${pause.gcId}) has a ${name} line`);
      assert.deepEqual(pause.regions?.[key], { beforeBytes: Number(m[1]) * K, afterBytes: Number(m[2]) * K, capacityBytes: Number(m[3]) * K }, `GC(${pause.gcId}) ${name}`);
      checked++;
    }
  }
  assert.ok(checked > 100);
});

test('generational ZGC (JDK 21 excerpt): every generation pause, cycles with their duration, collector from the wording', () => {
  const events = parseUnified(readFixture('zgc-generational-jdk21.txt'));
  // Figures as the excerpt states them (a fixed, third-party text: see the fixtures README).
  assert.deepEqual(
    pausesOf(events).map((p) => [p.line, p.gcId, p.label, p.kind, p.durationMs, p.time.epochMs]),
    [
      [3, 1, 'Y: Pause Mark Start (Major)', 'mark-start', 0.023, Date.parse('2025-02-11T13:06:19.476-08:00')],
      [5, 1, 'Y: Pause Mark End', 'mark-end', 0.016, Date.parse('2025-02-11T13:06:19.534-08:00')],
      [10, 1, 'Y: Pause Relocate Start', 'relocate-start', 0.008, Date.parse('2025-02-11T13:06:19.538-08:00')],
      [47, 1, 'O: Pause Mark End', 'mark-end', 0.017, Date.parse('2025-02-11T13:06:19.553-08:00')],
      [53, 1, 'O: Pause Relocate Start', 'relocate-start', 0.013, Date.parse('2025-02-11T13:06:19.580-08:00')],
      [91, 7, 'y: Pause Mark Start', 'mark-start', 0.025, Date.parse('2025-02-11T13:07:12.566-08:00')],
      [93, 7, 'y: Pause Mark End', 'mark-end', 0.022, Date.parse('2025-02-11T13:07:13.042-08:00')],
      [98, 7, 'y: Pause Relocate Start', 'relocate-start', 0.017, Date.parse('2025-02-11T13:07:13.057-08:00')],
    ],
  );
  // Only the whole cycles: the per-generation phases nest inside them.
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.line, c.phase, c.durationMs]),
    [
      [88, 'Major Collection', 105],
      [134, 'Minor Collection', 689],
    ],
  );
  assert.deepEqual(collectorsOf(events), ['ZGC']);
});
