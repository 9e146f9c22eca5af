/**
 * The unified logging parser (JDK 9+, -Xlog:gc, -Xlog:gc*, any decorators, any level): lines →
 * decorations → message → the few messages that carry events. Most lines of a gc* log are details
 * nobody needs (phases, tasks, cpu, ergonomics); they are turned away on their first characters
 * before anything allocates, which is what keeps the parser fast on logs of hundreds of MB.
 */
import type { BadEventKind, Collector, Emit, GcLogParser, LogTime, PauseEvent } from '../events.js';
import { announcedCollector } from './collector.js';
import { Decorations } from './decorations.js';
import { HUMONGOUS_CAUSE, g1RegionChange, g1RegionLine, isG1Cycle } from './g1.js';
import { CMS_PHASES, readSpaceChanges, spaceChangeLine } from './generational.js';
import { readHeapConfig, type HeapConfig } from './heap-config.js';
import { isDigit, parseHeapChange, parseSize, skipBlanks, trimEnd } from './numbers.js';
import { PauseClassifier } from './pauses.js';
import { PendingRegions } from './pending-regions.js';
import { cancellationReason, isAllocationFailureCancel, SHENANDOAH_PHASES } from './shenandoah.js';
import { MessageTail } from './tail.js';
import { ALLOCATION_STALL, RELOCATION_STALL, ZGC_MAX_CAPACITY, generationPrefixLength, zgcCycleAt } from './zgc.js';

const OPEN_BRACKET = 91;
const NO_GC_ID = -1;
const UNCAUGHT = 'Exception in thread ';
const OUT_OF_MEMORY_ERROR = 'java.lang.OutOfMemoryError';

export class UnifiedParser implements GcLogParser {
  readonly format = 'unified' as const;

  private readonly decorations = new Decorations();
  private readonly tail = new MessageTail();
  private readonly pending = new PendingRegions();
  private readonly pauses = new PauseClassifier();
  /** Once a decorated line was seen, an undecorated one is a continuation or garbage. */
  private decorated = false;
  /**
   * The last decorated line, whose tags and level tell whether an undecorated line continues its
   * message; '' after a line whose decorations did not parse.
   */
  private previousDecorated = '';
  /** The current line, whose decorations (if any) `logTime` reads on demand. */
  private text = '';
  private lineDecorated = false;
  /** The time of the current line, made once per line that emits. */
  private time: LogTime | undefined;
  private regionBytes = Number.NaN;
  /** Announced by "Using …", else inferred from wording only one collector writes (see `infer`). */
  private collector: Collector | undefined;
  /** The last per-cycle ZGC "Max Capacity" reported. */
  private zgcMaxCapacityBytes = Number.NaN;

  line(text: string, lineNumber: number, emit: Emit): void {
    let end = text.length;
    // The engine strips CR; a stray one (or a CR-only ending) must still not reach the figures.
    while (end > 0 && text.charCodeAt(end - 1) === 13) end--;
    const start = skipLeadingNoise(text, end);
    if (start >= end) return;
    this.time = undefined;
    this.text = text;
    let messageStart: number;
    if (text.charCodeAt(start) === OPEN_BRACKET) {
      const d = this.decorations;
      if (!d.locate(text, start, end)) {
        this.unrecognised(text, lineNumber, emit);
        // What follows a broken line continues nothing known; the decorations now describe it.
        this.previousDecorated = '';
        return;
      }
      this.decorated = true;
      this.previousDecorated = text;
      this.lineDecorated = true;
      messageStart = d.messageStart;
    } else if (this.decorated) {
      // Multi-line messages of non-GC tag sets (exception stack traces) and of debug / trace
      // levels go on undecorated; the decorations still describe the last decorated line.
      const previous = this.previousDecorated;
      const continues = previous !== '' && (this.decorations.tagsAreNonGc(previous) || this.decorations.isVerbose(previous));
      if (continues) return;
      // A log on the console holds the application's output too: the JVM's own report of an
      // uncaught "Exception in thread "main" java.lang.OutOfMemoryError: Java heap space" is a failure
      // (as the JDK 8 parser reads it), at the time of the last decorated line.
      if (text.startsWith(UNCAUGHT, start) && text.includes(OUT_OF_MEMORY_ERROR, start)) {
        this.text = previous;
        this.lineDecorated = previous !== '';
        this.bad('out-of-memory', text.slice(start, trimEnd(text, start, end)), NO_GC_ID, lineNumber, emit);
        return;
      }
      this.unrecognised(text, lineNumber, emit);
      return;
    } else {
      // -Xlog:…:none: the whole line is the message, and nothing says when.
      this.lineDecorated = false;
      messageStart = start;
    }
    this.message(text, messageStart, end, lineNumber, emit);
  }

  end(_emit: Emit): void {
    // Every event is emitted on its own line; detail lines whose pause never came are dropped.
  }

  private message(text: string, start: number, end: number, line: number, emit: Emit): void {
    let gcId = NO_GC_ID;
    let body = start;
    if (text.startsWith('GC(', start)) {
      let id = 0;
      let pos = start + 3;
      let c = text.charCodeAt(pos);
      while (isDigit(c)) {
        id = id * 10 + (c - 48);
        c = text.charCodeAt(++pos);
      }
      if (pos > start + 3 && c === 41) {
        gcId = id;
        body = pos + 1;
      }
    }
    const indented = text.charCodeAt(body) === 32 && text.charCodeAt(body + 1) === 32;
    // Lines indented under a GC id are the phase, worker and table details of G1 phases, ZGC and
    // Shenandoah statistics: none carries an event, and they are the bulk of a gc* log.
    if (indented && gcId !== NO_GC_ID) return;
    body = skipBlanks(text, body, end);
    if (body >= end) return;
    const prefix = gcId === NO_GC_ID ? 0 : generationPrefixLength(text, body);
    const words = body + prefix;
    if (!this.dispatch(text, body, words, end, gcId, line, emit)) this.unknownMessage(text, body, end, gcId, line, emit);
  }

  /** Reads the messages that matter, chosen by their first character; false for any other. */
  private dispatch(text: string, body: number, words: number, end: number, gcId: number, line: number, emit: Emit): boolean {
    // Generational ZGC's per-generation summaries, "GC(0) Y: Young Generation 88M(1%)->54M(0%) 0.017s",
    // "O: Old Generation …": the cycle line tells the figures, these only the collector.
    if (words > body && (text.startsWith('Young Generation', words) || text.startsWith('Old Generation', words))) {
      this.infer('ZGC', line, emit);
      return true;
    }
    switch (text.charCodeAt(words)) {
      case 80: // P
        if (text.startsWith('Pause ', words)) return this.pause(text, body, words, end, gcId, line, emit);
        return gcId !== NO_GC_ID && this.spaces(text, words, end, gcId, line, emit);
      case 67: // C
        if (text.startsWith('Concurrent ', words)) return this.concurrent(text, body, words, end, gcId, line, emit);
        if (text.startsWith('Cancelling ', words)) return this.cancelling(text, words, end, gcId, line, emit);
        return gcId !== NO_GC_ID && this.spaces(text, words, end, gcId, line, emit);
      case 65: // A
        if (text.startsWith(ALLOCATION_STALL, words)) {
          this.infer('ZGC', line, emit);
          return this.bad('allocation-stall', text.slice(words, trimEnd(text, words, end)), gcId, line, emit);
        }
        if (gcId === NO_GC_ID) return text.startsWith('Application time: ', words);
        return this.g1Regions(text, words, end, gcId, line, emit);
      case 83: // S
        if (gcId === NO_GC_ID && text.startsWith('Safepoint ', words)) return true;
        return gcId === NO_GC_ID ? this.heapConfig(text, words, end, line, emit) : this.g1Regions(text, words, end, gcId, line, emit);
      case 69: // E
      case 79: // O
      case 72: // H
        if (gcId !== NO_GC_ID) return this.g1Regions(text, words, end, gcId, line, emit);
        return this.heapConfig(text, words, end, line, emit);
      case 68: // D
        return gcId !== NO_GC_ID && this.spaces(text, words, end, gcId, line, emit);
      case 84: // T
        if (gcId === NO_GC_ID) return text.startsWith('Total time for which', words) || text.startsWith('Trigger: ', words);
        if (text.startsWith('To-space exhausted', words)) {
          this.infer('G1', line, emit);
          return this.bad('to-space-exhausted', 'To-space exhausted', gcId, line, emit);
        }
        return this.spaces(text, words, end, gcId, line, emit);
      case 71: // G
      case 77: // M
        if (gcId !== NO_GC_ID) {
          return this.zgcCycle(text, words, end, gcId, line, emit) || this.zgcMaxCapacity(text, words, end, line, emit) || this.spaces(text, words, end, gcId, line, emit);
        }
        return this.heapConfig(text, words, end, line, emit);
      case 85: // U
        // With a GC id: "Using 4 workers of 4 for evacuation", "User=0.01s Sys=0.00s Real=0.01s".
        return gcId !== NO_GC_ID || this.announcement(text, words, end, line, emit);
      case 73: // I
        return gcId === NO_GC_ID && this.heapConfig(text, words, end, line, emit);
      case 82: // R
        if (text.startsWith(RELOCATION_STALL, words)) {
          this.infer('ZGC', line, emit);
          return true;
        }
        return gcId === NO_GC_ID && this.heapConfig(text, words, end, line, emit);
      default:
        return false;
    }
  }

  private pause(text: string, body: number, words: number, end: number, gcId: number, line: number, emit: Emit): boolean {
    // -Xlog:gc*,safepoint… logs carry other subsystems' lines; a line of a non-GC tag set is no
    // GC pause, unless it names its collection (a host name can look like any tag).
    if (gcId === NO_GC_ID && this.nonGcTags(text)) return true;
    const tail = this.tail;
    tail.read(text, words, end);
    if (Number.isNaN(tail.durationMs)) {
      // The gc,start line of a pause ("GC(3) Pause Young (Normal) (G1 Evacuation Pause)") tells
      // nothing yet; its figures come on a later line. A heap change without duration is cut short.
      if (tail.heapStart >= 0) this.unrecognised(text, line, emit);
      return true;
    }
    const pause = this.pauses.classify(text.slice(body, tail.wordsEnd));
    if (pause === undefined) {
      this.unrecognised(text, line, emit);
      return true;
    }
    const heap = tail.heapStart < 0 ? undefined : parseHeapChange(text, tail.heapStart, tail.heapEnd);
    if (tail.heapStart >= 0 && heap === undefined) {
      this.unrecognised(text, line, emit);
      return true;
    }
    if (pause.collector !== undefined) this.infer(pause.collector, line, emit);
    const regions = gcId === NO_GC_ID ? undefined : this.pending.take(gcId);
    const event: { -readonly [K in keyof PauseEvent]: PauseEvent[K] } = {
      type: 'pause',
      time: this.logTime(),
      line,
      kind: pause.kind,
      label: pause.label,
      durationMs: tail.durationMs,
    };
    if (gcId !== NO_GC_ID) event.gcId = gcId;
    if (pause.cause !== undefined) event.cause = pause.cause;
    if (heap !== undefined) event.heap = heap;
    if (regions !== undefined && Object.keys(regions).length > 0) event.regions = regions;
    emit(event);
    const detail = pause.cause === undefined ? pause.label : `${pause.label} (${pause.cause})`;
    if (pause.kind === 'full') this.bad('full-gc', detail, gcId, line, emit);
    if (pause.kind === 'degenerated') this.bad('degenerated-gc', detail, gcId, line, emit);
    if (pause.evacuationFailure) this.bad('evacuation-failure', detail, gcId, line, emit);
    if (pause.cause === HUMONGOUS_CAUSE) this.bad('humongous-allocation', detail, gcId, line, emit);
    return true;
  }

  /**
   * A concurrent phase with its duration. Phases nested in a larger one are left out so durations
   * never overlap: G1's marking sub-phases (inside "Concurrent Mark Cycle") and generational ZGC's
   * per-generation phases (inside "Minor/Major Collection").
   */
  private concurrent(text: string, body: number, words: number, end: number, gcId: number, line: number, emit: Emit): boolean {
    const tail = this.tail;
    tail.read(text, words, end);
    if (Number.isNaN(tail.durationMs)) {
      if (text.startsWith('Concurrent mode failure', words) || text.startsWith('Concurrent Mode Failure', words)) {
        this.bad('concurrent-mode-failure', text.slice(words, tail.wordsEnd), gcId, line, emit);
      }
      return true;
    }
    // G1 logs its marking sub-phases with the tags gc,marking.
    if (words !== body || (this.lineDecorated && this.decorations.hasTag(text, 'marking'))) return true;
    let phaseEnd = text.indexOf(' (', words);
    if (phaseEnd < 0 || phaseEnd > tail.wordsEnd) phaseEnd = tail.wordsEnd;
    const phase = text.slice(words, phaseEnd);
    // Statistics that start like a phase: G1's debug "Concurrent refinement times: … 0.05ms".
    if (phase.includes(':')) return true;
    if (isG1Cycle(phase)) this.infer('G1', line, emit);
    else if (this.collector === 'G1') return true;
    else if (CMS_PHASES.has(phase)) this.infer('CMS', line, emit);
    else if (SHENANDOAH_PHASES.has(phase)) this.infer('Shenandoah', line, emit);
    const heap = tail.heapStart < 0 ? undefined : parseHeapChange(text, tail.heapStart, tail.heapEnd);
    emit({
      type: 'concurrent',
      time: this.logTime(),
      line,
      ...(gcId === NO_GC_ID ? {} : { gcId }),
      phase,
      durationMs: tail.durationMs,
      ...(heap === undefined ? {} : { heap }),
    });
    return true;
  }

  /** ZGC's cycle summary: "Garbage Collection (Warmup) 208M(20%)->164M(16%)", "Major Collection (…) … 0.100s". */
  private zgcCycle(text: string, words: number, end: number, gcId: number, line: number, emit: Emit): boolean {
    const phase = zgcCycleAt(text, words);
    if (phase === undefined) return false;
    this.infer('ZGC', line, emit);
    const tail = this.tail;
    tail.read(text, words, end);
    // Without figures it is the line that opens the cycle.
    if (tail.heapStart < 0 && Number.isNaN(tail.durationMs)) return true;
    const heap = tail.heapStart < 0 ? undefined : parseHeapChange(text, tail.heapStart, tail.heapEnd);
    emit({
      type: 'concurrent',
      time: this.logTime(),
      line,
      gcId,
      phase,
      ...(Number.isNaN(tail.durationMs) ? {} : { durationMs: tail.durationMs }),
      ...(heap === undefined ? {} : { heap }),
    });
    return true;
  }

  /**
   * ZGC's per-cycle "GC(3) Max Capacity: 128M(100%)" (generational: "GC(3) O: Max Capacity: …"):
   * the heap's maximum, which logs cut before their gc,init lines state nowhere else. Reported
   * when it changes, as a heap fact.
   */
  private zgcMaxCapacity(text: string, words: number, end: number, line: number, emit: Emit): boolean {
    if (!text.startsWith(ZGC_MAX_CAPACITY, words)) return false;
    const from = words + ZGC_MAX_CAPACITY.length;
    let to = text.indexOf('(', from);
    if (to < 0 || to > end) to = trimEnd(text, from, end);
    const bytes = parseSize(text, from, to);
    if (!Number.isNaN(bytes) && bytes !== this.zgcMaxCapacityBytes) {
      this.zgcMaxCapacityBytes = bytes;
      this.infer('ZGC', line, emit);
      emit({ type: 'heap-config', time: this.logTime(), line, maxHeapBytes: bytes });
    }
    return true;
  }

  /** G1 "Eden regions: 14->0(8)" & co; true for any region line, usable or not. */
  private g1Regions(text: string, words: number, end: number, gcId: number, line: number, emit: Emit): boolean {
    const regionLine = g1RegionLine(text, words);
    if (regionLine === undefined) return this.spaces(text, words, end, gcId, line, emit);
    this.infer('G1', line, emit);
    const change = g1RegionChange(text, words + regionLine[0].length, trimEnd(text, words, end), this.regionBytes);
    if (change !== undefined) this.pending.of(gcId)[regionLine[1]] = change;
    return true;
  }

  /** Parallel / Serial / CMS generations and Metaspace ("PSYoungGen: 33275K->5090K(38400K)"). */
  private spaces(text: string, words: number, end: number, gcId: number, line: number, emit: Emit): boolean {
    const space = spaceChangeLine(text, words);
    if (space === null) return false;
    if (space[2] !== undefined) this.infer(space[2], line, emit);
    readSpaceChanges(text, words, trimEnd(text, words, end), this.pending.of(gcId));
    return true;
  }

  private cancelling(text: string, words: number, end: number, gcId: number, line: number, emit: Emit): boolean {
    const reason = cancellationReason(text, words, trimEnd(text, words, end));
    if (reason === undefined) return false;
    // Only Shenandoah cancels a concurrent cycle in these words.
    this.infer('Shenandoah', line, emit);
    if (isAllocationFailureCancel(reason)) this.bad('concurrent-mode-failure', text.slice(words, trimEnd(text, words, end)), gcId, line, emit);
    return true;
  }

  /**
   * A collector told by wording only it writes, for logs without their "Using …" line (rotated
   * files, excerpts). Announced once; an announcement proper takes over from then on.
   */
  private infer(collector: Collector, line: number, emit: Emit): void {
    if (this.collector !== undefined) return;
    this.collector = collector;
    emit({ type: 'collector', time: this.logTime(), line, collector });
  }

  private announcement(text: string, words: number, end: number, line: number, emit: Emit): boolean {
    const collector = announcedCollector(text, words, end);
    if (collector === undefined) return false;
    // The JVM announces its collector once, when it starts (rotated files do not repeat it): a run starts here.
    emit({ type: 'jvm-start', time: {}, line, detail: text.slice(words, trimEnd(text, words, end)) });
    this.zgcMaxCapacityBytes = Number.NaN;
    // Already told by the wording of earlier lines: once is enough.
    if (collector === this.collector) return true;
    this.collector = collector;
    emit({ type: 'collector', time: this.logTime(), line, collector });
    return true;
  }

  private heapConfig(text: string, words: number, end: number, line: number, emit: Emit): boolean {
    const config = readHeapConfig(text, words, end);
    if (config === undefined) return false;
    if (!Number.isNaN(config.regionSizeBytes)) this.regionBytes = config.regionSizeBytes;
    emit(heapConfigEvent(config, this.logTime(), line));
    return true;
  }

  /**
   * A message no reader took. It is only a problem if it states a pause with a duration (a pause
   * this parser could not read); a few failures are worded freely and are looked for here.
   */
  private unknownMessage(text: string, body: number, end: number, gcId: number, line: number, emit: Emit): void {
    const pause = text.indexOf('Pause ', body);
    if (pause >= 0 && pause < end && (pause === body || text.charCodeAt(pause - 1) === 32)) {
      this.tail.read(text, pause, end);
      if (!Number.isNaN(this.tail.durationMs) && !this.nonGcTags(text)) {
        this.unrecognised(text, line, emit);
        return;
      }
    }
    // Indented lines are the per-phase and per-worker details: never a failure report.
    if (body > 0 && text.charCodeAt(body - 1) === 32 && text.charCodeAt(body - 2) === 32) return;
    const failure = text.indexOf('ail', body);
    const memory = text.indexOf('emory', body);
    if ((failure < 0 || failure >= end) && (memory < 0 || memory >= end)) return;
    // An exception log line naming OutOfMemoryError is one of many per throw; only GC lines count.
    if (this.nonGcTags(text)) return;
    const words = text.slice(body, trimEnd(text, body, end));
    const lower = words.toLowerCase();
    let kind: BadEventKind | undefined;
    if (lower.includes('concurrent mode failure')) kind = 'concurrent-mode-failure';
    else if (lower.includes('promotion failed')) kind = 'promotion-failed';
    else if (lower.includes('outofmemory') || lower.includes('out of memory')) kind = 'out-of-memory';
    if (kind !== undefined) this.bad(kind, words, gcId, line, emit);
  }

  /** Whether the current line is decorated with tags of something else than GC (safepoint, class …). */
  private nonGcTags(text: string): boolean {
    return this.lineDecorated && this.decorations.tagsAreNonGc(text);
  }

  private bad(kind: BadEventKind, detail: string, gcId: number, line: number, emit: Emit): true {
    emit(gcId === NO_GC_ID ? { type: 'bad', time: this.logTime(), line, kind, detail } : { type: 'bad', time: this.logTime(), line, gcId, kind, detail });
    return true;
  }

  private unrecognised(text: string, line: number, emit: Emit): void {
    emit({ type: 'unrecognised', time: {}, line, text });
  }

  private logTime(): LogTime {
    if (this.time !== undefined) return this.time;
    if (!this.lineDecorated) return (this.time = {});
    const d = this.decorations;
    d.resolveTime(this.text);
    const up = d.uptimeSec;
    const epoch = d.epochMs;
    this.time = Number.isNaN(up)
      ? Number.isNaN(epoch) ? {} : { epochMs: epoch }
      : Number.isNaN(epoch) ? { uptimeSec: up } : { uptimeSec: up, epochMs: epoch };
    return this.time;
  }
}

function heapConfigEvent(config: HeapConfig, time: LogTime, line: number): { type: 'heap-config'; time: LogTime; line: number; maxHeapBytes?: number; initialHeapBytes?: number; regionSizeBytes?: number } {
  const event: { type: 'heap-config'; time: LogTime; line: number; maxHeapBytes?: number; initialHeapBytes?: number; regionSizeBytes?: number } = { type: 'heap-config', time, line };
  if (!Number.isNaN(config.maxHeapBytes)) event.maxHeapBytes = config.maxHeapBytes;
  if (!Number.isNaN(config.initialHeapBytes)) event.initialHeapBytes = config.initialHeapBytes;
  if (!Number.isNaN(config.regionSizeBytes)) event.regionSizeBytes = config.regionSizeBytes;
  return event;
}

/** Leading blanks, and a UTF-8 byte order mark as latin1 decoding shows it (or as UTF-16). */
function skipLeadingNoise(text: string, end: number): number {
  let i = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xef && c !== 0xbb && c !== 0xbf && c !== 0xfeff) break;
    i++;
  }
  return i;
}

