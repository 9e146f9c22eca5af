/**
 * parseNmt on real jcmd output: OpenJDK 17 reports produced here (make-nmt-fixtures.sh) and the
 * JDK 8 and 11 layouts from public sources (test/fixtures/diagnose/nmt/README.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNmtParseError, parseNmt, type NmtSnapshot } from '../../src/diagnose/nmt/parse.js';
import { KiB, MiB, categoryLine, categoryNames, readNmt, snapshotsOf } from './nmt-fixtures.js';

function category(s: NmtSnapshot, name: string) {
  const c = s.categories.find((x) => x.name === name);
  return c ?? assert.fail(`no category ${name}`);
}

test('JDK 17 summary: every category line, with its figures, the pid and the totals', () => {
  const text = readNmt('jdk17-summary.txt');
  const [s, ...rest] = snapshotsOf('jdk17-summary.txt');
  assert.equal(rest.length, 0);
  assert.ok(s);
  assert.equal(s.pid, Number(/^(\d+):/.exec(text)![1]));
  assert.equal(s.line, 1);
  assert.equal(s.kind, 'summary');
  assert.equal(s.scale, 'KB');
  assert.equal(s.scaleBytes, KiB);
  assert.equal(s.generation, 'jdk9+');
  assert.equal(s.detail, false);
  assert.deepEqual(
    s.categories.map((c) => c.name),
    categoryNames(text),
  );
  for (const c of s.categories) {
    const oracle = categoryLine(text, c.name);
    assert.equal(c.line, oracle.line, c.name);
    assert.equal(c.reservedBytes, oracle.reserved, c.name);
    assert.equal(c.committedBytes, oracle.committed, c.name);
    assert.equal(c.committedDeltaBytes, 0n);
  }
  const total = categoryLine(text, 'Total');
  assert.equal(s.total.committedBytes, total.committed);
  assert.equal(s.total.reservedBytes, total.reserved);
  assert.equal(s.total.line, total.line);
  const malloc = /^\s+malloc: (\d+)KB #(\d+)$/m.exec(text)!;
  assert.equal(s.totalMalloc?.bytes, BigInt(malloc[1]!) * KiB);
  assert.equal(s.totalMalloc?.count, Number(malloc[2]));
  const mmap = /^\s+mmap:\s+reserved=(\d+)KB, committed=(\d+)KB$/m.exec(text)!;
  assert.equal(s.totalMmap?.committedBytes, BigInt(mmap[2]!) * KiB);
  // HotSpot prints malloc + mmap as Total, each rounded to KB on its own.
  assert.ok(s.total.committedBytes - (s.totalMalloc!.bytes + s.totalMmap!.committedBytes) <= KiB);
});

test('JDK 17 summary: the parts of Class, Thread, Other and Native Memory Tracking', () => {
  const text = readNmt('jdk17-summary.txt');
  const [s] = snapshotsOf('jdk17-summary.txt');
  assert.ok(s);
  const cls = category(s, 'Class');
  assert.equal(cls.classes?.count, Number(/\(classes #(\d+)\)/.exec(text)![1]));
  const kinds = /\(  instance classes #(\d+), array classes #(\d+)\)/.exec(text)!;
  assert.equal(cls.classes?.instanceClasses, Number(kinds[1]));
  assert.equal(cls.classes?.arrayClasses, Number(kinds[2]));
  const meta = /\(  Metadata:   \)\n\s+\(    reserved=(\d+)KB, committed=(\d+)KB\)\n\s+\(    used=(\d+)KB\)\n\s+\(    waste=(\d+)KB/.exec(text)!;
  assert.equal(cls.metadata?.committedBytes, BigInt(meta[2]!) * KiB);
  assert.equal(cls.metadata?.usedBytes, BigInt(meta[3]!) * KiB);
  assert.equal(cls.metadata?.wasteBytes, BigInt(meta[4]!) * KiB);
  const space = /\(  Class space:\)\n\s+\(    reserved=(\d+)KB, committed=(\d+)KB\)/.exec(text)!;
  assert.equal(cls.classSpace?.reservedBytes, BigInt(space[1]!) * KiB);
  assert.equal(cls.classSpace?.committedBytes, BigInt(space[2]!) * KiB);
  // The class space is Class's mmap part: the compressed class space, capped by MaxMetaspaceSize (32 MiB here).
  assert.equal(cls.mmap?.reservedBytes, cls.classSpace?.reservedBytes);

  const thread = category(s, 'Thread');
  assert.equal(thread.threads?.count, Number(/\(thread #(\d+)\)/.exec(text)![1]));
  const stack = /\(stack: reserved=(\d+)KB, committed=(\d+)KB\)/.exec(text)!;
  assert.equal(thread.stack?.committedBytes, BigInt(stack[2]!) * KiB);
  const arena = /\(arena=(\d+)KB #(\d+)\) \(peak=/.exec(text)!;
  assert.equal(thread.arena?.bytes, BigInt(arena[1]!) * KiB);
  assert.equal(thread.arena?.count, Number(arena[2]));

  // 16 MiB of ByteBuffer.allocateDirect in 1 MiB buffers: 16 mallocs under "Other".
  const other = category(s, 'Other');
  assert.equal(other.committedBytes, 16n * MiB);
  assert.equal(other.malloc?.bytes, 16n * MiB);
  assert.equal(other.malloc?.count, 16);

  const nmt = category(s, 'Native Memory Tracking');
  assert.equal(nmt.trackingOverheadBytes, BigInt(/\(tracking overhead=(\d+)KB\)/.exec(text)![1]!) * KiB);
});

test('scale=1 prints bytes: the categories add up to Total exactly', () => {
  const [s] = snapshotsOf('jdk17-summary-scale-1.txt');
  assert.ok(s);
  assert.equal(s.scale, 'B');
  assert.equal(s.scaleBytes, 1n);
  assert.equal(
    s.categories.reduce((sum, c) => sum + c.committedBytes, 0n),
    s.total.committedBytes,
  );
  assert.equal(
    s.categories.reduce((sum, c) => sum + c.reservedBytes, 0n),
    s.total.reservedBytes,
  );
  assert.equal(category(s, 'Other').committedBytes, 16n * MiB);
  // At byte scale even the smallest categories are printed.
  assert.deepEqual(s.categories.map((c) => c.name), categoryNames(readNmt('jdk17-summary-scale-1.txt')));
});

test('scale=MB and scale=GB: figures in that unit, small categories omitted', () => {
  const text = readNmt('jdk17-summary-scale-mb.txt');
  const [mb] = snapshotsOf('jdk17-summary-scale-mb.txt');
  assert.ok(mb);
  assert.equal(mb.scale, 'MB');
  assert.equal(mb.scaleBytes, MiB);
  assert.deepEqual(mb.categories.map((c) => c.name), categoryNames(text));
  assert.equal(category(mb, 'Java Heap').committedBytes, categoryLine(text, 'Java Heap').committed);
  assert.equal(category(mb, 'Other').committedBytes, 16n * MiB);
  // The KB report of the same moment has more categories: those under 1 MB are left out here.
  const [kb] = snapshotsOf('jdk17-summary.txt');
  assert.ok(kb !== undefined && kb.categories.length > mb.categories.length);
  // "instance classes" and the metaspace lines still mark the JDK 9+ layout.
  assert.equal(mb.generation, 'jdk9+');

  const [gb] = snapshotsOf('jdk17-summary-scale-gb.txt');
  assert.ok(gb);
  assert.equal(gb.scale, 'GB');
  assert.equal(gb.categories.length, 0);
  assert.equal(gb.total.reservedBytes, categoryLine(readNmt('jdk17-summary-scale-gb.txt'), 'Total').reserved);
});

test('summary.diff: current figures with their changes, including HotSpot\'s unit-less arena change', () => {
  const text = readNmt('jdk17-summary-diff.txt');
  const [d] = snapshotsOf('jdk17-summary-diff.txt');
  assert.ok(d);
  assert.equal(d.kind, 'diff');
  const total = categoryLine(text, 'Total');
  assert.equal(d.total.committedDeltaBytes, total.committedDelta);
  assert.equal(d.total.reservedDeltaBytes, total.reservedDelta);
  for (const c of d.categories) {
    const oracle = categoryLine(text, c.name);
    assert.equal(c.committedBytes, oracle.committed, c.name);
    assert.equal(c.committedDeltaBytes, oracle.committedDelta, c.name);
    assert.equal(c.reservedDeltaBytes, oracle.reservedDelta, c.name);
  }
  // 96 MiB of Unsafe.allocateMemory and 8 MiB more direct buffers since the baseline.
  const other = category(d, 'Other');
  assert.equal(other.committedDeltaBytes, 104n * MiB);
  assert.equal(other.malloc?.deltaBytes, 104n * MiB);
  assert.equal(other.malloc?.countDelta, 104);
  const thread = category(d, 'Thread');
  assert.equal(thread.threads?.delta, 30);
  const arena = /\(arena=(\d+)KB ([+-]\d+) #(\d+) ([+-]\d+)\)/.exec(text);
  if (arena !== null) {
    // "(arena=81KB +35 #140 +60)": the change is in the report's scale though printed without it.
    assert.equal(thread.arena?.deltaBytes, BigInt(arena[2]!) * KiB);
    assert.equal(thread.arena?.countDelta, Number(arena[4]));
  }
  const classes = /\(classes #(\d+) ([+-]\d+)\)/.exec(text)!;
  assert.equal(category(d, 'Class').classes?.delta, Number(classes[2]));
  const used = /: \(  Metadata\)\n.*\n\s+\(    used=(\d+)KB ([+-]\d+)KB\)/.exec(text);
  if (used !== null) assert.equal(category(d, 'Class').metadata?.usedDeltaBytes, BigInt(used[2]!) * KiB);
});

test('summary.diff scale=MB reads as a diff in MB', () => {
  const text = readNmt('jdk17-summary-diff-scale-mb.txt');
  const [d] = snapshotsOf('jdk17-summary-diff-scale-mb.txt');
  assert.ok(d);
  assert.equal(d.kind, 'diff');
  assert.equal(d.scale, 'MB');
  assert.equal(category(d, 'Other').committedDeltaBytes, categoryLine(text, 'Other').committedDelta);
  assert.equal(category(d, 'Other').committedDeltaBytes, 104n * MiB);
});

test('appended jcmd runs: one snapshot each, with pid and the time stamped before it', () => {
  const text = readNmt('jdk17-connector-growth.txt');
  const snapshots = snapshotsOf('jdk17-connector-growth.txt');
  const stamps = [...text.matchAll(/^=== (\S+) jcmd (\d+) /gm)];
  assert.equal(snapshots.length, 3);
  assert.equal(stamps.length, 3);
  snapshots.forEach((s, i) => {
    assert.equal(s.epochMs, Date.parse(stamps[i]![1]!));
    assert.equal(s.pid, Number(stamps[i]![2]));
    assert.equal(category(s, 'Other').committedBytes, categoryLine(text, 'Other', i).committed);
    assert.equal(s.total.line, categoryLine(text, 'Total', i).line);
  });
  assert.deepEqual(
    snapshots.map((s) => category(s, 'Other').committedBytes),
    [16n * MiB, 64n * MiB, 120n * MiB],
  );
});

test('detail tracking: the summary part is read, call sites and the memory map are skipped', () => {
  const text = readNmt('jdk17-detail-scale-mb.txt');
  const snapshots = snapshotsOf('jdk17-detail-scale-mb.txt');
  assert.equal(snapshots.length, 1);
  const [s] = snapshots;
  assert.ok(s);
  assert.equal(s.detail, true);
  assert.deepEqual(s.categories.map((c) => c.name), categoryNames(text));
  assert.equal(category(s, 'Other').committedBytes, 8n * MiB);
  const [summary] = snapshotsOf('jdk17-detail-summary.txt');
  assert.ok(summary);
  assert.equal(summary.detail, false);
  assert.equal(category(summary, 'Other').committedBytes, 8n * MiB);
});

test('JDK 8 (public source): NIO direct memory under Internal, no module categories', () => {
  // test/fixtures/diagnose/nmt/README.md: a 1 GiB ByteBuffer.allocateDirect on JDK 8.
  const [s] = snapshotsOf('jdk8-summary-direct-1g.txt');
  assert.ok(s);
  assert.equal(s.generation, 'jdk8');
  assert.equal(s.pid, 34907);
  assert.equal(s.total.reservedBytes, 2552393n * KiB);
  assert.equal(s.total.committedBytes, 1253425n * KiB);
  assert.equal(s.totalMalloc, undefined);
  assert.deepEqual(
    s.categories.map((c) => c.name),
    ['Java Heap', 'Class', 'Thread', 'Code', 'GC', 'Compiler', 'Internal', 'Symbol', 'Native Memory Tracking', 'Arena Chunk'],
  );
  const internal = category(s, 'Internal');
  assert.equal(internal.committedBytes, 1060145n * KiB);
  assert.equal(internal.malloc?.bytes, 1060113n * KiB);
  assert.equal(internal.malloc?.count, 1766);
  assert.equal(category(s, 'Java Heap').reservedBytes, 128n * MiB);
  assert.equal(category(s, 'Thread').threads?.count, 24);
  assert.equal(category(s, 'Class').classes?.count, 640);
  assert.equal(category(s, 'Class').classes?.instanceClasses, undefined);
  // "(malloc=176KB)": the Arena Chunk line has no count.
  assert.deepEqual(category(s, 'Arena Chunk').malloc, { bytes: 176n * KiB, deltaBytes: 0n });
});

test('JDK 11 (public source): summary and summary.diff with metaspace free lines', () => {
  const [s] = snapshotsOf('jdk11-summary.txt');
  assert.ok(s);
  assert.equal(s.generation, 'jdk9+');
  assert.equal(s.total.committedBytes, 657786n * KiB);
  assert.equal(category(s, 'Other').committedBytes, 16n * KiB);
  assert.equal(category(s, 'Class').metadata?.freeBytes, 672n * KiB);
  assert.equal(category(s, 'Class').classSpace?.usedBytes, 3370n * KiB);
  assert.equal(category(s, 'Synchronizer').committedBytes, 129n * KiB);

  const [d] = snapshotsOf('jdk11-summary-diff.txt');
  assert.ok(d);
  assert.equal(d.kind, 'diff');
  assert.equal(d.total.committedDeltaBytes, 3068n * KiB);
  assert.equal(category(d, 'Class').classes?.delta, 395);
  assert.equal(category(d, 'Class').metadata?.committedDeltaBytes, 2048n * KiB);
  assert.equal(category(d, 'Other').committedDeltaBytes, 36n * KiB);
  assert.equal(category(d, 'Module').malloc?.countDelta, 7);
  assert.equal(category(d, 'Java Heap').committedDeltaBytes, 0n);
});

test('jcmd answers without a report become typed errors with their line', () => {
  const off = parseNmt(readNmt('jdk17-nmt-off.txt'), 'off.txt');
  assert.ok(isNmtParseError(off));
  assert.equal(off.code, 'nmt-not-enabled');
  assert.equal(off.line, 2);
  assert.equal(off.text, 'Native memory tracking is not enabled');
  assert.match(off.message, /^off\.txt:2: .*-XX:NativeMemoryTracking=summary/);

  const noBaseline = parseNmt(readNmt('jdk17-no-baseline.txt'), 'nb.txt');
  assert.ok(isNmtParseError(noBaseline));
  assert.equal(noBaseline.code, 'nmt-no-baseline');
  assert.equal(noBaseline.line, 2);

  const baselineOnly = parseNmt(readNmt('jdk17-baseline.txt'), 'b.txt');
  assert.ok(isNmtParseError(baselineOnly));
  assert.equal(baselineOnly.code, 'nmt-missing');

  for (const empty of ['', '\n\n', 'hello\n']) {
    const r = parseNmt(empty, 'e.txt');
    assert.ok(isNmtParseError(r));
    assert.equal(r.code, 'nmt-missing');
  }
});

test('corrupted reports: a typed error naming the file and line, never an exception', () => {
  const text = readNmt('jdk17-summary.txt');
  const lines = text.split('\n');

  const badUnit = lines.map((l) => (l.includes('(malloc=16384KB #16)') ? l.replace('16384KB', '16384XB') : l));
  const r1 = parseNmt(badUnit.join('\n'), 'x.txt');
  assert.ok(isNmtParseError(r1));
  assert.equal(r1.code, 'nmt-malformed');
  assert.equal(r1.line, lines.findIndex((l) => l.includes('(malloc=16384KB #16)')) + 1);
  assert.match(r1.message, /^x\.txt:\d+: unreadable NMT figure in category "Other"$/);

  const mixed = lines.map((l) => (/^-\s+Other \(/.test(l) ? l.replace('committed=16384KB', 'committed=16MB') : l));
  const r2 = parseNmt(mixed.join('\n'), 'x.txt');
  assert.ok(isNmtParseError(r2));
  assert.equal(r2.line, categoryLine(text, 'Other').line);
  assert.match(r2.message, /figure in MB in a report scaled in KB/);

  const cut = lines.slice(0, lines.findIndex((l) => l.startsWith('Total:')));
  const r3 = parseNmt(cut.join('\n'), 'x.txt');
  assert.ok(isNmtParseError(r3));
  assert.equal(r3.line, 1);
  assert.match(r3.message, /ends before its "Total:" line/);
});

test('CRLF line ends read the same as LF', () => {
  const text = readNmt('jdk17-summary-diff.txt');
  const lf = parseNmt(text, 'f');
  const crlf = parseNmt(text.replace(/\n/g, '\r\n'), 'f');
  assert.deepEqual(crlf, lf);
});

test('any mangling of a real report returns snapshots or a typed error', () => {
  const text = readNmt('jdk17-summary-diff.txt');
  // A fixed LCG, so a failure reproduces.
  let seed = 20240601;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const junk = ['(', ')', '=', '-', '+', '#', 'KB', 'MB', '9', ':', '\n', ' ', 'Total: ', 'reserved='];
  for (let i = 0; i < 300; i++) {
    let t = text;
    for (let k = 0; k < 1 + next(6); k++) {
      const at = next(t.length);
      t = next(2) === 0 ? t.slice(0, at) + junk[next(junk.length)]! + t.slice(at + next(4)) : t.slice(0, at) + t.slice(at + 1 + next(40));
    }
    const r = parseNmt(t, 'fuzz');
    if (isNmtParseError(r)) {
      assert.ok(r.line >= 1 && r.line <= t.split('\n').length, r.message);
      assert.ok(r.message.startsWith(`fuzz:${r.line}: `));
    } else {
      for (const s of r) for (const c of s.categories) assert.ok(c.committedBytes >= 0n);
    }
  }
});
