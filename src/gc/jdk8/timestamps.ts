/**
 * The stamps JDK 7/8 put before a record: "2014-07-24T13:49:45.090+0400: " (-XX:+PrintGCDateStamps),
 * "12.345: " (-XX:+PrintGCTimeStamps; "12,345: " under a decimal-comma locale) and "#12: "
 * (-XX:+PrintGCID), in that order. Threads that print at the same time can repeat or strand them,
 * so every reader here accepts any sequence and takes the last of each kind.
 *
 * Recognising a stamp reads its value in the same pass (nearly every stamped line is a record
 * that needs it), and skipStamps keeps the values of the stamps it went over, so that readStamps
 * on the same range does not read them again. Reading allocates nothing: values sit in module
 * state until readStamps builds the event's time.
 */
import type { LogTime } from '../events.js';
import { isDigit } from './chars.js';

/** The value of the stamp the last *StampLength call recognised. */
let stampValue = 0;

/**
 * Consecutive date stamps nearly always share their minute, so the UTC epoch of the last minute
 * read is kept, keyed by its digits: Date.UTC is the costly part.
 */
let cachedMinuteKey = -1;
let cachedMinuteEpochMs = 0;

/** A digit's value, or a negative number large enough to make any key built with it negative. */
function digitAt(text: string, i: number): number {
  const v = text.charCodeAt(i) - 48;
  return v >= 0 && v <= 9 ? v : -1e15;
}

const twoAt = (text: string, i: number): number => digitAt(text, i) * 10 + digitAt(text, i + 1);

/** Length of a date stamp "YYYY-MM-DDThh:mm:ss.fff+hhmm:" plus one following space, or 0; its epoch ms in stampValue. */
function dateStampLength(text: string, i: number): number {
  if (text.length - i < 29) return 0;
  if (text.charCodeAt(i + 4) !== 45 || text.charCodeAt(i + 7) !== 45 || text.charCodeAt(i + 10) !== 84) return 0;
  if (text.charCodeAt(i + 13) !== 58 || text.charCodeAt(i + 16) !== 58 || text.charCodeAt(i + 19) !== 46) return 0;
  const year = twoAt(text, i) * 100 + twoAt(text, i + 2);
  const month = twoAt(text, i + 5);
  const day = twoAt(text, i + 8);
  const hour = twoAt(text, i + 11);
  const minute = twoAt(text, i + 14);
  const second = twoAt(text, i + 17);
  // Each field is below 100 (or hugely negative): a key in base 100 is unique and negative when any digit is not one.
  const minuteKey = (((year * 100 + month) * 100 + day) * 100 + hour) * 100 + minute;
  if (minuteKey < 0 || second < 0) return 0;
  if (minuteKey !== cachedMinuteKey) {
    cachedMinuteEpochMs = Date.UTC(year, month - 1, day, hour, minute);
    cachedMinuteKey = minuteKey;
  }
  let j = i + 20;
  let ms = 0;
  let digits = 0;
  for (let c = text.charCodeAt(j); isDigit(c); c = text.charCodeAt(++j)) {
    if (digits < 3) ms = ms * 10 + (c - 48);
    digits++;
  }
  if (digits === 0) return 0;
  for (; digits < 3; digits++) ms *= 10;
  const sign = text.charCodeAt(j);
  const zoneMinutes = twoAt(text, j + 1) * 60 + twoAt(text, j + 3);
  if ((sign !== 43 && sign !== 45) || zoneMinutes < 0 || text.charCodeAt(j + 5) !== 58) return 0;
  j += 6;
  if (text.charCodeAt(j) === 32) j++;
  stampValue = cachedMinuteEpochMs + second * 1000 + ms - (sign === 45 ? -zoneMinutes : zoneMinutes) * 60_000;
  return j - i;
}

/** Length of an uptime stamp "123.456: " (or "123,456: "), or 0; its seconds in stampValue. */
function uptimeStampLength(text: string, i: number): number {
  let j = i;
  let whole = 0;
  for (let c = text.charCodeAt(j); isDigit(c); c = text.charCodeAt(++j)) whole = whole * 10 + (c - 48);
  if (j === i) return 0;
  const sep = text.charCodeAt(j);
  if (sep !== 46 && sep !== 44) return 0;
  const fractionStart = ++j;
  let fraction = 0;
  let scale = 1;
  for (let c = text.charCodeAt(j); isDigit(c); c = text.charCodeAt(++j)) {
    fraction = fraction * 10 + (c - 48);
    scale *= 10;
  }
  if (j === fractionStart || text.charCodeAt(j) !== 58) return 0;
  j++;
  if (text.charCodeAt(j) === 32) j++;
  // One division of exact integers: the nearest double to the stamp (4 + 363 / 1000 is 4.3629999999999995).
  stampValue = (whole * scale + fraction) / scale;
  return j - i;
}

/** Length of a GC id stamp "#12: ", or 0; the id in stampValue. */
function gcIdStampLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== 35) return 0;
  let j = i + 1;
  let id = 0;
  for (let c = text.charCodeAt(j); isDigit(c); c = text.charCodeAt(++j)) id = id * 10 + (c - 48);
  if (j === i + 1 || text.charCodeAt(j) !== 58) return 0;
  j++;
  if (text.charCodeAt(j) === 32) j++;
  stampValue = id;
  return j - i;
}

const GC_ID = 1;
const DATE = 2;
const UPTIME = 3;
/** Which kind of stamp the last stampLength call recognised. */
let stampKind = 0;

/** Length of the one stamp starting at `i`, or 0. */
export function stampLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  let n = 0;
  if (c === 35) {
    n = gcIdStampLength(text, i);
    stampKind = GC_ID;
  } else if (isDigit(c)) {
    n = text.charCodeAt(i + 4) === 45 ? dateStampLength(text, i) : 0;
    stampKind = DATE;
    if (n === 0) {
      n = uptimeStampLength(text, i);
      stampKind = UPTIME;
    }
  }
  return n;
}

/** What the last skipStamps call went over: the text and range, and the last value of each kind (NaN / -1 for none). */
let skippedText = '';
let skippedFrom = -1;
let skippedTo = -1;
let skippedUptimeSec = Number.NaN;
let skippedEpochMs = Number.NaN;
let skippedGcId = -1;

/** Index after all stamps starting at `i` (`i` itself when there are none). */
export function skipStamps(text: string, i: number): number {
  let j = i;
  let uptimeSec = Number.NaN;
  let epochMs = Number.NaN;
  let gcId = -1;
  for (;;) {
    const n = stampLength(text, j);
    if (n === 0) break;
    if (stampKind === DATE) epochMs = stampValue;
    else if (stampKind === UPTIME) uptimeSec = stampValue;
    else gcId = stampValue;
    j += n;
  }
  if (j > i) {
    skippedText = text;
    skippedFrom = i;
    skippedTo = j;
    skippedUptimeSec = uptimeSec;
    skippedEpochMs = epochMs;
    skippedGcId = gcId;
  }
  return j;
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

/** Values of the stamps in [from, to); the last of each kind wins. */
export function readStamps(text: string, from: number, to: number): Stamps {
  if (from >= to) return NO_STAMPS;
  // Comparing the range first keeps the string comparison to the one case where it is a pointer comparison.
  if (from === skippedFrom && to === skippedTo && text === skippedText) return stamps(skippedUptimeSec, skippedEpochMs, skippedGcId);
  let uptimeSec = Number.NaN;
  let epochMs = Number.NaN;
  let gcId = -1;
  for (let i = from; i < to; ) {
    const n = stampLength(text, i);
    if (n === 0) break;
    if (stampKind === DATE) epochMs = stampValue;
    else if (stampKind === UPTIME) uptimeSec = stampValue;
    else gcId = stampValue;
    i += n;
  }
  return stamps(uptimeSec, epochMs, gcId);
}

function stamps(uptimeSec: number, epochMs: number, gcId: number): Stamps {
  const id = gcId < 0 ? undefined : gcId;
  const hasUptime = !Number.isNaN(uptimeSec);
  const hasEpoch = !Number.isNaN(epochMs);
  if (!hasUptime && !hasEpoch) return id === undefined ? NO_STAMPS : { time: {}, gcId: id };
  const time: LogTime = !hasEpoch ? { uptimeSec } : !hasUptime ? { epochMs } : { uptimeSec, epochMs };
  return { time, gcId: id };
}
