/** Reading configuration files from disk, with fs failures turned into ConfigLoadError. */
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { ConfigLoadError } from './errors.js';

/** Configuration files are small; anything larger is refused before it is read. */
export const MAX_CONFIG_FILE_BYTES = 16 * 1024 * 1024;

/** `stat` of a path given by the user; a missing path is FILE_NOT_FOUND. */
export async function statPath(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (e) {
    throw fsError(e, path);
  }
}

/** Whether `path` is a regular file; false when it does not exist. */
export async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw fsError(e, path);
  }
}

/** The bytes of a file (regular file, pipe or device), at most MAX_CONFIG_FILE_BYTES of them. */
export async function readConfigBytes(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw fsError(e, path);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ConfigLoadError('FILE_UNREADABLE', `${path}: is a directory, not a file`, { file: path });
    if (info.isFile() && info.size > MAX_CONFIG_FILE_BYTES) throw tooLarge(path, `${info.size} bytes`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buffer = new Uint8Array(64 * 1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_CONFIG_FILE_BYTES) throw tooLarge(path, 'more than 16 MiB');
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof ConfigLoadError) throw e;
    throw fsError(e, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooLarge(path: string, size: string): ConfigLoadError {
  return new ConfigLoadError('FILE_UNREADABLE', `${path}: file too large for a configuration file: ${size}; the limit is 16 MiB`, { file: path });
}

function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a Node fs error to FILE_NOT_FOUND / FILE_UNREADABLE with the path in the message. */
function fsError(e: unknown, path: string): ConfigLoadError {
  const code = errnoCode(e);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ConfigLoadError('FILE_NOT_FOUND', `${path}: no such file or directory`, { file: path, cause: e });
    case 'EACCES':
    case 'EPERM':
      return new ConfigLoadError('FILE_UNREADABLE', `${path}: permission denied`, { file: path, cause: e });
    case 'EISDIR':
      return new ConfigLoadError('FILE_UNREADABLE', `${path}: is a directory, not a file`, { file: path, cause: e });
    default: {
      const reason = e instanceof Error ? e.message : String(e);
      return new ConfigLoadError('FILE_UNREADABLE', `${path}: cannot be read (${reason})`, { file: path, cause: e });
    }
  }
}
