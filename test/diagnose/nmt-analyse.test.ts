/**
 * analyseNmt on real reports against the Flink budget of the process that produced them: the
 * jdk17 fixture JVMs ran with the flags derived from test/fixtures/diagnose/nmt/config.yaml
 * (heap 64 MiB, metaspace 32, direct 32 = framework off-heap 16 + task off-heap 8 + network 8,
 * managed 32, overhead 96, process 256).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseNmt, nmtBaselineOf, nmtDiff, type NmtAnalysis, type NmtBudgetName } from '../../src/diagnose/nmt/analyse.js';
import type { NmtSnapshot } from '../../src/diagnose/nmt/parse.js';
import { deriveJobManagerMemory } from '../../src/memory/jobmanager.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { KiB, MiB, categoryLine, fixtureSpec, readNmt, snapshotsOf, untrackedRss } from './nmt-fixtures.js';

function budget(a: NmtAnalysis, name: NmtBudgetName) {
  return a.budgets.find((b) => b.budgetName === name) ?? assert.fail(`no budget ${name}`);
}

function committedOf(s: NmtSnapshot, name: string): bigint {
  return s.categories.find((c) => c.name === name)?.committedBytes ?? 0n;
}

test('the fixture JVMs ran with exactly the flags this configuration derives', () => {
  const spec = fixtureSpec();
  assert.equal(spec.jvmParams, '-Xmx67108864 -Xms67108864 -XX:MaxDirectMemorySize=33554432 -XX:MaxMetaspaceSize=33554432');
  assert.equal(spec.memory.totalProcessMemory.bytes, 256n * MiB);
  // NMT's heap reservation is the -Xmx the JVM got.
  assert.equal(categoryLine(readNmt('jdk17-summary.txt'), 'Java Heap').reserved, spec.memory.jvmHeap.bytes);
});

test('a TaskManager within its budgets: each category on its budget, no findings', () => {
  const text = readNmt('jdk17-summary.txt');
  const [s] = snapshotsOf('jdk17-summary.txt');
  assert.ok(s);
  const spec = fixtureSpec();
  const a = analyseNmt(s, spec);
  assert.deepEqual(a.findings, []);
  assert.equal(a.generation, 'jdk9+');
  assert.equal(a.directCategory, 'Other');
  assert.equal(a.precisionBytes, 512n);
  assert.equal(a.baseline, undefined);

  const heap = budget(a, 'jvmHeap');
  assert.deepEqual(heap.categories, ['Java Heap']);
  assert.equal(heap.committedBytes, categoryLine(text, 'Java Heap').committed);
  assert.equal(heap.budgetBytes, spec.memory.jvmHeap.bytes);

  const meta = budget(a, 'jvmMetaspace');
  assert.deepEqual(meta.categories, ['Class', 'Metaspace']);
  assert.equal(meta.committedBytes, categoryLine(text, 'Class').committed + categoryLine(text, 'Metaspace').committed);
  assert.equal(meta.budgetBytes, 32n * MiB);
  assert.deepEqual(meta.options, ['taskmanager.memory.jvm-metaspace.size']);

  const direct = budget(a, 'jvmDirect');
  assert.deepEqual(direct.categories, ['Other']);
  assert.equal(direct.committedBytes, 16n * MiB);
  assert.equal(direct.budgetBytes, spec.memory.jvmDirect.bytes);
  assert.equal(direct.headroomBytes, 16n * MiB);
  assert.equal(direct.share, 0.5);
  assert.equal(direct.over, false);

  const overhead = budget(a, 'jvmOverhead');
  const rest = s.categories.filter((c) => !['Java Heap', 'Class', 'Metaspace', 'Other'].includes(c.name));
  assert.deepEqual(overhead.categories, rest.map((c) => c.name));
  assert.equal(overhead.committedBytes, rest.reduce((sum, c) => sum + categoryLine(text, c.name).committed, 0n));
  assert.equal(overhead.budgetBytes, 96n * MiB);
  assert.equal(a.budgets.some((b) => b.budgetName === 'untracked'), false);

  // Per category: its share of NMT's total and the budget it draws on.
  const other = a.categories.find((c) => c.category === 'Other')!;
  assert.equal(other.budgetName, 'jvmDirect');
  assert.equal(other.budgetBytes, 32n * MiB);
  assert.equal(other.over, false);
  assert.equal(other.share, Number((16n * MiB * 10000n) / s.total.committedBytes) / 10000);
  const thread = a.categories.find((c) => c.category === 'Thread')!;
  assert.equal(thread.budgetName, 'jvmOverhead');
  assert.equal(a.categories.length, s.categories.length);
  const shares = a.categories.reduce((sum, c) => sum + c.share, 0);
  assert.ok(Math.abs(shares - 1) < 0.01, String(shares));
});

test('the seed\'s connector case from summary.diff: Other grows past the direct budget, unexplained', () => {
  const text = readNmt('jdk17-summary-diff.txt');
  const [d] = snapshotsOf('jdk17-summary-diff.txt');
  assert.ok(d);
  const a = analyseNmt(d, fixtureSpec());
  assert.equal(a.baseline, 'summary-diff');
  const other = categoryLine(text, 'Other');
  const direct = budget(a, 'jvmDirect');
  assert.equal(direct.over, true);
  assert.equal(direct.committedBytes, other.committed);
  assert.equal(direct.growthBytes, other.committedDelta);
  assert.equal(direct.excessBytes, other.committed - 32n * MiB);

  const growth = a.findings.find((f) => f.kind === 'unexplained-growth');
  assert.ok(growth);
  assert.equal(growth.severity, 'critical');
  assert.equal(growth.budgetName, 'jvmDirect');
  assert.deepEqual(growth.categories, ['Other']);
  assert.deepEqual(growth.figures, {
    committedBytes: other.committed,
    budgetBytes: 32n * MiB,
    excessBytes: other.committed - 32n * MiB,
    growthBytes: other.committedDelta,
  });
  assert.equal(
    growth.summary,
    'Other grew by 104mb to 120mb since the baseline, 88mb beyond the 32mb direct memory budget (framework off-heap + task off-heap + network, -XX:MaxDirectMemorySize): ' +
      '-XX:MaxDirectMemorySize stops ByteBuffer.allocateDirect at 32mb, so the rest is Unsafe.allocateMemory or JNI malloc filed under "Other" by a library or connector that no JVM limit holds',
  );
  assert.equal(a.findings[0], growth);
  assert.equal(a.categories.find((c) => c.category === 'Other')?.over, true);
  assert.equal(a.categories.find((c) => c.category === 'Other')?.growthBytes, other.committedDelta);

  // 270-odd MiB committed plus 32 MiB of managed memory RocksDB would fill: above the 256 MiB process.
  const process = a.findings.find((f) => f.kind === 'process-over-budget');
  assert.ok(process);
  assert.equal(process.figures['excessBytes'], d.total.committedBytes + 32n * MiB - 256n * MiB);
});

test('the same growth between two appended summaries, and nmtDiff of them', () => {
  const text = readNmt('jdk17-connector-growth.txt');
  const [first, second, last] = snapshotsOf('jdk17-connector-growth.txt');
  assert.ok(first && second && last);
  const spec = fixtureSpec();

  const diff = nmtDiff(first, last);
  assert.equal(diff.differentProcess, false);
  assert.equal(diff.committedDeltaBytes, categoryLine(text, 'Total', 2).committed - categoryLine(text, 'Total', 0).committed);
  const other = diff.categories.find((c) => c.category === 'Other')!;
  assert.equal(other.beforeCommittedBytes, categoryLine(text, 'Other', 0).committed);
  assert.equal(other.afterCommittedBytes, categoryLine(text, 'Other', 2).committed);
  assert.equal(other.committedDeltaBytes, 104n * MiB);
  assert.equal(other.mallocDeltaBytes, 104n * MiB);
  const threads = [...text.matchAll(/\(thread #(\d+)\)/g)].map((m) => Number(m[1]));
  assert.equal(diff.categories.find((c) => c.category === 'Thread')?.threadsDelta, threads[2]! - threads[0]!);
  assert.equal(threads[2]! - threads[0]!, 30);

  const a = analyseNmt(last, spec, { baseline: first });
  assert.equal(a.baseline, 'snapshot');
  const growth = a.findings.find((f) => f.kind === 'unexplained-growth');
  assert.ok(growth);
  assert.equal(growth.figures['growthBytes'], 104n * MiB);

  // Halfway: Other at 64 MiB, 32 over; as much as managed memory, hence the hint.
  const mid = analyseNmt(second, spec, { baseline: first });
  const midGrowth = mid.findings.find((f) => f.kind === 'unexplained-growth');
  assert.ok(midGrowth);
  assert.equal(midGrowth.figures['excessBytes'], 32n * MiB);
  assert.match(midGrowth.summary, /if this job's managed memory is allocated by Flink for batch operators or Python rather than by RocksDB, up to 32mb of it lands here too\)$/);

  // Without a baseline the same state is "over budget", not growth.
  const alone = analyseNmt(second, spec);
  assert.deepEqual(
    alone.findings.map((f) => [f.kind, f.budgetName]),
    [['over-budget', 'jvmDirect']],
  );
  assert.match(alone.findings[0]!.summary, /^Other holds 64mb, 32mb beyond the 32mb direct memory budget/);

  // When Flink allocates managed memory through Unsafe (batch), it is budgeted with direct memory.
  const batch = analyseNmt(second, spec, { baseline: first, managedMemory: 'unsafe' });
  const batchDirect = budget(batch, 'jvmDirect');
  assert.equal(batchDirect.budgetBytes, 64n * MiB);
  assert.equal(batchDirect.over, false);
  assert.match(batchDirect.label, /\+ managed\)$/);
  const note = batch.findings.find((f) => f.budgetName === 'jvmDirect');
  assert.equal(note?.kind, 'native-growth');
  assert.equal(note?.severity, 'warning');
  assert.match(note?.summary ?? '', /^Other grew by 48mb since the baseline to 64mb, 100% of the 64mb direct memory budget/);
});

test('nmtBaselineOf gives back the baseline a summary.diff was taken against', () => {
  const [d] = snapshotsOf('jdk17-summary-diff.txt');
  const [atBaseline] = snapshotsOf('jdk17-connector-growth.txt');
  assert.ok(d && atBaseline);
  const base = nmtBaselineOf(d);
  assert.equal(base.kind, 'summary');
  // The first appended summary was taken right after `baseline`: the direct buffers and the heap match.
  for (const name of ['Other', 'Java Heap', 'Shared class space']) assert.equal(committedOf(base, name), committedOf(atBaseline, name), name);
  assert.equal(
    base.categories.find((c) => c.name === 'Thread')?.threads?.count,
    atBaseline.categories.find((c) => c.name === 'Thread')?.threads?.count,
  );
  for (const c of base.categories) assert.equal(c.committedDeltaBytes, 0n);
  assert.equal(base.total.committedBytes, d.total.committedBytes - d.total.committedDeltaBytes);

  // JDK 11: 6821 classes after +395.
  const [d11] = snapshotsOf('jdk11-summary-diff.txt');
  assert.ok(d11);
  assert.equal(nmtBaselineOf(d11).categories.find((c) => c.name === 'Class')?.classes?.count, 6426);
});

test('native memory NMT does not see: RSS above NMT\'s total, against managed memory', () => {
  const [before, after] = snapshotsOf('jdk17-untracked.txt');
  assert.ok(before && after);
  const [rssBefore, rssAfter] = untrackedRss();
  assert.ok(rssBefore !== undefined && rssAfter !== undefined);
  const spec = fixtureSpec();

  const a = analyseNmt(after, spec, { rssBytes: rssAfter, baseline: before, baselineRssBytes: rssBefore });
  const untracked = budget(a, 'untracked');
  const expected = rssAfter - after.total.committedBytes;
  assert.equal(a.untrackedBytes, expected > 0n ? expected : 0n);
  assert.equal(untracked.committedBytes, a.untrackedBytes);
  const overheadHeadroom = budget(a, 'jvmOverhead').headroomBytes;
  assert.equal(untracked.budgetBytes, 32n * MiB + overheadHeadroom);
  // zlib's ~64 MiB: the growth of RSS beyond what NMT's total grew.
  assert.equal(untracked.growthBytes, rssAfter - after.total.committedBytes - (rssBefore - before.total.committedBytes));
  assert.ok(untracked.growthBytes! > 60n * MiB, String(untracked.growthBytes));

  const finding = a.findings.find((f) => f.budgetName === 'untracked');
  assert.ok(finding);
  if (untracked.over) {
    assert.equal(finding.kind, 'unexplained-growth');
  } else {
    assert.equal(finding.kind, 'untracked-native');
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.figures['untrackedBytes'], a.untrackedBytes);
    assert.equal(finding.figures['managedBytes'], 32n * MiB);
    assert.match(finding.summary, /more than managed memory's 32mb: RocksDB or another native library reaches into JVM overhead .*; it grew by /);
  }
  // The JVM itself barely moved: nothing else grew.
  assert.equal(a.findings.filter((f) => f.budgetName !== 'untracked').length, 0);

  // Before the zlib streams RSS does not exceed NMT's committed memory by much, or at all.
  const start = analyseNmt(before, spec, { rssBytes: rssBefore });
  assert.equal(start.findings.length, 0);
  if (rssBefore < before.total.committedBytes) {
    assert.equal(start.untrackedBytes, 0n);
    assert.equal(start.nonResidentCommittedBytes, before.total.committedBytes - rssBefore);
    assert.match(start.notes[0] ?? '', /is below NMT's committed .*not resident yet/);
  }
});

test('JDK 8 (public source): a 1 GiB direct buffer under Internal, against a 1 GiB direct budget', () => {
  // -Xmx128M -XX:MaxDirectMemorySize=1024M, as a Flink TaskManager: heap 64 + 64, direct 128 + 832 + 64.
  const derived = deriveTaskManagerMemory({
    'taskmanager.memory.framework.heap.size': '64m',
    'taskmanager.memory.task.heap.size': '64m',
    'taskmanager.memory.framework.off-heap.size': '128m',
    'taskmanager.memory.task.off-heap.size': '832m',
    'taskmanager.memory.network.min': '64m',
    'taskmanager.memory.network.max': '64m',
    'taskmanager.memory.managed.size': '0',
    'taskmanager.memory.jvm-metaspace.size': '256m',
    'taskmanager.memory.jvm-overhead.min': '192m',
    'taskmanager.memory.jvm-overhead.max': '192m',
  });
  assert.ok(derived.ok);
  assert.equal(derived.spec.jvmParams, '-Xmx134217728 -Xms134217728 -XX:MaxDirectMemorySize=1073741824 -XX:MaxMetaspaceSize=268435456');
  const [s] = snapshotsOf('jdk8-summary-direct-1g.txt');
  assert.ok(s);
  // ps reported RSS 1082824 KB for that process (README).
  const a = analyseNmt(s, derived.spec, { rssBytes: 1082824n * KiB });
  assert.equal(a.directCategory, 'Internal');
  const direct = budget(a, 'jvmDirect');
  assert.deepEqual(direct.categories, ['Internal']);
  assert.equal(direct.committedBytes, 1060145n * KiB);
  // 1 GiB of buffer plus 11.3 MiB of the JVM's own Internal allocations.
  assert.equal(direct.excessBytes, (1060145n - 1048576n) * KiB);
  const f = a.findings.find((x) => x.kind === 'over-budget');
  assert.equal(f?.severity, 'critical');
  assert.match(f?.summary ?? '', /^Internal holds 1.01gb, 11.30mb beyond the 1gb direct memory budget .*the JVM's own internal allocations, which JDK 8 files under "Internal" too$/);
  // Only 128 MiB of heap reserved: no mismatch. RSS is below NMT's committed (heap not all touched).
  assert.equal(a.findings.some((x) => x.kind === 'heap-size-mismatch'), false);
  assert.equal(a.untrackedBytes, 0n);
  assert.equal(a.nonResidentCommittedBytes, (1253425n - 1082824n) * KiB);
  // "(stack: reserved=23552KB, committed=23552KB)": JDK 8 reports every stack as committed.
  assert.ok(a.notes.some((n) => n.startsWith("JDK 8's NMT counts thread stacks as committed in full (JDK-8191369): 23mb here")), a.notes.join('\n'));
  // The JVM flag decides; read as JDK 9+ the 1 GiB would be overhead instead.
  const misread = analyseNmt(s, derived.spec, { generation: 'jdk9+' });
  assert.equal(budget(misread, 'jvmDirect').committedBytes, 0n);
  assert.equal(budget(misread, 'jvmOverhead').over, true);
});

test('a report from another process: heap reservation unlike the configured -Xmx', () => {
  const [s] = snapshotsOf('jdk11-summary.txt');
  assert.ok(s);
  const a = analyseNmt(s, fixtureSpec());
  const mismatch = a.findings.find((f) => f.kind === 'heap-size-mismatch');
  assert.ok(mismatch);
  assert.deepEqual(mismatch.figures, { heapReservedBytes: 512n * MiB, jvmHeapBytes: 64n * MiB });
  assert.equal(mismatch.summary, "NMT's Java Heap is reserved at 512mb, but this configuration gives -Xmx 64mb: the snapshot comes from a process started with other memory settings");
  // Its 512 MiB heap committed is over our 64 MiB heap budget too: a warning, the JVM caps the heap.
  const heap = a.findings.find((f) => f.kind === 'over-budget' && f.budgetName === 'jvmHeap');
  assert.equal(heap?.severity, 'warning');
});

test('a JobManager spec: heap, off-heap, metaspace and overhead budgets', () => {
  const derived = deriveJobManagerMemory({ 'jobmanager.memory.process.size': '1600m' });
  assert.ok(derived.ok);
  const [s] = snapshotsOf('jdk17-summary.txt');
  assert.ok(s);
  const a = analyseNmt(s, derived.spec);
  assert.equal(budget(a, 'jvmDirect').budgetBytes, derived.spec.memory.offHeap.bytes);
  assert.deepEqual(budget(a, 'jvmDirect').options, ['jobmanager.memory.off-heap.size']);
  assert.equal(a.processBudgetBytes, 1600n * MiB);
  assert.equal(a.findings.filter((f) => f.kind === 'heap-size-mismatch').length, 1);
});

test('growth of metaspace and threads within budget is reported with its counts', () => {
  const [d] = snapshotsOf('jdk11-summary-diff.txt');
  assert.ok(d);
  // A small TaskManager as the JDK 11 process would be: 512 MiB heap, metaspace 16 MiB, overhead 96 MiB.
  const derived = deriveTaskManagerMemory({
    'taskmanager.memory.framework.heap.size': '128m',
    'taskmanager.memory.task.heap.size': '384m',
    'taskmanager.memory.framework.off-heap.size': '16m',
    'taskmanager.memory.task.off-heap.size': '0',
    'taskmanager.memory.network.min': '16m',
    'taskmanager.memory.network.max': '16m',
    'taskmanager.memory.managed.size': '0',
    'taskmanager.memory.jvm-metaspace.size': '20m',
    'taskmanager.memory.jvm-overhead.min': '96m',
    'taskmanager.memory.jvm-overhead.max': '96m',
  });
  assert.ok(derived.ok);
  const a = analyseNmt(d, derived.spec);
  // Class grew by 2341 KB, Metaspace does not exist on JDK 11: Class is all of it, 31801 KB of 20 MiB.
  const meta = budget(a, 'jvmMetaspace');
  assert.equal(meta.committedBytes, 31801n * KiB);
  assert.equal(meta.growthBytes, 2341n * KiB);
  const f = a.findings.find((x) => x.budgetName === 'jvmMetaspace');
  assert.equal(f?.kind, 'unexplained-growth');
  assert.equal(f?.severity, 'warning');
  assert.equal(a.findings.some((x) => x.kind === 'heap-size-mismatch'), false);
});
