/**
 * The JDK 7/8 GC log parser: routes each line to what it is.
 *
 * - A record ("[GC …", "[Full GC …", "[CMS-concurrent-…", Shenandoah's "[Pause …") is read
 *   bracket by bracket; when it does not close on its line, the lines that follow are its
 *   continuation, except the output the JVM interleaves (tenuring distribution, heap-at-GC blocks,
 *   FLS statistics, …), which is left out, and concurrent phases printed in between, which are read
 *   on their own.
 * - A complete pause is held until its "[Times: …]" (or the next pause) because G1 states its
 *   region sizes on a detail line after the pause line.
 * - Everything else is recognised informational output or reported as unrecognised.
 *
 * Lines are first tested by single characters; only records are parsed further. No line makes the
 * parser throw, and what it keeps is bounded: one record of at most MAX_RECORD_CHARS.
 */
import type { Collector, ConcurrentEvent, Emit, GcLogParser, LogTime } from '../events.js';
import { byFirstChar, isDigit, skipSpaces } from './chars.js';
import type { RecordContext } from './context.js';
import { emitDraft, type PauseDraft } from './draft.js';
import { readCommandLineFlags } from './flags.js';
import { applyG1Details } from './g1.js';
import { sizeAt, timesRealMs } from './heap.js';
import { COMMAND_LINE_FLAGS, REGION_SIZE_PREFIX, heapBlockLine, isHeaderLine, isInterleavedOutput, type HeapBlockLine } from './informational.js';
import { interpretRecord, openerAt, type Opener } from './interpret.js';
import { MAX_RECORD_CHARS, RecordTree } from './record.js';
import { SHENANDOAH_HEAP, SHENANDOAH_REGIONS, SHENANDOAH_REGION_SIZE, SHENANDOAH_STATISTICS, allocationFailureCancel, shenandoahInfo } from './shenandoah.js';
import { readStamps, skipStamps, trailingStampsStart } from './timestamps.js';

/** Second letters of the names starting with C or P that open a record or name a generation: "CMS", "Concurrent", "Pause", "PSYoungGen", "ParNew". */
const SECOND_CHARS_THAT_MATTER = 'MoaS';
/** Generation names that start an orphaned continuation line (its record's first line is missing). */
const ORPHAN_PIECES = byFirstChar(['PSYoungGen', 'ParNew', 'DefNew', 'CMS', 'Tenured', 'ParOldGen', 'PSOldGen'], (name) => name);

const noEmit: Emit = () => undefined;

export class Jdk8Parser implements GcLogParser {
  readonly format = 'jdk8' as const;
  private readonly tree = new RecordTree();
  /** For a concurrent phase printed on a line of its own while a record is open. */
  private readonly aside = new RecordTree();
  private pending = false;
  private pendingStampsFrom = 0;
  private lastLine = 0;
  /** Last line the open record took. */
  private recordLastLine = 0;
  private held: PauseDraft | undefined;
  private collector: Collector | undefined;
  private flagCollector: Collector | undefined;
  private shenandoahSeen = false;
  /** Inside Shenandoah's statistics at exit, which is prose as much as figures. */
  private shenandoahStatistics = false;
  private regionSizeBytes: number | undefined;
  /** Time of the last record read: Shenandoah's unstamped lines ("Cancelling GC: …") happen then. */
  private lastTime: LogTime = {};
  /** The command line states exact heap sizes; Shenandoah's own summary only rounded ones. */
  private heapSizesFromFlags = false;
  /** Whether a record was read since the JVM's banner (or the start): a banner now starts another run. */
  private recordsSinceBanner = false;
  /** Inside the banner's lines ("OpenJDK …", "Memory: …", "CommandLine flags: …"): one banner, one event. */
  private bannerOpen = false;
  /** A rotation note ("GC log file created …") came since the last record: the banner after it is the new file's. */
  private rotated = false;
  private emit: Emit = noEmit;
  private readonly reportConcurrent = (event: ConcurrentEvent): void => this.emit(event);

  line(text: string, lineNumber: number, emit: Emit): void {
    this.emit = emit;
    this.lastLine = lineNumber;
    try {
      if (text.length === 0) return;
      if (this.pending) this.continueRecord(text, lineNumber);
      // Indented lines carry no stamps: G1's phase details, most of a G1 log, go straight there.
      else if (text.charCodeAt(0) === 32) this.indented(text, 0, lineNumber);
      else this.scanLine(text, 0, lineNumber);
    } catch {
      // No input may stop the stream: the line is reported and the parser starts afresh.
      this.pending = false;
      this.held = undefined;
      emit({ type: 'unrecognised', time: {}, line: lineNumber, text });
    }
  }

  end(emit: Emit): void {
    this.emit = emit;
    try {
      if (this.pending) this.abandonRecord();
      this.flushHeld();
      if (this.collector === undefined && this.flagCollector !== undefined) this.noteCollector(this.flagCollector, this.lastLine);
    } catch {
      this.pending = false;
      this.held = undefined;
    }
  }

  /** A line (or the rest of one, from `from`) outside any record. */
  private scanLine(text: string, from: number, n: number): void {
    const p = skipStamps(text, from);
    if (p >= text.length) return; // a stamp whose line another thread's output took over
    const c = text.charCodeAt(p);
    if (c === 91) return this.atBracket(text, p, from, n);
    if (c === 32) return this.indented(text, p, n);
    if (isInterleavedOutput(text, p)) return;
    if (isHeaderLine(text, p)) return this.headerLine(text, p, n);
    if (text.startsWith(COMMAND_LINE_FLAGS, p)) {
      this.banner(text, p, n);
      return this.commandLine(text, n);
    }
    if (this.isShenandoahLine(text, p, n)) return;
    this.embeddedOrUnrecognised(text, p, n);
  }

  private atBracket(text: string, p: number, stampsFrom: number, n: number): void {
    const opener = openerAt(text, p);
    if (opener === 'pause' || opener === 'concurrent') return this.startRecord(text, p, stampsFrom, n, opener);
    if (opener === 'times') return this.onTimes(text, p, n);
    if (opener === 'ergonomics') return;
    if (this.held !== undefined && text.startsWith('Eden:', p + 1)) return this.g1Details(text, p, n);
    this.unrecognised(text, n);
  }

  /** Lines that start with spaces: G1 details, heap-at-GC blocks, ergonomics, "[Times: …]". */
  private indented(text: string, p: number, n: number): void {
    const q = skipSpaces(text, p);
    if (q === text.length) return;
    const c = text.charCodeAt(q);
    if (c === 91) return this.indentedBracket(text, q, n);
    if (isDigit(c)) {
      const r = skipStamps(text, q);
      if (r > q && text.charCodeAt(r) === 91) {
        const opener = openerAt(text, r);
        if (opener === 'ergonomics') return;
        if (opener === 'pause' || opener === 'concurrent') return this.startRecord(text, r, q, n, opener);
      }
    }
    // JDK 7's G1 details put per-phase statistics on a second line: "       Avg: 0.6, Min: 0.4, …]".
    if (text.startsWith('Avg:', q) || text.startsWith('Sum:', q)) return;
    const block = heapBlockLine(text, q);
    if (block !== undefined) return this.heapBlock(block, text, q, n);
    if (isInterleavedOutput(text, p) || this.isShenandoahLine(text, q, n)) return;
    this.embeddedOrUnrecognised(text, q, n);
  }

  private indentedBracket(text: string, q: number, n: number): void {
    // One look at the name's first letter settles most lines: G1's phase breakdown ("[Parallel
    // Time: …]", "[Ext Root Scanning (ms): …]", string deduplication statistics) is two thirds of a
    // G1 log and nothing the analyses use.
    const next = text.charCodeAt(q + 1);
    switch (next) {
      case 84: // T
        if (text.startsWith('Times:', q + 1)) return this.onTimes(text, q, n);
        break;
      case 69: // E: "[Eden: …]" completes the held pause
        if (text.startsWith('Eden:', q + 1)) this.g1Details(text, q, n);
        return;
      case 32: // JDK 7's first G1 builds: "[ 8192K->8128K(64M)]"
        return this.g1Details(text, q, n);
      // Records and generations: "[GC …", "[Full GC …", "[CMS…", "[Concurrent …", "[Pause …",
      // "[PS…", "[Par…"; of the C and P names, "[Code Root Scanning …", "[Clear CT: …]" and
      // "[Processed Buffers: …]" go at their second letter.
      case 67: // C
      case 80: // P
      case 71: // G
      case 70: {
        if ((next === 67 || next === 80) && !SECOND_CHARS_THAT_MATTER.includes(text.charAt(q + 2))) return;
        const opener = openerAt(text, q);
        if (opener === 'pause' || opener === 'concurrent') return this.startRecord(text, q, q, n, opener);
        if (opener === 'ergonomics') return;
        break;
      }
      default:
        break;
    }
    // A generation's figures without the record they belong to: a pause we cannot read.
    const candidates = ORPHAN_PIECES[next];
    if (candidates !== undefined) {
      const second = text.charCodeAt(q + 2);
      for (const name of candidates) {
        if (name.charCodeAt(1) === second && text.startsWith(name, q + 1)) return text.includes(' secs]') ? this.unrecognised(text, n) : undefined;
      }
    }
  }

  private g1Details(text: string, q: number, n: number): void {
    const held = this.held;
    if (held === undefined || !applyG1Details(held, text, q)) return;
    held.line = n;
    this.noteCollector(held.collector, n);
  }

  private heapBlock(block: HeapBlockLine, text: string, q: number, n: number): void {
    this.noteCollector(block.collector, n);
    if (block.prefix === 'region size') {
      const bytes = sizeAt(text, q + REGION_SIZE_PREFIX.length);
      if (!Number.isNaN(bytes) && bytes !== this.regionSizeBytes) {
        this.regionSizeBytes = bytes;
        this.emit({ type: 'heap-config', time: {}, line: n, regionSizeBytes: bytes });
      }
    }
  }

  /** A header line: the JVM's banner ("OpenJDK …", "Memory: …"), a rotation note, the heap printed at exit. */
  private headerLine(text: string, p: number, n: number): void {
    const c = text.charCodeAt(p);
    // "OpenJDK 64-Bit Server VM (25.402-b06) for …", "Memory: 4k page, physical …"; not the VM's warnings ("OpenJDK 64-Bit Server VM warning: …").
    if (c === 74 /* J */ || c === 79 /* O */) {
      if (text.includes(' VM (', p)) this.banner(text, p, n);
    } else if (c === 77 /* M */) {
      if (text.includes(' page, physical ', p)) this.banner(text, p, n);
    } else if (isDigit(c)) {
      this.rotated = true;
    }
  }

  /**
   * The JVM's start banner: another JVM run may start here (a restart appended to the file, logs
   * concatenated or given together), which the engine confirms by the next event's uptime. Not
   * after a rotation note: each file of a rotated set starts with the banner again.
   */
  private banner(text: string, p: number, n: number): void {
    if (!this.bannerOpen && !this.rotated) {
      this.flushHeld();
      if (this.recordsSinceBanner) {
        // The run that ends here keeps the collector its command line named; the next names its own.
        if (this.collector === undefined && this.flagCollector !== undefined) this.noteCollector(this.flagCollector, n);
        this.collector = undefined;
        this.flagCollector = undefined;
        this.heapSizesFromFlags = false;
      }
      this.emit({ type: 'jvm-start', time: {}, line: n, detail: text.slice(p, p + 200) });
    }
    this.bannerOpen = true;
    this.recordsSinceBanner = false;
  }

  private commandLine(text: string, n: number): void {
    const flags = readCommandLineFlags(text);
    this.flagCollector = flags.collector ?? this.flagCollector;
    this.heapSizesFromFlags ||= flags.maxHeapBytes !== undefined;
    if (flags.maxHeapBytes !== undefined || flags.initialHeapBytes !== undefined || flags.regionSizeBytes !== undefined) {
      this.emit({
        type: 'heap-config',
        time: {},
        line: n,
        ...(flags.maxHeapBytes === undefined ? {} : { maxHeapBytes: flags.maxHeapBytes }),
        ...(flags.initialHeapBytes === undefined ? {} : { initialHeapBytes: flags.initialHeapBytes }),
        ...(flags.regionSizeBytes === undefined ? {} : { regionSizeBytes: flags.regionSizeBytes }),
      });
    }
  }

  /** Shenandoah's informational output; its plainer lines only count in a Shenandoah log. */
  private isShenandoahLine(text: string, p: number, n: number): boolean {
    const info = shenandoahInfo(text, p);
    const known = this.shenandoahSeen || this.collector === 'Shenandoah' || this.flagCollector === 'Shenandoah';
    if (info === undefined) {
      // The statistics at exit explain themselves in prose.
      return this.shenandoahStatistics && known;
    }
    if (info === 'plain' && !known) return false;
    if (info === 'own') this.shenandoahSeen = true;
    const q = skipSpaces(text, p);
    if (text.startsWith(SHENANDOAH_STATISTICS, q)) this.shenandoahStatistics = true;
    else if (text.startsWith(SHENANDOAH_REGIONS, q)) this.shenandoahRegions(text, q, n);
    else if (text.startsWith(SHENANDOAH_REGION_SIZE, q)) this.regionSize(sizeAt(text, q + SHENANDOAH_REGION_SIZE.length), n);
    else if (text.startsWith(SHENANDOAH_HEAP, q)) this.shenandoahHeap(text, q, n);
    if (text.startsWith('Shenandoah ', q)) this.noteCollector('Shenandoah', n);
    else if (text.charCodeAt(q) === 67 /* C */) this.shenandoahCancel(text, q, n);
    return true;
  }

  /** "Cancelling GC: Allocation Failure" at `q`: the concurrent cycle lost the race against allocation. */
  private shenandoahCancel(text: string, q: number, n: number): void {
    const detail = allocationFailureCancel(text, q);
    if (detail === undefined) return;
    this.noteCollector('Shenandoah', n);
    this.emit({ type: 'bad', time: this.lastTime, line: n, kind: 'concurrent-mode-failure', detail });
  }

  /**
   * Shenandoah's "[Concurrent marking, 12.3 ms]" (no other JDK 8 collector opens a record with
   * "[Concurrent "): it proves the collector, and older builds print a cancellation inside it,
   * "[Concurrent marking\n    Cancelling GC: Allocation Failure\n, 2714.003 ms]".
   */
  private shenandoahConcurrent(tree: RecordTree): void {
    if (!tree.nameStartsWith(0, 'Concurrent ')) return;
    this.shenandoahSeen = true;
    this.noteCollector('Shenandoah', tree.lineAt(tree.start));
    const text = tree.text;
    for (let i = text.indexOf('Cancelling ', tree.start); i >= 0; i = text.indexOf('Cancelling ', i + 1)) {
      const detail = allocationFailureCancel(text, i);
      if (detail !== undefined) this.emit({ type: 'bad', time: this.lastTime, line: tree.lineAt(i), kind: 'concurrent-mode-failure', detail });
    }
  }

  /** "Regions: 3991 x 1024K" */
  private shenandoahRegions(text: string, q: number, n: number): void {
    const x = text.indexOf(' x ', q);
    this.regionSize(x < 0 ? Number.NaN : sizeAt(text, x + 3), n);
  }

  private regionSize(bytes: number, n: number): void {
    if (Number.isNaN(bytes) || bytes === this.regionSizeBytes) return;
    this.regionSizeBytes = bytes;
    this.emit({ type: 'heap-config', time: {}, line: n, regionSizeBytes: bytes });
  }

  /** "Initialize Shenandoah heap: 250M initial, 7168K min, 3991M max" */
  private shenandoahHeap(text: string, q: number, n: number): void {
    if (this.heapSizesFromFlags) return;
    const initial = sizeAt(text, q + SHENANDOAH_HEAP.length);
    const maxAt = text.lastIndexOf(', ');
    const max = maxAt < 0 ? Number.NaN : sizeAt(text, maxAt + 2);
    if (Number.isNaN(initial) && Number.isNaN(max)) return;
    this.emit({
      type: 'heap-config',
      time: {},
      line: n,
      ...(Number.isNaN(initial) ? {} : { initialHeapBytes: initial }),
      ...(Number.isNaN(max) ? {} : { maxHeapBytes: max }),
    });
  }

  /**
   * A line nothing else claimed: a record after text nobody stamped ("CMS: abort preclean due to
   * time 2017-…: [CMS-concurrent-abortable-preclean: …]"), an OutOfMemoryError, or unrecognised.
   */
  private embeddedOrUnrecognised(text: string, p: number, n: number): void {
    for (let i = text.indexOf('[', p); i >= 0; i = text.indexOf('[', i + 1)) {
      const opener = openerAt(text, i);
      if (opener === 'pause' || opener === 'concurrent') return this.startRecord(text, i, trailingStampsStart(text, i), n, opener);
    }
    if (text.includes('java.lang.OutOfMemoryError')) {
      this.emit({ type: 'bad', time: readStamps(text, 0, p).time, line: n, kind: 'out-of-memory', detail: text.slice(p, p + 200) });
      return;
    }
    this.unrecognised(text, n);
  }

  private startRecord(text: string, at: number, stampsFrom: number, n: number, opener: Opener): void {
    // A new pause means the previous one has said all it will.
    if (opener === 'pause') this.flushHeld();
    this.shenandoahStatistics = false;
    this.pendingStampsFrom = stampsFrom;
    this.recordLastLine = n;
    const close = this.tree.begin(text, at, n);
    if (close < 0) {
      this.pending = true;
      return;
    }
    const wasPause = this.completeRecord(this.tree, stampsFrom, n);
    this.afterRecord(text, close + 1, n, wasPause);
  }

  /** A line while a record is open: interleaved output, a concurrent phase, a new record, or the continuation. */
  private continueRecord(text: string, n: number): void {
    const p = skipStamps(text, 0);
    if (p < text.length) {
      if (text.charCodeAt(p) === 91) {
        const opener = openerAt(text, p);
        if (opener === 'concurrent' && this.asideConcurrent(text, p, n)) return;
        if (opener === 'pause' && !this.awaitsNestedCollection()) {
          // The open record was cut short (a crashed JVM, a rotated file): keep what it says.
          this.abandonRecord();
          this.scanLine(text, 0, n);
          return;
        }
      } else if (isInterleavedOutput(text, p)) {
        return;
      }
    }
    const close = this.tree.append(text, n);
    this.recordLastLine = n;
    if (close < 0) {
      if (this.tree.length > MAX_RECORD_CHARS) this.abandonRecord();
      return;
    }
    this.pending = false;
    const wasPause = this.completeRecord(this.tree, this.pendingStampsFrom, n);
    this.afterRecord(text, close + 1, n, wasPause);
  }

  /** A concurrent phase that closes on its own line; false when it does not (it is then continuation). */
  private asideConcurrent(text: string, p: number, n: number): boolean {
    if (this.aside.begin(text, p, n) < 0) return false;
    this.completeRecord(this.aside, 0, n);
    return true;
  }

  /**
   * CMS prints the remark's young collection (CMSScavengeBeforeRemark) as a record inside it, and
   * only one: once it is there, a new pause means the remark was cut short.
   */
  private awaitsNestedCollection(): boolean {
    const text = this.tree.text;
    const at = text.indexOf('YG occupancy', this.tree.start);
    return at >= 0 && text.indexOf('[GC', at) < 0 && text.indexOf('CMS-remark', at) < 0;
  }

  /** Reads a complete record; returns whether it was a pause (now held). */
  private completeRecord(tree: RecordTree, stampsFrom: number, n: number): boolean {
    const meaning = this.readRecord(tree, stampsFrom, n);
    if (meaning === undefined) return false;
    this.held = meaning;
    // Shenandoah's pauses have nothing to come after them ("[Times: …]", region lines): holding one
    // until the next pause would emit it after the concurrent phases that follow it.
    if (meaning.collector === 'Shenandoah' && !Number.isNaN(meaning.durationMs)) this.flushHeld();
    return true;
  }

  /** A record left open at the end of input or by a new record: what it says, or unrecognised. */
  private abandonRecord(): void {
    this.pending = false;
    const meaning = this.readRecord(this.tree, this.pendingStampsFrom, this.recordLastLine);
    if (meaning !== undefined) emitDraft(meaning, this.emit);
  }

  /**
   * What a record means, for both a complete and an abandoned one: a pause (with the pause held before
   * it flushed), or undefined for a concurrent phase or an unrecognised record (each reported here).
   */
  private readRecord(tree: RecordTree, stampsFrom: number, line: number): PauseDraft | undefined {
    const ctx: RecordContext = { tree, stamps: readStamps(tree.text, stampsFrom, tree.start), line, concurrent: this.reportConcurrent };
    this.lastTime = ctx.stamps.time;
    this.recordsSinceBanner = true;
    this.bannerOpen = false;
    this.rotated = false;
    const meaning = interpretRecord(ctx);
    if (meaning === 'other') {
      this.shenandoahConcurrent(tree);
      return undefined;
    }
    if (meaning === 'unknown') {
      this.unrecognised(tree.firstLine(), tree.lineAt(tree.start));
      return undefined;
    }
    this.noteCollector(meaning.collector, line);
    this.flushHeld();
    return meaning;
  }

  /** What follows a record on its line: its "[Times: …]", another record, or leftovers of interleaved output. */
  private afterRecord(text: string, from: number, n: number, afterPause: boolean): void {
    for (let i = text.indexOf('[', from); i >= 0; i = text.indexOf('[', i + 1)) {
      const opener = openerAt(text, i);
      if (opener === 'times') {
        if (afterPause) this.onTimes(text, i, n);
        afterPause = false;
      } else if (opener === 'pause' || opener === 'concurrent') {
        return this.startRecord(text, i, trailingStampsStart(text, i), n, opener);
      }
    }
  }

  /** "[Times: user=… sys=…, real=0.01 secs]" ends the held pause; its real time only stands in for a missing duration. */
  private onTimes(text: string, i: number, n: number): void {
    const held = this.held;
    if (held === undefined) return;
    if (Number.isNaN(held.durationMs)) held.durationMs = timesRealMs(text, i);
    held.line = n;
    this.flushHeld();
  }

  private flushHeld(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    emitDraft(held, this.emit);
  }

  private noteCollector(collector: Collector | undefined, n: number): void {
    if (collector === undefined || this.collector !== undefined) return;
    this.collector = collector;
    this.emit({ type: 'collector', time: {}, line: n, collector });
  }

  private unrecognised(text: string, n: number): void {
    this.emit({ type: 'unrecognised', time: {}, line: n, text });
  }
}
