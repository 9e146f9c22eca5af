/**
 * The JDK 8 parser on excerpts with figures read off the log text. Excerpts are real log lines
 * unless a comment says they are hand-made (written to the format where the samples lack a case).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectorEvent, GcEvent, HeapConfigEvent } from '../../../src/gc/events.js';
import { badOf, concurrentOf, parseJdk8, pauseKinds, pausesOf, unrecognisedOf } from './helpers.js';

const K = (n: number): number => n * 1024;
const M = (n: number): number => Math.round(n * 1024 * 1024);
const G = (n: number): number => Math.round(n * 1024 * 1024 * 1024);

const collectors = (events: readonly GcEvent[]): string[] => events.filter((e): e is CollectorEvent => e.type === 'collector').map((e) => e.collector);

test('date and uptime stamps, decimal commas, negative offsets, no stamps at all', () => {
  const events = parseJdk8(
    [
      '2014-07-24T13:49:45.090+0400: 12.345: [GC (Allocation Failure) [PSYoungGen: 65536K->10746K(76288K)] 65536K->17546K(251392K), 0.0263911 secs] [Times: user=0.08 sys=0.02, real=0.03 secs]',
      '2012-02-24T03:44:05.111-0800: [GC (Allocation Failure) [PSYoungGen: 76282K->10720K(141824K)] 83082K->24100K(316928K), 0.0245340 secs] [Times: user=0.09 sys=0.04, real=0.03 secs]',
      '366,174: [GC (Allocation Failure) [PSYoungGen: 141792K->10720K(141824K)] 155172K->39131K(316928K), 0,0439634 secs] [Times: user=0,22 sys=0,05, real=0,05 secs]',
      '[GC (Allocation Failure) [PSYoungGen: 141792K->10720K(272896K)] 170203K->44860K(448000K), 0.0335653 secs] [Times: user=0.14 sys=0.03, real=0.03 secs]',
    ].join('\n'),
  );
  const pauses = pausesOf(events);
  assert.deepEqual(
    pauses.map((p) => p.time),
    [{ uptimeSec: 12.345, epochMs: Date.UTC(2014, 6, 24, 9, 49, 45, 90) }, { epochMs: Date.UTC(2012, 1, 24, 11, 44, 5, 111) }, { uptimeSec: 366.174 }, {}],
  );
  assert.deepEqual(
    pauses.map((p) => p.durationMs),
    [26.3911, 24.534, 43.9634, 33.5653],
  );
  assert.deepEqual(
    pauses.map((p) => p.line),
    [1, 2, 3, 4],
  );
});

test('a date stamp with a letter among its digits is no stamp: the pause keeps its uptime', () => {
  // Hand-made: the first line of the stamps test with one digit of the month damaged.
  const events = parseJdk8(
    '2014-0x-24T13:49:45.090+0400: 12.345: [GC (Allocation Failure) [PSYoungGen: 65536K->10746K(76288K)] 65536K->17546K(251392K), 0.0263911 secs] [Times: user=0.08 sys=0.02, real=0.03 secs]',
  );
  assert.deepEqual(
    pausesOf(events).map((p) => [p.time, p.durationMs]),
    [[{ uptimeSec: 12.345 }, 26.3911]],
  );
});

test('heap sizes in B, K, M and G, with decimals and decimal commas', () => {
  const events = parseJdk8(
    [
      // Real lines (SampleSun1_7_0G1_PauseWithComma, SampleSun1_7_0_40PrintGCCause).
      '2014-03-01T00:01:27.461+0100: 0,0165: [GC pause (young), 0,0665670 secs]',
      '   [Eden: 514,0M(514,0M)->0,0B(573,0M) Survivors: 74,0M->15,0M Heap: 4985,5M(11,5G)->4491,0M(11,5G)]',
      ' [Times: user=0,89 sys=0,01, real=0,07 secs]',
      '2013-05-22T20:43:54.027+0000: 4.438: [GC pause (G1 Evacuation Pause) (young), 0.0208940 secs]',
      '   [Eden: 32.0M(32.0M)->0.0B(32.0M) Survivors: 0.0B->32.0M Heap: 32.0M(88.0G)->7136.4K(88.0G)]',
      ' [Times: user=0.07 sys=0.02, real=0.02 secs] ',
    ].join('\n'),
  );
  const [first, second] = pausesOf(events);
  assert.deepEqual(first?.heap, { beforeBytes: M(4985.5), afterBytes: M(4491), capacityBytes: G(11.5) });
  assert.deepEqual(first?.regions, {
    eden: { beforeBytes: M(514), afterBytes: 0, capacityBytes: M(573) },
    survivor: { beforeBytes: M(74), afterBytes: M(15) },
    young: { beforeBytes: M(514 + 74), afterBytes: M(15) },
  });
  assert.deepEqual(second?.heap, { beforeBytes: M(32), afterBytes: Math.round(7136.4 * 1024), capacityBytes: G(88) });
  assert.equal(second?.cause, 'G1 Evacuation Pause');
  assert.equal(first?.durationMs, 66.567);
});

test('G1 young pause over many lines with tenuring, ergonomics and safepoint lines in between', () => {
  // SampleSun1_7_0G1_MixedApplicationStopped.txt, phase details shortened.
  const log = [
    ' 6616,791: [G1Ergonomics (Concurrent Cycles) initiate concurrent cycle, reason: concurrent cycle initiation requested]',
    '2015-02-25T12:47:07.930+0100: 6616,791: [GC pause (G1 Evacuation Pause) (young) (initial-mark)',
    'Desired survivor size 3670016 bytes, new threshold 4 (max 15)',
    '- age   1:    1159392 bytes,    1159392 total',
    ' 6616,791: [G1Ergonomics (CSet Construction) start choosing CSet, _pending_cards: 4276, predicted base time: 61,78 ms, remaining time: 0,00 ms, target pause time: 50,00 ms]',
    ' 6616,888: [G1Ergonomics (Heap Sizing) attempt heap expansion, reason: recent GC overhead higher than threshold after GC, recent GC overhead: 12,39 %, threshold: 10,00 %, uncommitted: 0 bytes, calculated expansion amount: 0 bytes (20,00 %)]',
    ', 0,0970100 secs]',
    '   [Parallel Time: 93,2 ms, GC Workers: 4]',
    '      [GC Worker Start (ms): Min: 6616791,3, Avg: 6616791,4, Max: 6616791,5, Diff: 0,2]',
    '   [Other: 2,9 ms]',
    '   [Eden: 45,0M(45,0M)->0,0B(45,0M) Survivors: 6144,0K->6144,0K Heap: 511,2M(1024,0M)->467,7M(1024,0M)]',
    ' [Times: user=0,38 sys=0,00, real=0,09 secs]',
    '2015-02-25T12:47:08.028+0100: 2015-02-25T12:47:08.028+0100: 6616,888: Total time for which application threads were stopped: 0,1003470 seconds',
    '6616,888: [GC concurrent-root-region-scan-start]',
    '2015-02-25T12:47:08.040+0100: 6616,901: [GC concurrent-root-region-scan-end, 0,0123120 secs]',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(collectors(events), ['G1']);
  assert.deepEqual(pausesOf(events), [
    {
      type: 'pause',
      time: { uptimeSec: 6616.791, epochMs: Date.UTC(2015, 1, 25, 11, 47, 7, 930) },
      line: 12,
      kind: 'young',
      label: 'GC pause (young) (initial-mark)',
      cause: 'G1 Evacuation Pause',
      durationMs: 97.01,
      heap: { beforeBytes: M(511.2), afterBytes: M(467.7), capacityBytes: M(1024) },
      regions: {
        eden: { beforeBytes: M(45), afterBytes: 0, capacityBytes: M(45) },
        survivor: { beforeBytes: K(6144), afterBytes: K(6144) },
        young: { beforeBytes: M(45) + K(6144), afterBytes: K(6144) },
      },
    },
  ]);
  assert.deepEqual(concurrentOf(events), [
    { type: 'concurrent', time: { uptimeSec: 6616.901, epochMs: Date.UTC(2015, 1, 25, 11, 47, 8, 40) }, line: 15, phase: 'concurrent-root-region-scan', durationMs: 12.312 },
  ]);
  assert.deepEqual(badOf(events), []);
});

test('G1 mixed, remark, cleanup, concurrent cycle, to-space exhausted and Full GC', () => {
  // SampleSun1_7_0G1TenuringDistribution.txt, phase details left out.
  const log = [
    '2013-11-02T10:20:36.038+0100: 0.275: [GC concurrent-mark-start]',
    '2013-11-02T10:20:36.038+0100: 0.278: [GC concurrent-mark-end, 0.0027385 secs]',
    '2013-11-02T10:20:36.038+0100: 0.278: [GC remark 2013-11-02T10:20:36.038+0100: 0.278: [GC ref-proc, 0.0000410 secs], 0.0010663 secs]',
    ' [Times: user=0.00 sys=0.00, real=0.00 secs] ',
    '2013-11-02T10:20:36.038+0100: 0.279: [GC cleanup 61M->61M(88M), 0.0003019 secs]',
    ' [Times: user=0.00 sys=0.00, real=0.00 secs] ',
    '2013-11-02T10:20:36.959+0100: 1.205: [GC pause (mixed)',
    'Desired survivor size 524288 bytes, new threshold 1 (max 15)',
    '- age   1:   10163040 bytes,   10163040 total',
    ', 0.0037359 secs]',
    '   [Eden: 4096.0K(4096.0K)->0.0B(32.0M) Survivors: 2048.0K->1024.0K Heap: 54.3M(128.0M)->51.4M(128.0M)]',
    ' [Times: user=0.03 sys=0.03, real=0.01 secs] ',
    '2013-11-02T10:21:04.150+0100: 28.395: [GC pause (young)',
    'Desired survivor size 524288 bytes, new threshold 1 (max 15)',
    ' (to-space exhausted), 0.0279974 secs]',
    '   [Eden: 5120.0K(5120.0K)->0.0B(5120.0K) Survivors: 1024.0K->1024.0K Heap: 125.9M(128.0M)->128.0M(128.0M)]',
    ' [Times: user=0.03 sys=0.00, real=0.03 secs] ',
    '2013-11-02T10:21:04.181+0100: 28.423: [Full GC 128M->64M(128M), 0.0584228 secs]',
    '   [Eden: 0.0B(5120.0K)->0.0B(26.0M) Survivors: 1024.0K->0.0B Heap: 128.0M(128.0M)->64.4M(128.0M)]',
    ' [Times: user=0.06 sys=0.00, real=0.06 secs] ',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.label, p.durationMs, p.line]),
    [
      ['remark', 'GC remark', 1.0663, 4],
      ['cleanup', 'GC cleanup', 0.3019, 6],
      ['mixed', 'GC pause (mixed)', 3.7359, 12],
      ['young', 'GC pause (young)', 27.9974, 17],
      ['full', 'Full GC', 58.4228, 20],
    ],
  );
  assert.deepEqual(pausesOf(events)[1]?.heap, { beforeBytes: M(61), afterBytes: M(61), capacityBytes: M(88) });
  // The detail line is more precise than "128M->64M(128M)" and wins.
  assert.deepEqual(pausesOf(events)[4]?.heap, { beforeBytes: M(128), afterBytes: M(64.4), capacityBytes: M(128) });
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.phase, c.durationMs]),
    [['concurrent-mark', 2.7385]],
  );
  assert.deepEqual(
    badOf(events).map((b) => [b.kind, b.line]),
    [
      ['to-space-exhausted', 17],
      ['full-gc', 20],
    ],
  );
});

test('CMS cycle: initial mark, concurrent phases, remark with its young collection, concurrent mode failure', () => {
  // SampleSun1_8_0Series-Part1.txt lines 10–22, then SampleSun1_7_0CmsPrintFlsStats1.txt lines 34–64.
  const log = [
    '2016-04-14T22:30:12.886+0200: 4.830: [GC (CMS Initial Mark) [1 CMS-initial-mark: 29170K(546176K)] 45355K(791936K), 0.0017923 secs] [Times: user=0.00 sys=0.00, real=0.00 secs] ',
    '2016-04-14T22:30:12.888+0200: 4.832: [CMS-concurrent-mark-start]',
    '2016-04-14T22:30:12.935+0200: 4.879: [CMS-concurrent-mark: 0.044/0.047 secs] [Times: user=0.27 sys=0.02, real=0.05 secs] ',
    '2016-04-14T22:30:12.935+0200: 4.879: [CMS-concurrent-preclean-start]',
    '2016-04-14T22:30:12.936+0200: 4.881: [CMS-concurrent-preclean: 0.002/0.002 secs] [Times: user=0.00 sys=0.00, real=0.00 secs] ',
    '2016-04-14T22:30:12.936+0200: 4.881: [CMS-concurrent-abortable-preclean-start]',
    '2016-04-14T22:30:13.217+0200: 5.161: [CMS-concurrent-abortable-preclean: 0.146/0.280 secs] [Times: user=1.27 sys=0.05, real=0.28 secs] ',
    '2016-04-14T22:30:13.217+0200: 5.161: [GC (CMS Final Remark) [YG occupancy: 152796 K (245760 K)]2016-04-14T22:30:13.217+0200: 5.161: [GC (CMS Final Remark) 5.161: [ParNew: 152796K->9726K(245760K), 0.0090205 secs] 181966K->38896K(791936K), 0.0090755 secs] [Times: user=0.11 sys=0.00, real=0.01 secs] ',
    '5.170: [Rescan (parallel) , 0.0026815 secs]5.173: [weak refs processing, 0.0000261 secs]5.173: [class unloading, 0.0056168 secs]5.178: [scrub symbol table, 0.0046852 secs]5.183: [scrub string table, 0.0004777 secs][1 CMS-remark: 29170K(546176K)] 38896K(791936K), 0.0236219 secs] [Times: user=0.16 sys=0.00, real=0.02 secs] ',
    '2016-04-14T22:30:13.240+0200: 5.185: [CMS-concurrent-sweep-start]',
    '2016-04-14T22:30:13.252+0200: 5.196: [CMS-concurrent-sweep: 0.010/0.011 secs] [Times: user=0.08 sys=0.00, real=0.01 secs] ',
    '2016-04-14T22:30:13.252+0200: 5.196: [CMS-concurrent-reset-start]',
    '2016-04-14T22:30:13.254+0200: 5.198: [CMS-concurrent-reset: 0.002/0.002 secs] [Times: user=0.00 sys=0.00, real=0.00 secs] ',
    '2014-10-21T20:58:53.838+0200: 0.545: [GCBefore GC:',
    'Statistics for BinaryTreeDictionary:',
    '------------------------------------',
    'Total Free Space: 22278',
    'Max   Chunk Size: 22278',
    'Number of Blocks: 1',
    'Av.  Block  Size: 22278',
    'Tree      Height: 1',
    '2014-10-21T20:58:53.838+0200: 0.545: [ParNew: 19586K->19586K(19648K), 0.0000205 secs]2014-10-21T20:58:53.838+0200: 0.545: [CMS2014-10-21T20:58:53.838+0200: 0.545: [CMS-concurrent-abortable-preclean: 0.005/0.111 secs] [Times: user=0.23 sys=0.08, real=0.11 secs] ',
    ' (concurrent mode failure)CMS: Large block 0x00000000f8648448',
    ': 83511K->54817K(84032K), 0.0336464 secs] 103097K->54817K(103680K), [CMS Perm : 2472K->2471K(21248K)]After GC:',
    'Statistics for BinaryTreeDictionary:',
    '------------------------------------',
    'Total Free Space: 5205879',
    ', 0.0339164 secs] [Times: user=0.03 sys=0.00, real=0.03 secs] ',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(collectors(events), ['CMS']);
  const [initialMark, remark, failure] = pausesOf(events);
  assert.deepEqual(initialMark, {
    type: 'pause',
    time: { uptimeSec: 4.83, epochMs: Date.UTC(2016, 3, 14, 20, 30, 12, 886) },
    line: 1,
    kind: 'initial-mark',
    label: 'CMS-initial-mark',
    cause: 'CMS Initial Mark',
    durationMs: 1.7923,
    heap: { beforeBytes: K(45355), afterBytes: K(45355), capacityBytes: K(791936) },
    regions: { old: { beforeBytes: K(29170), afterBytes: K(29170), capacityBytes: K(546176) } },
  });
  // One stop-the-world pause: the young collection CMSScavengeBeforeRemark runs is part of it.
  assert.deepEqual(remark, {
    type: 'pause',
    time: { uptimeSec: 5.161, epochMs: Date.UTC(2016, 3, 14, 20, 30, 13, 217) },
    line: 9,
    kind: 'remark',
    label: 'CMS-remark',
    cause: 'CMS Final Remark',
    durationMs: 23.6219,
    heap: { beforeBytes: K(181966), afterBytes: K(38896), capacityBytes: K(791936) },
    regions: {
      old: { beforeBytes: K(29170), afterBytes: K(29170), capacityBytes: K(546176) },
      young: { beforeBytes: K(152796), afterBytes: K(9726), capacityBytes: K(245760) },
    },
  });
  assert.deepEqual(failure, {
    type: 'pause',
    time: { uptimeSec: 0.545, epochMs: Date.UTC(2014, 9, 21, 18, 58, 53, 838) },
    line: 28,
    kind: 'full',
    label: 'ParNew + CMS',
    durationMs: 33.9164,
    heap: { beforeBytes: K(103097), afterBytes: K(54817), capacityBytes: K(103680) },
    regions: {
      young: { beforeBytes: K(19586), afterBytes: K(19586), capacityBytes: K(19648) },
      old: { beforeBytes: K(83511), afterBytes: K(54817), capacityBytes: K(84032) },
      perm: { beforeBytes: K(2472), afterBytes: K(2471), capacityBytes: K(21248) },
    },
  });
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.phase, c.durationMs, c.line]),
    [
      ['CMS-concurrent-mark', 47, 3],
      ['CMS-concurrent-preclean', 2, 5],
      ['CMS-concurrent-abortable-preclean', 280, 7],
      ['CMS-concurrent-sweep', 11, 11],
      ['CMS-concurrent-reset', 2, 13],
      ['CMS-concurrent-abortable-preclean', 111, 22],
    ],
  );
  assert.deepEqual(
    badOf(events).map((b) => [b.kind, b.detail, b.line]),
    // In the log's order: the failure is printed first and made the collection a Full GC.
    [
      ['concurrent-mode-failure', 'concurrent mode failure in ParNew + CMS', 28],
      ['full-gc', 'ParNew + CMS', 28],
    ],
  );
});

test('CMS promotion failure is a full collection with its own bad event', () => {
  // SampleSun1_7_0CMSTenuringDistributionInitiationStatistics.txt (JDK 7, no cause, CMS statistics inside).
  const log = [
    '2118019.970: [GC 2118019.971: [ParNew (promotion failed)',
    'Desired survivor size 67108864 bytes, new threshold 6 (max 6)',
    '- age   1:   15621728 bytes,   15621728 total',
    ': 1098428K->1102189K(1179648K), 0.5939440 secs]2118020.565: [CMS: 1682222K->728816K(2359296K), 20.9698110 secs] 2776803K->728816K(3538944K), [CMS Perm : 164489K->162299K(273716K)]CMSCollector shouldConcurrentCollect: , 21.5649460 secs]2118041.535',
    'time_until_cms_gen_full 14033.8169561',
    'free=1669611320',
    'initiatingPermOccupancy=0.9200000',
    ' [Times: user=6.11 sys=0.31, real=21.56 secs]',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  // The record closes on line 4, but the pause ends with its "[Times: …]" on line 8 (real=21.56
  // secs is its 21.5649460 secs; the CMS statistics between were printed by another thread). An
  // event's line is its last line, as for G1, whose pauses also end on their Times line.
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.label, p.durationMs, p.time, p.line]),
    [['full', 'ParNew + CMS', 21564.946, { uptimeSec: 2118019.97 }, 8]],
  );
  assert.deepEqual(
    badOf(events).map((b) => [b.kind, b.line]),
    [
      ['promotion-failed', 8],
      ['full-gc', 8],
    ],
  );
});

test('a CMS remark cut short after its young collection does not take the collections that follow', () => {
  // SampleSun1_8_0Series-Part1.txt line 17 (a remark whose second line, "[Rescan …][1 CMS-remark: …]",
  // a rotated file lost), then lines 23–24. The remark holds one young collection; the next pause
  // is not part of it.
  const events = parseJdk8(
    [
      '2016-04-14T22:30:13.217+0200: 5.161: [GC (CMS Final Remark) [YG occupancy: 152796 K (245760 K)]2016-04-14T22:30:13.217+0200: 5.161: [GC (CMS Final Remark) 5.161: [ParNew: 152796K->9726K(245760K), 0.0090205 secs] 181966K->38896K(791936K), 0.0090755 secs] [Times: user=0.11 sys=0.00, real=0.01 secs] ',
      '2016-04-14T22:30:14.057+0200: 6.001: [GC (Allocation Failure) 6.001: [ParNew: 228222K->10667K(245760K), 0.0097156 secs] 257274K->42377K(791936K), 0.0098019 secs] [Times: user=0.06 sys=0.00, real=0.01 secs] ',
      '2016-04-14T22:30:14.922+0200: 6.866: [GC (Allocation Failure) 6.866: [ParNew: 229163K->10064K(245760K), 0.0067733 secs] 260873K->42325K(791936K), 0.0068591 secs] [Times: user=0.13 sys=0.00, real=0.01 secs] ',
    ].join('\n'),
  );
  // The remark never states its own duration: reported, not guessed.
  assert.deepEqual(
    unrecognisedOf(events).map((u) => u.line),
    [1],
  );
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.durationMs, p.line]),
    [
      ['young', 9.8019, 2],
      ['young', 6.8591, 3],
    ],
  );
});

test('Parallel Full GC with its generations, JDK 8 and JDK 7 forms', () => {
  const log = [
    // SampleSun1_8_0ParallelPrintGCID.txt line 6.
    '2022-07-26T21:00:45.231+0800: 7.599: #2: [Full GC (System.gc()) [PSYoungGen: 98289K->0K(8257536K)] [ParOldGen: 32K->98112K(1048576K)] 98321K->98112K(9306112K), [Metaspace: 16471K->16471K(1064960K)], 0.6492397 secs] [Times: user=1.52 sys=0.17, real=0.65 secs] ',
    // Hand-made, JDK 7's form: no cause, PSPermGen after the heap.
    '12.345: [Full GC [PSYoungGen: 10752K->0K(141824K)] [ParOldGen: 168151K->112206K(342528K)] 178903K->112206K(484352K) [PSPermGen: 2937K->2937K(21248K)], 0.8032287 secs] [Times: user=0.80 sys=0.00, real=0.80 secs]',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(collectors(events), ['Parallel']);
  const [jdk8, jdk7] = pausesOf(events);
  assert.deepEqual(jdk8, {
    type: 'pause',
    time: { uptimeSec: 7.599, epochMs: Date.UTC(2022, 6, 26, 13, 0, 45, 231) },
    line: 1,
    gcId: 2,
    kind: 'full',
    label: 'Full GC',
    cause: 'System.gc()',
    durationMs: 649.2397,
    heap: { beforeBytes: K(98321), afterBytes: K(98112), capacityBytes: K(9306112) },
    regions: {
      young: { beforeBytes: K(98289), afterBytes: 0, capacityBytes: K(8257536) },
      old: { beforeBytes: K(32), afterBytes: K(98112), capacityBytes: K(1048576) },
      metaspace: { beforeBytes: K(16471), afterBytes: K(16471), capacityBytes: K(1064960) },
    },
  });
  assert.equal(jdk7?.cause, undefined);
  assert.equal(jdk7?.durationMs, 803.2287);
  assert.deepEqual(jdk7?.regions?.['perm'], { beforeBytes: K(2937), afterBytes: K(2937), capacityBytes: K(21248) });
  assert.deepEqual(jdk7?.heap, { beforeBytes: K(178903), afterBytes: K(112206), capacityBytes: K(484352) });
  assert.deepEqual(
    badOf(events).map((b) => [b.kind, b.detail, b.gcId]),
    [
      ['full-gc', 'Full GC (System.gc())', 2],
      ['full-gc', 'Full GC', undefined],
    ],
  );
});

test('Parallel promotion failure "GC--" and Serial collections', () => {
  const log = [
    // Hand-made to the formats the samples lack (Parallel's promotion failure, Serial).
    '100.001: [GC-- [PSYoungGen: 132096K->132096K(154112K)] 480256K->502272K(502272K), 0.0451235 secs] [Times: user=0.10 sys=0.00, real=0.05 secs]',
    '2.317: [GC (Allocation Failure) 2.317: [DefNew: 78656K->8704K(78656K), 0.0430820 secs] 78656K->25393K(253440K), 0.0431770 secs] [Times: user=0.03 sys=0.01, real=0.04 secs]',
    '5.125: [Full GC (Allocation Failure) 5.125: [Tenured: 174784K->174783K(174784K), 0.2218270 secs] 253439K->253438K(253440K), [Metaspace: 2763K->2763K(1056768K)], 0.2219160 secs] [Times: user=0.22 sys=0.00, real=0.22 secs]',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.label, p.cause, p.durationMs]),
    [
      ['young', 'PSYoungGen', undefined, 45.1235],
      ['young', 'DefNew', 'Allocation Failure', 43.177],
      ['full', 'Full GC', 'Allocation Failure', 221.916],
    ],
  );
  assert.deepEqual(collectors(events), ['Parallel']);
  assert.deepEqual(pausesOf(events)[2]?.regions?.['old'], { beforeBytes: K(174784), afterBytes: K(174783), capacityBytes: K(174784) });
  assert.deepEqual(
    badOf(events).map((b) => b.kind),
    ['promotion-failed', 'full-gc'],
  );
  assert.deepEqual(collectors(parseJdk8(log.split('\n').slice(1).join('\n'))), ['Serial']);
});

test('PrintGCID numbers pauses and concurrent phases', () => {
  // SampleSun1_8_0G1PrintGCID.txt lines 4–6 and 13–22.
  const log = [
    '2022-08-01T17:17:33.375+0000: 0.163: #0: [GC pause (G1 Evacuation Pause) (young), 0.0087570 secs]',
    '   [Eden: 7168.0K(7168.0K)->0.0B(4096.0K) Survivors: 0.0B->1024.0K Heap: 7168.0K(32768.0K)->6664.5K(32768.0K)]',
    ' [Times: user=0.01 sys=0.00, real=0.01 secs]',
    '2022-08-01T17:17:33.415+0000: 0.204: #4: [GC concurrent-root-region-scan-start]',
    '2022-08-01T17:17:33.416+0000: 0.204: #4: [GC concurrent-root-region-scan-end, 0.0002186 secs]',
    '2022-08-01T17:17:33.416+0000: 0.204: #4: [GC concurrent-mark-start]',
    '2022-08-01T17:17:33.418+0000: 0.206: #5: [GC pause (G1 Evacuation Pause) (young), 0.0050319 secs]',
    '   [Eden: 13312.0K(13312.0K)->0.0B(11264.0K) Survivors: 1024.0K->2048.0K Heap: 36352.5K(65536.0K)->36320.5K(128.0M)]',
    ' [Times: user=0.01 sys=0.01, real=0.01 secs]',
    '2022-08-01T17:17:33.425+0000: 0.214: #4: [GC concurrent-mark-end, 0.0099227 secs]',
    '2022-08-01T17:17:33.426+0000: 0.214: #4: [GC remark 2022-08-01T17:17:33.426+0000: 0.215: #4: [Finalize Marking, 0.0006628 secs] 2022-08-01T17:17:33.427+0000: 0.216: #4: [GC ref-proc, 0.0004662 secs] 2022-08-01T17:17:33.428+0000: 0.217: #4: [Unloading, 0.0009861 secs], 0.0040559 secs]',
    ' [Times: user=0.00 sys=0.00, real=0.00 secs]',
    '2022-08-01T17:17:33.431+0000: 0.220: #4: [GC cleanup 41408K->41408K(128M), 0.0014223 secs]',
    ' [Times: user=0.00 sys=0.00, real=0.00 secs]',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.gcId, p.durationMs]),
    [
      ['young', 0, 8.757],
      ['young', 5, 5.0319],
      ['remark', 4, 4.0559],
      ['cleanup', 4, 1.4223],
    ],
  );
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.phase, c.gcId, c.durationMs]),
    [
      ['concurrent-root-region-scan', 4, 0.2186],
      ['concurrent-mark', 4, 9.9227],
    ],
  );
});

test('Shenandoah (JDK 8 backport) pauses, concurrent phases and degenerated GC', () => {
  // SampleOpenJdk1_8_0-332.txt lines 3, 133–163 shortened, 339–346.
  const log = [
    'CommandLine flags: -XX:InitialHeapSize=261544064 -XX:MaxHeapSize=4184705024 -XX:+PrintGC -XX:+PrintGCDateStamps -XX:+PrintGCDetails -XX:+PrintGCTimeStamps -XX:+UnlockExperimentalVMOptions -XX:+UseCompressedClassPointers -XX:+UseCompressedOops -XX:+UseShenandoahGC ',
    'Regions: 3991 x 1024K',
    '2022-08-17T16:25:37.274+0800: 292.057: [Pause Init Mark, start] ',
    '    Using 2 of 2 workers for init marking',
    '    Pacer for Mark. Expected Live: 842M, Free: 398M, Non-Taxable: 40813K, Alloc Tax Rate: 2.6x',
    '2022-08-17T16:25:37.275+0800: 292.059: [Pause Init Mark, 1.745 ms]',
    '2022-08-17T16:25:37.276+0800: 292.059: [Concurrent marking, start] ',
    '2022-08-17T16:25:39.063+0800: 293.847: [Concurrent marking, 1787.618 ms]',
    '2022-08-17T16:25:39.067+0800: 293.851: [Concurrent cleanup 3630M->3627M(3770M), 0.066 ms]',
    'Concurrent Marking              1787590 us',
    'Pause Final Mark (G)               4260 us',
    'Trigger: Handle Allocation Failure',
    'Free: 0B, Max: 0B regular, 0B humongous, Frag: 0% external, 0% internal; Reserve: 26368K, Max: 1024K',
    '2022-08-17T16:25:40.252+0800: 295.036: [Pause Degenerated GC (Update Refs), start]',
    '    Using 2 of 2 workers for stw degenerated gc',
    '    Good progress for free space: 2044M, need 40867K',
    '2022-08-17T16:25:40.436+0800: 295.220: [Pause Degenerated GC (Update Refs) 3941M->1733M(3966M), 184.489 ms]',
    ', [Metaspace: 20643K->20643K(1069056K)]',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.label, p.durationMs, p.line]),
    [
      ['init-mark', 'Pause Init Mark', 1.745, 6],
      ['degenerated', 'Pause Degenerated GC (Update Refs)', 184.489, 17],
    ],
  );
  assert.deepEqual(pausesOf(events)[1]?.heap, { beforeBytes: M(3941), afterBytes: M(1733), capacityBytes: M(3966) });
  assert.deepEqual(
    concurrentOf(events).map((c) => [c.phase, c.durationMs, c.heap]),
    [
      ['Concurrent marking', 1787.618, undefined],
      ['Concurrent cleanup', 0.066, { beforeBytes: M(3630), afterBytes: M(3627), capacityBytes: M(3770) }],
    ],
  );
  assert.deepEqual(
    badOf(events).map((b) => [b.kind, b.detail]),
    [['degenerated-gc', 'Pause Degenerated GC (Update Refs)']],
  );
  assert.deepEqual(
    events.filter((e): e is HeapConfigEvent => e.type === 'heap-config').map((e) => [e.maxHeapBytes, e.initialHeapBytes, e.regionSizeBytes]),
    [
      [4184705024, 261544064, undefined],
      [undefined, undefined, K(1024)],
    ],
  );
});

test('safepoint lines, headers and heap-at-GC blocks make no events but the banner\'s one jvm-start', () => {
  const log = [
    'Java HotSpot(TM) 64-Bit Server VM (25.45-b02) for windows-amd64 JRE (1.8.0_45-b15), built on Apr 30 2015 12:40:44 by "java_re" with MS VC++ 10.0 (VS2010)',
    'Memory: 4k page, physical 16664956k(9830208k free), swap 20473812k(10916924k free)',
    '2016-04-14 22:37:22 GC log file created logs/garbageCollection.log.1',
    '2015-09-18T18:18:04.343+0200: 319,347: Application time: 1,5116630 seconds',
    '2015-09-18T18:18:04.373+0200: 319,377: Total time for which application threads were stopped: 0,0298220 seconds, Stopping threads took: 0,0003530 seconds',
    'Total time for which application threads were stopped: 0.0081637 seconds',
    '{Heap before GC invocations=0 (full 0):',
    ' garbage-first heap   total 65536K, used 5120K [0x00000000f8000000, 0x00000000fc000000, 0x0000000100000000)',
    '  region size 1024K, 5 young (5120K), 0 survivors (0K)',
    ' Metaspace       used 2459K, capacity 4490K, committed 4864K, reserved 1056768K',
    '  class space    used 269K, capacity 386K, committed 512K, reserved 1048576K',
    '}',
    'Heap',
  ].join('\n');
  const events = parseJdk8(log);
  assert.deepEqual(events, [
    // The banner ("Java HotSpot(TM) …" and "Memory: …") is one JVM start.
    {
      type: 'jvm-start',
      time: {},
      line: 1,
      detail: 'Java HotSpot(TM) 64-Bit Server VM (25.45-b02) for windows-amd64 JRE (1.8.0_45-b15), built on Apr 30 2015 12:40:44 by "java_re" with MS VC++ 10.0 (VS2010)',
    },
    { type: 'collector', time: {}, line: 8, collector: 'G1' },
    { type: 'heap-config', time: {}, line: 9, regionSizeBytes: K(1024) },
  ]);
});

test('a record cut short is reported once, and the next one is read', () => {
  const events = parseJdk8(
    [
      '2016-04-14T22:30:09.108+0200: 1.053: [GC (Allocation Failure) 1.053: [ParNew: 218496K->25704K(245760K), 0.0145305 secs] 218496K->',
      '2016-04-14T22:30:09.616+0200: 1.561: [GC (Allocation Failure) 1.561: [ParNew: 244200K->27249K(245760K), 0.0720052 secs] 244200K->51737K(791936K), 0.0720804 secs] [Times: user=0.39 sys=0.03, real=0.07 secs] ',
      '2016-04-14T22:30:10.444+0200: 2.388: [GC (Allocation Failure) 2.388: [ParNew: 245745K->15237K(245760K), 0.0069090 secs] 270233K->39725K(791936K)',
    ].join('\n'),
  );
  assert.deepEqual(
    unrecognisedOf(events).map((u) => u.line),
    [1, 3],
  );
  assert.deepEqual(
    pausesOf(events).map((p) => [p.line, p.durationMs]),
    [[2, 72.0804]],
  );
});

test('a record whose end is missing but which states its duration is kept', () => {
  // The closing bracket and Times were lost (the JVM died while writing).
  const events = parseJdk8('5.0: [GC (Allocation Failure) 5.0: [ParNew: 1000K->100K(2000K), 0.0010000 secs] 3000K->2100K(9000K), 0.0012000 secs');
  assert.deepEqual(unrecognisedOf(events), []);
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.durationMs, p.line]),
    [['young', 1.2, 1]],
  );
});

test('a pause that states no duration takes the real time of its Times line', () => {
  // Hand-made: a record with figures but no "N secs" of its own.
  const events = parseJdk8('1.0: [GC (Allocation Failure) [PSYoungGen: 1000K->100K(2000K)] 3000K->2100K(9000K)] [Times: user=0.01 sys=0.00, real=0.02 secs]');
  assert.deepEqual(
    pausesOf(events).map((p) => p.durationMs),
    [20],
  );
});

test('garbage, CRLF and absurd input never throw', () => {
  // Each line on its own, with how many unrecognised reports it makes. Silent ones: a stamp whose
  // line another thread's output took over, and a G1 detail or Times line without a pause to
  // belong to (a rotated file can start there). A record opener that never closes is reported once.
  const garbage: ReadonlyArray<readonly [string, number]> = [
    ['hello world', 1],
    ['\u0000\u0001\u0002', 1],
    ['[[[[', 1],
    [']]]]', 1],
    ['secs]', 1],
    ['12345', 1],
    ['1.0: ', 0],
    ['#: [', 1],
    ['2014-07-24T13:49:45.090+0400: ', 0],
    ['[GC', 1],
    ['[Full GC (', 1],
    ['[GC pause (young)', 1],
    [', 0.1 secs]', 1],
    ['   [Eden: garbage]', 0],
    [' [Times: nonsense]', 0],
  ];
  for (const [line, reports] of garbage) {
    // Collector events aside: "[GC pause" names G1 even when the rest is unreadable.
    const events = parseJdk8(line).filter((e) => e.type !== 'collector');
    assert.deepEqual(
      events.map((e) => [e.type, e.line]),
      Array.from({ length: reports }, () => ['unrecognised', 1]),
      JSON.stringify(line),
    );
  }
  // Not garbage together: G1 prints a pause's duration on a line of its own when tenuring output
  // interrupted it ("[GC pause (mixed)", "Desired survivor size …", ", 0.0037359 secs]").
  assert.deepEqual(
    pausesOf(parseJdk8('[GC pause (young)\n, 0.1 secs]')).map((p) => [p.kind, p.durationMs, p.line]),
    [['young', 100, 2]],
  );

  const line = '2016-04-14T22:30:09.108+0200: 1.053: [GC (Allocation Failure) 1.053: [ParNew: 218496K->25704K(245760K), 0.0145305 secs] 218496K->25704K(791936K), 0.0146984 secs] [Times: user=0.13 sys=0.00, real=0.01 secs] ';
  const crlf = parseJdk8(`${line}\r\n${line}\r\n`);
  assert.deepEqual(crlf, parseJdk8(`${line}\n${line}\n`));
  assert.deepEqual(pauseKinds(crlf), { young: 2 });

  // Random text from the log's own alphabet: no throw, and every event well formed.
  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = '[]()<>:,.-#0123456789KMG secsGCFull pause CMS-concurrent ParNew PSYoungGen\t';
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    let l = '';
    const n = Math.floor(random() * 120);
    for (let j = 0; j < n; j++) l += alphabet[Math.floor(random() * alphabet.length)];
    lines.push(l);
  }
  const fuzzed = parseJdk8(lines.join('\n'));
  assert.ok(fuzzed.length > 0);
  for (const e of fuzzed) {
    assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines.length, JSON.stringify(e));
    if (e.type === 'pause') assert.ok(Number.isFinite(e.durationMs) && e.durationMs >= 0, JSON.stringify(e));
  }
});

test('memory stays bounded: a record that never closes is given up after 64 KB', () => {
  const opener = '1.000: [GC (Allocation Failure) [PSYoungGen: 1000K->100K(2000K)';
  const filler = Array.from({ length: 2000 }, (_, i) => `x${String(i).padStart(99, 'y')}`);
  const events = parseJdk8(
    [
      opener,
      ...filler,
      '2.000: [GC (Allocation Failure) [PSYoungGen: 1000K->100K(2000K)] 3000K->2100K(9000K), 0.0012000 secs] [Times: user=0.00 sys=0.00, real=0.00 secs]',
    ].join('\n'),
  );
  // The open record takes filler lines as its continuation until it holds more than 64 KB; it is
  // then given up (reported once, by its first line) and the filler after it is read afresh: text
  // that is no GC output, each line reported.
  let held = opener.length;
  let givenUpAt = 0;
  while (held <= 64 * 1024) held += filler[givenUpAt++]!.length;
  const firstFreshLine = 1 + givenUpAt + 1;
  assert.ok(firstFreshLine < 1 + filler.length, 'the filler outlasts the bound');
  assert.deepEqual(
    unrecognisedOf(events).map((u) => u.line),
    [1, ...Array.from({ length: filler.length + 1 - firstFreshLine + 1 }, (_, i) => firstFreshLine + i)],
  );
  assert.equal(unrecognisedOf(events)[0]?.text, opener);
  assert.deepEqual(
    pausesOf(events).map((p) => [p.kind, p.durationMs, p.line]),
    [['young', 1.2, filler.length + 2]],
  );
});

test('an OutOfMemoryError written into the log is a bad event', () => {
  const events = parseJdk8('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space');
  assert.deepEqual(
    badOf(events).map((b) => [b.kind, b.line]),
    [['out-of-memory', 1]],
  );
  assert.deepEqual(unrecognisedOf(events), []);
});

test('the command line gives heap sizes and, when nothing else does, the collector', () => {
  const events = parseJdk8(
    'CommandLine flags: -XX:G1HeapRegionSize=4194304 -XX:InitialHeapSize=7516192768 -XX:MaxHeapSize=7516192768 -XX:+PrintGC -XX:-UseParallelGC -XX:+UseG1GC -XX:+UseStringDeduplication',
  );
  assert.deepEqual(events, [
    { type: 'jvm-start', time: {}, line: 1, detail: 'CommandLine flags: -XX:G1HeapRegionSize=4194304 -XX:InitialHeapSize=7516192768 -XX:MaxHeapSize=7516192768 -XX:+PrintGC -XX:-UseParallelGC -XX:+UseG1GC -XX:+UseStringDeduplication' },
    { type: 'heap-config', time: {}, line: 1, maxHeapBytes: 7516192768, initialHeapBytes: 7516192768, regionSizeBytes: 4194304 },
    { type: 'collector', time: {}, line: 1, collector: 'G1' },
  ]);
});
