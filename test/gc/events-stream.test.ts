/** The library's typed event stream: the same events the aggregators see, in order, with back-pressure. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeGcLogs, gcEvents } from '../../src/gc/analyze.js';

const fixture = join(import.meta.dirname, '../../../test/fixtures/gc/unified/g1-gc-default.txt');

test('gcEvents yields every pause of the log, in line order, each naming its file', async () => {
  const pauses: Array<{ line: number; durationMs: number }> = [];
  for await (const event of gcEvents([{ kind: 'file', path: fixture }])) {
    assert.equal(event.file, fixture);
    if (event.type === 'pause') pauses.push({ line: event.line, durationMs: event.durationMs });
  }
  // The log's own pause lines, counted from the text.
  const text = readFileSync(fixture, 'latin1').split('\n');
  const expected = text.flatMap((l, i) => (/\] GC\(\d+\) Pause .* (\d+\.\d+)ms$/.test(l) ? [{ line: i + 1, durationMs: Number(/(\d+\.\d+)ms$/.exec(l)![1]) }] : []));
  assert.deepEqual(pauses, expected);
  assert.equal((await analyzeGcLogs([{ kind: 'file', path: fixture }])).pauses.count, expected.length);
});

test('a slow consumer holds the reading back, and stopping early ends it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-memory-events-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // ~12 MB of real lines: many chunks, far more events than the queue may hold.
  const source = readFileSync(fixture, 'latin1');
  const big = join(dir, 'big.log');
  writeFileSync(big, source.repeat(Math.ceil((12 * 1024 * 1024) / source.length)));
  let seen = 0;
  let maxHeapGrowth = 0;
  const base = process.memoryUsage().heapUsed;
  for await (const event of gcEvents([{ kind: 'file', path: big }])) {
    void event;
    seen++;
    if (seen % 5000 === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - base);
    }
    if (seen === 60_000) break;
  }
  assert.equal(seen, 60_000);
  // Without back-pressure the whole file's events (hundreds of thousands) would be queued.
  assert.ok(maxHeapGrowth < 200 * 1024 * 1024, `heap grew by ${maxHeapGrowth} bytes`);
});
