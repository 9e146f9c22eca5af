/**
 * ZGC vocabulary:
 *   JDK 11–20 (single generation)  gc,phases "Pause Mark Start 0.013ms", "Concurrent Mark 6.272ms",
 *     gc "GC(3) Garbage Collection (Allocation Rate) 502M(49%)->716M(70%)" (no duration),
 *     gc "Allocation Stall (main) 23.687ms", "Relocation Stall (main) 0.720ms".
 *   JDK 21+ (generational, -XX:+ZGenerational, the only mode from 23) every phase carries its
 *     generation: "Y: " (young, in a major collection), "y: " (minor collection), "O: " (old):
 *     "Y: Pause Mark Start (Major) 0.066ms", "O: Pause Mark End 0.014ms", gc,phases
 *     "Y: Young Generation 130M(4%)->72M(2%) 0.059s", and the cycle on gc:
 *     "GC(0) Major Collection (Metadata GC Threshold) 130M(4%)->74M(2%) 0.100s" (also written,
 *     without figures, when the cycle starts).
 */
import type { PauseKind } from '../events.js';

export const ZGC_PAUSES: ReadonlyMap<string, PauseKind> = new Map<string, PauseKind>([
  ['Mark Start', 'mark-start'],
  ['Mark End', 'mark-end'],
  ['Relocate Start', 'relocate-start'],
]);

/** Length of a generational ZGC generation prefix ("Y: ", "y: ", "O: ") at `at`, else 0. */
export function generationPrefixLength(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return (c === 89 || c === 121 || c === 79) && text.charCodeAt(at + 1) === 58 && text.charCodeAt(at + 2) === 32 ? 3 : 0;
}

/** The names ZGC gives a whole cycle; the pauses and phases of a cycle nest inside it. */
export const ZGC_CYCLES: readonly string[] = [
  'Garbage Collection',
  'Minor Collection',
  'Major Collection',
  // The generational previews before JDK 21 (openjdk/zgc, 2022): "GC(163) Minor Garbage Collection (High Usage) 42238M(95%)->16152M(36%) 0.641s".
  'Minor Garbage Collection',
  'Major Garbage Collection',
];

/** The cycle name at `start` ("Garbage Collection", "Major Collection" …), or undefined. */
export function zgcCycleAt(text: string, start: number): string | undefined {
  for (const name of ZGC_CYCLES) if (text.startsWith(name, start)) return name;
  return undefined;
}

export const ALLOCATION_STALL = 'Allocation Stall (';
/** Threads waiting for relocation of an object they touch: known, but no bad-event kind fits. */
export const RELOCATION_STALL = 'Relocation Stall (';

/** The per-cycle statement of the heap's maximum: "GC(3) Max Capacity: 128M(100%)". */
export const ZGC_MAX_CAPACITY = 'Max Capacity: ';
