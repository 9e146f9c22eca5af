/**
 * The JVM stdout detector over what the java on this machine printed (test/fixtures/diagnose/logs/stdout,
 * made by ../java/make-oom-fixtures.sh; the command of each file is in the README there).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MAX_EVIDENCE_PER_KIND, type Evidence } from '../../src/diagnose/evidence.js';
import { createJvmStdoutDetector } from '../../src/diagnose/detectors/jvm-stdout.js';

const here = dirname(fileURLToPath(import.meta.url));
const STDOUT = join(here, '..', '..', '..', 'test', 'fixtures', 'diagnose', 'logs', 'stdout');

function linesOf(name: string): string[] {
  const lines = readFileSync(join(STDOUT, name), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function detect(file: string, lines: readonly string[]): Evidence[] {
  const detector = createJvmStdoutDetector(file);
  lines.forEach((text, i) => detector.onLine(text, i + 1));
  return detector.finish();
}

const fixture = (name: string): Evidence[] => detect(name, linesOf(name));
const brief = (evidence: readonly Evidence[]) => evidence.map((e) => [e.kind, e.at.line, e.facts]);

test('each OutOfMemoryError kind as the uncaught-exception handler prints it', () => {
  // java -Xmx16m OomKinds heap
  assert.deepEqual(brief(fixture('heap.out')), [['oom-heap', 1, { message: 'Java heap space', enriched: false, thread: 'main', forms: 1 }]]);
  // java -Xmx16m -XX:+UseParallelGC OomKinds gc-overhead
  assert.deepEqual(brief(fixture('gc-overhead.out')), [['oom-gc-overhead', 1, { message: 'GC overhead limit exceeded', enriched: false, thread: 'main', forms: 1 }]]);
  // java -XX:MaxDirectMemorySize=1m OomKinds direct: JDK 17's text states the request, the reserved bytes and the limit
  assert.deepEqual(brief(fixture('direct.out')), [
    [
      'oom-direct',
      1,
      {
        message: 'Cannot reserve 262144 bytes of direct buffer memory (allocated: 1048576, limit: 1048576)',
        enriched: false,
        requestedBytes: '262144',
        allocatedBytes: '1048576',
        limitBytes: '1048576',
        thread: 'main',
        forms: 1,
      },
    ],
  ]);
  // java -XX:MaxMetaspaceSize=16m OomKinds metaspace
  assert.deepEqual(brief(fixture('metaspace.out')), [['oom-metaspace', 1, { message: 'Metaspace', enriched: false, thread: 'main', forms: 1 }]]);
  // java -Xmx16m OomKinds array-limit: an OutOfMemoryError that is none of the memory kinds
  assert.deepEqual(brief(fixture('array-limit.out')), [['oom-other', 1, { message: 'Requested array size exceeds VM limit', enriched: false, thread: 'main', forms: 1 }]]);
  const summaries = ['heap.out', 'gc-overhead.out', 'metaspace.out'].map((f) => fixture(f)[0]!.summary);
  assert.deepEqual(summaries, ['java.lang.OutOfMemoryError: Java heap space', 'java.lang.OutOfMemoryError: GC overhead limit exceeded', 'java.lang.OutOfMemoryError: Metaspace']);
  assert.ok(['heap.out', 'direct.out'].every((f) => fixture(f)[0]!.epochMs === undefined), 'standard output carries no time');
});

test('a task thread name with spaces and parentheses, and the handler that could not print', () => {
  // java -Xmx16m OomKinds heap 'Window(...) (2/4)#0'
  assert.deepEqual(fixture('heap-task-thread.out')[0]!.facts['thread'], 'Window(TumblingEventTimeWindows(60000), EventTimeTrigger, Agg) (2/4)#0');
  // java -Xmx16m OomKinds heap-kept: the heap stays full, so the JVM cannot even print the stack trace
  assert.deepEqual(brief(fixture('heap-kept.out')), [['oom-other', 2, { message: '', enriched: false, thread: 'main', uncaughtHandlerFailed: true, forms: 1 }]]);
  assert.equal(fixture('heap-kept.out')[0]!.summary, 'java.lang.OutOfMemoryError');
});

test('the JVM flags that act on an OutOfMemoryError: heap dump, hook, exit, crash; one error, several forms', () => {
  // -XX:+HeapDumpOnOutOfMemoryError: the banner, the dump, then the uncaught exception of the same error
  const dump = fixture('heap-dump.out');
  const dumpPath = /^Dumping heap to (.*) \.\.\.$/.exec(linesOf('heap-dump.out')[1]!)![1]!;
  const dumpBytes = /\[(\d+) bytes/.exec(linesOf('heap-dump.out')[2]!)![1]!;
  assert.deepEqual(brief(dump), [
    ['oom-heap', 1, { message: 'Java heap space', enriched: false, forms: 2, heapDumpPath: dumpPath, jvmAction: 'heap-dump', heapDumpBytes: dumpBytes, thread: 'main' }],
  ]);
  // -XX:OnOutOfMemoryError="echo oom in %p": the hook's banner, its own output, then the exception
  assert.deepEqual(brief(fixture('on-oom-command.out')), [
    ['oom-heap', 2, { message: 'Java heap space', enriched: false, jvmAction: 'on-out-of-memory-command', forms: 2, onOutOfMemoryError: 'echo oom in %p', thread: 'main' }],
  ]);
  assert.equal(fixture('on-oom-command.out')[0]!.at.text, '# java.lang.OutOfMemoryError: Java heap space');
  // -XX:+ExitOnOutOfMemoryError and -XX:+CrashOnOutOfMemoryError: the error and the end of the process
  assert.deepEqual(brief(fixture('exit-on-oom.out')), [
    ['oom-heap', 1, { message: 'Java heap space', enriched: false, jvmAction: 'exit', forms: 1 }],
    ['process-exit', 1, { cause: 'ExitOnOutOfMemoryError', oomKind: 'oom-heap' }],
  ]);
  assert.deepEqual(brief(fixture('crash-on-oom.out')), [
    ['oom-heap', 1, { message: 'Java heap space', enriched: false, jvmAction: 'crash', forms: 1 }],
    ['process-exit', 1, { cause: 'CrashOnOutOfMemoryError', oomKind: 'oom-heap' }],
  ]);
  assert.equal(fixture('crash-on-oom.out')[1]!.summary, 'The JVM exited on an OutOfMemoryError (-XX:+CrashOnOutOfMemoryError)');
});

test('a native allocation failure: an OutOfMemoryError without a message, then the JVM dies in its fatal-error report', () => {
  // (ulimit -v 1100000; java -Xmx64m -XX:CompressedClassSpaceSize=64m -XX:ReservedCodeCacheSize=32m OomKinds metaspace)
  const evidence = fixture('native-malloc.out');
  assert.deepEqual(brief(evidence), [
    ['oom-other', 1, { message: '', enriched: false, thread: 'main', forms: 1 }],
    ['process-exit', 11, { cause: 'native-memory-allocation-failed', allocator: 'malloc', requestedBytes: '32', detail: 'AllocateHeap' }],
  ]);
  assert.equal(evidence[1]!.summary, 'The JVM died: native memory allocation (malloc) of 32 bytes failed');
});

test('HotSpot texts not produced here: native thread creation (os.hpp), JDK 8, causes inside an exception', () => {
  const evidence = detect('tm.out', [
    // JDK 9+ (src/hotspot/share/runtime/os.hpp OS_NATIVE_THREAD_CREATION_FAILED_MSG) through the default handler
    'Exception in thread "flink-pekko.actor.default-dispatcher-12" java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached',
    '\tat java.base/java.lang.Thread.start0(Native Method)',
    '\tat java.base/java.lang.Thread.start(Thread.java:809)',
    // JDK 8 (jvm.cpp), a cause of another exception in the same thread's trace
    'Exception in thread "Source: kafka (1/4)" java.lang.RuntimeException: worker failed',
    '\tat com.example.Worker.run(Worker.java:10)',
    'Caused by: java.lang.OutOfMemoryError: unable to create new native thread',
    '\t... 3 more',
    'Caused by: java.lang.OutOfMemoryError: unable to create new native thread',
  ]);
  assert.deepEqual(brief(evidence), [
    [
      'oom-native-thread',
      1,
      {
        message: 'unable to create native thread: possibly out of memory or process/resource limits reached',
        enriched: false,
        thread: 'flink-pekko.actor.default-dispatcher-12',
        forms: 1,
      },
    ],
    ['oom-native-thread', 6, { message: 'unable to create new native thread', enriched: false, thread: 'Source: kafka (1/4)', forms: 1 }],
  ]);
});

test('bounded and robust: capped evidence with a count, nothing thrown on noise', () => {
  const lines: string[] = [];
  for (let i = 0; i < MAX_EVIDENCE_PER_KIND + 5; i++) lines.push(`Exception in thread "t-${i}" java.lang.OutOfMemoryError: Java heap space`, '\tat X.y(X.java:1)');
  const evidence = detect('many.out', lines);
  assert.equal(evidence.length, MAX_EVIDENCE_PER_KIND);
  assert.equal(evidence.at(-1)!.facts['omitted'], 5);
  const noise = ['', '#', '# ', '# Native memory allocation (mmap) failed to map 1 bytes', 'Dumping heap to x ...', 'Heap dump file created [1 bytes in 0.1 secs]', '\u0000\u0001', 'x'.repeat(100_000)];
  assert.deepEqual(detect('noise.out', noise), []);
  assert.deepEqual(createJvmStdoutDetector('empty.out').finish(), []);
});
