/**
 * Shenandoah vocabulary (JDK 8u/9 backports, 11, 17, 21+):
 *   pauses  "Pause Init Mark (unload classes) 0.755ms", "Pause Final Mark …", "Pause Init Update
 *           Refs", "Pause Final Update Refs", "Pause Final Roots", "Pause Final Evac" (early
 *           builds), "Pause Degenerated GC (Outside of Cycle|Mark|Evacuation|Update Refs)",
 *           "Pause Full (System.gc())" (JDK 11) or plain "Pause Full" (JDK 17);
 *   phases  "Concurrent marking (unload classes) 3.064ms", "Concurrent cleanup 504M->189M(506M) 0.211ms";
 *   failure "Cancelling GC: Allocation Failure" (JDK 11+), "Cancelling concurrent GC: Allocation
 *           Failure" (earlier builds): the concurrent cycle lost the race against allocation;
 *   heap    "Initialize Shenandoah heap: 248M initial, 7168K min, 3953M max", "Regions: 3953 x 1024K",
 *           "Region size in bytes: 2097152" (JDK 11 / early builds; JDK 17 uses the common gc,init lines).
 * The gc,stats tables at the end of cycles ("Pause Init Mark (G)   963 us") are statistics, not
 * pauses: their unit stands apart from the number, which is how they are told from pause lines.
 */
import type { PauseKind } from '../events.js';
import type { HeapConfig } from './heap-config.js';
import { parseDecimal, parseSize } from './numbers.js';

/** Shenandoah's own pause names; its Full GC is the shared "Full". Their groups are never causes. */
export const SHENANDOAH_PAUSES: ReadonlyMap<string, PauseKind> = new Map<string, PauseKind>([
  ['Init Mark', 'init-mark'],
  ['Final Mark', 'final-mark'],
  ['Init Update Refs', 'init-update-refs'],
  ['Final Update Refs', 'final-update-refs'],
  ['Final Roots', 'final-roots'],
  ['Final Evac', 'final-evac'],
  ['Degenerated GC', 'degenerated'],
]);

const CANCELLING = ['Cancelling GC: ', 'Cancelling concurrent GC: '];

/**
 * Concurrent phases every Shenandoah cycle logs at gc level (JDK 11–21), in words no other
 * collector uses: the others write "Concurrent Mark", "Concurrent Reset Relocation Set".
 */
export const SHENANDOAH_PHASES: ReadonlySet<string> = new Set([
  'Concurrent reset',
  'Concurrent marking',
  'Concurrent evacuation',
  'Concurrent update references',
  'Concurrent cleanup',
]);

/** The reason of a "Cancelling GC: …" line at `start` ("Allocation Failure", "System.gc()"), or undefined. */
export function cancellationReason(text: string, start: number, end: number): string | undefined {
  for (const prefix of CANCELLING) if (text.startsWith(prefix, start)) return text.slice(start + prefix.length, end);
  return undefined;
}

/** A cancellation that means allocation outran the concurrent cycle (a concurrent mode failure). */
export const isAllocationFailureCancel = (reason: string): boolean => reason.startsWith('Allocation Failure');

/** Heap facts of Shenandoah's own initialisation lines at `start`, or undefined. */
export function readShenandoahHeapConfig(text: string, start: number, end: number): HeapConfig | undefined {
  if (text.startsWith('Initialize Shenandoah heap: ', start)) {
    // "248M initial, 7168K min, 3953M max"
    let initialHeapBytes = Number.NaN;
    let maxHeapBytes = Number.NaN;
    for (const part of text.slice(start + 28, end).split(', ')) {
      const space = part.indexOf(' ');
      if (space < 0) continue;
      const bytes = parseSize(part, 0, space);
      const what = part.slice(space + 1);
      if (what === 'initial') initialHeapBytes = bytes;
      else if (what === 'max') maxHeapBytes = bytes;
    }
    return { initialHeapBytes, maxHeapBytes, regionSizeBytes: Number.NaN };
  }
  if (text.startsWith('Regions: ', start)) {
    // "3953 x 1024K"
    const times = text.indexOf(' x ', start);
    if (times < 0 || times >= end) return undefined;
    return { initialHeapBytes: Number.NaN, maxHeapBytes: Number.NaN, regionSizeBytes: parseSize(text, times + 3, end) };
  }
  if (text.startsWith('Region size in bytes: ', start)) {
    return { initialHeapBytes: Number.NaN, maxHeapBytes: Number.NaN, regionSizeBytes: parseDecimal(text, start + 22, end) };
  }
  return undefined;
}
