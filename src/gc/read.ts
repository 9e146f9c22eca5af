/**
 * Streams the lines of GC log inputs: plain files, gzip files (recognised by their magic bytes,
 * whatever their name), standard input, and rotated sets put in the order they were written.
 * Memory stays bounded: chunks are split as they arrive and an absurdly long line is cut.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Lines longer than this are cut: no GC log line is legitimately this long. */
export const MAX_LINE_LENGTH = 64 * 1024;

export type GcInput = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'stdin' };

export class GcInputError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

export interface LineSink {
  /** `text` has no terminator; a trailing CR is already removed. */
  line(text: string, lineNumber: number): void;
  /** Raw bytes consumed so far (compressed bytes for gzip), for progress. */
  progress?(bytes: number): void;
  /** Back-pressure: called after each chunk; reading waits for a returned promise. */
  drain?(): Promise<void> | undefined;
}

export const inputName = (input: GcInput): string => (input.kind === 'stdin' ? '<stdin>' : input.path);

/** How an input's bytes become text: decided on its first bytes. */
export interface TextEncoding {
  readonly encoding: 'latin1' | 'utf16le' | 'utf16be';
  /** Bytes of a byte order mark to skip. */
  readonly skip: number;
}

const SNIFF_BYTES = 64;

/**
 * GC logs are ASCII and read as latin1 (it never fails on stray bytes, and it is the fastest
 * decoder Node has), after a UTF-8 byte order mark, which editors and PowerShell put there. A
 * UTF-16 file (PowerShell's `>` writes UTF-16LE with a byte order mark) is decoded as such, with
 * or without its mark: ASCII in UTF-16 has a zero byte in every pair.
 */
export function sniffEncoding(head: Uint8Array): TextEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'latin1', skip: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', skip: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', skip: 2 };
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  if (n >= 8) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZero++;
      if (head[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero === pairs && evenZero === 0) return { encoding: 'utf16le', skip: 0 };
    if (evenZero === pairs && oddZero === 0) return { encoding: 'utf16be', skip: 0 };
  }
  return { encoding: 'latin1', skip: 0 };
}

/** Bytes → text in the input's encoding; UTF-16 keeps a byte a chunk split off for the next. */
class ChunkDecoder {
  private odd: Buffer | undefined;
  constructor(private readonly encoding: TextEncoding['encoding']) {}

  decode(chunk: Buffer): string {
    if (this.encoding === 'latin1') return chunk.toString('latin1');
    let bytes = this.odd === undefined ? chunk : Buffer.concat([this.odd, chunk]);
    this.odd = undefined;
    if (bytes.length % 2 === 1) {
      this.odd = bytes.subarray(bytes.length - 1);
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (this.encoding === 'utf16be') bytes = Buffer.from(bytes).swap16();
    return bytes.toString('utf16le');
  }
}

/**
 * Reads every line of one input into `sink`, decoded as `sniffEncoding` decides on its first
 * bytes (latin1 for nearly every log).
 */
export async function readLines(input: GcInput, sink: LineSink): Promise<number> {
  const name = inputName(input);
  const stream = input.kind === 'stdin' ? process.stdin : await openFile(input.path);
  let carry = '';
  let lineNumber = 0;
  let consumed = 0;
  let decoder: ChunkDecoder | undefined;
  /** Set while the rest of an over-long line is being skipped. */
  let discarding = false;
  const emit = (raw: string): void => {
    lineNumber++;
    const text = raw.length > MAX_LINE_LENGTH ? raw.slice(0, MAX_LINE_LENGTH) : raw;
    const end = text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    sink.line(end === text.length ? text : text.slice(0, end), lineNumber);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      consumed += chunk.length;
      let bytes = chunk;
      if (decoder === undefined) {
        const sniffed = sniffEncoding(chunk);
        decoder = new ChunkDecoder(sniffed.encoding);
        bytes = chunk.subarray(sniffed.skip);
      }
      // The chunk is never joined onto the carry: only the one line that spans two chunks is, which
      // saves copying every chunk a second time.
      const text = decoder.decode(bytes);
      let start = 0;
      let nl = text.indexOf('\n');
      if (discarding) {
        if (nl === -1) continue;
        discarding = false;
        carry = '';
        start = nl + 1;
        nl = text.indexOf('\n', start);
      } else if (carry.length > 0 && nl !== -1) {
        emit(carry + text.slice(0, nl));
        carry = '';
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      while (nl !== -1) {
        emit(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      carry = carry.length > 0 ? carry + text : text.slice(start);
      if (carry.length > MAX_LINE_LENGTH) {
        emit(carry);
        carry = '';
        discarding = true;
      }
      sink.progress?.(consumed);
      const wait = sink.drain?.();
      if (wait !== undefined) await wait;
    }
  } catch (e) {
    throw new GcInputError(`${name}: ${describeStreamError(e)}`, name);
  }
  if (carry.length > 0) emit(carry);
  return lineNumber;
}

async function openFile(path: string): Promise<Readable> {
  let gzip = false;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new GcInputError(`${path}: is a directory, expected a GC log file`, path);
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
      gzip = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof GcInputError) throw e;
    throw new GcInputError(`${path}: ${describeStreamError(e)}`, path);
  }
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  if (!gzip) return file;
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  return file.pipe(gunzip);
}

function describeStreamError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'Z_NEED_DICT':
      return `broken gzip data (${err.message})`;
    default:
      return err.message ?? String(e);
  }
}

const FIRST_TIME_SCAN_BYTES = 64 * 1024;

/**
 * Rotated sets (gc.log, gc.log.0, gc.log.1 … from -Xlog filecount, or JDK 8 gc.log.0 …
 * gc.log.N.current) wrap around, so their numbers do not give the order. The first timestamp in
 * each file does; files without one keep a name order where the live file comes last.
 */
export async function orderInputs(inputs: readonly GcInput[]): Promise<GcInput[]> {
  const files = inputs.filter((i): i is { kind: 'file'; path: string } => i.kind === 'file');
  if (files.length < 2) return [...inputs];
  const keyed = await Promise.all(
    files.map(async (input, index) => ({ input, index, first: await firstTimestamp(input.path), rank: nameRank(input.path) })),
  );
  keyed.sort((a, b) => {
    if (a.first !== undefined && b.first !== undefined && a.first.base === b.first.base && a.first.value !== b.first.value) {
      return a.first.value - b.first.value;
    }
    return a.rank.stem.localeCompare(b.rank.stem) || a.rank.order - b.rank.order || a.index - b.index;
  });
  const ordered: GcInput[] = keyed.map((k) => k.input);
  for (const input of inputs) if (input.kind === 'stdin') ordered.push(input);
  return ordered;
}

/** gc.log.3 → (gc.log, 3); gc.log.2.current → (gc.log, +inf); gc.log → (gc.log, +inf). */
function nameRank(path: string): { stem: string; order: number } {
  const name = basename(path).replace(/\.gz$/, '');
  const current = /^(.*)\.(\d+)\.current$/.exec(name);
  if (current !== null) return { stem: current[1]!, order: Number.MAX_SAFE_INTEGER };
  const numbered = /^(.*)\.(\d+)$/.exec(name);
  if (numbered !== null) return { stem: numbered[1]!, order: Number(numbered[2]) };
  return { stem: name, order: Number.MAX_SAFE_INTEGER };
}

const UNIFIED_TIME = /^\[(\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d{4}|Z))\]/;
const UNIFIED_UPTIME = /\[(\d+(?:[.,]\d+)?)s\]/;
const JDK8_DATE = /^(\d{4}-\d\d-\d\dT[\d:.]+[+-]\d{4}):/;
const JDK8_UPTIME = /^(\d+[.,]\d+): /;

async function firstTimestamp(path: string): Promise<{ base: 'epoch' | 'uptime'; value: number } | undefined> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(FIRST_TIME_SCAN_BYTES), 0, FIRST_TIME_SCAN_BYTES, 0);
      if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return undefined;
      const head = buffer.subarray(0, bytesRead);
      const sniffed = sniffEncoding(head);
      text = new ChunkDecoder(sniffed.encoding).decode(head.subarray(sniffed.skip));
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  for (const line of text.split('\n', 200)) {
    const date = UNIFIED_TIME.exec(line) ?? JDK8_DATE.exec(line);
    if (date !== null) {
      const ms = Date.parse(normaliseOffset(date[1]!));
      if (!Number.isNaN(ms)) return { base: 'epoch', value: ms };
    }
    const uptime = line.startsWith('[') ? UNIFIED_UPTIME.exec(line) : JDK8_UPTIME.exec(line);
    if (uptime !== null) return { base: 'uptime', value: Number(uptime[1]!.replace(',', '.')) };
  }
  return undefined;
}

/** "+0800" → "+08:00", which Date.parse understands everywhere. */
export function normaliseOffset(stamp: string): string {
  return stamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
}
