/** Request bodies with a hard size limit: never more than `limit` bytes are read or kept. */
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError } from './http-error.js';

export function tooLarge(what: string, limit: number): HttpError {
  return new HttpError(413, `${what} is larger than the limit of ${formatLimit(limit)}`);
}

export function formatLimit(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Refuses at once when Content-Length already says the body is too large. */
function checkDeclaredLength(req: IncomingMessage, limit: number, what: string): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge(what, limit);
}

/** A pass-through that fails the stream as soon as more than `limit` bytes went through. */
export class SizeLimit extends Transform {
  seen = 0;
  constructor(
    private readonly limit: number,
    private readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(tooLarge(this.what, this.limit));
    else callback(null, chunk);
  }
}

/** The whole body in memory; for small JSON requests only. */
export async function readSmallBody(req: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  checkDeclaredLength(req, limit, what);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(what, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Streams the body to `path`; the file never grows beyond `limit`. Returns the bytes written. */
export async function bodyToFile(req: IncomingMessage, path: string, limit: number, what: string): Promise<number> {
  checkDeclaredLength(req, limit, what);
  const counter = new SizeLimit(limit, what);
  await pipeline(req, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return counter.seen;
}

/** A limited web stream of the body, for `Request.formData()` (multipart uploads). */
export function limitedWebBody(req: IncomingMessage, limit: number, what: string): ReadableStream<Uint8Array> {
  checkDeclaredLength(req, limit, what);
  const counter = new SizeLimit(limit, what);
  req.pipe(counter);
  req.on('error', (e) => counter.destroy(e));
  return Readable.toWeb(counter) as ReadableStream<Uint8Array>;
}
