/**
 * Real GC logs that a run of 29 public logs through the whole analysis got wrong (figures,
 * advice, errors), each checked on the real excerpt in test/fixtures/gc/heldout (sources in its
 * README). Every expected figure is read from the excerpt's text here, or counted from it by hand
 * where a comment says so.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { adviseFromGc } from '../../src/gc/advice.js';
import { analyzeGcLogs, MixedCollectorsError, type GcSummary } from '../../src/gc/analyze.js';
import { GcInputError } from '../../src/gc/read.js';
import { gcJson } from '../../src/report/gc-json.js';
import { renderGcText } from '../../src/report/gc-text.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const heldout = join(root, 'test', 'fixtures', 'gc', 'heldout');
const unified = join(root, 'test', 'fixtures', 'gc', 'unified');
const at = (name: string): string => join(heldout, name);
const read = (name: string): string => readFileSync(at(name), 'latin1');
const dir = mkdtempSync(join(tmpdir(), 'flink-memory-gc-real-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const analyze = (...paths: string[]): Promise<GcSummary> => analyzeGcLogs(paths.map((path) => ({ kind: 'file' as const, path })));
const text = (s: GcSummary, config?: Record<string, string>): string => renderGcText(s, adviseFromGc(s, config), { color: false, columns: 200 });
const MiB = 1024 * 1024;
const K = 1024;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(root, 'bin', 'flink-memory.js'), 'gc', ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** JDK 8 pause records of a log: the decimal-comma uptime and the duration in seconds. */
function jdk8Pauses(log: string): Array<{ uptime: number; ms: number; date: string }> {
  return [...log.matchAll(/^(\S+): (\d+,\d+): \[GC pause .*, (\d+,\d+) secs\]$/gm)].map((m) => ({
    date: m[1]!,
    uptime: Number(m[2]!.replace(',', '.')),
    ms: Number(m[3]!.replace(',', '.')) * 1000,
  }));
}

test('1. two JVM runs in one file: span and throughput per run, the runs counted, the timeline monotonic', async () => {
  const name = 'g1-jdk8u402-two-runs-comma.txt';
  const log = read(name);
  const pauses = jdk8Pauses(log);
  // Three pauses per run; the second run's uptime starts over (0,638 s) after the banner.
  assert.equal(pauses.length, 6);
  const runs = [pauses.slice(0, 3), pauses.slice(3)];
  const span = (r: typeof pauses): number => r[r.length - 1]!.uptime - r[0]!.uptime;
  const pauseMs = (r: typeof pauses): number => r.reduce((sum, p) => sum + p.ms, 0);
  const total = span(runs[0]!) + span(runs[1]!);
  const s = await analyze(at(name));
  assert.equal(s.jvmRuns, 2);
  assert.equal(s.spanSeconds, round3(total)); // 0.547 + 0.542, not 0.56 (as one run) nor 42.6 (wall clock)
  assert.equal(s.throughputPercent, round3(100 * (1 - pauseMs(pauses) / 1000 / total)));
  assert.deepEqual(
    s.runs.map((r) => [r.line, r.spanSeconds, r.pauses, r.pauseMs, r.startEpochMs]),
    // Each run starts at its banner, lines 1 and 90.
    runs.map((r, i) => [i === 0 ? 1 : 90, round3(span(r)), 3, round3(pauseMs(r)), Date.parse(r[0]!.date.replace(/(\d\d)(\d\d)$/, '$1:$2'))]),
  );
  // The second run is placed where the date stamps put it: 42 s after the first JVM started.
  const times = s.heap.heapAfterGc.map(([t]) => t);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  const jvmStart = (p: (typeof pauses)[number]): number => Date.parse(p.date.replace(/(\d\d)(\d\d)$/, '$1:$2')) / 1000 - p.uptime;
  assert.equal(times[3], round3(pauses[3]!.uptime + jvmStart(pauses[3]!) - jvmStart(pauses[0]!)));
  const json = gcJson(s, adviseFromGc(s, undefined)) as { jvmRuns: number; runs: Array<{ startTime: string }> };
  assert.equal(json.jvmRuns, 2);
  assert.deepEqual(json.runs.map((r) => r.startTime), ['2026-06-16T17:24:47.633Z', '2026-06-16T17:25:29.647Z']);
  assert.match(text(s), /GC log summary: G1 \(2 JVM runs\)/);
});

test('1. the same runs as two files (any order), and without their banners (uptime back, dates on)', async () => {
  const lines = read('g1-jdk8u402-two-runs-comma.txt').split('\n');
  const second = lines.findIndex((l, i) => i > 0 && l.startsWith('OpenJDK'));
  const first = put('run1.log', lines.slice(0, second).join('\n'));
  const later = put('run2.log', lines.slice(second).join('\n'));
  const whole = await analyze(at('g1-jdk8u402-two-runs-comma.txt'));
  for (const given of [[first, later], [later, first]]) {
    const s = await analyze(...given);
    assert.equal(s.jvmRuns, 2);
    assert.equal(s.spanSeconds, whole.spanSeconds);
    assert.equal(s.throughputPercent, whole.throughputPercent);
    assert.deepEqual(s.inputs.map((i) => [i.name, i.collector]), [[first, 'G1'], [later, 'G1']]);
  }
  const bare = put('no-banners.log', lines.filter((l) => !/^(OpenJDK|Memory:|CommandLine flags:)/.test(l)).join('\n'));
  const s = await analyze(bare);
  assert.equal(s.jvmRuns, 2);
  assert.equal(s.spanSeconds, whole.spanSeconds);
});

test('1. logs of different collectors are refused with one line, given apart or in one file', async () => {
  const serial = at('serial-jdk21-time-level-tags.txt');
  const g1 = join(unified, 'g1-gc-default.txt');
  await assert.rejects(
    analyze(serial, g1),
    (e: unknown) => e instanceof MixedCollectorsError && e.message.startsWith('the logs come from different collectors (') && e.message.includes(`${serial} (Serial)`) && e.message.includes(`${g1} (G1)`),
  );
  const serialLines = read('serial-jdk21-time-level-tags.txt').split('\n').filter((l) => l !== '');
  const both = put('serial-then-g1.log', `${serialLines.join('\n')}\n${readFileSync(g1, 'latin1')}`);
  await assert.rejects(analyze(both), (e: unknown) => e instanceof GcInputError && e.message.includes(`holds JVM runs with different collectors (Serial from line 1, G1 from line ${serialLines.length + 1})`));
  const run = await cli(serial, g1);
  assert.equal(run.code, 2);
  assert.equal(run.stderr.trim().split('\n').length, 1);
  assert.match(run.stderr, /^flink-memory: the logs come from different collectors/);
});

test('2. Shenandoah: only the last "Concurrent cleanup" of a cycle is its end (JDK 11, two per cycle)', async () => {
  const name = 'shenandoah-jdk11-cycles.txt';
  // The last cleanup of each GC id, counted from the text: GC(0) 28M, GC(1) 83M, GC(2) 367M, GC(3) 935M (GC(4) is cut off before one).
  const last = new Map<string, number>();
  const all: number[] = [];
  for (const m of read(name).matchAll(/GC\((\d+)\) Concurrent cleanup \d+M->(\d+)M\(\d+M\)/g)) {
    last.set(m[1]!, Number(m[2]) * MiB);
    all.push(Number(m[2]) * MiB);
  }
  assert.equal(all.length, 8, 'two cleanups per cycle');
  const ends = [...last.values()];
  assert.deepEqual(ends, [28, 83, 367, 935].map((m) => m * MiB));
  const s = await analyze(at(name));
  assert.deepEqual(s.heap.heapAfterGc.filter((p) => p[2] === 'cycle').map((p) => p[1]), ends);
  assert.equal(s.heap.peakAfterBytes, Math.max(...ends));
  assert.equal(s.heap.liveSetBytes, [...ends].sort((a, b) => a - b)[Math.floor((ends.length - 1) / 2)]);
  assert.equal(s.heap.liveSetMethod, 'median heap after 4 concurrent cycle(s)');

  // The first cycle alone (the repro): one cycle, ending at 28M; the mid-cycle 68M is no after-GC figure.
  const one = put('shenandoah-one-cycle.log', read(name).split('\n').slice(0, 57).join('\n'));
  const first = await analyze(one);
  assert.equal(first.heap.liveSetMethod, 'median heap after 1 concurrent cycle(s)');
  assert.equal(first.heap.liveSetBytes, 28 * MiB);
  assert.equal(first.heap.peakAfterBytes, 28 * MiB);
});

test('3. CMS: the live set leaves the warm-up out, peak after GC is an after-GC figure, no shrinking below the marking occupancy', async () => {
  const name = 'cms-jdk8-printgc-only.txt';
  const log = read(name);
  const young = [...log.matchAll(/^(\d+\.\d+): \[GC \(Allocation Failure\) +(\d+)K->(\d+)K\(\d+K\)/gm)].map((m) => ({ t: Number(m[1]), after: Number(m[3]) * K }));
  const marking = [...log.matchAll(/\[GC \(CMS (?:Initial Mark|Final Remark)\) +(\d+)K\(\d+K\)/g)].map((m) => Number(m[1]) * K);
  const lastUptime = Math.max(...[...log.matchAll(/^(\d+\.\d+): /gm)].map((m) => Number(m[1])));
  const steady = young.filter((y) => y.t >= 0.1 * lastUptime).map((y) => y.after);
  const s = await analyze(at(name));
  // Not the 31608K of the first young collection at 13.563 s.
  assert.equal(young[0]!.after, 31608 * K);
  assert.equal(s.heap.liveSetBytes, Math.min(...steady));
  assert.ok(s.heap.liveSetBytes! > 80 * MiB);
  assert.match(s.heap.liveSetMethod, /past the warm-up/);
  // Peak after GC: the largest heap after a young collection, not the 460775K CMS marks at.
  assert.equal(s.heap.peakAfterBytes, Math.max(...young.map((y) => y.after)));
  assert.equal(s.heap.markingOccupancyBytes, Math.max(...marking));
  assert.equal(s.heap.markingOccupancyBytes, 460775 * K);

  // A 1.55 GiB TaskManager heap would shrink for this live set, but not below 460775K / 0.8.
  const advice = adviseFromGc(s, { 'taskmanager.memory.process.size': '4g' }).heap!;
  assert.equal(advice.action, 'shrink');
  const floor = BigInt(Math.ceil((460775 * K) / 0.8 / (64 * MiB))) * BigInt(64 * MiB);
  assert.equal(advice.recommendedJvmHeapBytes, floor);
  assert.match(advice.reason, /CMS starts marking at ~450 MiB/);
  // The default 512 MiB heap stays: under 576 MiB CMS would start marking over 80% full.
  assert.equal(adviseFromGc(s, undefined).heap!.action, 'keep');
  for (const size of ['2g', '3g', '8g']) {
    const heap = adviseFromGc(s, { 'taskmanager.memory.process.size': size }).heap!;
    assert.ok(heap.action !== 'shrink' || heap.recommendedJvmHeapBytes >= floor, `${size}: ${heap.recommendedJvmHeapBytes}`);
  }
});

test('4. ZGC with -Xlog:gc only: no pause times, no throughput, and the allocation stall means grow', async () => {
  const name = 'zgc-jdk21-xlog-gc-only.txt';
  const log = read(name);
  assert.ok(!/Pause /.test(log) && /Garbage Collection \(/.test(log) && /Allocation Stall/.test(log));
  const s = await analyze(at(name));
  assert.equal(s.pauses.count, 0);
  assert.equal(s.pauseTimesLogged, false);
  assert.equal(s.throughputPercent, undefined);
  const advice = adviseFromGc(s, undefined);
  assert.equal(advice.heap!.action, 'grow');
  assert.match(advice.heap!.reason, /allocation stall/);
  assert.ok(advice.configNotes.some((n) => n.includes('gc+phases') && n.includes('-Xlog:gc*,safepoint')));
  const json = gcJson(s, advice) as { throughputPercent: unknown; pauseTimesLogged: boolean };
  assert.equal(json.throughputPercent, null);
  assert.equal(json.pauseTimesLogged, false);
  const report = text(s);
  assert.match(report, /pause times: not in this log \(ZGC writes them with gc\+phases/);
  assert.doesNotMatch(report, /throughput 100|pauses 0|fits the/);
  assert.doesNotMatch(report, /Keep the JVM heap/);
});

test('5. Full GCs asked for (jcmd, System.gc()) are counted apart and draw no collector advice', async () => {
  const jcmd = await analyze(at('g1-jdk17-jcmd-full-gc.txt'));
  assert.deepEqual(jcmd.fullGc, { count: 1, causes: { 'Diagnostic Command': 1 }, requested: 1 });
  const g1Advice = adviseFromGc(jcmd, undefined);
  assert.deepEqual(g1Advice.flags.map((f) => f.flag), []);
  assert.ok(g1Advice.configNotes.some((n) => n.startsWith('1 Full GC(s) requested explicitly (Diagnostic Command: 1)')));
  assert.match(text(jcmd), /Full GC: 1 \(Diagnostic Command: 1\); 1 requested explicitly/);

  // JDK 6 CMS "[Full GC (System) …]": System.gc(), not a reason to leave CMS.
  const cms = await analyze(at('cms-jdk6-icms-system-gc.txt'));
  assert.equal(cms.collector, 'CMS');
  assert.deepEqual(cms.fullGc, { count: 1, causes: { System: 1 }, requested: 1 });
  assert.deepEqual(adviseFromGc(cms, undefined).flags.map((f) => f.flag), []);

  // Serial: 4 Full GCs from allocation failures still call for G1; the System.gc() one is not counted in.
  const serial = await analyze(at('serial-jdk21-time-level-tags.txt'));
  assert.deepEqual(serial.fullGc.causes, { 'Allocation Failure': 4, 'System.gc()': 1 });
  const flags = adviseFromGc(serial, undefined).flags;
  assert.deepEqual(flags.map((f) => f.flag), ['-XX:+UseG1GC']);
  assert.match(flags[0]!.reason, /^4 Full GC\(s\) from a full heap/);

  // G1 with System.gc() in every run (two runs, one each, within a second): frequent.
  const twoRuns = await analyze(join(unified, 'g1-gc-default.txt'), join(unified, 'g1-gc-uptimemillis-pid-tid.txt'));
  assert.equal(twoRuns.fullGc.causes['System.gc()'], 2);
  const advice = adviseFromGc(twoRuns, undefined);
  assert.ok(advice.flags.some((f) => f.flag === '-XX:+ExplicitGCInvokesConcurrent'));
  assert.ok(advice.configNotes.some((n) => n.includes('-XX:+DisableExplicitGC') && n.includes('DirectByteBuffers')));
  // Their other Full GCs are heap pressure, and only those count for the marking threshold.
  const ihop = advice.flags.find((f) => f.flag === '-XX:InitiatingHeapOccupancyPercent=35');
  assert.ok(ihop !== undefined && ihop.reason.startsWith(`${twoRuns.fullGc.count - twoRuns.fullGc.requested} Full GC(s) from a full heap`), ihop?.reason);
});

test('6. JDK 6/7 Full GCs with the permanent generation full are named so, with PermGen advice instead of "switch to G1"', async () => {
  const name = 'serial-jdk6-perm-gen-full.txt';
  // Every Full GC's "[Perm : used->used(capacity)]" is at its capacity (16379K of 16384K, …), the old generation far from full.
  const perm = [...read(name).matchAll(/\[Full GC .*\[Tenured: (\d+)K->\d+K\((\d+)K\).*\[Perm : (\d+)K->(\d+)K\((\d+)K\)\]/g)];
  assert.ok(perm.length >= 10);
  for (const m of perm) {
    assert.ok(Number(m[4]) >= 0.98 * Number(m[5]), m[0]);
    assert.ok(Number(m[1]) < 0.95 * Number(m[2]), m[0]);
  }
  const s = await analyze(at(name));
  assert.deepEqual(s.fullGc.causes, { 'Permanent Generation Full': perm.length });
  assert.equal(s.heap.permGenCapacityBytes, Math.max(...perm.map((m) => Number(m[5]) * K)));
  const advice = adviseFromGc(s, undefined);
  assert.deepEqual(advice.flags.map((f) => f.flag), []);
  const note = advice.configNotes.find((n) => n.includes('permanent generation full'));
  assert.ok(note !== undefined && note.includes('-XX:MaxPermSize=') && note.includes('metaspace') && note.includes('taskmanager.memory.jvm-metaspace.size'), note);
  assert.doesNotMatch(text(s), /UseG1GC/);
});

test('7. a UTF-8 byte order mark is skipped and UTF-16 (with or without one) decoded', async () => {
  const line = readFileSync(at('g1-jdk17-time-uptime-decorations.txt'));
  const plain = await analyze(at('g1-jdk17-time-uptime-decorations.txt'));
  assert.equal(plain.pauses.count, 1);
  const le = Buffer.from(line.toString('latin1'), 'utf16le');
  const be = Buffer.from(le).swap16();
  const variants: Record<string, Buffer> = {
    'bom.log': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), line]),
    'utf16le-bom.log': Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
    'utf16be-bom.log': Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    'utf16le.log': le,
  };
  for (const [name, bytes] of Object.entries(variants)) {
    const s = await analyze(put(name, bytes));
    assert.equal(s.pauses.count, 1, name);
    assert.equal(s.pauses.totalMs, plain.pauses.totalMs, name);
    assert.equal(s.collector, 'G1', name);
  }
  // A whole multi-line log, as PowerShell's ">" writes it (UTF-16LE with a mark).
  const cms = readFileSync(at('cms-jdk8-printgc-only.txt'), 'latin1');
  const expected = await analyze(at('cms-jdk8-printgc-only.txt'));
  const s = await analyze(put('cms-utf16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cms, 'utf16le')])));
  assert.equal(s.pauses.count, expected.pauses.count);
  assert.equal(s.pauses.totalMs, expected.pauses.totalMs);
});

test('7. IBM J9 verbose GC XML and JRockit logs: a one-line "unsupported format" error, exit code 2', async () => {
  for (const [name, format] of [
    ['ibm-j9-r28-verbosegc.xml.txt', 'IBM J9/OpenJ9 verbose GC XML'],
    ['jrockit-1.4.2-gencon.txt', 'Oracle JRockit verbose GC'],
  ] as const) {
    await assert.rejects(analyze(at(name)), (e: unknown) => e instanceof GcInputError && e.message.startsWith(`${at(name)}: unsupported format: ${format}`));
    const run = await cli(at(name));
    assert.equal(run.code, 2, name);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.ok(run.stderr.includes(`unsupported format: ${format} (`), run.stderr);
  }
});

test('8. dates for date-only logs, no "?" or "~n/a", seconds without binary noise, ZGC Max Capacity as max committed', async () => {
  // Date-only decorations: the first Full GC "at" its date, not at epoch seconds.
  const serial = await analyze(at('serial-jdk21-time-level-tags.txt'));
  assert.equal(serial.timeBase, 'epoch');
  assert.match(text(serial), /full-gc: 5 {2}first at 2025-03-08T06:11:42\.593Z \(/);
  assert.doesNotMatch(text(serial), /first at 17\d{8}/);

  // Generational ZGC cut mid-run: stalls without an allocation rate; "Max Capacity: 1024M(100%)" per cycle.
  const zgc = await analyze(at('zgc-generational-jdk21-allocation-stall.txt'));
  assert.ok(read('zgc-generational-jdk21-allocation-stall.txt').includes('O: Max Capacity: 1024M(100%)'));
  assert.equal(zgc.heap.maxCapacityBytes, 1024 * MiB);
  assert.equal(zgc.heap.allocationRateMBps, undefined);
  const report = text(zgc);
  assert.doesNotMatch(report, /\?|~n\/a|n\/a MB\/s/);
  assert.match(report, /max committed 1 GiB/);

  // "4.363: [Full GC (System) 4.363: [CMS4.368: …": 4.363 s, not 4.3629999999999995.
  const cms = await analyze(at('cms-jdk6-icms-system-gc.txt'));
  const json = JSON.stringify(gcJson(cms, adviseFromGc(cms, undefined)));
  assert.ok(json.includes('"seconds":4.363,'), 'the Full GC at 4.363 s');
  assert.doesNotMatch(json, /\d\.\d*(?:0000000|9999999)\d*/);
});
