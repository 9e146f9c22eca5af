/**
 * Reads a `java.lang.OutOfMemoryError` out of a line, whichever program wrote it: the JVM itself
 * (`Exception in thread "x" java.lang.OutOfMemoryError: Java heap space`, `Terminating due to ...`),
 * a stack trace in a Flink log (`Caused by: java.lang.OutOfMemoryError: Metaspace`), or Flink's
 * enriched text, which replaces the JVM's message with a hint (ExceptionUtils.tryEnrichOutOfMemoryError
 * through TaskManagerExceptionUtils and ClusterEntryPointExceptionUtils), e.g.
 * `java.lang.OutOfMemoryError: Direct buffer memory. The direct out-of-memory error has occurred. ...`.
 */
import type { EvidenceKind } from '../evidence.js';

export type OomKind = Extract<EvidenceKind, `oom-${string}`>;

export const OOM_CLASS = 'java.lang.OutOfMemoryError';

export interface OomMatch {
  readonly kind: OomKind;
  /** The error's message as written (empty when the line names the class only). */
  readonly message: string;
  readonly summary: string;
  readonly facts: Record<string, string | number | boolean>;
}

// JDK 16+ (java.nio.Bits.reserveMemory): the request, what was reserved already, the limit.
const JDK_DIRECT = /^Cannot reserve (\d+) bytes of direct buffer memory \(allocated: (\d+), limit: (\d+)\)/;
// NetworkBufferPool's constructor, when the JVM refuses the direct memory for its segments:
// "Could not allocate enough memory segments for NetworkBufferPool (required (Mb): %d, allocated (Mb): %d,
// missing (Mb): %d). Cause: %s".
const NETWORK_POOL = /^Could not allocate enough memory segments for NetworkBufferPool \(required \(Mb\): (\d+), allocated \(Mb\): (\d+), missing \(Mb\): (\d+)\)/i;
// The option keys Flink's hint names, quoted.
const QUOTED_OPTION = /'((?:taskmanager|jobmanager)\.memory\.[a-z.-]+)'/g;

function classify(message: string): OomKind {
  // Flink recognises its kinds by a case-insensitive infix (ExceptionUtils.isOutOfMemoryErrorWithMessageContaining);
  // JDK 17's direct text ("... bytes of direct buffer memory ...") matches the same infix.
  const lower = message.toLowerCase();
  if (lower.startsWith('java heap space')) return 'oom-heap';
  if (lower.startsWith('gc overhead limit exceeded')) return 'oom-gc-overhead';
  if (lower.includes('direct buffer memory')) return 'oom-direct';
  if (lower.startsWith('metaspace') || lower.startsWith('compressed class space')) return 'oom-metaspace';
  // JDK 9+ (os.hpp OS_NATIVE_THREAD_CREATION_FAILED_MSG): "unable to create native thread: possibly out of
  // memory or process/resource limits reached"; JDK 8 (jvm.cpp): "unable to create new native thread".
  if (lower.startsWith('unable to create native thread') || lower.startsWith('unable to create new native thread')) {
    return 'oom-native-thread';
  }
  if (lower.includes('java heap space')) return 'oom-heap';
  if (lower.includes('metaspace')) return 'oom-metaspace';
  return 'oom-other';
}

/**
 * The OutOfMemoryError named in `text`, if any. `from` skips a known prefix. A class name that
 * merely starts the same way (`-XX:+HeapDumpOnOutOfMemoryError`, `OutOfMemoryErrorHandler`) is not one.
 */
export function findOutOfMemoryError(text: string, from = 0): OomMatch | undefined {
  const at = text.indexOf(OOM_CLASS, from);
  if (at === -1) return undefined;
  const after = at + OOM_CLASS.length;
  const next = text.charCodeAt(after);
  let message = '';
  if (next === 58 /* : */) message = text.slice(after + 1).trim();
  else if (after < text.length && next !== 32 && next !== 9 && next !== 41 /* ) */ && next !== 44 /* , */ && next !== 93 /* ] */) {
    return undefined;
  }
  const kind = classify(message);
  const facts: Record<string, string | number | boolean> = { message: message.length > 500 ? message.slice(0, 500) : message };
  const enriched = message.includes('out-of-memory error has occurred');
  facts['enriched'] = enriched;
  let summaryMessage = message;
  if (enriched) {
    summaryMessage = message.slice(0, message.indexOf('. ') === -1 ? message.length : message.indexOf('. '));
    if (message.includes('The task executor has to be shutdown')) facts['process'] = 'taskmanager';
    else if (message.includes('Flink Master')) facts['process'] = 'jobmanager';
    const options = [...message.matchAll(QUOTED_OPTION)].map((m) => m[1]!);
    if (options.length > 0) facts['options'] = options.join(',');
  }
  const direct = JDK_DIRECT.exec(message);
  if (direct !== null) {
    facts['requestedBytes'] = direct[1]!;
    facts['allocatedBytes'] = direct[2]!;
    facts['limitBytes'] = direct[3]!;
  }
  if (message.toLowerCase().startsWith('compressed class space')) facts['space'] = 'compressed-class';
  const pool = NETWORK_POOL.exec(message);
  if (pool !== null) {
    facts['pool'] = 'network';
    facts['networkRequiredMiB'] = Number(pool[1]);
    facts['networkAllocatedMiB'] = Number(pool[2]);
    facts['networkMissingMiB'] = Number(pool[3]);
  }
  const summary =
    (summaryMessage.length === 0 ? OOM_CLASS : `${OOM_CLASS}: ${summaryMessage.length > 200 ? `${summaryMessage.slice(0, 200)}...` : summaryMessage}`) +
    (enriched ? " (with Flink's hint)" : '');
  return { kind, message, summary, facts };
}
