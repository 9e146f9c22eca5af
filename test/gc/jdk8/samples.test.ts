/**
 * Every real JDK 7/8 log in ../shared/gc-samples/jdk8/: the parser must agree with the simple
 * counter (simple-counter.ts) on pause counts per kind, total pause time and bad events, and must
 * leave no line unrecognised.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { GcEvent } from '../../../src/gc/events.js';
import { badOf, parseJdk8, pauseKinds, pausesOf, unrecognisedOf } from './helpers.js';
import { simpleCount, type SimpleCount } from './simple-counter.js';

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
const files = present ? readdirSync(samples).filter((f) => f.endsWith('.txt') || f.endsWith('.log') || f.endsWith('.gz')).sort() : [];

test('JDK 8 samples folder', { skip: present ? false : `no sample logs at ${samples} (shared GC samples are not checked in here)` }, () => {
  assert.ok(files.length > 0, `no logs in ${samples}`);
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
    assert.deepEqual(pauseKinds(events), expected.kinds, 'pauses per kind');
    const totalNs = Math.round(pausesOf(events).reduce((sum, p) => sum + p.durationMs, 0) * 1e6);
    assert.equal(totalNs, expected.totalNs, 'total pause time (ns)');
    assert.deepEqual(badKinds(events), expected.bad, 'bad events');
  });
}
