/**
 * A deliberately simple reading of a unified-logging GC log, independent of the parser, to check
 * it against. It knows nothing of decorator shapes beyond "[...]" runs, nor of tags or levels: it
 * strips the leading brackets and reads the message with one regex per fact.
 *
 * - A pause is a message "GC(n) [Y: ]Pause <words> [heap change] <number><ms|s>": HotSpot writes
 *   every stop-the-world pause that way, once, when it ends. Statistics tables (Shenandoah's
 *   "Pause Init Mark (G)   963 us", ZGC's "Phase: Pause Mark End 0.011 / …") have no GC id and
 *   their unit stands apart, so they never match.
 * - Its kind comes from the words right after "Pause".
 * - Durations are summed in whole nanoseconds from the digits, so sums are exact.
 */

export interface PauseLine {
  /** 1-based line number. */
  readonly line: number;
  readonly kind: string;
  /** The words between "Pause " and the figures, e.g. "Young (Normal) (G1 Evacuation Pause)". */
  readonly words: string;
  readonly ns: number;
  /** "14M->12M(128M)" as written, or undefined. */
  readonly heap: string | undefined;
}

export interface SimpleCount {
  readonly pauses: readonly PauseLine[];
  readonly kinds: Record<string, number>;
  readonly totalNs: number;
  readonly bad: Record<string, number>;
  /** The line numbers of each kind of bad event, in order. */
  readonly badLines: Record<string, number[]>;
  /** "Concurrent Cycle", "Concurrent Mark Cycle", "Concurrent Undo Cycle" lines with a duration (G1). */
  readonly g1Cycles: number;
  /** Other "Concurrent <phase> <duration>" lines, and ZGC's cycle summaries. */
  readonly otherConcurrent: number;
  /** The collector of the "Using …" line, if any. */
  readonly using: string | undefined;
}

const DECORATIONS = /^(?:\[[^\]]*\])*\s?/;
const PAUSE = /^GC\(\d+\) (?:[YyO]: )?Pause (.+?)(?: (\S+->\S+))? (\d+)(?:[.,](\d+))?(ms|s)$/;
const KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Young \(Mixed\)/, 'mixed'],
  [/^Young/, 'young'],
  [/^Mixed/, 'mixed'],
  [/^Initial Mark/, 'initial-mark'],
  [/^Remark/, 'remark'],
  [/^Cleanup/, 'cleanup'],
  [/^Full/, 'full'],
  [/^Mark Start/, 'mark-start'],
  [/^Mark End/, 'mark-end'],
  [/^Relocate Start/, 'relocate-start'],
  [/^Init Mark/, 'init-mark'],
  [/^Final Mark/, 'final-mark'],
  [/^Init Update Refs/, 'init-update-refs'],
  [/^Final Update Refs/, 'final-update-refs'],
  [/^Final Roots/, 'final-roots'],
  [/^Final Evac/, 'final-evac'],
  [/^Degenerated GC/, 'degenerated'],
];
const G1_CYCLE = /^GC\(\d+\) Concurrent (?:Mark |Undo )?Cycle \d+(?:[.,]\d+)?ms$/;
const CONCURRENT = /^GC\(\d+\) Concurrent .* \d+(?:[.,]\d+)?ms$/;
const ZGC_CYCLE = /^GC\(\d+\) (?:Garbage|Minor|Major|Minor Garbage|Major Garbage) Collection \(.*\) \S+->\S+(?: \S+s)?$/;
const USING = /^Using (G1|Parallel|Serial|The Z Garbage Collector|Shenandoah|Concurrent Mark Sweep)$/;

function nanos(whole: string, fraction: string | undefined, unit: string): number {
  const digits = unit === 's' ? 9 : 6;
  return Number(whole) * 10 ** digits + Number((fraction ?? '').slice(0, digits).padEnd(digits, '0'));
}

export function simpleCount(text: string): SimpleCount {
  const pauses: PauseLine[] = [];
  const kinds: Record<string, number> = {};
  const bad: Record<string, number> = {};
  const badLines: Record<string, number[]> = {};
  let lineNumber = 0;
  const add = (kind: string): void => {
    bad[kind] = (bad[kind] ?? 0) + 1;
    (badLines[kind] ??= []).push(lineNumber);
  };
  let totalNs = 0;
  let g1Cycles = 0;
  let otherConcurrent = 0;
  let using: string | undefined;
  text.split('\n').forEach((raw, i) => {
    lineNumber = i + 1;
    const message = raw.replace(DECORATIONS, '').trimEnd();
    const usingMatch = USING.exec(message);
    if (usingMatch !== null) using ??= usingMatch[1];
    if (/^GC\(\d+\) To-space exhausted/.test(message)) add('to-space-exhausted');
    // JDK 17 writes stalls without a GC id: they belong to the thread, not to a cycle.
    if (/^(?:GC\(\d+\) )?Allocation Stall \(.*\) \d+(?:[.,]\d+)?ms$/.test(message)) add('allocation-stall');
    if (/Cancelling (?:concurrent )?GC: Allocation Failure/.test(message)) add('concurrent-mode-failure');
    if (G1_CYCLE.test(message)) g1Cycles++;
    if (CONCURRENT.test(message) || ZGC_CYCLE.test(message)) otherConcurrent++;
    const m = PAUSE.exec(message);
    if (m === null) return;
    const words = m[1]!;
    const kind = KINDS.find(([pattern]) => pattern.test(words))?.[1] ?? 'other';
    const ns = nanos(m[3]!, m[4], m[5]!);
    pauses.push({ line: i + 1, kind, words, ns, heap: m[2] });
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    totalNs += ns;
    if (kind === 'full') add('full-gc');
    if (kind === 'degenerated') add('degenerated-gc');
    if (words.includes('(G1 Humongous Allocation)')) add('humongous-allocation');
    if (words.includes('(Evacuation Failure')) add('evacuation-failure');
  });
  return { pauses, kinds, totalNs, bad, badLines, g1Cycles, otherConcurrent, using };
}

const UNIT: Readonly<Record<string, number>> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * "14M->12M(128M)" (what pause lines end with) in bytes; capacity is the parenthesised size after
 * the arrow. Whole numbers only, as HotSpot prints pause heaps.
 */
export function heapToken(token: string): { beforeBytes: number; afterBytes: number; capacityBytes: number } {
  const m = /^(\d+)([BKMG])->(\d+)([BKMG])\((\d+)([BKMG])\)$/.exec(token);
  if (m === null) throw new Error(`not a pause heap token: ${token}`);
  return {
    beforeBytes: Number(m[1]) * UNIT[m[2]!]!,
    afterBytes: Number(m[3]) * UNIT[m[4]!]!,
    capacityBytes: Number(m[5]) * UNIT[m[6]!]!,
  };
}

/**
 * The clocks in a line's leading brackets, read with plain regexes and Date.parse: uptime seconds
 * from "[1.234s]", "[1234ms]" (below 1e11: uptimemillis) or "[…ns]" (uptimenanos, written after
 * timenanos), epoch milliseconds from an ISO time or "[…ms]" at or above 1e11 (timemillis).
 */
export function decorationClock(line: string): { uptimeSec?: number; epochMs?: number } {
  const prefix = /^(?:\[[^\]]*\])*/.exec(line)![0];
  const brackets = [...prefix.matchAll(/\[([^\]]*)\]/g)].map((b) => b[1]!.trim());
  const clock: { uptimeSec?: number; epochMs?: number } = {};
  let upMillis: number | undefined;
  let upNanos: number | undefined;
  for (const b of brackets) {
    const iso = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})([+-]\d\d)(\d\d)$/.exec(b);
    if (iso !== null) clock.epochMs ??= Date.parse(`${iso[1]}${iso[2]}:${iso[3]}`);
    const seconds = /^(\d+)[.,](\d+)s$/.exec(b);
    if (seconds !== null) clock.uptimeSec = Number(`${seconds[1]}.${seconds[2]}`);
    const millis = /^(\d+)ms$/.exec(b);
    if (millis !== null) {
      const value = Number(millis[1]);
      if (value >= 1e11) clock.epochMs ??= value;
      else upMillis = value;
    }
    const nanos = /^(\d+)ns$/.exec(b);
    if (nanos !== null) upNanos = Number(nanos[1]);
  }
  if (clock.uptimeSec === undefined && upMillis !== undefined) clock.uptimeSec = upMillis / 1000;
  if (clock.uptimeSec === undefined && upNanos !== undefined) clock.uptimeSec = upNanos / 1e9;
  return clock;
}
