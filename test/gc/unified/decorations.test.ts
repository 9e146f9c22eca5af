/**
 * One G1 pause line (JDK 17's wording) under every decorator the JVM has, alone, in the
 * combinations -Xlog users pick, and in orders the JVM never writes: it must always parse to the
 * same event, with the clocks the decorators state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogTime, PauseEvent } from '../../../src/gc/events.js';
import { looksLikeUnifiedLine } from '../../../src/gc/unified/index.js';
import { collectorsOf, parseUnified, pausesOf, unrecognisedOf } from './helpers.js';

const MESSAGE = 'GC(12) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms';

/** 2024-03-01T10:15:30.123+01:00, the moment all wall-clock decorators below state. */
const EPOCH_MS = Date.UTC(2024, 2, 1, 9, 15, 30, 123);

/** Decorator values for one moment, 12.345 s after JVM start, as the JVM prints them. */
const DECORATORS = {
  time: '2024-03-01T10:15:30.123+0100',
  utctime: '2024-03-01T09:15:30.123+0000',
  uptime: '12.345s',
  timemillis: `${EPOCH_MS}ms`,
  uptimemillis: '12345ms',
  timenanos: '987654321012345ns',
  uptimenanos: '12345000000ns',
  hostname: 'taskmanager-7f9c',
  pid: '24108',
  tid: '24115',
  level: 'info ',
  tags: 'gc          ',
} as const;

type Decorator = keyof typeof DECORATORS;

/** What each decorator says about the time, in the event's terms. */
const CLOCK: Readonly<Partial<Record<Decorator, LogTime>>> = {
  time: { epochMs: EPOCH_MS },
  utctime: { epochMs: EPOCH_MS },
  uptime: { uptimeSec: 12.345 },
  timemillis: { epochMs: EPOCH_MS },
  uptimemillis: { uptimeSec: 12.345 },
  uptimenanos: { uptimeSec: 12.345 },
};

const decorate = (decorators: readonly Decorator[]): string => `${decorators.map((d) => `[${DECORATORS[d]}]`).join('')} ${MESSAGE}`;

function expectedTime(decorators: readonly Decorator[]): LogTime {
  const time: { uptimeSec?: number; epochMs?: number } = {};
  for (const d of decorators) Object.assign(time, CLOCK[d]);
  return time;
}

const COMBINATIONS: ReadonlyArray<readonly Decorator[]> = [
  // Each decorator alone (timenanos has its own test: its origin is arbitrary).
  ...(Object.keys(DECORATORS) as Decorator[]).filter((d) => d !== 'timenanos').map((d) => [d]),
  // The JVM's default, and what people write.
  ['uptime', 'level', 'tags'],
  ['time', 'uptime', 'level', 'tags'],
  ['utctime', 'level', 'tags'],
  ['time', 'level', 'tags'],
  ['level', 'tags'],
  ['uptimemillis', 'pid', 'tid'],
  ['time', 'uptime', 'pid', 'tid', 'level', 'tags'],
  ['uptimenanos', 'hostname', 'tags'],
  ['timemillis', 'uptimemillis'],
  ['time', 'utctime', 'uptime', 'timemillis', 'uptimemillis', 'timenanos', 'uptimenanos', 'hostname', 'pid', 'tid', 'level', 'tags'],
  // Orders the JVM never writes.
  ['tags', 'level', 'uptime'],
  ['level', 'uptime', 'time'],
  ['tid', 'pid', 'uptimemillis', 'utctime'],
  ['hostname', 'uptimenanos', 'level'],
  ['uptimemillis', 'timemillis', 'tags'],
];

function theOnePause(text: string): PauseEvent {
  const events = parseUnified(text);
  assert.deepEqual(unrecognisedOf(events), []);
  const pauses = pausesOf(events);
  assert.equal(pauses.length, 1);
  return pauses[0]!;
}

for (const decorators of COMBINATIONS) {
  test(`decorations [${decorators.join('][')}]`, () => {
    const line = decorate(decorators);
    assert.ok(looksLikeUnifiedLine(line), 'detected as unified logging');
    const pause = theOnePause(line);
    assert.deepEqual(pause, {
      type: 'pause',
      time: expectedTime(decorators),
      line: 1,
      kind: 'young',
      label: 'Pause Young (Normal)',
      cause: 'G1 Evacuation Pause',
      durationMs: 3.456,
      gcId: 12,
      heap: { beforeBytes: 24 * 1024 * 1024, afterBytes: 4 * 1024 * 1024, capacityBytes: 256 * 1024 * 1024 },
    });
  });
}

test('no decorations at all (-Xlog:gc:file:none): the message alone, no time', () => {
  const text = `Using G1\n${MESSAGE}\n`;
  assert.ok(looksLikeUnifiedLine('Using G1'));
  assert.ok(looksLikeUnifiedLine(MESSAGE));
  assert.deepEqual(theOnePause(text).time, {});
  assert.equal(theOnePause(text).line, 2);
});

test('wall-clock time in other zones and with a decimal comma (JDK 9-11 under a comma locale)', () => {
  assert.deepEqual(theOnePause(`[2024-03-01T01:15:30.123-0800][info][gc] ${MESSAGE}`).time, { epochMs: EPOCH_MS });
  assert.deepEqual(theOnePause(`[2024-03-01T14:45:30.123+0530][info][gc] ${MESSAGE}`).time, { epochMs: EPOCH_MS });
  // GCViewer's SampleShenandoahSingleSystemGC.txt: "[1,481s][info][gc ] GC(0) Pause Full (System.gc()) 10M->1M(128M) 6,572ms"
  const pause = theOnePause('[1,481s][info][gc                ] GC(0) Pause Full (System.gc()) 10M->1M(128M) 6,572ms');
  assert.deepEqual([pause.time, pause.durationMs, pause.kind, pause.cause], [{ uptimeSec: 1.481 }, 6.572, 'full', 'System.gc()']);
});

test('timenanos alone: a monotonic clock of arbitrary origin, kept as seconds so differences are right', () => {
  const events = parseUnified(`[1000000000ns] ${MESSAGE}\n[1250500000ns] ${MESSAGE.replace('GC(12)', 'GC(13)')}\n`);
  const [a, b] = pausesOf(events);
  assert.equal(Math.round((b!.time.uptimeSec! - a!.time.uptimeSec!) * 1e9), 250_500_000);
});

test('a host name that starts with a digit (a container id) is a decorator, not a broken line', () => {
  const line = `[2024-03-01T10:15:30.123+0100][12.345s][3f2a1b9c0d4e][24108][24115][info][gc] ${MESSAGE}`;
  assert.ok(looksLikeUnifiedLine(line));
  assert.deepEqual(theOnePause(line).time, { uptimeSec: 12.345, epochMs: EPOCH_MS });
  assert.deepEqual(theOnePause(`[12.345s][7cores][gc] ${MESSAGE}`).time, { uptimeSec: 12.345 });
});

test('JDK 8 lines that start with a bracket are not unified logging', () => {
  for (const line of [
    '[GC (Allocation Failure) [PSYoungGen: 33280K->5088K(38400K)] 33280K->8928K(125952K), 0.0100 secs] [Times: user=0.02 sys=0.00, real=0.01 secs]',
    '[Full GC (System.gc()) [PSYoungGen: 5088K->0K(38400K)] [ParOldGen: 3840K->8500K(87552K)] 8928K->8500K(125952K), 0.0150 secs]',
    '[1 CMS-initial-mark: 10812086K(11901376K)] 10887844K(12514816K), 0.0001997 secs]',
    '[Times: user=0.02 sys=0.00, real=0.01 secs]',
    '[GC pause (G1 Evacuation Pause) (young), 0.0034220 secs]',
  ]) {
    assert.equal(looksLikeUnifiedLine(line), false, line);
  }
});

test('a pause of a tag set that is not GC (safepoint) and its undecorated continuation lines count for nothing', () => {
  const text = [
    '[0.1s][info][gc] Using G1',
    '[0.2s][info][safepoint] Pause Young-looking text 1.000ms',
    '[0.3s][info][exceptions] Exception <a java.lang.OutOfMemoryError> thrown in 1.0ms',
    ' thrown in interpreter method <{method} ...>',
    '    at bci 32 for thread 0x00007f93e0014000',
    `[0.4s][info][gc] ${MESSAGE}`,
  ].join('\n');
  const events = parseUnified(text);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(pausesOf(events).map((p) => p.line), [6]);
  assert.deepEqual(collectorsOf(events), ['G1']);
  assert.deepEqual(events.filter((e) => e.type === 'bad'), []);
});

test('a debug / trace message that goes on over an undecorated line is one message, an info one is not', () => {
  // OpenJDK 17, -Xmx32m '-Xlog:gc*=trace:file=…' GcWorkload 30 8 gc: G1's worker policy prints a newline.
  const trace = [
    '[0.038s][info ][gc,start             ] GC(0) Pause Young (Normal) (G1 Evacuation Pause)',
    '[0.038s][trace][gc,task              ] GC(0) WorkerPolicy::calc_default_active_workers() : active_workers(): 1  new_active_workers: 2  prev_active_workers: 1',
    ' active_workers_by_JT: 2  active_workers_by_heap_size: 2',
    '[0.039s][trace][gc,task              ] GC(0) WorkerManager::add_workers() : created_workers: 2',
  ];
  assert.deepEqual(unrecognisedOf(parseUnified(trace.join('\n'))), []);
  const info = [trace[0], 'an undecorated line after an info message'].join('\n');
  assert.deepEqual(unrecognisedOf(parseUnified(info)).map((u) => u.line), [2]);
});

test('cut or damaged lines are counted as unrecognised, never as pauses', () => {
  const text = [
    '[0.1s][info][gc] Using G1',
    // A pause cut after its heap figures (the JVM died mid-write).
    '[0.2s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M)',
    // A line cut inside its decorations.
    '[0.3s][in',
    // Text after the decorations that no JVM wrote.
    'garbage between lines',
    `[0.4s][info][gc] ${MESSAGE}`,
  ].join('\r\n');
  const events = parseUnified(text);
  assert.deepEqual(unrecognisedOf(events).map((u) => u.line), [2, 3, 4]);
  assert.deepEqual(pausesOf(events).map((p) => [p.line, p.durationMs]), [[5, 3.456]]);
});
