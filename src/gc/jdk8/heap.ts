/**
 * Sizes, occupancy changes and durations as JDK 7/8 print them: "8192K", "7136.4K", "11,5G" (a
 * decimal comma under some locales), "0.0B"; "1K->2K(3K)", G1's "14.0M(128.0M)->12.0M(128.0M)";
 * ", 0.0115587 secs", "0,0387400 secs", CMS's "0.005/0.013 secs" (cpu/wall).
 */
import type { HeapChange } from '../events.js';
import { isDigit } from './chars.js';

const KB = 1024;

/** Bytes per unit letter (B, K, M, G, T), 0 for anything else. */
function unitBytes(c: number): number {
  switch (c) {
    case 75: // K
      return KB;
    case 77: // M
      return KB * KB;
    case 66: // B
      return 1;
    case 71: // G
      return KB * KB * KB;
    case 84: // T
      return KB * KB * KB * KB;
    default:
      return 0;
  }
}


/**
 * Where the last numberAt call stopped, and the number as digits over a power of ten (so that
 * "0.0146984" seconds become exactly the double nearest to 14.6984 ms). Module state, so that
 * parsing allocates nothing.
 */
let scanEnd = 0;
let scanDigits = 0;
let scanScale = 1;

/** A decimal number ("12", "7136.4", "11,5") at `i`, or NaN; sets scanEnd, scanDigits, scanScale. */
function numberAt(text: string, i: number): number {
  let digits = 0;
  let scale = 1;
  let j = i;
  let c = text.charCodeAt(j);
  for (; isDigit(c); c = text.charCodeAt(++j)) digits = digits * 10 + (c - 48);
  if (j === i) return Number.NaN;
  if ((c === 46 || c === 44) && isDigit(text.charCodeAt(j + 1))) {
    for (c = text.charCodeAt(++j); isDigit(c); c = text.charCodeAt(++j)) {
      digits = digits * 10 + (c - 48);
      scale *= 10;
    }
  }
  scanEnd = j;
  scanDigits = digits;
  scanScale = scale;
  return digits / scale;
}

/** The last number read, taken as seconds, in milliseconds. */
const scannedSecondsAsMs = (): number => (scanScale >= 1000 ? scanDigits / (scanScale / 1000) : scanDigits * (1000 / scanScale));

/** Bytes of a size with its unit ("8192K") at `i`, or NaN; sets scanEnd. */
export function sizeAt(text: string, i: number): number {
  const v = numberAt(text, i);
  if (Number.isNaN(v)) return v;
  const unit = unitBytes(text.charCodeAt(scanEnd));
  if (unit === 0) return Number.NaN;
  scanEnd++;
  return Math.round(v * unit);
}

/**
 * The number ending right before `end` ("0,0387400" in ", 0,0387400 secs", "0.013" in
 * "0.005/0.013 secs"), read backwards so that it is scanned once; NaN when there is none. Sets
 * scanDigits and scanScale.
 */
function numberEndingAt(text: string, end: number): number {
  let j = end;
  let digits = 0;
  let place = 1;
  let scale = 1;
  const lowest = Math.max(0, end - 24);
  while (j > lowest) {
    const c = text.charCodeAt(j - 1);
    if (isDigit(c)) {
      digits += (c - 48) * place;
      place *= 10;
    } else if ((c === 46 || c === 44) && scale === 1 && place > 1 && isDigit(text.charCodeAt(j - 2))) {
      // What was read so far is the fraction.
      scale = place;
    } else {
      break;
    }
    j--;
  }
  if (place === 1 || place === scale) return Number.NaN;
  scanDigits = digits;
  scanScale = scale;
  return digits / scale;
}

/** Bytes of the size with its unit ending right before `end` ("8192K" in "8192K->"), or NaN. */
function sizeEndingAt(text: string, end: number): number {
  const unit = unitBytes(text.charCodeAt(end - 1));
  return unit === 0 ? Number.NaN : Math.round(numberEndingAt(text, end - 1) * unit);
}

/**
 * The change around the "->" at `arrow`: "A->B", "A->B(C)" or G1's "A(a)->B(C)", where C is the
 * committed size after the collection. Undefined when the text around the arrow is not sizes.
 */
export function transitionAt(text: string, arrow: number): HeapChange | undefined {
  let end = arrow;
  if (text.charCodeAt(end - 1) === 41) {
    // "(7168.0K)" right before the arrow: its '(' is a few characters back.
    let open = end - 2;
    const lowest = Math.max(0, end - 26);
    while (open >= lowest && text.charCodeAt(open) !== 40) open--;
    if (open < lowest) return undefined;
    end = open;
  }
  const before = sizeEndingAt(text, end);
  if (Number.isNaN(before)) return undefined;
  const after = sizeAt(text, arrow + 2);
  if (Number.isNaN(after)) return undefined;
  if (text.charCodeAt(scanEnd) === 40) {
    const capacity = sizeAt(text, scanEnd + 1);
    if (!Number.isNaN(capacity) && text.charCodeAt(scanEnd) === 41) return { beforeBytes: before, afterBytes: after, capacityBytes: capacity };
  }
  return { beforeBytes: before, afterBytes: after };
}

/** The first well-formed change in text[from, to). */
export function findTransition(text: string, from = 0, to = text.length): HeapChange | undefined {
  for (let arrow = text.indexOf('->', from); arrow >= 0 && arrow < to; arrow = text.indexOf('->', arrow + 2)) {
    const change = transitionAt(text, arrow);
    if (change !== undefined) return change;
  }
  return undefined;
}

/** The change following a label such as "Eden: " or "Heap: ", or undefined. */
export function labelledTransition(text: string, label: string, from = 0): HeapChange | undefined {
  const at = text.indexOf(label, from);
  if (at < 0) return undefined;
  const arrow = text.indexOf('->', at + label.length);
  return arrow < 0 || arrow - at > label.length + 30 ? undefined : transitionAt(text, arrow);
}

/**
 * The last "used(capacity)" pair, e.g. CMS's "85022K(138624K)" after an initial mark: a pause that
 * collects nothing still states the occupancy it saw, so before and after are both that figure.
 */
export function lastOccupancy(text: string, to = text.length): HeapChange | undefined {
  for (let open = text.lastIndexOf('(', to - 1); open > 0; open = text.lastIndexOf('(', open - 1)) {
    const capacity = sizeAt(text, open + 1);
    if (Number.isNaN(capacity) || text.charCodeAt(scanEnd) !== 41) continue;
    const used = sizeEndingAt(text, open);
    if (Number.isNaN(used)) continue;
    return { beforeBytes: used, afterBytes: used, capacityBytes: capacity };
  }
  return undefined;
}

/**
 * Milliseconds of the last "N secs" (or "N sec", which JDK 7 prints for some concurrent phases)
 * in text[from, to), or NaN. For "cpu/wall secs" this is the wall-clock figure.
 */
export function lastSecondsAsMs(text: string, to = text.length, from = 0): number {
  // Records nearly always end with their duration: look there before searching.
  const at = endsWithSec(text, to) ? to - 4 : endsWithSec(text, to - 1) && text.charCodeAt(to - 1) === 115 ? to - 5 : text.lastIndexOf(' sec', to - 4);
  if (at < from || Number.isNaN(numberEndingAt(text, at))) return Number.NaN;
  return scannedSecondsAsMs();
}

/** Whether text[end-4, end) is " sec". */
const endsWithSec = (text: string, end: number): boolean =>
  text.charCodeAt(end - 1) === 99 && text.charCodeAt(end - 2) === 101 && text.charCodeAt(end - 3) === 115 && text.charCodeAt(end - 4) === 32;

/** Milliseconds of the last "N ms" in text (Shenandoah's JDK 8 format). */
export function lastMillis(text: string): number {
  const at = text.lastIndexOf(' ms');
  return at < 0 ? Number.NaN : numberEndingAt(text, at);
}

/** Milliseconds of the trailing bare number in text, e.g. "…-end, 0.0000684" (JDK 7 forgot the unit). */
export function trailingSecondsAsMs(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return Number.isNaN(numberEndingAt(text, end)) ? Number.NaN : scannedSecondsAsMs();
}

/** Milliseconds of "real=0.01" in a "[Times: user=… sys=…, real=0.01 secs]" line, or NaN. */
export function timesRealMs(text: string, from = 0): number {
  const at = text.indexOf('real=', from);
  if (at < 0 || Number.isNaN(numberAt(text, at + 5))) return Number.NaN;
  return scannedSecondsAsMs();
}
