/**
 * The doctor's detector for files holding `jcmd <pid> VM.native_memory` output: one report, or
 * many appended by a collection loop (`while …; do date; jcmd $pid VM.native_memory summary; done`).
 * Each report becomes one `nmt-summary` evidence on its "Total:" line whose facts hold every
 * category's reserved and committed bytes (and changes, for `summary.diff`); a JVM without NMT
 * becomes `nmt-not-enabled`. The snapshots themselves stay available for the budget analysis
 * (analyse.ts), which needs the configuration the detector does not know.
 */
import { MAX_EVIDENCE_PER_KIND, type Detector, type Evidence } from '../evidence.js';
import { NmtParser, type NmtParseError, type NmtSnapshot } from './parse.js';

const MAX_TEXT = 500;

const HEADER = /^\s*Native Memory Tracking:\s*$/;
const NOT_ENABLED = /Native memory tracking is not enabled/i;
const TOTAL = /^\s*Total:\s*reserved=\d+(?:KB|MB|GB)?(?:\s+[+-]\d+(?:KB|MB|GB)?)?,\s*committed=\d+/;
const HEAP_CATEGORY = /^\s*-?\s*Java Heap \(reserved=\d+(?:KB|MB|GB)?/;

/** Whether the first lines of a file are `jcmd … VM.native_memory` output (or NMT's exit report). */
export function looksLikeNmt(firstLines: readonly string[]): boolean {
  return firstLines.some((l) => HEADER.test(l) || NOT_ENABLED.test(l) || TOTAL.test(l) || HEAP_CATEGORY.test(l));
}

export class NmtDetector implements Detector {
  private readonly parser: NmtParser;
  /** The first snapshots, then the latest one in the last slot: growth needs both ends of a long loop. */
  private readonly kept: NmtSnapshot[] = [];
  private seen = 0;
  private notEnabled: Evidence | undefined;
  private result: NmtParseError | undefined;

  constructor(private readonly file: string) {
    this.parser = new NmtParser(file);
  }

  onLine(text: string, line: number): void {
    if (this.notEnabled === undefined && NOT_ENABLED.test(text)) {
      this.notEnabled = {
        kind: 'nmt-not-enabled',
        at: { file: this.file, line, text: text.trim().slice(0, MAX_TEXT) },
        summary: 'jcmd VM.native_memory: native memory tracking is not enabled (start the JVM with -XX:NativeMemoryTracking=summary)',
        facts: {},
      };
    }
    this.parser.onLine(text, line);
    this.take();
  }

  finish(): Evidence[] {
    const outcome = this.parser.finish();
    this.take();
    if (!Array.isArray(outcome) && outcome.code === 'nmt-malformed') this.result = outcome;
    const evidence = this.kept.map((s, i) => toEvidence(s, i === this.kept.length - 1 ? this.seen - 1 : i, this.kept.length, this.seen));
    if (this.notEnabled !== undefined) evidence.push(this.notEnabled);
    return evidence;
  }

  /** The snapshots kept (all of them up to MAX_EVIDENCE_PER_KIND; beyond that the first ones and the latest). */
  snapshots(): readonly NmtSnapshot[] {
    return this.kept;
  }

  /** A report that could not be read (after `finish()`); the snapshots before it are still kept. */
  error(): NmtParseError | undefined {
    return this.result;
  }

  private take(): void {
    for (const s of this.parser.drain()) {
      this.seen++;
      if (this.kept.length < MAX_EVIDENCE_PER_KIND) this.kept.push(s);
      else this.kept[this.kept.length - 1] = s;
    }
  }
}

export function createNmtDetector(file: string): NmtDetector {
  return new NmtDetector(file);
}

/** Facts of one snapshot: `<Category>.committed` / `.reserved` (decimal bytes), plus changes in a diff. */
function toEvidence(s: NmtSnapshot, index: number, kept: number, seen: number): Evidence {
  const facts: Record<string, string | number | boolean> = {
    report: s.kind === 'diff' ? 'summary.diff' : 'summary',
    scale: s.scale,
    generation: s.generation,
    detail: s.detail,
    snapshotIndex: index,
    'total.committed': s.total.committedBytes.toString(),
    'total.reserved': s.total.reservedBytes.toString(),
  };
  if (s.pid !== undefined) facts['pid'] = s.pid;
  if (seen > kept) facts['snapshotsOmitted'] = seen - kept;
  if (s.kind === 'diff') facts['total.committedDelta'] = s.total.committedDeltaBytes.toString();
  if (s.totalMalloc !== undefined) facts['total.malloc'] = s.totalMalloc.bytes.toString();
  if (s.totalMmap !== undefined) facts['total.mmap.committed'] = s.totalMmap.committedBytes.toString();
  for (const c of s.categories) {
    facts[`${c.name}.committed`] = c.committedBytes.toString();
    facts[`${c.name}.reserved`] = c.reservedBytes.toString();
    if (s.kind === 'diff') facts[`${c.name}.committedDelta`] = c.committedDeltaBytes.toString();
    if (c.threads !== undefined) facts[`${c.name}.threads`] = c.threads.count;
    if (c.classes !== undefined) facts[`${c.name}.classes`] = c.classes.count;
  }
  return {
    kind: 'nmt-summary',
    at: { file: s.file, line: s.total.line, text: s.total.text.slice(0, MAX_TEXT) },
    ...(s.epochMs !== undefined ? { epochMs: s.epochMs } : {}),
    summary: summaryOf(s),
    facts,
  };
}

function summaryOf(s: NmtSnapshot): string {
  const who = s.pid !== undefined ? ` (pid ${s.pid})` : '';
  if (s.kind === 'diff') {
    const moved = [...s.categories]
      .filter((c) => c.committedDeltaBytes !== 0n)
      .sort((a, b) => (abs(b.committedDeltaBytes) > abs(a.committedDeltaBytes) ? 1 : abs(b.committedDeltaBytes) < abs(a.committedDeltaBytes) ? -1 : 0))
      .slice(0, 3)
      .map((c) => `${c.name} ${signedSize(c.committedDeltaBytes)}`);
    return `NMT summary.diff${who}: ${size(s.total.committedBytes)} committed, ${signedSize(s.total.committedDeltaBytes)} since the baseline${moved.length > 0 ? `; ${moved.join(', ')}` : ''}`;
  }
  const largest = [...s.categories]
    .sort((a, b) => (b.committedBytes > a.committedBytes ? 1 : b.committedBytes < a.committedBytes ? -1 : 0))
    .slice(0, 3)
    .map((c) => `${c.name} ${size(c.committedBytes)}`);
  return `NMT summary${who}: ${size(s.total.committedBytes)} committed of ${size(s.total.reservedBytes)} reserved${largest.length > 0 ? `; ${largest.join(', ')}` : ''}`;
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function signedSize(v: bigint): string {
  return `${v < 0n ? '-' : '+'}${size(abs(v))}`;
}

/** KB-exact sizes read best in MiB with two decimals; whole units stay whole. */
function size(bytes: bigint): string {
  const mib = 1024n * 1024n;
  if (bytes < mib) return bytes % 1024n === 0n ? `${bytes / 1024n}kb` : `${bytes}b`;
  if (bytes % mib === 0n) return `${bytes / mib}mb`;
  const hundredths = (bytes * 100n + mib / 2n) / mib;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}mb`;
}
