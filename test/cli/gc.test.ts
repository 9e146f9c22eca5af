import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runCliCaptured } from './cli-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const unified = join(root, 'test', 'fixtures', 'gc', 'unified');
const dir = mkdtempSync(join(tmpdir(), 'flink-memory-gc-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Expected figures straight from the log text, independent of the parser: every `[gc]` line of
 * -Xlog:gc that states "Pause ... <n>ms", classified by its words.
 */
function countFromText(text: string): { count: number; totalMs: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  let count = 0;
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /\] GC\(\d+\) (Pause [^\n]*?) (\d+\.\d+)ms$/.exec(line);
    if (m === null) continue;
    const label = m[1]!;
    const kind = label.startsWith('Pause Young (Mixed)') || label.startsWith('Pause Mixed') ? 'mixed'
      : label.startsWith('Pause Young') ? 'young'
      : label.startsWith('Pause Full') ? 'full'
      : label.startsWith('Pause Remark') ? 'remark'
      : label.startsWith('Pause Cleanup') ? 'cleanup'
      : 'other';
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    count++;
    total += Number(m[2]);
  }
  return { count, totalMs: Math.round(total * 1000) / 1000, byKind };
}

interface GcJson {
  collector: string;
  spanSeconds: number;
  throughputPercent: number;
  pauses: { count: number; totalMs: number; maxMs: number; byKind: Record<string, { count: number; totalMs: number; maxMs: number }> };
  fullGc: { count: number };
  unrecognisedLines: number;
  advice: { heap: { resulting: { totalProcessMemory: string } | null } | null; envJavaOpts: string | null };
}

test('gc --format json on a real G1 log matches the figures the log states', async () => {
  const file = join(unified, 'g1-gc-default.txt');
  const expected = countFromText(readFileSync(file, 'latin1'));
  assert.ok(expected.count > 50, 'fixture has pauses');
  const run = await runCliCaptured(['gc', file, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout) as GcJson;
  assert.equal(json.collector, 'G1');
  assert.equal(json.pauses.count, expected.count);
  assert.equal(json.pauses.totalMs, expected.totalMs);
  for (const [kind, n] of Object.entries(expected.byKind)) assert.equal(json.pauses.byKind[kind]?.count, n, kind);
  assert.equal(json.unrecognisedLines, 0);
  assert.equal(json.fullGc.count, expected.byKind['full'] ?? 0);
  assert.ok(json.spanSeconds > 0 && json.throughputPercent > 0 && json.throughputPercent <= 100);
});

test('text and html reports', async () => {
  const file = join(unified, 'g1-gcstar-pressure.txt');
  const text = await runCliCaptured(['gc', file]);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(text.stdout.startsWith('GC log summary: G1'));
  assert.ok(text.stdout.includes('Pause histogram'));
  assert.ok(text.stdout.includes('Full GC: '));
  const out = join(dir, 'report.html');
  const html = await runCliCaptured(['gc', file, '--format', 'html', '--out', out]);
  assert.equal(html.code, 0, html.stderr);
  assert.equal(html.stderr, `wrote ${out}\n`);
  const page = readFileSync(out, 'utf8');
  assert.equal(page.match(/<svg /g)?.length, 3, 'heap, pause and histogram charts');
  assert.ok(!/<script|https?:\/\//.test(page), 'self-contained: no script, no network');
});

test('a rotated set reads as one log in write order', async () => {
  const rotated = join(unified, 'rotated');
  const files = readdirSync(rotated).map((f) => join(rotated, f));
  const expected = files.map((f) => countFromText(readFileSync(f, 'latin1'))).reduce((a, b) => ({ count: a.count + b.count, totalMs: a.totalMs + b.totalMs, byKind: {} }));
  const json = JSON.parse((await runCliCaptured(['gc', ...files.reverse(), '--format', 'json'])).stdout) as GcJson & { inputs: Array<{ name: string }> };
  assert.equal(json.pauses.count, expected.count);
  assert.equal(json.pauses.totalMs, Math.round(expected.totalMs * 1000) / 1000);
  assert.equal(json.inputs.at(-1)!.name.endsWith('gc.txt'), true, 'the live file comes last');
});

test('gzip and standard input', async () => {
  const source = readFileSync(join(unified, 'g1-gc-default.txt'));
  const gz = join(dir, 'gc.log.gz');
  writeFileSync(gz, gzipSync(source));
  const expected = countFromText(source.toString('latin1'));
  const fromGz = JSON.parse((await runCliCaptured(['gc', gz, '-f', 'json'])).stdout) as GcJson;
  assert.equal(fromGz.pauses.count, expected.count);
  const bin = join(root, 'bin', 'flink-memory.js');
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [bin, 'gc', '-', '--format', 'json'], (e, out) => (e ? reject(e) : resolve(out)));
    child.stdin!.end(source);
  });
  assert.equal((JSON.parse(stdout) as GcJson).pauses.count, expected.count);
});

test('bad input never crashes: clear one-line errors, exit 2', async () => {
  const notGc = join(dir, 'notes.txt');
  writeFileSync(notGc, 'hello\nthis is not a GC log\n');
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '');
  const broken = join(dir, 'broken.log.gz');
  writeFileSync(broken, gzipSync(readFileSync(join(unified, 'g1-gc-default.txt'))).subarray(0, 200));
  for (const [argv, pattern] of [
    [['gc', notGc], new RegExp(`^flink-memory: no GC events found in ${notGc.replace(/[.]/g, '\\.')}\n$`)],
    [['gc', empty], /^flink-memory: no GC events found in .*empty\.log\n$/],
    [['gc', broken], /^flink-memory: .*broken\.log\.gz: (broken gzip data|unexpected end of file)/],
    [['gc', join(dir, 'missing.log')], /^flink-memory: .*missing\.log: no such file\n$/],
    [['gc'], /^flink-memory: gc: no GC log given/],
    [['gc', notGc, '--format', 'pdf'], /^flink-memory: gc: unknown --format 'pdf'/],
  ] as const) {
    const run = await runCliCaptured([...argv]);
    assert.equal(run.code, 2, argv.join(' '));
    assert.match(run.stderr, pattern);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  }
});

test('garbage, truncated and CRLF lines are counted, not fatal', async () => {
  const source = readFileSync(join(unified, 'g1-gc-default.txt'), 'latin1');
  const expected = countFromText(source);
  const lines = source.split('\n');
  const lastPause = lines.findLastIndex((line) => / Pause .*ms$/.test(line));
  // The last pause line loses its duration, as when a JVM dies mid-write; everything after it stays.
  lines[lastPause] = lines[lastPause]!.slice(0, 40);
  const mangled = [lines[0], '%%% garbage %%%', ...lines.slice(1)].join('\r\n');
  const file = join(dir, 'mangled.log');
  writeFileSync(file, mangled);
  const json = JSON.parse((await runCliCaptured(['gc', file, '-f', 'json'])).stdout) as GcJson;
  assert.equal(json.pauses.count, expected.count - 1, 'the truncated last pause is not counted');
  assert.ok(json.unrecognisedLines >= 1, 'the garbage line is counted');
});

test('ZGC: the heap after each cycle comes from its summary line, and the live set from their median', async () => {
  const file = join(unified, 'zgc-gcstar.txt');
  const MiB = 1024 * 1024;
  // "GC(3) Garbage Collection (Warmup) 128M(100%)->22M(17%)": the size after the arrow, in M.
  const after = readFileSync(file, 'latin1')
    .split('\n')
    .map((l) => /\] GC\(\d+\) Garbage Collection \(.*\) \d+M\(\d+%\)->(\d+)M\(\d+%\)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]) * MiB);
  assert.ok(after.length >= 3);
  const json = JSON.parse((await runCliCaptured(['gc', file, '-f', 'json'])).stdout) as { heap: { heapAfterGc: Array<[number, number, string]>; liveSetBytes: number } };
  assert.deepEqual(json.heap.heapAfterGc.map((p) => p[1]), after);
  const sorted = [...after].sort((a, b) => a - b);
  assert.equal(json.heap.liveSetBytes, sorted[Math.floor((sorted.length - 1) / 2)]);
});
