/**
 * Heap facts the JVM states once at start, in the wording of each JDK:
 *   JDK 9–16  gc,heap "Heap region size: 1M" (G1), gc,heap,coops "Heap address: 0x…, size: 128 MB,
 *             Compressed Oops mode: 32-bit" (the reserved heap, i.e. the maximum)
 *   JDK 17+   gc,init "Heap Region Size: 1M", "Heap Initial Capacity: 128M", "Heap Max Capacity: 128M"
 *   ZGC       gc,init "Initial Capacity: 128M", "Max Capacity: 128M" (without a GC id; the per-cycle
 *             "GC(3) Max Capacity: 128M(100%)" lines are not configuration)
 *   debug     gc,heap "Minimum heap 8388608  Initial heap 33554432  Maximum heap 33554432" (bytes)
 *   Shenandoah's own lines are read in shenandoah.ts.
 */
import { parseDecimal, parseSize, trimEnd } from './numbers.js';
import { readShenandoahHeapConfig } from './shenandoah.js';

/** Heap facts of one line; NaN where the line says nothing. */
export interface HeapConfig {
  readonly maxHeapBytes: number;
  readonly initialHeapBytes: number;
  readonly regionSizeBytes: number;
}

const config = (maxHeapBytes: number, initialHeapBytes: number, regionSizeBytes: number): HeapConfig | undefined =>
  Number.isNaN(maxHeapBytes) && Number.isNaN(initialHeapBytes) && Number.isNaN(regionSizeBytes)
    ? undefined
    : { maxHeapBytes, initialHeapBytes, regionSizeBytes };

/** Heap facts of the message `text[start, end)` (a message without GC id), or undefined. */
export function readHeapConfig(text: string, start: number, end: number): HeapConfig | undefined {
  end = trimEnd(text, start, end);
  const none = Number.NaN;
  switch (text.charCodeAt(start)) {
    case 72: // H
      if (text.startsWith('Heap region size: ', start)) return config(none, none, parseSize(text, start + 18, end));
      if (text.startsWith('Heap Region Size: ', start)) return config(none, none, parseSize(text, start + 18, end));
      if (text.startsWith('Heap Initial Capacity: ', start)) return config(none, parseSize(text, start + 23, end), none);
      if (text.startsWith('Heap Max Capacity: ', start)) return config(parseSize(text, start + 19, end), none, none);
      if (text.startsWith('Heap address: ', start)) {
        const size = text.indexOf(', size: ', start);
        const sizeEnd = size < 0 ? -1 : text.indexOf(',', size + 8);
        if (size < 0 || size >= end) return undefined;
        return config(parseSize(text, size + 8, sizeEnd < 0 || sizeEnd > end ? end : sizeEnd), none, none);
      }
      return undefined;
    case 73: // I
      if (text.startsWith('Initial Capacity: ', start)) return config(none, parseSize(text, start + 18, end), none);
      return readShenandoahHeapConfig(text, start, end);
    case 77: // M
      if (text.startsWith('Max Capacity: ', start)) return config(parseSize(text, start + 14, end), none, none);
      if (text.startsWith('Minimum heap ', start)) return readHeapBytes(text, start, end);
      return undefined;
    case 82: // R
      return readShenandoahHeapConfig(text, start, end);
    default:
      return undefined;
  }
}

/** "Minimum heap 8388608  Initial heap 33554432  Maximum heap 33554432" */
function readHeapBytes(text: string, start: number, end: number): HeapConfig | undefined {
  const number = (label: string): number => {
    const at = text.indexOf(label, start);
    if (at < 0 || at >= end) return Number.NaN;
    const from = at + label.length;
    let to = text.indexOf(' ', from);
    if (to < 0 || to > end) to = end;
    return parseDecimal(text, from, to);
  };
  return config(number('Maximum heap '), number('Initial heap '), Number.NaN);
}
