/**
 * Numbers, sizes, durations and heap changes read straight from character codes of a range of the
 * line: no substrings, no regexes, because these run on most lines of logs of hundreds of MB.
 * Every function returns NaN / undefined rather than throwing, so a truncated line is just "not a
 * number".
 */
import type { HeapChange } from '../events.js';

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;
const COMMA = 44;
const CLOSE = 41;
const PERCENT = 37;

/** Exact powers of ten (every one up to 1e22 is a double). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

export const isDigit = (code: number): boolean => code >= DIGIT_0 && code <= DIGIT_9;

/**
 * A decimal number in `text[start, end)` times 10^`exponent`: digits with an optional fraction.
 * The separator is '.' or ',' because JDK 9–11 printed decorations and durations with the C locale
 * of the process ("[1,474s]", "6,572ms"); HotSpot never groups thousands, so a comma is always a
 * decimal point. The digits are gathered as one integer and scaled once, so the result is the
 * double nearest the decimal (as Number() would give), not a sum of rounded parts.
 */
export function parseDecimal(text: string, start: number, end: number, exponent = 0): number {
  if (start >= end) return Number.NaN;
  let mantissa = 0;
  let fractionDigits = 0;
  let inFraction = false;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      digits++;
      // Digits beyond double precision only risk overflowing the power table.
      if (inFraction && fractionDigits >= 15) continue;
      mantissa = mantissa * 10 + (c - DIGIT_0);
      if (inFraction) fractionDigits++;
    } else if ((c === DOT || c === COMMA) && !inFraction) {
      inFraction = true;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0) return Number.NaN;
  const scale = exponent - fractionDigits;
  return scale >= 0 ? mantissa * POW10[scale]! : mantissa / POW10[-scale]!;
}

/** Bytes per unit letter of HotSpot's size printing (`byte_size_in_proper_unit`): B K M G T P. */
function unitBytes(code: number): number {
  switch (code) {
    case 66: // B
      return 1;
    case 75: // K
    case 107: // k
      return 1024;
    case 77: // M
      return 1024 ** 2;
    case 71: // G
      return 1024 ** 3;
    case 84: // T
      return 1024 ** 4;
    case 80: // P
      return 1024 ** 5;
    default:
      return Number.NaN;
  }
}

/** A size such as "3644K", "128M", "0B", "1.5G" or "48 MB" in `text[start, end)`, in bytes. */
export function parseSize(text: string, start: number, end: number): number {
  let unitEnd = end;
  // "KB"/"MB" as in "size: 128 MB": the B after a unit letter adds nothing.
  if (unitEnd - start >= 2 && text.charCodeAt(unitEnd - 1) === 66 && !isDigit(text.charCodeAt(unitEnd - 2)) && text.charCodeAt(unitEnd - 2) !== 32) {
    unitEnd--;
  }
  const unit = unitBytes(text.charCodeAt(unitEnd - 1));
  if (Number.isNaN(unit)) return Number.NaN;
  let numberEnd = unitEnd - 1;
  while (numberEnd > start && text.charCodeAt(numberEnd - 1) === 32) numberEnd--;
  return parseDecimal(text, start, numberEnd) * unit;
}

/**
 * A duration token ("7.033ms", "0.050s", "963us", "18000ns") in `text[start, end)`, in
 * milliseconds; NaN when the token is not a number glued to a time unit.
 */
export function parseDurationMs(text: string, start: number, end: number): number {
  if (end - start < 2) return Number.NaN;
  const last = text.charCodeAt(end - 1);
  if (last !== 115) return Number.NaN; // every unit ends in 's'
  const before = text.charCodeAt(end - 2);
  switch (before) {
    case 109: // ms
      return parseDecimal(text, start, end - 2);
    case 117: // us
      return parseDecimal(text, start, end - 2, -3);
    case 110: // ns
      return parseDecimal(text, start, end - 2, -6);
    default:
      return isDigit(before) ? parseDecimal(text, start, end - 1, 3) : Number.NaN;
  }
}

/**
 * Where the size of one side of a heap change ends: before its "(committed)" or ZGC "(percent%)"
 * suffix, if any. -1 when the parentheses do not open inside the side.
 */
function sideSizeEnd(text: string, start: number, end: number): number {
  if (end <= start || text.charCodeAt(end - 1) !== CLOSE) return end;
  const open = text.lastIndexOf('(', end - 1);
  return open < start ? -1 : open;
}

/**
 * A heap change token as HotSpot writes them: "14M->12M(128M)" (JDK 9+), "0K->25596K(87552K)",
 * "258K(448K)->258K(448K)" (JDK 17: committed sizes on both sides), "10620M(5%)->8800M(4%)" (ZGC:
 * percentages, no capacity). `capacityBytes` is the committed size after the collection where the
 * log states it.
 */
export function parseHeapChange(text: string, start: number, end: number): HeapChange | undefined {
  const arrow = text.indexOf('->', start);
  if (arrow < 0 || arrow >= end) return undefined;
  const beforeEnd = sideSizeEnd(text, start, arrow);
  const afterEnd = sideSizeEnd(text, arrow + 2, end);
  if (beforeEnd < 0 || afterEnd < 0) return undefined;
  const beforeBytes = parseSize(text, start, beforeEnd);
  const afterBytes = parseSize(text, arrow + 2, afterEnd);
  if (Number.isNaN(beforeBytes) || Number.isNaN(afterBytes)) return undefined;
  if (afterEnd === end || text.charCodeAt(end - 2) === PERCENT) return { beforeBytes, afterBytes };
  const capacityBytes = parseSize(text, afterEnd + 1, end - 1);
  return Number.isNaN(capacityBytes) ? undefined : { beforeBytes, afterBytes, capacityBytes };
}

/** A count (digits only) in `text[start, end)`; NaN for anything else. Region counts are many. */
export function parseCount(text: string, start: number, end: number): number {
  if (start >= end) return Number.NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A region-count change "14->0(8)" in `text[start, end)`, scaled to bytes by `regionBytes`; the
 * parenthesised count (G1's target for the next cycle) becomes the capacity.
 */
export function parseRegionChange(text: string, start: number, end: number, regionBytes: number): HeapChange | undefined {
  const arrow = text.indexOf('->', start);
  if (arrow < 0 || arrow >= end) return undefined;
  const before = parseCount(text, start, arrow);
  if (text.charCodeAt(end - 1) !== CLOSE) {
    const after = parseCount(text, arrow + 2, end);
    return Number.isNaN(before) || Number.isNaN(after) ? undefined : { beforeBytes: before * regionBytes, afterBytes: after * regionBytes };
  }
  const open = text.indexOf('(', arrow);
  if (open < 0 || open >= end) return undefined;
  const after = parseCount(text, arrow + 2, open);
  const capacity = parseCount(text, open + 1, end - 1);
  return Number.isNaN(before) || Number.isNaN(after) || Number.isNaN(capacity)
    ? undefined
    : { beforeBytes: before * regionBytes, afterBytes: after * regionBytes, capacityBytes: capacity * regionBytes };
}

/** End of `text[start, end)` without trailing blanks (tag padding, trailing spaces of some lines). */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

/** First non-blank position of `text[start, end)`. */
export function skipBlanks(text: string, start: number, end: number): number {
  while (start < end) {
    const c = text.charCodeAt(start);
    if (c !== 32 && c !== 9) break;
    start++;
  }
  return start;
}
