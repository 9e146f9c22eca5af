/**
 * A deliberately simple reading of a JDK 7/8 GC log, independent of the parser, to check it
 * against: it never follows brackets and never builds records.
 *
 * - Every stop-the-world pause ends with exactly one "[Times: user=… sys=…, real=… secs]" (G1 on a
 *   line of its own, the others at the end of the pause line), so pauses are counted by those,
 *   except the Times that close a CMS concurrent phase (on a "CMS-concurrent-" line) and the one
 *   closing the young collection CMS runs inside a remark (a "[ParNew" line that also says
 *   "Remark" or "YG occupancy"): that collection is part of the remark pause.
 * - A pause lasts the last "N secs]" written before its Times (nothing else closes with "secs]"
 *   after the pause's own figure).
 * - Its kind comes from words written since the previous pause.
 * - Shenandoah's JDK 8 format has no Times: its pauses are the lines "[Pause …, N ms]".
 *
 * Durations are summed in whole nanoseconds, from the digits, so that sums are exact.
 */

export interface SimpleCount {
  readonly kinds: Record<string, number>;
  readonly totalNs: number;
  readonly bad: Record<string, number>;
}

/** Words only one collector prints in its records and heap blocks. */
const COLLECTOR_WORDS: Readonly<Record<string, readonly string[]>> = {
  G1: ['[GC pause', '[GC remark', '[GC cleanup', 'garbage-first heap'],
  CMS: ['ParNew', 'CMS-'],
  Parallel: ['PSYoungGen'],
  Serial: ['DefNew'],
  Shenandoah: ['Shenandoah'],
};

/** The flag that asks for each collector on the "CommandLine flags:" line. */
const COLLECTOR_FLAGS: Readonly<Record<string, readonly string[]>> = {
  G1: ['-XX:+UseG1GC'],
  CMS: ['-XX:+UseConcMarkSweepGC'],
  Parallel: ['-XX:+UseParallelGC', '-XX:+UseParallelOldGC'],
  Serial: ['-XX:+UseSerialGC'],
  Shenandoah: ['-XX:+UseShenandoahGC'],
};

const named = (text: string, words: Readonly<Record<string, readonly string[]>>): string[] =>
  Object.keys(words).filter((name) => words[name]!.some((word) => text.includes(word)));

/**
 * Every collector the text names (a sound log names exactly one): by what it printed, else by the
 * flags. What it printed wins: one sample's flags say -XX:+UseSerialGC above PSYoungGen records.
 */
export function collectorsNamed(text: string): string[] {
  const byRecords = named(text, COLLECTOR_WORDS);
  return byRecords.length > 0 ? byRecords : named(text, COLLECTOR_FLAGS);
}

const SECS = /(\d+)[.,](\d+) secs\]/g;

/** "0.0146984" → 14698400 ns. */
function nanos(whole: string, fraction: string): number {
  return Number(whole) * 1e9 + Number(fraction.slice(0, 9).padEnd(9, '0'));
}

function kindOf(chunk: string): string {
  if (chunk.includes('CMS-remark') || chunk.includes('[GC remark')) return 'remark';
  if (chunk.includes('CMS-initial-mark')) return 'initial-mark';
  if (chunk.includes('[GC cleanup')) return 'cleanup';
  if (chunk.includes('[Full GC') || chunk.includes('(concurrent mode failure)') || chunk.includes('(promotion failed)')) return 'full';
  if (chunk.includes('(mixed)') || chunk.includes('(partial)')) return 'mixed';
  return 'young';
}

const occurrences = (text: string, word: string): number => text.split(word).length - 1;

function countByTimes(lines: readonly string[]): { kinds: Record<string, number>; totalNs: number } {
  const kinds: Record<string, number> = {};
  let totalNs = 0;
  let sinceLastPause = '';
  let sinceLastTimes = '';
  for (const line of lines) {
    const times = line.indexOf('[Times:');
    if (times < 0) {
      sinceLastPause += `${line}\n`;
      sinceLastTimes += `${line}\n`;
      continue;
    }
    const before = line.slice(0, times);
    sinceLastPause += before;
    sinceLastTimes += before;
    const closesConcurrentPhase = line.includes('CMS-concurrent-');
    const closesRemarkScavenge = line.includes('[ParNew') && (line.includes('Remark') || line.includes('YG occupancy'));
    if (!closesConcurrentPhase && !closesRemarkScavenge) {
      const kind = kindOf(sinceLastPause);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      const durations = [...sinceLastTimes.matchAll(SECS)];
      const last = durations[durations.length - 1];
      if (last !== undefined) totalNs += nanos(last[1]!, last[2]!);
      sinceLastPause = '';
    }
    sinceLastTimes = '';
    const after = line.slice(line.indexOf(']', times) + 1);
    sinceLastPause += `${after}\n`;
    sinceLastTimes += `${after}\n`;
  }
  return { kinds, totalNs };
}

const SHENANDOAH_PAUSE = /\[Pause ([A-Za-z ]+?)(?: \([^)]*\))?(?: \S+->\S+)?, (\d+)\.(\d+) ms\]/;
const SHENANDOAH_KINDS: Record<string, string> = {
  'Init Mark': 'init-mark',
  'Final Mark': 'final-mark',
  'Init Update Refs': 'init-update-refs',
  'Final Update Refs': 'final-update-refs',
  'Degenerated GC': 'degenerated',
  Full: 'full',
};

function countShenandoah(lines: readonly string[]): { kinds: Record<string, number>; totalNs: number } {
  const kinds: Record<string, number> = {};
  let totalNs = 0;
  for (const line of lines) {
    const m = SHENANDOAH_PAUSE.exec(line);
    if (m === null) continue;
    const kind = SHENANDOAH_KINDS[m[1]!] ?? 'other';
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    totalNs += Number(m[2]) * 1e6 + Number(m[3]!.slice(0, 6).padEnd(6, '0'));
  }
  return { kinds, totalNs };
}

export function simpleCount(text: string): SimpleCount {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const shenandoah = /\[Pause [^\]]*, \d+\.\d+ ms\]/.test(text);
  const { kinds, totalNs } = shenandoah ? countShenandoah(lines) : countByTimes(lines);
  const bad: Record<string, number> = {};
  const add = (kind: string, n: number): void => {
    if (n > 0) bad[kind] = (bad[kind] ?? 0) + n;
  };
  add('full-gc', kinds['full'] ?? 0);
  add('to-space-exhausted', occurrences(text, '(to-space exhausted)') + occurrences(text, '(to-space overflow)'));
  add('humongous-allocation', occurrences(text, '(G1 Humongous Allocation)'));
  // Shenandoah's concurrent mode failure: the cycle cancelled because allocation outran it.
  add('concurrent-mode-failure', occurrences(text, '(concurrent mode failure)') + (text.match(/Cancelling (?:concurrent )?GC: Allocation Failure/g)?.length ?? 0));
  add('promotion-failed', occurrences(text, '(promotion failed)') + occurrences(text, '[GC--'));
  add('degenerated-gc', kinds['degenerated'] ?? 0);
  return { kinds, totalNs, bad };
}
