/**
 * The layouts Flink logs are written in, turned into records: time, level, logger, message.
 *
 * - Flink's shipped log4j2 layout (conf/log4j.properties, log4j-console.properties):
 *   `%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n`, e.g.
 *   `2024-05-01 10:00:00,123 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor          [] - msg`
 *   (`%x` prints `[]` when the diagnostic context is empty).
 * - The same with an ISO-8601 date (`2024-05-01T10:00:00.123Z`, with or without a zone) and with a
 *   `[thread]` before or after the level, as common custom patterns write it.
 * - JSON lines (log4j2 JsonLayout / JsonTemplateLayout, logstash-logback-encoder, ECS): one object
 *   per line with a time (`@timestamp`, `timestamp`, `time`, `timeMillis`, `instant`), `level`,
 *   a logger (`logger_name`, `loggerName`, `logger`, `log.logger`) and `message`; a stack trace in
 *   `stack_trace`, `exception`, `error.stack_trace` or `thrown`.
 *
 * Any other line (a stack frame `\tat ...`, `Caused by: ...`, the multi-line message of the record
 * before) continues the previous record.
 *
 * Times without a zone are taken as UTC: Flink's pattern prints none, and a reader on another
 * machine has no better guess. The doctor puts every input on one clock this way; an offset between
 * files written in a local zone is the same for all of them.
 */

/** How a line starts: a continuation of the record before, a plain-text record, or a JSON record. */
export type LineKind = 0 | 1 | 2;
export const CONTINUATION: LineKind = 0;
export const PLAIN: LineKind = 1;
export const JSON_RECORD: LineKind = 2;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Cheap: a handful of character tests, no allocation. A plain record starts with
 * `yyyy-MM-dd` followed by a space or `T` and a digit, or with a time of day alone
 * (`HH:mm:ss,SSS `, the `%d{HH:mm:ss,SSS}` of older log4j configurations and of logback's default
 * pattern in a MiniCluster); a JSON record with `{`.
 */
export function lineKind(text: string): LineKind {
  if (text.length < 12) return CONTINUATION;
  const c0 = text.charCodeAt(0);
  if (c0 === 123 /* { */) return JSON_RECORD;
  if (!isDigit(c0)) return CONTINUATION;
  if (
    isDigit(text.charCodeAt(3)) &&
    text.charCodeAt(4) === 45 /* - */ &&
    text.charCodeAt(7) === 45 &&
    (text.charCodeAt(10) === 32 || text.charCodeAt(10) === 84 /* T */) &&
    isDigit(text.charCodeAt(11))
  ) {
    return PLAIN;
  }
  if (isTimeOfDayHead(text)) return PLAIN;
  return CONTINUATION;
}

/** `HH:mm:ss[,.]SSS ` at the start: a record head whose layout prints no date. */
function isTimeOfDayHead(text: string): boolean {
  const sep = text.charCodeAt(8);
  return (
    text.charCodeAt(2) === 58 /* : */ &&
    text.charCodeAt(5) === 58 &&
    isDigit(text.charCodeAt(1)) &&
    isDigit(text.charCodeAt(4)) &&
    isDigit(text.charCodeAt(7)) &&
    (sep === 44 /* , */ || sep === 46 /* . */) &&
    isDigit(text.charCodeAt(9)) &&
    isDigit(text.charCodeAt(11)) &&
    text.charCodeAt(12) === 32
  );
}

/**
 * Where the line starts after a console's prefix, or 0 when it has none: `docker compose logs`
 * writes `service  | ` (the name padded with spaces), `kubectl logs --prefix` writes
 * `[pod/name/container] `.
 */
export function consolePrefixEnd(text: string): number {
  const c0 = text.charCodeAt(0);
  if (c0 === 91 /* [ */) {
    if (!text.startsWith('[pod/')) return 0;
    const close = text.indexOf('] ', 5);
    return close === -1 || close > 300 ? 0 : close + 2;
  }
  const bar = text.indexOf(' |', 1);
  if (bar === -1 || bar > 100) return 0;
  let i = 0;
  for (; i < bar; i++) {
    const c = text.charCodeAt(i);
    if (!(isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 /* _ */ || c === 45 /* - */ || c === 46 /* . */)) break;
  }
  if (i === 0) return 0;
  for (; i < bar; i++) if (text.charCodeAt(i) !== 32) return 0;
  const end = bar + 2;
  return text.charCodeAt(end) === 32 ? end + 1 : end;
}

/**
 * Where the message of a plain record starts: after the first ` - ` that follows the time, level
 * and logger (logger names never contain ` - `). Falls back to the end of the time stamp.
 */
export function plainMessageStart(text: string): number {
  const timeOnly = text.charCodeAt(2) === 58; /* : a time of day alone */
  const dash = text.indexOf(' - ', timeOnly ? 12 : 20);
  if (dash !== -1) return dash + 3;
  const space = text.indexOf(' ', timeOnly ? 8 : 19);
  return space === -1 ? text.length : space + 1;
}

/** One parsed record head. `epochMs` is absent when the time cannot be read. */
export interface RecordHead {
  readonly epochMs: number | undefined;
  readonly level: string;
  readonly logger: string;
  readonly message: string;
  /** Further lines of the message and of the stack trace that a JSON record carries inside it. */
  readonly extraLines: readonly string[];
}

const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'FATAL', 'SEVERE']);

/** Parses the head of a plain record (the line `lineKind` called Plain). */
export function parsePlainHead(text: string): RecordHead {
  const epochMs = parseTimestamp(text, 0);
  const msgStart = plainMessageStart(text);
  const prefixEnd = msgStart >= 3 && text.startsWith(' - ', msgStart - 3) ? msgStart - 3 : msgStart;
  let level = '';
  let logger = '';
  for (const token of headTokens(text, timestampEnd(text), prefixEnd)) {
    if (level === '' && LEVELS.has(token)) level = token;
    // The logger is the first bare token after the level: brackets hold the thread or the context.
    else if (level !== '' && logger === '' && token.charCodeAt(0) !== 91 /* [ */) logger = token;
  }
  return { epochMs, level, logger, message: text.slice(msgStart), extraLines: [] };
}

/** Space-separated tokens of `text[from, to)`, a bracketed group (a thread name may hold spaces) being one. */
function headTokens(text: string, from: number, to: number): string[] {
  const tokens: string[] = [];
  let i = from;
  while (i < to) {
    while (i < to && text.charCodeAt(i) === 32) i++;
    if (i >= to) break;
    const start = i;
    if (text.charCodeAt(i) === 91 /* [ */) {
      let depth = 0;
      for (; i < to; i++) {
        const c = text.charCodeAt(i);
        if (c === 91) depth++;
        else if (c === 93 /* ] */ && --depth === 0) {
          i++;
          break;
        }
      }
    } else {
      while (i < to && text.charCodeAt(i) !== 32) i++;
    }
    tokens.push(text.slice(start, i));
  }
  return tokens;
}

/** Index just past the time stamp that starts at 0 (date, time, fraction, zone). */
function timestampEnd(text: string): number {
  let i = text.charCodeAt(2) === 58 /* : a time of day alone */ ? 8 : 19;
  if (text.charCodeAt(i) === 44 /* , */ || text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  }
  const c = text.charCodeAt(i);
  if (c === 90 /* Z */) return i + 1;
  if (c === 43 /* + */ || (c === 45 /* - */ && isDigit(text.charCodeAt(i + 1)))) {
    i++;
    while (i < text.length && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 58 /* : */)) i++;
  }
  return i;
}

const digits = (text: string, at: number, n: number): number => {
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(at + i);
    if (!isDigit(c)) return NaN;
    value = value * 10 + (c - 48);
  }
  return value;
};

/**
 * `yyyy-MM-dd[ T]HH:mm:ss[,.]fraction[zone]` at `at` to epoch milliseconds; UTC when no zone is
 * written. Undefined when the text is not such a time or names an impossible date.
 */
export function parseTimestamp(text: string, at: number): number | undefined {
  const year = digits(text, at, 4);
  const month = digits(text, at + 5, 2);
  const day = digits(text, at + 8, 2);
  const hour = digits(text, at + 11, 2);
  const minute = digits(text, at + 14, 2);
  const second = digits(text, at + 17, 2);
  if (
    Number.isNaN(year + month + day + hour + minute + second) ||
    text.charCodeAt(at + 4) !== 45 ||
    text.charCodeAt(at + 7) !== 45 ||
    text.charCodeAt(at + 13) !== 58 ||
    text.charCodeAt(at + 16) !== 58 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  ) {
    return undefined;
  }
  let i = at + 19;
  let millis = 0;
  const sep = text.charCodeAt(i);
  if (sep === 44 || sep === 46) {
    i++;
    let scale = 100;
    while (i < text.length && isDigit(text.charCodeAt(i))) {
      if (scale >= 1) millis += (text.charCodeAt(i) - 48) * scale;
      scale /= 10;
      i++;
    }
    millis = Math.floor(millis);
  }
  let offsetMinutes = 0;
  const z = text.charCodeAt(i);
  if (z === 43 /* + */ || z === 45 /* - */) {
    const hh = digits(text, i + 1, 2);
    const mm = text.charCodeAt(i + 3) === 58 ? digits(text, i + 4, 2) : digits(text, i + 3, 2);
    if (!Number.isNaN(hh)) offsetMinutes = (z === 43 ? 1 : -1) * (hh * 60 + (Number.isNaN(mm) ? 0 : mm));
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March; such a date is not a time at all.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return utc - offsetMinutes * 60_000;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first of `keys` that holds a string (dotted ECS keys are looked up flat and nested). */
function stringField(o: { [key: string]: Json }, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const flat = o[key];
    if (typeof flat === 'string') return flat;
    const dot = key.indexOf('.');
    if (dot !== -1) {
      const parent = o[key.slice(0, dot)];
      if (isObject(parent)) {
        const nested = parent[key.slice(dot + 1)];
        if (typeof nested === 'string') return nested;
      }
    }
  }
  return undefined;
}

function jsonTime(o: { [key: string]: Json }): number | undefined {
  const text = stringField(o, ['@timestamp', 'timestamp', 'time', 'ts', 'date', 'datetime']);
  if (text !== undefined) return parseTimestamp(text, 0);
  for (const key of ['timeMillis', 'timestamp', 'ts', 'time', 'epochMillis']) {
    const n = o[key];
    if (typeof n === 'number' && Number.isFinite(n)) return n > 1e14 ? Math.floor(n / 1000) : n > 1e11 ? n : n * 1000;
  }
  const instant = o['instant'];
  if (isObject(instant)) {
    const s = instant['epochSecond'];
    const nanos = instant['nanoOfSecond'];
    if (typeof s === 'number') return s * 1000 + (typeof nanos === 'number' ? Math.floor(nanos / 1e6) : 0);
  }
  return undefined;
}

/** Stack trace text a JSON record carries, in the shapes the common encoders write. */
function jsonStack(o: { [key: string]: Json }): string | undefined {
  const text = stringField(o, ['stack_trace', 'stackTrace', 'stacktrace', 'error.stack_trace', 'exception', 'throwable']);
  if (text !== undefined) return text;
  for (const key of ['thrown', 'exception', 'error']) {
    const t = o[key];
    if (!isObject(t)) continue;
    const inner = stringField(t, ['extendedStackTrace', 'stack_trace', 'stackTrace', 'stacktrace']);
    if (inner !== undefined) return inner;
    const name = stringField(t, ['name', 'class', 'type', 'exception_class']);
    const message = stringField(t, ['message', 'localizedMessage', 'exception_message']);
    if (name !== undefined) return message === undefined ? name : `${name}: ${message}`;
  }
  return undefined;
}

/** Parses one JSON record; undefined when the line is not a JSON object with a message. */
export function parseJsonHead(text: string): RecordHead | undefined {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const message = stringField(value, ['message', 'msg', '@message', 'log']);
  if (message === undefined) return undefined;
  const lines = message.split(/\r?\n/);
  const stack = jsonStack(value);
  if (stack !== undefined) lines.push(...stack.split(/\r?\n/));
  return {
    epochMs: jsonTime(value),
    level: (stringField(value, ['level', 'log.level', 'severity', 'levelname', 'loglevel']) ?? '').toUpperCase(),
    logger: stringField(value, ['logger_name', 'loggerName', 'logger', 'log.logger', 'name']) ?? '',
    message: lines[0] ?? '',
    extraLines: lines.slice(1),
  };
}
