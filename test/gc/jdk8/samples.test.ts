/**
 * Every real JDK 7/8 log in ../shared/gc-samples/jdk8/ (beside the repository root): the parser
 * must agree with the simple counter (simple-counter.ts) on pause counts per kind, total pause time,
 * bad events and the collector, and must leave no line unrecognised.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runCli } from '../../../src/cli/main.js';
import type { CollectorEvent, GcEvent } from '../../../src/gc/events.js';
import { badOf, parseJdk8, pauseKinds, pausesOf, unrecognisedOf } from './helpers.js';
import { collectorsNamed, simpleCount, type SimpleCount } from './simple-counter.js';

/** The repository root: this file runs as dist/test/gc/jdk8/samples.test.js. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const samples = join(root, '..', 'shared', 'gc-samples', 'jdk8');

/**
 * Files whose structure defeats the simple counter; the figures below were counted by reading the
 * log, and each says why.
 */
const COUNTED_BY_HAND: Readonly<Record<string, SimpleCount>> = {
  // CMSScavengeBeforeRemark with FLS statistics: the young collection inside the remark closes on
  // a line of its own (", 0.1306264 secs] [Times: …]") that does not say ParNew, so the counter
  // takes it for a pause of its own. The log holds one remark pause, "[1 CMS-remark: …] …,
  // 0.1787717 secs]", and the young collection is part of it.
  'SampleSun1_8_0CMS_ScavengeBR_HeapAtGC_TenuringDist_PrintFLS.txt': { kinds: { remark: 1 }, totalNs: 178_771_700, bad: {} },
  // The log is cut after the last pause's "[Eden: …]" line, before its "[Times: …]": five young
  // pauses (20.894 + 14.829 + 12.484 + 18.574 + 77.938 ms), the last one without Times.
  'SampleSun1_7_0_40PrintGCCause.txt': { kinds: { young: 5 }, totalNs: 144_719_000, bad: {} },
};

/** Files that hold no pause at all, and why (read from the file). */
const NO_PAUSES: Readonly<Record<string, string>> = {
  'SampleSun1_8_0RollingLogfile.txt': 'a rotated file holding only its header: JVM, memory, command line, "has reached the maximum size"',
  'SampleSun1_8_0Series-Part7.txt': 'the newest file of a rotated set, holding only its header lines',
  'SampleOpenJdk1_8_0ShenandoahDetailsShutdown.txt': "only Shenandoah's heap and statistics at exit: per-phase totals, not pauses",
};

function readSample(name: string): string {
  const bytes = readFileSync(join(samples, name));
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('latin1');
}

function badKinds(events: readonly GcEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const b of badOf(events)) counts[b.kind] = (counts[b.kind] ?? 0) + 1;
  return counts;
}

const present = existsSync(samples);
const skip = present ? false : `no sample logs at ${samples} (the shared GC samples live beside the repository, not in it)`;
const files = present ? readdirSync(samples).filter((f) => f.endsWith('.txt') || f.endsWith('.log') || f.endsWith('.gz')).sort() : [];

test('JDK 8 samples folder', { skip }, () => {
  assert.ok(files.length > 0, `no logs in ${samples}`);
  for (const name of [...Object.keys(COUNTED_BY_HAND), ...Object.keys(NO_PAUSES)]) assert.ok(files.includes(name), `${name} is missing`);
});

for (const name of files) {
  test(`JDK 8 sample ${name}`, () => {
    const text = readSample(name);
    const events = parseJdk8(text);
    const expected = COUNTED_BY_HAND[name] ?? simpleCount(text);
    assert.deepEqual(
      unrecognisedOf(events).map((u) => `${u.line}: ${u.text.slice(0, 120)}`),
      [],
      'every line is recognised',
    );
    const named = collectorsNamed(text);
    assert.equal(named.length, 1, `the log names one collector: ${named.join(', ')}`);
    assert.deepEqual(
      events.filter((e): e is CollectorEvent => e.type === 'collector').map((e) => e.collector),
      named,
      'collector',
    );
    assert.deepEqual(pauseKinds(events), expected.kinds, 'pauses per kind');
    assert.equal(pausesOf(events).length === 0, name in NO_PAUSES, NO_PAUSES[name] ?? 'the log holds pauses');
    const totalNs = Math.round(pausesOf(events).reduce((sum, p) => sum + p.durationMs, 0) * 1e6);
    assert.equal(totalNs, expected.totalNs, 'total pause time (ns)');
    assert.deepEqual(badKinds(events), expected.bad, 'bad events');
  });
}

test('the files without pauses hold no pause record at all', { skip }, () => {
  for (const name of Object.keys(NO_PAUSES)) {
    const text = readSample(name);
    // Any pause of the JDK 8 format closes with "secs]" or, for Shenandoah, "ms]".
    assert.equal(/secs\]|ms\]|\[Times:/.test(text), false, name);
    assert.deepEqual(simpleCount(text).kinds, {}, name);
  }
});

test('a gzip-compressed JDK 8 log reads through the CLI like the plain file', { skip }, async () => {
  // The samples hold no .gz file; compress a real one. The name says nothing: gzip is recognised by content.
  const name = 'SampleSun1_7_0G1TenuringDistribution.txt';
  const text = readSample(name);
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-jdk8-gz-'));
  try {
    const zipped = join(dir, 'gc.log.0');
    writeFileSync(zipped, gzipSync(Buffer.from(text, 'latin1')));
    // The report names its file; with the name made neutral, both reports must be the same.
    const run = async (path: string): Promise<Record<string, unknown>> => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(['gc', '--format', 'json', path], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false, columns: 80 });
      assert.equal(code, 0, stderr);
      return JSON.parse(stdout.replaceAll(JSON.stringify(path), '"FILE"')) as Record<string, unknown>;
    };
    const fromGzip = await run(zipped);
    const expected = simpleCount(text);
    const pauses = fromGzip['pauses'] as { count: number; totalMs: number; byKind: Record<string, { count: number }> };
    assert.equal(fromGzip['collector'], 'G1');
    assert.equal(fromGzip['unrecognisedLines'], 0);
    assert.equal(fromGzip['lines'], text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
    assert.deepEqual(
      Object.fromEntries(Object.entries(pauses.byKind).map(([kind, figures]) => [kind, figures.count])),
      expected.kinds,
    );
    assert.equal(pauses.totalMs, Math.round(expected.totalNs / 1000) / 1000);
    const plain = await run(join(samples, name));
    assert.deepEqual(fromGzip, plain);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
