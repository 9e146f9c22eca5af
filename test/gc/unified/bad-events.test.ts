/**
 * Bad events, line by line: what each looks like in the log, and the event it must become (kind,
 * line, time, GC id, detail). Lines are copied from the fixtures (OpenJDK 17; copied, so that a
 * remade fixture leaves these tests alone) or, for JDK 20+ wording this JDK cannot produce, from
 * published logs (cited at each).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BadEvent, GcEvent } from '../../../src/gc/events.js';
import { badOf, parseUnified, pausesOf, unrecognisedOf } from './helpers.js';

const strip = (events: readonly GcEvent[]): Array<Omit<BadEvent, 'type'>> => badOf(events).map(({ type: _type, ...rest }) => rest);

test('G1 to-space exhausted (JDK 9-19: its own line under the collection)', () => {
  // g1-gcstar-pressure.txt
  const line = '[0.093s][info][gc          ] GC(9) To-space exhausted';
  assert.deepEqual(strip(parseUnified(line)), [{ time: { uptimeSec: 0.093 }, line: 1, gcId: 9, kind: 'to-space-exhausted', detail: 'To-space exhausted' }]);
});

test('G1 evacuation failure (JDK 20+: a group of the pause line), also with a decimal comma', () => {
  // JDK 20 wording, as in a published G1 log; JDK 21+ names the reason; the last line is the
  // example of Oracle's JDK 22 GC tuning guide (written under a comma locale).
  const lines = [
    '[0.052s][info][gc] GC(17) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure) 57M->47M(64M) 0.420ms',
    '[0.075s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure: Allocation) 36M->30M(46M) 1.922ms',
    '[0.078s][info][gc] GC(8) Pause Young (Concurrent Start) (G1 Evacuation Pause) (Evacuation Failure: Allocation) 40M->40M(46M) 1.845ms',
    '[12.785s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure: Pinned) 209M->13M(4096M) 46.482ms',
    '[9,740s][info ][gc] GC(26) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure: Allocation/Pinned) 2159M->402M(3000M) 6,108ms',
  ];
  const events = parseUnified(lines.join('\n'));
  assert.deepEqual(unrecognisedOf(events), []);
  // The failure stays in the label (the log's words); the cause is the G1 one.
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.label, p.cause, p.durationMs, p.heap?.afterBytes]),
    [
      ['young', 'Pause Young (Normal) (Evacuation Failure)', 'G1 Evacuation Pause', 0.42, 47 * 1024 ** 2],
      ['young', 'Pause Young (Normal) (Evacuation Failure: Allocation)', 'G1 Evacuation Pause', 1.922, 30 * 1024 ** 2],
      ['young', 'Pause Young (Concurrent Start) (Evacuation Failure: Allocation)', 'G1 Evacuation Pause', 1.845, 40 * 1024 ** 2],
      ['young', 'Pause Young (Normal) (Evacuation Failure: Pinned)', 'G1 Evacuation Pause', 46.482, 13 * 1024 ** 2],
      ['young', 'Pause Young (Normal) (Evacuation Failure: Allocation/Pinned)', 'G1 Evacuation Pause', 6.108, 402 * 1024 ** 2],
    ],
  );
  assert.deepEqual(
    badOf(events).map((b) => [b.kind, b.line, b.gcId, b.time.uptimeSec]),
    [
      ['evacuation-failure', 1, 17, 0.052],
      ['evacuation-failure', 2, 7, 0.075],
      ['evacuation-failure', 3, 8, 0.078],
      ['evacuation-failure', 4, 0, 12.785],
      ['evacuation-failure', 5, 26, 9.74],
    ],
  );
});

test('G1 Full GC and humongous allocation come with their pause', () => {
  // g1-gcstar-pressure.txt, g1-gc-default.txt
  const full = '[0.128s][info][gc             ] GC(35) Pause Full (G1 Compaction Pause) 15M->14M(20M) 1.819ms';
  assert.deepEqual(strip(parseUnified(full)), [
    { time: { uptimeSec: 0.128 }, line: 1, gcId: 35, kind: 'full-gc', detail: 'Pause Full (G1 Compaction Pause)' },
  ]);
  assert.deepEqual(pausesOf(parseUnified(full))[0]!.heap, { beforeBytes: 15 * 1024 ** 2, afterBytes: 14 * 1024 ** 2, capacityBytes: 20 * 1024 ** 2 });
  const humongous = '[0.214s][info][gc] GC(12) Pause Young (Concurrent Start) (G1 Humongous Allocation) 31M->29M(64M) 0.976ms';
  assert.deepEqual(strip(parseUnified(humongous)), [
    { time: { uptimeSec: 0.214 }, line: 1, gcId: 12, kind: 'humongous-allocation', detail: 'Pause Young (Concurrent Start) (G1 Humongous Allocation)' },
  ]);
});

test('ZGC allocation stall (no GC id: the thread waited, whatever cycle ran)', () => {
  // zgc-gc-stalls.txt
  const line = '[0.102s][info][gc] Allocation Stall (main) 4.998ms';
  assert.deepEqual(strip(parseUnified(line)), [{ time: { uptimeSec: 0.102 }, line: 1, kind: 'allocation-stall', detail: 'Allocation Stall (main) 4.998ms' }]);
});

test('Shenandoah: a cycle cancelled by allocation failure, then the degenerated pause', () => {
  // shenandoah-gc-pressure.txt
  const text = '[0.769s][info][gc] Cancelling GC: Allocation Failure\n[0.776s][info][gc] GC(6) Pause Degenerated GC (Outside of Cycle) 29M->8M(32M) 2.755ms';
  const events = parseUnified(text);
  assert.deepEqual(strip(events), [
    { time: { uptimeSec: 0.769 }, line: 1, kind: 'concurrent-mode-failure', detail: 'Cancelling GC: Allocation Failure' },
    { time: { uptimeSec: 0.776 }, line: 2, gcId: 6, kind: 'degenerated-gc', detail: 'Pause Degenerated GC (Outside of Cycle)' },
  ]);
  assert.deepEqual(pausesOf(events).map((p) => [p.kind, p.label, p.cause, p.durationMs]), [['degenerated', 'Pause Degenerated GC (Outside of Cycle)', undefined, 2.755]]);
  // A cancellation for another reason is no failure.
  assert.deepEqual(badOf(parseUnified('[1,474s][info][gc                ] Cancelling concurrent GC: System.gc()')), []);
});
