/**
 * The stamps JDK 7/8 put before a record: "2014-07-24T13:49:45.090+0400: " (-XX:+PrintGCDateStamps),
 * "12.345: " (-XX:+PrintGCTimeStamps; "12,345: " under a decimal-comma locale) and "#12: "
 * (-XX:+PrintGCID), in that order. Threads that print at the same time can repeat or strand them,
 * so every reader here accepts any sequence and takes the last of each kind.
 *
 * Recognising a stamp only measures it (no allocation); values are read later, and only for lines
 * that become events.
 */
import type { LogTime } from '../events.js';
import { isDigit } from './chars.js';

/** Length of a date stamp "YYYY-MM-DDThh:mm:ss.fff+hhmm:" plus one following space, or 0. */
function dateStampLength(text: string, i: number): number {
  if (text.length - i < 29) return 0;
  if (text.charCodeAt(i + 4) !== 45 || text.charCodeAt(i + 7) !== 45 || text.charCodeAt(i + 10) !== 84) return 0;
  if (!isDigit(text.charCodeAt(i)) || text.charCodeAt(i + 13) !== 58 || text.charCodeAt(i + 16) !== 58) return 0;
  let j = i + 19;
  if (text.charCodeAt(j) !== 46) return 0;
  j++;
  while (isDigit(text.charCodeAt(j))) j++;
  const sign = text.charCodeAt(j);
  if (sign !== 43 && sign !== 45) return 0;
  for (let k = 1; k <= 4; k++) if (!isDigit(text.charCodeAt(j + k))) return 0;
  j += 5;
  if (text.charCodeAt(j) !== 58) return 0;
  j++;
  if (text.charCodeAt(j) === 32) j++;
  return j - i;
}

/** Length of an uptime stamp "123.456: " (or "123,456: "), or 0. */
function uptimeStampLength(text: string, i: number): number {
  let j = i;
  while (isDigit(text.charCodeAt(j))) j++;
  if (j === i) return 0;
  const sep = text.charCodeAt(j);
  if (sep !== 46 && sep !== 44) return 0;
  const fraction = ++j;
  while (isDigit(text.charCodeAt(j))) j++;
  if (j === fraction || text.charCodeAt(j) !== 58) return 0;
  j++;
  if (text.charCodeAt(j) === 32) j++;
  return j - i;
}

/** Length of a GC id stamp "#12: ", or 0. */
function gcIdStampLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== 35) return 0;
  let j = i + 1;
  while (isDigit(text.charCodeAt(j))) j++;
  if (j === i + 1 || text.charCodeAt(j) !== 58) return 0;
  j++;
  if (text.charCodeAt(j) === 32) j++;
  return j - i;
}

/** Length of the one stamp starting at `i`, or 0. */
export function stampLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 35) return gcIdStampLength(text, i);
  if (!isDigit(c)) return 0;
  return dateStampLength(text, i) || uptimeStampLength(text, i);
}

/** Index after all stamps starting at `i` (`i` itself when there are none). */
export function skipStamps(text: string, i: number): number {
  let j = i;
  for (;;) {
    const n = stampLength(text, j);
    if (n === 0) return j;
    j += n;
  }
}

/**
 * Start of the stamps that end exactly at `end` (typically the index of a nested record's '['),
 * found by trying each plausible start: a stamp is at most 40 characters long.
 */
export function trailingStampsStart(text: string, end: number): number {
  let start = end;
  for (;;) {
    let found = -1;
    const lowest = Math.max(0, start - 40);
    for (let i = start - 2; i >= lowest; i--) {
      const c = text.charCodeAt(i);
      if ((c === 35 || isDigit(c)) && (i === 0 || !isDigit(text.charCodeAt(i - 1))) && i + stampLength(text, i) === start) {
        found = i;
        break;
      }
    }
    if (found < 0) return start;
    start = found;
  }
}

export interface Stamps {
  readonly time: LogTime;
  readonly gcId: number | undefined;
}

const NO_STAMPS: Stamps = { time: {}, gcId: undefined };

/** Where the last readInteger, readDecimal or readDate stopped. Module state: reading allocates nothing. */
let readEnd = 0;

/**
 * Values of the stamps in [from, to), which the caller has measured (skipStamps,
 * trailingStampsStart) to be stamps only; the last of each kind wins.
 */
export function readStamps(text: string, from: number, to: number): Stamps {
  if (from >= to) return NO_STAMPS;
  let uptimeSec: number | undefined;
  let epochMs: number | undefined;
  let gcId: number | undefined;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 35) gcId = readInteger(text, i + 1);
    else if (!isDigit(c)) break;
    else if (text.charCodeAt(i + 4) === 45) epochMs = readDate(text, i);
    else uptimeSec = readDecimal(text, i);
    // Every stamp ends with ':' and at most one space.
    if (text.charCodeAt(readEnd) !== 58) break;
    i = readEnd + 1;
    if (text.charCodeAt(i) === 32) i++;
  }
  // A date stamp with letters where digits belong measures as one, but has no time.
  if (epochMs !== undefined && Number.isNaN(epochMs)) epochMs = undefined;
  if (uptimeSec === undefined && epochMs === undefined) return gcId === undefined ? NO_STAMPS : { time: {}, gcId };
  const time: LogTime = uptimeSec === undefined ? { epochMs: epochMs! } : epochMs === undefined ? { uptimeSec } : { uptimeSec, epochMs };
  return { time, gcId };
}

function readInteger(text: string, i: number): number {
  let v = 0;
  for (let c = text.charCodeAt(i); isDigit(c); c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
  readEnd = i;
  return v;
}

/** "123.456" or "123,456" at `i`. */
function readDecimal(text: string, i: number): number {
  let v = 0;
  let c = text.charCodeAt(i);
  for (; isDigit(c); c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
  if (c !== 46 && c !== 44) {
    readEnd = i;
    return v;
  }
  let scale = 1;
  let fraction = 0;
  for (c = text.charCodeAt(++i); isDigit(c); c = text.charCodeAt(++i)) {
    fraction = fraction * 10 + (c - 48);
    scale *= 10;
  }
  readEnd = i;
  return v + fraction / scale;
}

function two(text: string, i: number): number {
  return (text.charCodeAt(i) - 48) * 10 + (text.charCodeAt(i + 1) - 48);
}

/**
 * Epoch milliseconds of a date stamp already measured by dateStampLength. Date.UTC is the costly
 * part, and consecutive stamps nearly always share their minute and offset, so the epoch of that
 * minute is kept, keyed by the minute's digits and the offset.
 */
let cachedMinute = -1;
let cachedOffsetMinutes = 0;
let cachedMinuteEpochMs = 0;

function readDate(text: string, i: number): number {
  let j = i + 20;
  let ms = 0;
  let digits = 0;
  for (let c = text.charCodeAt(j); isDigit(c); c = text.charCodeAt(++j)) {
    if (digits < 3) ms = ms * 10 + (c - 48);
    digits++;
  }
  for (; digits < 3; digits++) ms *= 10;
  const year = two(text, i) * 100 + two(text, i + 2);
  const minute = (((year * 100 + two(text, i + 5)) * 100 + two(text, i + 8)) * 100 + two(text, i + 11)) * 100 + two(text, i + 14);
  const offsetMinutes = (text.charCodeAt(j) === 45 ? -1 : 1) * (two(text, j + 1) * 60 + two(text, j + 3));
  if (minute !== cachedMinute || offsetMinutes !== cachedOffsetMinutes) {
    cachedMinuteEpochMs = Date.UTC(year, two(text, i + 5) - 1, two(text, i + 8), two(text, i + 11), two(text, i + 14)) - offsetMinutes * 60_000;
    cachedMinute = minute;
    cachedOffsetMinutes = offsetMinutes;
  }
  readEnd = j + 5;
  return cachedMinuteEpochMs + two(text, i + 17) * 1000 + ms;
}
