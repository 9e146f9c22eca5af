/** The NMT detector as the doctor drives it: line by line, evidence at the end. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_EVIDENCE_PER_KIND, type Evidence } from '../../src/diagnose/evidence.js';
import { createNmtDetector, looksLikeNmt, type NmtDetector } from '../../src/diagnose/nmt/detector.js';
import { categoryLine, nmtFixtures, readNmt, root, snapshotsOf } from './nmt-fixtures.js';

function run(text: string, file = 'nmt.txt'): { detector: NmtDetector; evidence: Evidence[] } {
  const detector = createNmtDetector(file);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((l, i) => detector.onLine(l, i + 1));
  return { detector, evidence: detector.finish() };
}

test('looksLikeNmt: every jcmd report here, and nothing else', () => {
  for (const name of readdirSync(nmtFixtures).filter((n) => /^jdk\d+-.*\.txt$/.test(n))) {
    const first = readNmt(name).split('\n').slice(0, 50);
    const expected = !['jdk17-baseline.txt', 'jdk17-no-baseline.txt', 'jdk17-java-version.txt', 'jdk17-untracked-rss.txt'].includes(name);
    assert.equal(looksLikeNmt(first), expected, name);
  }
  const gc = readFileSync(join(root, 'test', 'fixtures', 'gc', 'unified', 'g1-gc-default.txt'), 'utf8').split('\n').slice(0, 50);
  assert.equal(looksLikeNmt(gc), false);
  assert.equal(looksLikeNmt(readNmt('config.yaml').split('\n')), false);
  assert.equal(looksLikeNmt(['2024-05-01 10:00:00,123 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor [] - Memory usage']), false);
});

test('appended reports: one nmt-summary each, on its Total line, with every category as a fact', () => {
  const text = readNmt('jdk17-connector-growth.txt');
  const snapshots = snapshotsOf('jdk17-connector-growth.txt');
  const { evidence, detector } = run(text, 'growth.txt');
  assert.equal(evidence.length, 3);
  assert.equal(detector.snapshots().length, 3);
  assert.equal(detector.error(), undefined);
  evidence.forEach((e, i) => {
    const s = snapshots[i]!;
    const total = categoryLine(text, 'Total', i);
    assert.equal(e.kind, 'nmt-summary');
    assert.deepEqual(e.at, { file: 'growth.txt', line: total.line, text: text.split('\n')[total.line - 1] });
    assert.equal(e.epochMs, s.epochMs);
    assert.equal(e.facts['pid'], s.pid);
    assert.equal(e.facts['snapshotIndex'], i);
    assert.equal(e.facts['report'], 'summary');
    assert.equal(e.facts['total.committed'], total.committed.toString());
    for (const c of s.categories) {
      assert.equal(e.facts[`${c.name}.committed`], categoryLine(text, c.name, i).committed.toString(), c.name);
      assert.equal(e.facts[`${c.name}.reserved`], categoryLine(text, c.name, i).reserved.toString(), c.name);
    }
    assert.equal(e.facts['Thread.threads'], s.categories.find((c) => c.name === 'Thread')?.threads?.count);
  });
  assert.match(evidence[2]!.summary, new RegExp(`^NMT summary \\(pid ${snapshots[2]!.pid}\\): [\\d.]+mb committed of [\\d.]+mb reserved; Other 120mb, Java Heap 64mb, `));
});

test('summary.diff: the changes are facts too, and the summary names the largest', () => {
  const text = readNmt('jdk17-summary-diff.txt');
  const { evidence } = run(text);
  assert.equal(evidence.length, 1);
  const e = evidence[0]!;
  assert.equal(e.facts['report'], 'summary.diff');
  assert.equal(e.facts['Other.committedDelta'], categoryLine(text, 'Other').committedDelta.toString());
  assert.equal(e.facts['total.committedDelta'], categoryLine(text, 'Total').committedDelta.toString());
  assert.match(e.summary, /since the baseline; Other \+104mb, Thread \+/);
  assert.equal(e.epochMs, undefined);
});

test('a JVM without NMT: nmt-not-enabled evidence on jcmd\'s answer', () => {
  const { evidence, detector } = run(readNmt('jdk17-nmt-off.txt'), 'off.txt');
  assert.deepEqual(evidence, [
    {
      kind: 'nmt-not-enabled',
      at: { file: 'off.txt', line: 2, text: 'Native memory tracking is not enabled' },
      summary: 'jcmd VM.native_memory: native memory tracking is not enabled (start the JVM with -XX:NativeMemoryTracking=summary)',
      facts: {},
    },
  ]);
  assert.equal(detector.snapshots().length, 0);
});

test('a long collection loop keeps the first reports and the latest, and counts the rest', () => {
  const one = readNmt('jdk17-connector-growth.txt');
  const copies = MAX_EVIDENCE_PER_KIND + 50;
  const { evidence, detector } = run(Array.from({ length: copies }, () => one).join(''));
  assert.equal(evidence.length, MAX_EVIDENCE_PER_KIND);
  assert.equal(detector.snapshots().length, MAX_EVIDENCE_PER_KIND);
  const last = evidence.at(-1)!;
  assert.equal(last.facts['snapshotIndex'], copies * 3 - 1);
  assert.equal(last.facts['snapshotsOmitted'], copies * 3 - MAX_EVIDENCE_PER_KIND);
  // The last report of the file is the 120 MiB one.
  assert.equal(last.facts['Other.committed'], (120n * 1024n * 1024n).toString());
  assert.equal(evidence[0]!.facts['snapshotIndex'], 0);
});

test('a corrupted report after good ones: the good ones stay, the error names the line', () => {
  const text = readNmt('jdk17-connector-growth.txt');
  const lines = text.split('\n');
  const third = categoryLine(text, 'Other', 2).line;
  lines[third] = lines[third]!.replace(/malloc=\d+KB/, 'malloc=12QB');
  const { evidence, detector } = run(lines.join('\n'), 'bad.txt');
  assert.equal(evidence.length, 2);
  assert.equal(detector.error()?.code, 'nmt-malformed');
  assert.equal(detector.error()?.line, third + 1);
  assert.match(detector.error()?.message ?? '', /^bad\.txt:\d+: unreadable NMT figure in category "Other"$/);
});
