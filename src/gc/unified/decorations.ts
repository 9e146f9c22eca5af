/**
 * The `[...]` decorations unified logging puts before every message. Which decorators a log has is
 * chosen per output (-Xlog:gc:file:uptime,pid …), so each line is scanned bracket by bracket and
 * every bracket classified by its shape alone; any subset, in any order, works. The JVM writes them
 * in a fixed order: time, utctime, uptime, timemillis, uptimemillis, timenanos, uptimenanos,
 * hostname, pid, tid, level, tags.
 *
 * One instance is reused for every line and allocates nothing. Most lines of a gc* log are turned
 * away by their message, so `locate` only finds the message and the tag set (a few native string
 * searches); the decorators are checked one by one, and the clocks read, by `resolveTime`, for the
 * few lines that become events (one in ten or so) and for lines `locate` cannot place.
 */
import { isDigit, parseDecimal, trimEnd } from './numbers.js';

const OPEN_BRACKET = 91;
const SPACE = 32;

/** Epoch milliseconds from `timemillis` are told from `uptimemillis` by size: 1e11 ms is 1973. */
const EPOCH_MILLIS_FLOOR = 1e11;

export class Decorations {
  /** Range of the tag set ("gc,heap"), without padding; tagsStart is -1 when absent. */
  tagsStart = -1;
  tagsEnd = -1;
  /** Where the message starts (the end of the line for an empty message). */
  messageStart = 0;
  /** Whether a decorator said when (time or uptime) or how (level): proof of unified logging. */
  hasTimeOrLevel = false;

  /** Set by `resolveTime`: seconds since JVM start and epoch milliseconds, NaN when not logged. */
  uptimeSec = Number.NaN;
  epochMs = Number.NaN;

  /** Where the current line's decorations start, and whether `scan` has checked them yet. */
  private lineStart = 0;
  private scanned = false;
  /** Whether tagsStart/tagsEnd describe the current line (a full scan or `findTags` set them). */
  private tagsFound = false;
  private valid = false;
  // Where the clock decorators of the current line are (start -1: absent).
  private isoStart = -1;
  private isoEnd = -1;
  private secondsStart = -1;
  private secondsEnd = -1;
  /** timemillis and uptimemillis look alike; both are kept and told apart by value. */
  private millisStart = -1;
  private millisEnd = -1;
  private millis2Start = -1;
  private millis2End = -1;
  private nanosStart = -1;
  private nanosEnd = -1;

  /**
   * Reads the decorations of `text[start, length)` (`start` is a '['). False when the prefix is
   * not unified logging: an unclosed bracket (a truncated line), or a bracket no decorator could
   * have written (JDK 8's "[GC (Allocation Failure) …" among others).
   */
  scan(text: string, start: number, length: number): boolean {
    this.lineStart = start;
    this.scanned = true;
    this.tagsFound = true;
    this.valid = this.scanAll(text, start, length);
    return this.valid;
  }

  /**
   * Finds the message of the decorated line `text[start, length)`: the JVM ends the decorations
   * with "] ", and no decorator contains that. Falls back to `scan` when the line has no "] " (an
   * empty message, or a line cut in its decorations). False when not decorations.
   */
  locate(text: string, start: number, length: number): boolean {
    const close = text.indexOf('] ', start);
    if (close < 0 || close >= length) return this.scan(text, start, length);
    this.lineStart = start;
    this.scanned = false;
    this.tagsFound = false;
    this.messageStart = close + 2;
    return true;
  }

  private scanAll(text: string, start: number, length: number): boolean {
    this.isoStart = this.secondsStart = this.millisStart = this.millis2Start = this.nanosStart = -1;
    this.tagsStart = this.tagsEnd = -1;
    this.hasTimeOrLevel = false;
    let pos = start;
    while (true) {
      const close = text.indexOf(']', pos + 1);
      if (close < 0 || close >= length || !this.classify(text, pos + 1, close)) return false;
      pos = close + 1;
      if (pos >= length) {
        this.messageStart = length;
        return true;
      }
      const next = text.charCodeAt(pos);
      if (next === SPACE) {
        this.messageStart = pos + 1;
        return true;
      }
      // The JVM always puts a space between the decorations and the message.
      if (next !== OPEN_BRACKET) return false;
    }
  }

  /**
   * Sets `uptimeSec` and `epochMs` from the clocks the last `scan` found in `text`. uptime and
   * uptimemillis are exact; a lone nanosecond decorator may be timenanos (a monotonic clock of
   * arbitrary origin) rather than uptimenanos, but differences between its values are still right.
   */
  resolveTime(text: string): void {
    if (!this.scanned) this.scan(text, this.lineStart, this.messageStart);
    if (!this.valid) {
      // Decorations no JVM wrote (a damaged line): the event stands, its time is unknown.
      this.uptimeSec = this.epochMs = Number.NaN;
      return;
    }
    let epoch = this.isoStart >= 0 ? parseIsoTime(text, this.isoStart, this.isoEnd) : Number.NaN;
    let upMillis = Number.NaN;
    for (let i = 0; i < 2; i++) {
      const from = i === 0 ? this.millisStart : this.millis2Start;
      if (from < 0) continue;
      const value = parseDecimal(text, from, i === 0 ? this.millisEnd : this.millis2End);
      if (value >= EPOCH_MILLIS_FLOOR) {
        if (Number.isNaN(epoch)) epoch = value;
      } else {
        upMillis = value;
      }
    }
    this.epochMs = epoch;
    this.uptimeSec =
      this.secondsStart >= 0
        ? parseDecimal(text, this.secondsStart, this.secondsEnd)
        : !Number.isNaN(upMillis)
          ? upMillis / 1000
          : this.nanosStart >= 0
            ? parseDecimal(text, this.nanosStart, this.nanosEnd, -9)
            : Number.NaN;
  }

  /**
   * Whether the tag set is known to be about something else than GC ("safepoint", "os,cpu",
   * "class,load"): such lines are skipped unread, and multi-line messages of these tags (exception
   * stack traces) continue on undecorated lines. An unknown first tag counts as GC, so a host
   * name taken for tags never hides a GC line.
   */
  tagsAreNonGc(text: string): boolean {
    this.findTags(text);
    const start = this.tagsStart;
    if (start < 0 || text.charCodeAt(start) === 103 /* g */) return false;
    let end = text.indexOf(',', start);
    if (end < 0 || end > this.tagsEnd) end = this.tagsEnd;
    // Compared in place: slicing and hashing the tag would allocate on every safepoint line.
    const candidates = NON_GC_TAGS_BY_INITIAL.get(text.charCodeAt(start));
    if (candidates === undefined) return false;
    for (const tag of candidates) if (tag.length === end - start && text.startsWith(tag, start)) return true;
    return false;
  }

  /**
   * Whether the line's level is debug or trace: messages of those levels may go on over
   * undecorated lines (G1's trace "calc_default_active_workers() … \n active_workers_by_JT: 2 …").
   */
  isVerbose(text: string): boolean {
    const end = this.messageStart;
    const debug = text.indexOf('[debug', this.lineStart);
    if (debug >= 0 && debug < end) return true;
    const trace = text.indexOf('[trace', this.lineStart);
    return trace >= 0 && trace < end;
  }

  /** Whether the tag set contains `tag` as a whole tag. */
  hasTag(text: string, tag: string): boolean {
    this.findTags(text);
    if (this.tagsStart < 0) return false;
    let at = text.indexOf(tag, this.tagsStart);
    while (at >= 0 && at + tag.length <= this.tagsEnd) {
      const before = at === this.tagsStart || text.charCodeAt(at - 1) === 44;
      const afterAt = at + tag.length;
      const after = afterAt === this.tagsEnd || text.charCodeAt(afterAt) === 44;
      if (before && after) return true;
      at = text.indexOf(tag, at + 1);
    }
    return false;
  }

  /** The tag set of a line `locate` placed: its last decorator, if that is neither a number nor a level. */
  private findTags(text: string): void {
    if (this.tagsFound) return;
    this.tagsFound = true;
    this.tagsStart = this.tagsEnd = -1;
    const close = this.messageStart - 2;
    const open = text.lastIndexOf('[', close);
    if (open < this.lineStart) return;
    let end = text.indexOf(' ', open + 1);
    if (end < 0 || end > close) end = close;
    if (end > open + 1 && !isDigit(text.charCodeAt(open + 1)) && !isLevel(text, open + 1, end)) {
      this.tagsStart = open + 1;
      this.tagsEnd = end;
    }
  }

  /** Notes the decorator in `text[start, close)`; false if no decorator has that shape. */
  private classify(text: string, start: number, close: number): boolean {
    // The JVM writes the tags last, so only a line's last word-like decorator is its tag set; an
    // earlier one is the host name.
    this.tagsStart = this.tagsEnd = -1;
    if (close <= start) return false;
    if (isDigit(text.charCodeAt(start))) {
      return this.classifyNumeric(text, start, text.charCodeAt(close - 1) === SPACE ? trimEnd(text, start, close) : close);
    }
    // Words: a level, a host name or a tag set. Levels and tags are padded with spaces; a space
    // followed by anything else is no decorator ("[GC (Allocation Failure) …" of JDK 8). Checking
    // only the ends keeps this free of per-character loops.
    let end = text.indexOf(' ', start);
    if (end < 0 || end > close) end = close;
    else if (text.charCodeAt(close - 1) !== SPACE) return false;
    if (isLevel(text, start, end)) {
      this.hasTimeOrLevel = true;
      return true;
    }
    this.tagsStart = start;
    this.tagsEnd = end;
    return true;
  }

  private classifyNumeric(text: string, start: number, end: number): boolean {
    const last = text.charCodeAt(end - 1);
    // time / utctime: 2022-08-17T00:34:05.140+0800, …Z, …+08:00
    if (end - start >= 19 && text.charCodeAt(start + 4) === 45 && text.charCodeAt(start + 10) === 84) {
      if (this.isoStart < 0) {
        this.isoStart = start;
        this.isoEnd = end;
      }
    } else if (last === 115 /* s */) {
      const unit = text.charCodeAt(end - 2);
      if (unit === 109 /* m */ && isDigit(text.charCodeAt(end - 3))) {
        // timemillis or uptimemillis: "1795291335398ms", "18ms"
        if (this.millisStart < 0) {
          this.millisStart = start;
          this.millisEnd = end - 2;
        } else {
          this.millis2Start = start;
          this.millis2End = end - 2;
        }
      } else if (unit === 110 /* n */ && isDigit(text.charCodeAt(end - 3))) {
        // timenanos or uptimenanos; the JVM writes uptimenanos last.
        this.nanosStart = start;
        this.nanosEnd = end - 2;
      } else if (isDigit(unit)) {
        // uptime: "0.018s", "1,474s"
        this.secondsStart = start;
        this.secondsEnd = end - 1;
      } else {
        return isHostName(text, start, end);
      }
    } else {
      // pid / tid: plain numbers in JDK 17, with a 'p' / 't' suffix in some builds; else a host
      // name that starts with a digit (a container's, "3f2a1b9c0d4e").
      const digitsEnd = last === 112 || last === 116 ? end - 1 : end;
      for (let i = start; i < digitsEnd; i++) if (!isDigit(text.charCodeAt(i))) return isHostName(text, start, end);
      return digitsEnd > start;
    }
    this.hasTimeOrLevel = true;
    return true;
  }
}

/** First tags of the non-GC tag sets met in GC logs written with -Xlog:gc*,safepoint,os… */
const NON_GC_TAGS: readonly string[] = [
  'safepoint', 'os', 'class', 'exceptions', 'cds', 'module', 'pagesize', 'startuptime', 'biasedlocking',
  'stacktrace', 'verification', 'logging', 'jit', 'compilation', 'monitorinflation', 'vmthread', 'jni',
  'protectiondomain', 'redefine', 'cpu', 'container', 'metaspace', 'handshake', 'nmethod', 'codecache',
  'sweep', 'arguments', 'init', 'perf', 'interpreter', 'itables', 'vtables', 'jfr', 'membername',
  'methodhandles', 'thread', 'monitormismatch', 'oopmap', 'resolve', 'sealed', 'symboltable', 'jvmti',
  'attach', 'aot', 'dcmd', 'deoptimization', 'library', 'malloc', 'nmt', 'scc', 'valuebasedclasses',
];

const NON_GC_TAGS_BY_INITIAL: ReadonlyMap<number, readonly string[]> = (() => {
  const byInitial = new Map<number, string[]>();
  for (const tag of NON_GC_TAGS) {
    const list = byInitial.get(tag.charCodeAt(0)) ?? [];
    list.push(tag);
    byInitial.set(tag.charCodeAt(0), list);
  }
  return byInitial;
})();

/** trace, debug, info, warning, error (JDK 17 pads them to "info   "; the padding is trimmed). */
function isLevel(text: string, start: number, end: number): boolean {
  switch (end - start) {
    case 4:
      return text.startsWith('info', start);
    case 5:
      return text.startsWith('debug', start) || text.startsWith('trace', start) || text.startsWith('error', start);
    case 7:
      return text.startsWith('warning', start);
    default:
      return false;
  }
}

/** Letters, digits, '-', '.' and '_': what a host name is made of (never a space, so no JDK 8 bracket). */
function isHostName(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (!letter && !isDigit(c) && c !== 45 && c !== 46 && c !== 95) return false;
  }
  return true;
}

/** Two digits at `at`, NaN if either is not a digit. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/**
 * "2022-08-17T00:34:05.140+0800" (time), "…+0000" (utctime), also "Z", "+08:00", no zone (taken
 * as UTC) and a decimal comma, to epoch milliseconds; NaN when malformed.
 */
export function parseIsoTime(text: string, start: number, end: number): number {
  const year = twoDigits(text, start) * 100 + twoDigits(text, start + 2);
  const month = twoDigits(text, start + 5);
  const day = twoDigits(text, start + 8);
  const hour = twoDigits(text, start + 11);
  const minute = twoDigits(text, start + 14);
  const second = twoDigits(text, start + 17);
  if (text.charCodeAt(start + 7) !== 45 || text.charCodeAt(start + 13) !== 58 || text.charCodeAt(start + 16) !== 58) return Number.NaN;
  let pos = start + 19;
  let millis = 0;
  const separator = text.charCodeAt(pos);
  if (separator === 46 || separator === 44) {
    pos++;
    let scale = 100;
    while (pos < end && isDigit(text.charCodeAt(pos))) {
      millis += (text.charCodeAt(pos) - 48) * scale;
      scale /= 10;
      pos++;
    }
  }
  let offsetMinutes = 0;
  if (pos < end) {
    const sign = text.charCodeAt(pos);
    if (sign === 90 && pos + 1 === end) {
      // 'Z'
    } else if ((sign === 43 || sign === 45) && (end - pos === 5 || end - pos === 6)) {
      const hours = twoDigits(text, pos + 1);
      const minutes = twoDigits(text, end - pos === 6 ? pos + 4 : pos + 3);
      offsetMinutes = (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
    } else {
      return Number.NaN;
    }
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return Number.isNaN(ms) || month < 1 || month > 12 || day < 1 || day > 31 ? Number.NaN : ms;
}
