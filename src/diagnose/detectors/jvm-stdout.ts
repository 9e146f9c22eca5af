/**
 * Detector for a JVM's standard output and error (a TaskManager's or JobManager's `.out` file, a
 * container's console): what the JVM itself prints when it runs out of memory. The texts are
 * HotSpot's (fixtures under test/fixtures/diagnose/logs/stdout were produced by the java on the
 * build machine, see the README there):
 *
 * - the default uncaught-exception handler: `Exception in thread "main" java.lang.OutOfMemoryError: Java heap space`,
 *   then the stack (`\tat ...`, `Caused by: ...`);
 * - when even printing failed: `Exception: java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler in thread "main"`;
 * - -XX:+HeapDumpOnOutOfMemoryError: `java.lang.OutOfMemoryError: Java heap space`, `Dumping heap to ...`,
 *   `Heap dump file created [n bytes in s secs]`;
 * - -XX:OnOutOfMemoryError=cmd: `# java.lang.OutOfMemoryError: Java heap space`, `# -XX:OnOutOfMemoryError="..."`;
 * - -XX:+ExitOnOutOfMemoryError: `Terminating due to java.lang.OutOfMemoryError: Java heap space`;
 * - -XX:+CrashOnOutOfMemoryError: `Aborting due to java.lang.OutOfMemoryError: Java heap space` and a fatal-error banner;
 * - a failed native allocation (no OutOfMemoryError, the JVM dies): `# There is insufficient memory for the
 *   Java Runtime Environment to continue.` / `# Native memory allocation (malloc) failed to allocate 32 bytes. ...`.
 *
 * The JVM reports one error in several of these forms (a heap-dump banner, then the uncaught
 * exception); they are one piece of evidence, with what each form adds as facts.
 */
import type { Detector, Evidence } from '../evidence.js';
import { EvidenceCollector, own, type DraftEvidence, type Facts } from './flink-log-collector.js';
import { OOM_CLASS, findOutOfMemoryError, type OomKind } from './flink-log-oom.js';

/** A second form of the same error arrives within a few lines of the first (the hook's own output may sit between). */
const SAME_ERROR_LINES = 12;

const EXCEPTION_IN_THREAD = /^Exception in thread "(.*)" /;
const HANDLER_FAILED = /^Exception: java\.lang\.OutOfMemoryError thrown from the UncaughtExceptionHandler in thread "(.*)"$/;
const DUMPING = /^Dumping heap to (.*?) \.\.\.$/;
const DUMP_CREATED = /^Heap dump file created \[(\d+) bytes in ([\d.]+) secs\]$/;
const NATIVE_ALLOCATION = /^# Native memory allocation \((\w+)\) failed to (?:allocate|map|commit) (\d+) bytes/;

interface Recent {
  readonly evidence: DraftEvidence;
  readonly kind: OomKind;
  readonly line: number;
}

class JvmStdoutDetector implements Detector {
  private readonly out: EvidenceCollector;
  /** OOM kinds reported in the exception being printed (its header and its "Caused by" lines). */
  private blockKinds = new Set<OomKind>();
  /** The thread named by the exception being printed, for its "Caused by" lines. */
  private blockThread: string | undefined;
  /** The last error reported, for the JVM's further forms of it. */
  private recent: Recent | undefined;
  private nativeFailure: DraftEvidence | undefined;

  constructor(file: string) {
    this.out = new EvidenceCollector(file);
  }

  onLine(raw: string, line: number): void {
    const text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const c0 = text.charCodeAt(0);
    // Stack frames: part of the exception being printed, never evidence themselves.
    if (c0 === 9 /* \t */ && (text.startsWith('\tat ') || text.startsWith('\t... '))) return;
    if (c0 === 35 /* # */) {
      this.banner(text, line);
      return;
    }
    const caused = text.startsWith('Caused by: ');
    if (!caused) {
      // A new exception (or any other line) ends the one being printed.
      this.blockThread = text.startsWith('Exception in thread "') ? EXCEPTION_IN_THREAD.exec(text)?.[1] : undefined;
      if (this.blockKinds.size > 0) this.blockKinds = new Set();
    }
    if (text.indexOf(OOM_CLASS) === -1) {
      this.dumpLines(text);
      return;
    }
    const handlerFailed = HANDLER_FAILED.exec(text);
    if (handlerFailed !== null) {
      this.report(text, line, { thread: handlerFailed[1]!, uncaughtHandlerFailed: true }, true);
      return;
    }
    if (text.startsWith('Terminating due to ')) {
      const evidence = this.report(text, line, { jvmAction: 'exit' }, false);
      this.exit(text, line, 'ExitOnOutOfMemoryError', evidence);
      return;
    }
    if (text.startsWith('Aborting due to ')) {
      const evidence = this.report(text, line, { jvmAction: 'crash' }, false);
      this.exit(text, line, 'CrashOnOutOfMemoryError', evidence);
      return;
    }
    if (this.blockThread !== undefined && !caused) {
      this.report(text, line, { thread: this.blockThread }, true);
      return;
    }
    // A bare error line (e.printStackTrace(), the heap-dump banner) or the cause of the exception being printed.
    if (caused || text.startsWith(OOM_CLASS)) this.report(text, line, caused && this.blockThread !== undefined ? { thread: this.blockThread } : {}, true);
  }

  finish(): Evidence[] {
    return this.out.finish();
  }

  /**
   * Reports the error `text` states, unless it is the same error as a form just seen (then that
   * evidence gains this form's facts). `mergeable`: this form may repeat an earlier one.
   */
  private report(text: string, line: number, extra: Facts, mergeable: boolean, lineText: string = text): DraftEvidence | undefined {
    const oom = findOutOfMemoryError(text);
    if (oom === undefined) return undefined;
    if (this.blockKinds.has(oom.kind)) return undefined;
    this.blockKinds.add(oom.kind);
    const recent = this.recent;
    if (mergeable && recent !== undefined && recent.kind === oom.kind && line - recent.line <= SAME_ERROR_LINES && recent.evidence.facts['thread'] === undefined) {
      for (const [key, value] of Object.entries(extra)) if (recent.evidence.facts[key] === undefined) recent.evidence.facts[key] = typeof value === 'string' ? own(value) : value;
      recent.evidence.facts['forms'] = Number(recent.evidence.facts['forms']) + 1;
      this.recent = undefined;
      return recent.evidence;
    }
    const facts: Facts = { ...oom.facts, ...extra, forms: 1 };
    const evidence = this.out.add(oom.kind, line, lineText, undefined, oom.summary, facts);
    // Only a banner (heap dump, OnOutOfMemoryError hook) is followed by the uncaught exception of the same error.
    this.recent = evidence === undefined || extra['thread'] !== undefined ? undefined : { evidence, kind: oom.kind, line };
    return evidence;
  }

  private exit(text: string, line: number, cause: string, oom: DraftEvidence | undefined): void {
    const facts: Facts = { cause };
    if (oom !== undefined) facts['oomKind'] = oom.kind;
    this.out.add('process-exit', line, text, undefined, `The JVM exited on an OutOfMemoryError (-XX:+${cause})`, facts);
  }

  /** Lines starting with `#`: the OnOutOfMemoryError banner and the fatal-error report. */
  private banner(text: string, line: number): void {
    if (text.startsWith('# java.lang.OutOfMemoryError')) {
      this.blockKinds = new Set();
      this.report(text.slice(2), line, { jvmAction: 'on-out-of-memory-command' }, false, text);
      return;
    }
    if (text.startsWith('# -XX:OnOutOfMemoryError=') && this.recent !== undefined) {
      this.recent.evidence.facts['onOutOfMemoryError'] = own(text.slice('# -XX:OnOutOfMemoryError='.length).replace(/^"|"$/g, ''));
      return;
    }
    if (text.startsWith('# There is insufficient memory for the Java Runtime Environment to continue.')) {
      this.nativeFailure = this.out.add('process-exit', line, text, undefined, 'The JVM died: a native memory allocation failed', {
        cause: 'native-memory-allocation-failed',
      });
      return;
    }
    const native = NATIVE_ALLOCATION.exec(text);
    if (native !== null && this.nativeFailure !== undefined) {
      this.nativeFailure.facts['allocator'] = own(native[1]!);
      this.nativeFailure.facts['requestedBytes'] = native[2]!;
      const detail = /Error detail: (.*)$/.exec(text);
      if (detail !== null) this.nativeFailure.facts['detail'] = own(detail[1]!.trim());
      this.nativeFailure.summary = own(`The JVM died: native memory allocation (${native[1]}) of ${native[2]} bytes failed`);
    }
  }

  /** -XX:+HeapDumpOnOutOfMemoryError's lines after the error: where the dump went and its size. */
  private dumpLines(text: string): void {
    const recent = this.recent;
    if (recent === undefined) return;
    let m = DUMPING.exec(text);
    if (m !== null) {
      recent.evidence.facts['heapDumpPath'] = own(m[1]!);
      recent.evidence.facts['jvmAction'] = 'heap-dump';
      return;
    }
    m = DUMP_CREATED.exec(text);
    if (m !== null) recent.evidence.facts['heapDumpBytes'] = m[1]!;
  }
}

/** A detector for one JVM standard output / error file. */
export function createJvmStdoutDetector(file: string): Detector {
  return new JvmStdoutDetector(file);
}

