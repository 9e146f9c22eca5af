/**
 * Reads the text `jcmd <pid> VM.native_memory summary` (and `summary.diff`, `detail`, any
 * `scale=`) prints on HotSpot JDK 8, 11 and 17+, into exact byte figures per NMT category.
 *
 * The layout is HotSpot's MemSummaryReporter / MemSummaryDiffReporter: a "Native Memory Tracking:"
 * header (after jcmd's "<pid>:" line), one "Total:" line, then a block per category, its first line
 * "-<name right-aligned> (reserved=…, committed=…)" and indented "(…)" lines with the parts. A diff
 * appends a signed change to every figure ("committed=1234KB +56KB"). Everything is parsed by shape,
 * not by a fixed list of category names, so categories added by later JDKs come through as they are.
 *
 * NMT rounds every figure to the nearest unit of the scale (KB unless `scale=` says otherwise), so
 * each value here is the printed number times the scale, exact to ± half a unit; `scaleBytes` says
 * which unit that is.
 */

export type NmtScale = 'B' | 'KB' | 'MB' | 'GB';

const SCALE_BYTES: Readonly<Record<NmtScale, bigint>> = { B: 1n, KB: 1024n, MB: 1024n ** 2n, GB: 1024n ** 3n };

/** A reserved/committed pair; the deltas are the change since the baseline in a `summary.diff` (0 otherwise). */
export interface NmtReservation {
  readonly reservedBytes: bigint;
  readonly committedBytes: bigint;
  readonly reservedDeltaBytes: bigint;
  readonly committedDeltaBytes: bigint;
}

/** A `malloc=` or `arena=` figure: bytes and, when printed, the number of allocations. */
export interface NmtAllocations {
  readonly bytes: bigint;
  readonly deltaBytes: bigint;
  readonly count?: number;
  readonly countDelta?: number;
}

/** One metaspace part of the Class block ("Metadata" is non-class metaspace, "Class space" the compressed class space). */
export interface NmtMetaspaceStats extends NmtReservation {
  readonly usedBytes?: bigint;
  readonly usedDeltaBytes?: bigint;
  readonly freeBytes?: bigint;
  readonly wasteBytes?: bigint;
}

export interface NmtCategory extends NmtReservation {
  /** As NMT prints it: "Java Heap", "Class", "Thread", "Other", "Shared class space", … */
  readonly name: string;
  /** 1-based line of the category's first line. */
  readonly line: number;
  readonly malloc?: NmtAllocations;
  readonly mmap?: NmtReservation;
  readonly arena?: NmtAllocations;
  /** Thread: the thread stacks (included in the category's figures). */
  readonly stack?: NmtReservation;
  readonly threads?: { readonly count: number; readonly delta: number };
  readonly classes?: {
    readonly count: number;
    readonly delta: number;
    readonly instanceClasses?: number;
    readonly arrayClasses?: number;
  };
  readonly metadata?: NmtMetaspaceStats;
  readonly classSpace?: NmtMetaspaceStats;
  /** Native Memory Tracking: the per-malloc headers NMT adds to every allocation. */
  readonly trackingOverheadBytes?: bigint;
}

/**
 * The HotSpot line a snapshot's layout belongs to, where the text tells: `jdk8` has no module
 * system (no "Module" category) and files NIO direct memory under "Internal"; `jdk9+` files it
 * under "Other". At MB/GB scale small categories are omitted and the text may not tell.
 */
export type NmtGeneration = 'jdk8' | 'jdk9+' | 'unknown';

export interface NmtSnapshot {
  readonly file: string;
  /** 1-based line where the snapshot starts (jcmd's "<pid>:" line when present). */
  readonly line: number;
  readonly pid?: number;
  /** When a wall-clock time stands on the line just before the snapshot (e.g. a `date` in a collection loop); UTC when no zone is given. */
  readonly epochMs?: number;
  /** `diff` for `summary.diff` output (figures are current values, deltas are since the baseline). */
  readonly kind: 'summary' | 'diff';
  /** The output went on with detail sections (`VM.native_memory detail`), skipped here. */
  readonly detail: boolean;
  readonly scale: NmtScale;
  readonly scaleBytes: bigint;
  readonly generation: NmtGeneration;
  readonly total: NmtReservation & { readonly line: number; readonly text: string };
  /** JDK 17+: "malloc: …KB #…" under Total. */
  readonly totalMalloc?: NmtAllocations;
  /** JDK 17+: "mmap: reserved=…, committed=…" under Total. */
  readonly totalMmap?: NmtReservation;
  readonly categories: readonly NmtCategory[];
}

export type NmtParseErrorCode =
  /** jcmd answered "Native memory tracking is not enabled": the JVM runs without -XX:NativeMemoryTracking. */
  | 'nmt-not-enabled'
  /** `summary.diff` without an earlier `baseline`. */
  | 'nmt-no-baseline'
  /** No NMT report in the text at all. */
  | 'nmt-missing'
  /** A line that looks like NMT output but does not read as it (corrupted, cut, mixed units). */
  | 'nmt-malformed';

export interface NmtParseError {
  readonly code: NmtParseErrorCode;
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** One line: "file:line: what is wrong". */
  readonly message: string;
}

export function isNmtParseError(value: NmtSnapshot[] | NmtParseError): value is NmtParseError {
  return !Array.isArray(value);
}

/** Every NMT report in `text` (several jcmd runs may be appended in one file), in order. Pure. */
export function parseNmt(text: string, file: string): NmtSnapshot[] | NmtParseError {
  const parser = new NmtParser(file);
  const lines = text.split('\n');
  // A final newline ends the last line rather than starting an empty one.
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  lines.forEach((content, i) => parser.onLine(content.endsWith('\r') ? content.slice(0, -1) : content, i + 1));
  return parser.finish();
}

// Figures: "123KB", "123" (scale=1 prints no unit), then an optional signed change "+45KB"/"-45".
const AMOUNT = String.raw`(\d+)(KB|MB|GB|B)?(?:\s+([+-]\d+)(KB|MB|GB|B)?)?`;
const COUNT = String.raw`#(\d+)(?:\s+([+-]\d+))?`;
// A figure ends at a blank, a comma or the closing parenthesis: later JDKs append more after it
// ("committed=…, peak=…"), while "16384XB" is a corrupted figure, not a shorter one.
const END = String.raw`(?=[\s,)]|$)`;

const PID_LINE = /^(\d+):\s*$/;
const HEADER = /^\s*Native Memory Tracking:\s*$/;
const NOT_ENABLED = /Native memory tracking is not enabled/i;
const NO_BASELINE = /No baseline for comparison/i;
const DETAIL_START = /^\s*(?:Details:|Virtual memory map:)\s*$/;
const TOTAL = new RegExp(String.raw`^\s*Total:\s*reserved=${AMOUNT},\s*committed=${AMOUNT}${END}`);
const TOTAL_MALLOC = new RegExp(String.raw`^\s*malloc:\s*${AMOUNT}(?:,?\s*${COUNT})?${END}`);
const TOTAL_MMAP = new RegExp(String.raw`^\s*mmap:\s*reserved=${AMOUNT},\s*committed=${AMOUNT}${END}`);
const CATEGORY = new RegExp(String.raw`^\s*-?\s*([A-Za-z][A-Za-z0-9 _-]*?)\s*\(reserved=${AMOUNT},\s*committed=${AMOUNT}${END}`);
const MMAP = new RegExp(String.raw`^\(mmap:\s*reserved=${AMOUNT},\s*committed=${AMOUNT}${END}`);
const MALLOC = new RegExp(String.raw`^\(malloc=${AMOUNT}(?:,?\s*${COUNT})?${END}`);
const ARENA = new RegExp(String.raw`^\(arena=${AMOUNT}(?:,?\s*${COUNT})?${END}`);
const CLASSES = /^\(classes #(\d+)(?:\s+([+-]\d+))?\)/;
const CLASS_KINDS = /^\(\s*instance classes #(\d+)(?:\s+[+-]\d+)?,\s*array classes #(\d+)(?:\s+[+-]\d+)?\)/;
const THREADS = /^\(thread #(\d+)(?:\s+([+-]\d+))?\)/;
const STACK_RESERVED = new RegExp(String.raw`^\(stack:\s*reserved=${AMOUNT},\s*committed=${AMOUNT}${END}`, 'i');
// Where HotSpot mallocs thread stacks (AIX, some builds), the stack line is one malloc-style figure.
const STACK_MALLOC = new RegExp(String.raw`^\(stack:\s*${AMOUNT}(?:,?\s*${COUNT})?${END}`, 'i');
const TRACKING_OVERHEAD = new RegExp(String.raw`^\(tracking overhead=${AMOUNT}${END}`);
const METASPACE_PART = /^:?\s*\(\s*(Metadata|Class space):?\s*\)/;
const META_RESERVED = new RegExp(String.raw`^\(\s*reserved=${AMOUNT},\s*committed=${AMOUNT}${END}`);
const META_USED = new RegExp(String.raw`^\(\s*used=${AMOUNT}${END}`);
const META_FREE = new RegExp(String.raw`^\(\s*free=${AMOUNT}${END}`);
const META_WASTE = new RegExp(String.raw`^\(\s*waste=${AMOUNT}${END}`);
const TIMESTAMP = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?/;

// Categories that exist only since JDK 9 (module system, unified logging, …): one of them at KB
// scale, where NMT prints every category of 1 KB or more, marks the newer layout. "Shared class
// space" and "Tracing" are not among them: JDK 8 has those too.
const JDK9_CATEGORIES = new Set([
  'Module',
  'Logging',
  'Arguments',
  'Synchronizer',
  'Synchronization',
  'Safepoint',
  'Serviceability',
  'Metaspace',
  'String Deduplication',
  'Object Monitors',
  'GCCardSet',
  'Statistics',
]);

interface MutableCategory {
  name: string;
  line: number;
  reservedBytes: bigint;
  committedBytes: bigint;
  reservedDeltaBytes: bigint;
  committedDeltaBytes: bigint;
  malloc?: NmtAllocations;
  mmap?: NmtReservation;
  arena?: NmtAllocations;
  stack?: NmtReservation;
  threads?: { count: number; delta: number };
  classes?: { count: number; delta: number; instanceClasses?: number; arrayClasses?: number };
  metadata?: MutableMetaspace;
  classSpace?: MutableMetaspace;
  trackingOverheadBytes?: bigint;
}

type MutableMetaspace = { -readonly [K in keyof NmtMetaspaceStats]: NmtMetaspaceStats[K] };

interface Building {
  line: number;
  pid?: number;
  epochMs?: number;
  kind: 'summary' | 'diff';
  scale?: NmtScale;
  total?: NmtReservation & { line: number; text: string };
  totalMalloc?: NmtAllocations;
  totalMmap?: NmtReservation;
  categories: MutableCategory[];
  newerLayout: boolean;
  metaspacePart?: 'metadata' | 'classSpace';
}

class Malformed {
  constructor(readonly message: string) {}
}

/**
 * The incremental form of {@link parseNmt}: feed lines in order, then `finish()`. Holds one
 * snapshot in progress plus the finished ones (a few KB each).
 */
export class NmtParser {
  private readonly done: NmtSnapshot[] = [];
  private produced = 0;
  private current: Building | undefined;
  private skippingDetail = false;
  private pending: { pid: number; line: number; epochMs?: number } | undefined;
  private previousText = '';
  private error: NmtParseError | undefined;
  private notice: NmtParseError | undefined;

  constructor(private readonly file: string) {}

  /**
   * Hands over the snapshots finished since the last call, so a caller streaming a long file
   * decides what to keep; `finish()` then returns only those not drained.
   */
  drain(): NmtSnapshot[] {
    return this.done.splice(0, this.done.length);
  }

  onLine(text: string, line: number): void {
    if (this.error !== undefined) return;
    const previous = this.previousText;
    if (text.trim().length > 0) this.previousText = text;

    const pid = PID_LINE.exec(text);
    if (pid !== null) {
      this.close(line);
      this.pending = { pid: Number(pid[1]), line, ...epochOf(previous) };
      return;
    }
    if (HEADER.test(text)) {
      this.close(line);
      const from = this.pending;
      this.pending = undefined;
      const stamp = from?.epochMs ?? epochOf(previous).epochMs;
      this.current = {
        line: from?.line ?? line,
        ...(from !== undefined ? { pid: from.pid } : {}),
        ...(stamp !== undefined ? { epochMs: stamp } : {}),
        kind: 'summary',
        categories: [],
        newerLayout: false,
      };
      return;
    }
    if (NOT_ENABLED.test(text) || NO_BASELINE.test(text)) {
      this.close(line);
      this.notice ??= this.errorAt(
        NOT_ENABLED.test(text) ? 'nmt-not-enabled' : 'nmt-no-baseline',
        line,
        text,
        NOT_ENABLED.test(text)
          ? 'the JVM runs without native memory tracking: start it with -XX:NativeMemoryTracking=summary'
          : 'summary.diff needs an earlier `jcmd <pid> VM.native_memory baseline`',
      );
      return;
    }
    const b = this.current;
    if (b === undefined || this.skippingDetail) return;
    if (DETAIL_START.test(text)) {
      this.close(line, true);
      return;
    }
    try {
      this.read(b, text.trim(), line, text);
    } catch (e) {
      if (!(e instanceof Malformed)) throw e;
      this.error = this.errorAt('nmt-malformed', line, text, e.message);
    }
  }

  finish(): NmtSnapshot[] | NmtParseError {
    if (this.error !== undefined) return this.error;
    this.close(Number.MAX_SAFE_INTEGER);
    if (this.error !== undefined) return this.error;
    if (this.produced > 0) return [...this.done];
    return this.notice ?? this.errorAt('nmt-missing', 1, '', 'no "Native Memory Tracking:" report in this file');
  }

  private read(b: Building, t: string, line: number, raw: string): void {
    if (b.total === undefined) {
      const m = TOTAL.exec(t);
      if (m === null) return; // the "(Omitting categories …)" note and blank lines
      const scale = unitOf(m[2]);
      b.scale = scale;
      b.total = { ...reservation(m, 1, scale), line, text: raw.trim() };
      if (m[3] !== undefined || m[7] !== undefined) b.kind = 'diff';
      return;
    }
    const scale = b.scale ?? 'KB';
    const category = CATEGORY.exec(t);
    if (category !== null && !t.startsWith('(')) {
      const name = category[1]!.trim();
      const c: MutableCategory = { name, line, ...reservation(category, 2, scale) };
      if (category[4] !== undefined || category[8] !== undefined) b.kind = 'diff';
      if (JDK9_CATEGORIES.has(name)) b.newerLayout = true;
      b.categories.push(c);
      b.metaspacePart = undefined;
      return;
    }
    const c = b.categories.at(-1);
    if (c === undefined) {
      let m: RegExpExecArray | null;
      if ((m = TOTAL_MALLOC.exec(t)) !== null) {
        b.totalMalloc = allocations(m, 1, 5, scale);
        b.newerLayout = true;
      } else if ((m = TOTAL_MMAP.exec(t)) !== null) {
        b.totalMmap = reservation(m, 1, scale);
        b.newerLayout = true;
      }
      return;
    }
    if (!t.startsWith('(') && !t.startsWith(':')) return;
    this.readPart(b, c, t, scale);
  }

  private readPart(b: Building, c: MutableCategory, t: string, scale: NmtScale): void {
    let m: RegExpExecArray | null;
    const part = METASPACE_PART.exec(t);
    if (part !== null) {
      b.metaspacePart = part[1] === 'Metadata' ? 'metadata' : 'classSpace';
      if (t.startsWith(':')) b.kind = 'diff';
      b.newerLayout = true;
      return;
    }
    if (b.metaspacePart !== undefined) {
      const key = b.metaspacePart;
      const stats: MutableMetaspace = c[key] ?? { reservedBytes: 0n, committedBytes: 0n, reservedDeltaBytes: 0n, committedDeltaBytes: 0n };
      c[key] = stats;
      if ((m = META_RESERVED.exec(t)) !== null) {
        Object.assign(stats, reservation(m, 1, scale));
        return;
      }
      if ((m = META_USED.exec(t)) !== null) {
        stats.usedBytes = bytesOf(m, 1, scale);
        stats.usedDeltaBytes = deltaOf(m, 3, scale);
        return;
      }
      if ((m = META_FREE.exec(t)) !== null) {
        stats.freeBytes = bytesOf(m, 1, scale);
        return;
      }
      if ((m = META_WASTE.exec(t)) !== null) {
        stats.wasteBytes = bytesOf(m, 1, scale);
        return;
      }
    }
    if ((m = MMAP.exec(t)) !== null) c.mmap = reservation(m, 1, scale);
    else if ((m = MALLOC.exec(t)) !== null) c.malloc = allocations(m, 1, 5, scale);
    else if ((m = ARENA.exec(t)) !== null) c.arena = allocations(m, 1, 5, scale);
    else if ((m = CLASSES.exec(t)) !== null) c.classes = { count: Number(m[1]), delta: signed(m[2]) };
    else if ((m = CLASS_KINDS.exec(t)) !== null) {
      c.classes = { ...(c.classes ?? { count: 0, delta: 0 }), instanceClasses: Number(m[1]), arrayClasses: Number(m[2]) };
      b.newerLayout = true;
    } else if ((m = THREADS.exec(t)) !== null) c.threads = { count: Number(m[1]), delta: signed(m[2]) };
    else if ((m = STACK_RESERVED.exec(t)) !== null) c.stack = reservation(m, 1, scale);
    else if ((m = STACK_MALLOC.exec(t)) !== null) {
      const a = allocations(m, 1, 5, scale);
      c.stack = { reservedBytes: a.bytes, committedBytes: a.bytes, reservedDeltaBytes: a.deltaBytes, committedDeltaBytes: a.deltaBytes };
    } else if ((m = TRACKING_OVERHEAD.exec(t)) !== null) c.trackingOverheadBytes = bytesOf(m, 1, scale);
    else if (/^\((?:mmap|malloc|arena|stack|classes|thread|tracking overhead)\b/i.test(t)) {
      throw new Malformed(`unreadable NMT figure in category "${c.name}"`);
    }
  }

  /** Ends the snapshot in progress, if any. */
  private close(line: number, detailFollows = false): void {
    const b = this.current;
    this.skippingDetail = detailFollows;
    if (b === undefined) return;
    if (!detailFollows) this.current = undefined;
    if (b.total === undefined) {
      this.error ??= this.errorAt(
        'nmt-malformed',
        b.line,
        '',
        line === Number.MAX_SAFE_INTEGER ? 'NMT report ends before its "Total:" line' : `NMT report has no "Total:" line before line ${line}`,
      );
      this.current = undefined;
      return;
    }
    const scale = b.scale ?? 'KB';
    const generation: NmtGeneration = b.newerLayout ? 'jdk9+' : scale === 'KB' || scale === 'B' ? 'jdk8' : 'unknown';
    this.produced++;
    this.done.push({
      file: this.file,
      line: b.line,
      ...(b.pid !== undefined ? { pid: b.pid } : {}),
      ...(b.epochMs !== undefined ? { epochMs: b.epochMs } : {}),
      kind: b.kind,
      detail: detailFollows,
      scale,
      scaleBytes: SCALE_BYTES[scale],
      generation,
      total: b.total,
      ...(b.totalMalloc !== undefined ? { totalMalloc: b.totalMalloc } : {}),
      ...(b.totalMmap !== undefined ? { totalMmap: b.totalMmap } : {}),
      categories: b.categories.map(freezeCategory),
    });
    this.current = undefined;
  }

  private errorAt(code: NmtParseErrorCode, line: number, text: string, what: string): NmtParseError {
    return { code, file: this.file, line, text: text.trim().slice(0, 500), message: `${this.file}:${line}: ${what}` };
  }
}

function freezeCategory(c: MutableCategory): NmtCategory {
  const { metadata, classSpace, ...rest } = c;
  return {
    ...rest,
    ...(metadata !== undefined ? { metadata: { ...metadata } } : {}),
    ...(classSpace !== undefined ? { classSpace: { ...classSpace } } : {}),
  };
}

function unitOf(text: string | undefined): NmtScale {
  return text === undefined ? 'B' : (text as NmtScale);
}

/** `m[i]` digits and `m[i+1]` unit, which must be the snapshot's scale (NMT prints one unit throughout). */
function bytesOf(m: RegExpExecArray, i: number, scale: NmtScale): bigint {
  const unit = unitOf(m[i + 1]);
  if (unit !== scale) throw new Malformed(`figure in ${unit === 'B' ? 'bytes' : unit} in a report scaled in ${scale === 'B' ? 'bytes' : scale}`);
  return BigInt(m[i]!) * SCALE_BYTES[scale];
}

/** `m[i]` a signed change, `m[i+1]` its unit: HotSpot omits the unit on some changes (arena), which then are in the scale too. */
function deltaOf(m: RegExpExecArray, i: number, scale: NmtScale): bigint {
  const digits = m[i];
  if (digits === undefined) return 0n;
  const unit = m[i + 1];
  if (unit !== undefined && unit !== scale) throw new Malformed(`change in ${unit} in a report scaled in ${scale}`);
  return BigInt(digits) * SCALE_BYTES[scale];
}

/** reserved at m[i..i+3], committed at m[i+4..i+7]. */
function reservation(m: RegExpExecArray, i: number, scale: NmtScale): NmtReservation {
  return {
    reservedBytes: bytesOf(m, i, scale),
    committedBytes: bytesOf(m, i + 4, scale),
    reservedDeltaBytes: deltaOf(m, i + 2, scale),
    committedDeltaBytes: deltaOf(m, i + 6, scale),
  };
}

function allocations(m: RegExpExecArray, i: number, countAt: number, scale: NmtScale): NmtAllocations {
  const count = m[countAt];
  return {
    bytes: bytesOf(m, i, scale),
    deltaBytes: deltaOf(m, i + 2, scale),
    ...(count !== undefined ? { count: Number(count), countDelta: signed(m[countAt + 1]) } : {}),
  };
}

function signed(text: string | undefined): number {
  return text === undefined ? 0 : Number(text);
}

function epochOf(text: string): { epochMs?: number } {
  const m = TIMESTAMP.exec(text);
  if (m === null) return {};
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((frac ?? '0').padEnd(3, '0').slice(0, 3)));
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(ms) ? { epochMs: ms } : {};
}
