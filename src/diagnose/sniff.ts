/**
 * What each input of `doctor` is, decided from its first lines (the name only breaks ties), and
 * the expansion of directories into the files they hold.
 *
 * Content wins over names: a `taskmanager.out` that is a GC log is read as a GC log, a
 * `config.yaml` holding `kind: Pod` is a pod. Names decide only what content leaves open:
 * `*.out` is a JVM's standard output, `flink-conf.yaml`/`config.yaml` a Flink configuration.
 * Gzip files are recognised by their magic bytes and sniffed by what they decompress to.
 */
import { createReadStream, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { looksLikeJdk8Line } from '../gc/jdk8/index.js';
import { looksLikeUnifiedLine } from '../gc/unified/index.js';
import { kubernetesFormat } from './detectors/kubernetes.js';
import { consolePrefixEnd } from './detectors/log-line.js';
import { looksLikeKernel } from './detectors/kernel.js';
import { looksLikeYarn } from './detectors/yarn.js';
import type { InputKind } from './evidence.js';

/** Non-empty lines looked at. */
export const SNIFF_LINES = 50;
/** Bytes checked for NUL and invalid UTF-8. */
export const BINARY_CHECK_BYTES = 8 * 1024;
/** Bytes read at most (decompressed), enough for 50 lines of any sane log. */
const HEAD_BYTES = 64 * 1024;
/** Directory nesting followed at most; deeper trees are not logs someone collected. */
const MAX_DEPTH = 32;

export interface Sniffed {
  readonly kind: InputKind;
  readonly reason: string;
}

export interface InputFile extends Sniffed {
  readonly path: string;
}

/** A path given on the command line that does not exist (or cannot be looked at): a usage error. */
export class InputPathError extends Error {
  readonly code = 'INPUT_NOT_FOUND';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'InputPathError';
  }
}

// ---------------------------------------------------------------- content

/**
 * The share of bytes that may start an invalid UTF-8 sequence before a file counts as binary. A
 * stray Latin-1 byte (an accented name in a path) must not hide a whole log.
 */
const INVALID_UTF8_PER_MILLE = 10;

/** Number of invalid UTF-8 sequences in `bytes`; a sequence cut by the end of the buffer is not counted. */
function invalidUtf8(bytes: Uint8Array): number {
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need === -1) {
      invalid++;
      i++;
      continue;
    }
    let j = 1;
    while (j <= need && i + j < bytes.length && (bytes[i + j]! & 0xc0) === 0x80) j++;
    if (j <= need && i + j < bytes.length) {
      invalid++;
      i += j;
      continue;
    }
    i += j;
  }
  return invalid;
}

function binaryReason(head: Uint8Array): string | undefined {
  const sample = head.subarray(0, BINARY_CHECK_BYTES);
  const nul = sample.indexOf(0);
  if (nul !== -1) return `binary: a NUL byte at offset ${nul}`;
  const invalid = invalidUtf8(sample);
  if (invalid * 1000 > sample.length * INVALID_UTF8_PER_MILLE) return `binary: ${invalid} invalid UTF-8 sequences in the first ${sample.length} bytes`;
  return undefined;
}

const LEVEL = String.raw`(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)`;
/**
 * Flink's log4j layout "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n" and common variants (ISO
 * date, [thread] before or after the level, a time of day without the date as older log4j
 * configurations and logback's default pattern write it).
 */
const LOG4J_LINE = new RegExp(String.raw`^(?:\d{4}-\d\d-\d\d[ T])?\d\d:\d\d:\d\d[,.]\d{3}\S*\s+(?:\[[^\]]*\]\s+)?${LEVEL}\s+(?:\[[^\]]*\]\s+)?(\S+)`);
const FLINK_LOGGER = /^(?:org\.apache\.flink\.|o\.a\.f\.)/;
const JSON_LOGGER_KEYS = ['loggerName', 'logger_name', 'logger', 'log.logger', 'loggerFqcn'];

/** A JSON log record (log4j JsonLayout/JsonTemplateLayout, ECS, logstash) and its logger, if it is one. */
function jsonLogger(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}') || trimmed.length > HEAD_BYTES) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const fields = record as Record<string, unknown>;
  for (const key of JSON_LOGGER_KEYS) {
    const value = fields[key];
    if (typeof value === 'string') return value;
  }
  const log = fields['log'];
  if (typeof log === 'object' && log !== null) {
    const logger = (log as Record<string, unknown>)['logger'];
    if (typeof logger === 'string') return logger;
  }
  return undefined;
}

function flinkLogReason(lines: readonly string[]): { strong: boolean; reason: string } | undefined {
  let layout = 0;
  let json = 0;
  for (const line of lines) {
    const m = LOG4J_LINE.exec(line);
    if (m !== null) {
      layout++;
      if (FLINK_LOGGER.test(m[1]!)) return { strong: true, reason: `Flink log4j layout (logger ${m[1]})` };
      continue;
    }
    const logger = jsonLogger(line);
    if (logger !== undefined) {
      json++;
      if (FLINK_LOGGER.test(logger)) return { strong: true, reason: `JSON log records from Flink (logger ${logger})` };
    }
  }
  if (layout * 2 > lines.length) return { strong: false, reason: 'log4j layout (no Flink logger in the first lines)' };
  if (json * 2 > lines.length) return { strong: false, reason: 'JSON log records (no Flink logger in the first lines)' };
  return undefined;
}

/** JVM banner lines the JDK 8 GC detector accepts as GC headers but that also open any JVM's stdout. */
const JVM_BANNER = /^(?:Java HotSpot\(TM\) |OpenJDK )/;

function gcLogReason(lines: readonly string[]): string | undefined {
  let unified = 0;
  let jdk8 = 0;
  let banners = 0;
  for (const line of lines) {
    if (looksLikeUnifiedLine(line)) unified++;
    else if (looksLikeJdk8Line(line)) {
      if (JVM_BANNER.test(line)) banners++;
      else jdk8++;
    }
  }
  // Two GC lines, not a JVM warning or two in a stdout file; a one-line file is judged by that line.
  if (unified >= 2 || (unified === 1 && lines.length === 1)) return `GC log: JDK 9+ unified logging (${unified} of the first ${lines.length} lines)`;
  if (jdk8 >= 1 && (jdk8 + banners >= 2 || lines.length === 1)) return `GC log: JDK 8 format (${jdk8 + banners} of the first ${lines.length} lines)`;
  return undefined;
}

const FLINK_OPTION_ROOTS =
  /^(taskmanager|jobmanager|state|execution|env|parallelism|rest|high-availability|kubernetes|yarn|pipeline|restart-strategy|metrics|security|web|akka|pekko|blob|classloader|cluster|heartbeat|slot|table|containerized|fs|s3|io|slotmanager|checkpointing)$/;

function flinkConfigReason(lines: readonly string[]): string | undefined {
  let flat = 0;
  let memory = false;
  let nested = false;
  for (const line of lines) {
    if (/^kind:\s*["']?FlinkDeployment["']?\s*$/.test(line)) return 'a FlinkDeployment manifest';
    const key = /^([a-z][\w-]*)((?:\.[\w-]+)+)\s*:(?:\s|$)/.exec(line);
    if (key !== null && FLINK_OPTION_ROOTS.test(key[1]!)) {
      flat++;
      if (key[1] === 'taskmanager' || key[1] === 'jobmanager') memory = true;
    } else if (/^(taskmanager|jobmanager):\s*$/.test(line)) nested = true;
  }
  if (memory || flat >= 2) return `Flink configuration keys (${flat} in the first lines)`;
  if (nested) return 'Flink configuration (nested taskmanager/jobmanager keys)';
  return undefined;
}

const STDOUT_LINES = [
  /^Exception in thread "/,
  /^(?:java\.lang\.)?OutOfMemoryError/,
  /^Dumping heap to /,
  /^Terminating due to java\.lang\.OutOfMemoryError/,
  /^# There is insufficient memory for the Java Runtime Environment/,
  /^# A fatal error has been detected by the Java Runtime Environment/,
  /^(?:OpenJDK|Java HotSpot\(TM\)) .*VM warning: /,
];

/**
 * Texts only Flink writes: its packages (a stack trace's frames, a logger) and the messages of its
 * memory and TaskManager failures. A pasted excerpt without any log layout (a bare stack trace, a
 * CI console's lines) that holds one is read as a Flink log, whose detector looks at every line.
 */
const FLINK_TEXT = /org\.apache\.flink\.|Insufficient number of network buffers|of TaskManager with id \S+ (?:timed out|is no longer reachable)|out-of-memory error has occurred|Memory(?:Allocation|Reservation)Exception/;

/** The lines without their console prefix (`docker compose logs`, `kubectl logs --prefix`) when the first and most lines carry one. */
function withoutConsolePrefix(lines: readonly string[]): string[] | undefined {
  if (consolePrefixEnd(lines[0]!) === 0) return undefined;
  let prefixed = 0;
  const stripped = lines.map((line) => {
    const end = consolePrefixEnd(line);
    if (end > 0) prefixed++;
    return line.slice(end);
  });
  return prefixed * 2 > lines.length ? stripped.filter((line) => line.trim().length > 0) : undefined;
}

function nameOf(path: string): string {
  return basename(path).replace(/\.gz$/, '');
}

/** Decides the kind of an input from its first lines and its name. */
export function classify(name: string, head: Uint8Array): Sniffed {
  if (head.length === 0) return { kind: 'unknown', reason: 'empty file' };
  const binary = binaryReason(head);
  if (binary !== undefined) return { kind: 'binary', reason: binary };
  const all = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8').split('\n');
  const lines: string[] = [];
  for (const raw of all) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0) continue;
    lines.push(line);
    if (lines.length >= SNIFF_LINES) break;
  }
  if (lines.length === 0) return { kind: 'unknown', reason: 'only blank lines' };

  const nmt = lines.find((line) => line.startsWith('Native Memory Tracking:'));
  if (nmt !== undefined) return { kind: 'nmt', reason: 'a line starts "Native Memory Tracking:" (jcmd VM.native_memory)' };
  if (lines.some((line) => line.includes('Native memory tracking is not enabled'))) return { kind: 'nmt', reason: 'jcmd output: "Native memory tracking is not enabled"' };

  const k8s = kubernetesFormat(lines);
  if (k8s === 'describe') return { kind: 'kubectl', reason: 'kubectl describe pod (Name:, Namespace: and pod fields)' };
  if (k8s === 'pod-yaml') return { kind: 'kubectl', reason: 'a pod manifest in YAML (kind: Pod)' };
  if (k8s === 'pod-json') return { kind: 'kubectl', reason: 'a pod manifest in JSON ("kind": "Pod")' };

  const flink = flinkLogReason(lines);
  if (flink?.strong === true) return { kind: 'flink-log', reason: flink.reason };
  const console = withoutConsolePrefix(lines);
  if (console !== undefined && console.length > 0) {
    // Only the Flink log detector reads through the prefix.
    const inner = flinkLogReason(console);
    if (inner !== undefined) return { kind: 'flink-log', reason: `console output with a prefix per line; ${inner.reason}` };
    const text = console.find((line) => FLINK_TEXT.test(line) || STDOUT_LINES.some((p) => p.test(line)));
    if (text !== undefined) return { kind: 'flink-log', reason: `console output with a prefix per line; Flink or JVM text ("${quote(text)}")` };
  }
  if (looksLikeYarn(lines)) return { kind: 'yarn', reason: 'YARN container diagnostics (Container [pid=…,containerID=…] / exit code lines)' };
  if (looksLikeKernel(lines)) return { kind: 'kernel', reason: 'kernel log lines (OOM killer or dmesg/syslog kernel messages)' };
  const gc = gcLogReason(lines);
  if (gc !== undefined) return { kind: 'gc-log', reason: gc };
  if (flink !== undefined) return { kind: 'flink-log', reason: flink.reason };
  const config = flinkConfigReason(lines);
  if (config !== undefined) return { kind: 'flink-config', reason: config };

  if (/\.out(?:\.\d+)?$/.test(name)) return { kind: 'stdout', reason: 'named *.out (a JVM\'s standard output)' };
  if (name === 'flink-conf.yaml' || name === 'config.yaml') return { kind: 'flink-config', reason: `named ${name}` };
  const stdout = lines.find((line) => STDOUT_LINES.some((p) => p.test(line)));
  if (stdout !== undefined) return { kind: 'stdout', reason: `JVM standard output ("${quote(stdout)}")` };
  const excerpt = lines.find((line) => FLINK_TEXT.test(line));
  if (excerpt !== undefined) return { kind: 'flink-log', reason: `Flink text without a log layout ("${quote(excerpt)}")` };
  return { kind: 'unknown', reason: `not recognised (first line: "${quote(lines[0]!)}")` };
}

const quote = (line: string): string => (line.length > 60 ? `${line.slice(0, 60)}…` : line);

// ---------------------------------------------------------------- files

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return 'broken gzip data';
    default:
      return (err.message ?? String(e)).split('\n')[0]!;
  }
}

/** The first HEAD_BYTES of a file's content, decompressed when it is gzip. */
async function readHead(path: string): Promise<{ head: Buffer; gzip: boolean }> {
  const handle = await open(path, 'r');
  let first: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    first = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (!(first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b)) return { head: first, gzip: false };
  const source = createReadStream(path);
  const gunzip = createGunzip();
  source.on('error', (e) => gunzip.destroy(e));
  const stream: Readable = source.pipe(gunzip);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= HEAD_BYTES) break;
    }
  } catch (e) {
    // A truncated archive still shows what it is; only an unreadable start is an error.
    if (size === 0) throw e;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  return { head: Buffer.concat(chunks).subarray(0, HEAD_BYTES), gzip: true };
}

async function sniffFile(path: string, info: Stats): Promise<Sniffed> {
  if (info.isDirectory()) return { kind: 'unknown', reason: 'a directory' };
  // Opening a FIFO would block until a writer appears; devices and sockets are no logs either.
  if (!info.isFile()) return { kind: 'unknown', reason: 'not a regular file' };
  let read: { head: Buffer; gzip: boolean };
  try {
    read = await readHead(path);
  } catch (e) {
    return { kind: 'unknown', reason: `cannot read: ${describeError(e)}` };
  }
  const sniffed = classify(nameOf(path), read.head);
  return read.gzip ? { kind: sniffed.kind, reason: `gzip; ${sniffed.reason}` } : sniffed;
}

/** What kind of input `path` is. A path that does not exist is an InputPathError; everything else is an answer. */
export async function sniffInput(path: string): Promise<Sniffed> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (e) {
    throw await missing(path, e);
  }
  return sniffFile(path, info);
}

async function missing(path: string, e: unknown): Promise<InputPathError> {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    const link = await lstat(path).catch(() => undefined);
    if (link?.isSymbolicLink() === true) return new InputPathError(path, 'broken symbolic link (its target does not exist)');
  }
  return new InputPathError(path, describeError(e));
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Found {
  readonly path: string;
  readonly info?: Stats;
  readonly note?: string;
}

/**
 * Every input below `paths`, in the order given, directories expanded recursively (entries sorted
 * by name, hidden entries skipped, each directory and file visited once however many links lead
 * to it), each with its kind. A path that does not exist throws InputPathError.
 */
export async function collectInputs(paths: readonly string[]): Promise<InputFile[]> {
  const found: Found[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();

  const addFile = async (path: string, info: Stats): Promise<void> => {
    const real = await realpath(path).catch(() => path);
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    found.push({ path, info });
  };

  const walk = async (dir: string, depth: number): Promise<void> => {
    const real = await realpath(dir).catch(() => dir);
    // A symbolic link back to an ancestor (or to a directory already read) is not followed again.
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    if (depth > MAX_DEPTH) {
      found.push({ path: dir, note: `not read: nested deeper than ${MAX_DEPTH} directories` });
      return;
    }
    let names: string[];
    try {
      names = (await readdir(dir)).filter((name) => !name.startsWith('.')).sort(byName);
    } catch (e) {
      found.push({ path: dir, note: `cannot list directory: ${describeError(e)}` });
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let info: Stats;
      try {
        info = await stat(path);
      } catch (e) {
        const link = await lstat(path).catch(() => undefined);
        found.push({ path, note: link?.isSymbolicLink() === true ? 'broken symbolic link' : `cannot read: ${describeError(e)}` });
        continue;
      }
      if (info.isDirectory()) await walk(path, depth + 1);
      else await addFile(path, info);
    }
  };

  for (const path of paths) {
    let info: Stats;
    try {
      info = await stat(path);
    } catch (e) {
      throw await missing(path, e);
    }
    if (info.isDirectory()) await walk(path, 0);
    else await addFile(path, info);
  }

  const result: InputFile[] = [];
  for (const f of found) {
    if (f.info === undefined) {
      result.push({ path: f.path, kind: 'unknown', reason: f.note ?? 'unreadable' });
      continue;
    }
    result.push({ path: f.path, ...(await sniffFile(f.path, f.info)) });
  }
  return result;
}
