import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GcInputError, MAX_LINE_LENGTH, orderInputs, readLines, type GcInput } from '../../src/gc/read.js';

const dir = mkdtempSync(join(tmpdir(), 'flink-memory-gc-read-'));
const put = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function linesOf(path: string): Promise<Array<[string, number]>> {
  const seen: Array<[string, number]> = [];
  await readLines({ kind: 'file', path }, { line: (text, n) => seen.push([text, n]) });
  return seen;
}

test('splits lines, strips CR, keeps a last line without newline', async () => {
  const path = put('crlf.log', 'a\r\nbb\n\r\nccc');
  assert.deepEqual(await linesOf(path), [['a', 1], ['bb', 2], ['', 3], ['ccc', 4]]);
});

test('reads gzip by its magic bytes, whatever the name', async () => {
  const path = put('rotated.log.0', gzipSync('[0.1s][info][gc] x\n[0.2s][info][gc] y\n'));
  assert.deepEqual(await linesOf(path), [['[0.1s][info][gc] x', 1], ['[0.2s][info][gc] y', 2]]);
});

test('a broken gzip and a missing file are clear one-line errors', async () => {
  const broken = put('broken.gz', Buffer.concat([gzipSync('x'.repeat(10000)).subarray(0, 30), Buffer.from('garbage')]));
  await assert.rejects(linesOf(broken), (e: unknown) => e instanceof GcInputError && /broken\.gz: (broken gzip data|unexpected end of file)/.test(e.message) && !e.message.includes('\n'));
  await assert.rejects(linesOf(join(dir, 'nope.log')), (e: unknown) => e instanceof GcInputError && e.message === `${join(dir, 'nope.log')}: no such file`);
});

test('an empty file has no lines; an absurdly long line is cut', async () => {
  assert.deepEqual(await linesOf(put('empty.log', '')), []);
  const long = await linesOf(put('long.log', `${'x'.repeat(MAX_LINE_LENGTH * 3)}\nend\n`));
  assert.equal(long.at(-1)![0], 'end');
  assert.ok(long.every(([text]) => text.length <= MAX_LINE_LENGTH));
});

test('a rotated set is read in the order it was written (first timestamps), not by name', async () => {
  // -Xlog rotation: gc.log is the live file, numbered files wrap around.
  const live = put('gc.log', '[30.000s][info][gc] GC(9) Pause Young\n');
  const older = put('gc.log.1', '[10.000s][info][gc] GC(3) Pause Young\n');
  const oldest = put('gc.log.0', '[5.000s][info][gc] GC(1) Pause Young\n');
  const middle = put('gc.log.2', '[20.000s][info][gc] GC(6) Pause Young\n');
  const inputs: GcInput[] = [live, older, oldest, middle].map((path) => ({ kind: 'file', path }));
  assert.deepEqual((await orderInputs(inputs)).map((i) => (i.kind === 'file' ? i.path : '-')), [oldest, older, middle, live]);
  // JDK 8 rolling files without timestamps fall back to their numbers, ".current" last.
  const a = put('old.log.0', 'no time\n');
  const b = put('old.log.1.current', 'no time\n');
  const c = put('old.log.2', 'no time\n');
  const order = await orderInputs([b, c, a].map((path) => ({ kind: 'file', path })));
  assert.deepEqual(order.map((i) => (i.kind === 'file' ? i.path : '-')), [a, c, b]);
});
