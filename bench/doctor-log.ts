/**
 * Flink log detector benchmark: a generated TaskManager log of at least 300 MB (made once in the
 * temp directory; mostly INFO noise as a busy TaskManager writes it, WARN records with stack
 * traces, and now and then a real event), read with the GC engine's plain line reader. Reports the
 * reader alone (for scale) and reader + detector: MB/s, lines, evidence, peak RSS.
 *
 * Run: node dist/bench/doctor-log.js
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFlinkLogDetector } from '../src/diagnose/detectors/flink-log.js';
import { readLines } from '../src/gc/read.js';

const TARGET_BYTES = 300 * 1024 * 1024;
const file = join(tmpdir(), 'flink-memory-bench-taskmanager.log');

const pad = (logger: string): string => logger.padEnd(60);
const TASK = pad('org.apache.flink.runtime.taskmanager.Task');
const TE = pad('org.apache.flink.runtime.taskexecutor.TaskExecutor');
const SLOTS = pad('org.apache.flink.runtime.taskexecutor.slot.TaskSlotTableImpl');
const KAFKA = pad('org.apache.kafka.clients.consumer.internals.ConsumerCoordinator');
const PRODUCER = pad('org.apache.flink.streaming.connectors.kafka.FlinkKafkaProducer');
const SINK = pad('org.apache.flink.connector.file.sink.FileSink');
const ROCKS = pad('org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend');
const JOB = '3f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d';
const ATTEMPT = '5b0d6e1f9a8c7b6d5e4f3a2b1c0d9e8f_0a448493b4782967b150582570326227';

function stamp(ms: number): string {
  const d = new Date(Date.UTC(2024, 4, 1) + ms);
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

/** One group of lines: about 30 records of noise, one WARN with a stack trace, sometimes an event. */
function group(i: number, ms: number): string {
  const t = stamp(ms);
  const sub = i % 8;
  const lines: string[] = [];
  for (let k = 0; k < 6; k++) {
    lines.push(
      `${t} INFO  ${KAFKA} [] - [Consumer clientId=consumer-group-${sub}, groupId=group] Seeking to offset ${i * 31 + k} for partition events-${k}`,
      `${t} INFO  ${TASK} [] - Source: kafka-events (${sub + 1}/8)#${k} (${ATTEMPT}_${sub}_${k}) switched from INITIALIZING to RUNNING.`,
      `${t} INFO  ${PRODUCER} [] - Flushing new partitions`,
      `${t} INFO  ${SINK} [] - Committing the state for checkpoint ${i}`,
      `${t} DEBUG ${SLOTS} [] - Free slot TaskSlot(index:${sub}, state:ACTIVE, resource profile: ResourceProfile{cpuCores=1, taskHeapMemory=364.800mb (382520112 bytes), taskOffHeapMemory=0 bytes, managedMemory=343.040mb (359703515 bytes), networkMemory=85.760mb (89925878 bytes)}, allocationId: 4d3d549992597a379362ef571d3829f6, jobId: ${JOB}).`,
    );
  }
  lines.push(
    `${t} WARN  ${TE} [] - Could not send heartbeat to the JobManager ${i}; retrying.`,
    'java.util.concurrent.TimeoutException: Invocation of [RemoteRpcInvocation(JobMasterGateway.heartbeatFromTaskManager)] at recipient timed out.',
    '\tat org.apache.flink.runtime.rpc.pekko.PekkoInvocationHandler.lambda$invokeRpc$1(PekkoInvocationHandler.java:260)',
    '\tat java.base/java.util.concurrent.CompletableFuture.uniWhenComplete(CompletableFuture.java:863)',
    '\tat java.base/java.util.concurrent.CompletableFuture$UniWhenComplete.tryFire(CompletableFuture.java:841)',
    '\tat org.apache.flink.util.concurrent.FutureUtils.lambda$orTimeout$12(FutureUtils.java:427)',
    '\t... 9 more',
  );
  if (i % 2000 === 0) {
    lines.push(
      `${t} WARN  ${TASK} [] - Window (${sub + 1}/8)#0 (${ATTEMPT}_${sub}_0) switched from RUNNING to FAILED with failure cause:`,
      'java.lang.OutOfMemoryError: Java heap space',
      '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3745)',
    );
  }
  if (i % 500 === 0) lines.push(`${t} INFO  ${ROCKS} [] - Obtained shared RocksDB cache of size 359694336 bytes`);
  return `${lines.join('\n')}\n`;
}

async function generate(): Promise<void> {
  if (existsSync(file) && statSync(file).size >= TARGET_BYTES) return;
  const out = createWriteStream(file);
  let written = 0;
  let i = 0;
  while (written < TARGET_BYTES) {
    const parts: string[] = [];
    for (let k = 0; k < 100; k++, i++) parts.push(group(i, i * 997));
    const chunk = parts.join('');
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function timed(withDetector: boolean): Promise<{ seconds: number; lines: number; evidence: number }> {
  const detector = createFlinkLogDetector(file);
  let lines = 0;
  const start = performance.now();
  await readLines(
    { kind: 'file', path: file },
    withDetector
      ? {
          line: (text, n) => {
            lines = n;
            detector.onLine(text, n);
          },
        }
      : { line: (_text, n) => void (lines = n) },
  );
  const evidence = withDetector ? detector.finish().length : 0;
  return { seconds: (performance.now() - start) / 1000, lines, evidence };
}

await generate();
const mb = statSync(file).size / 1048576;
await timed(true); // warm-up: JIT and page cache
const reader = await timed(false);
const runs = [await timed(true), await timed(true), await timed(true)].sort((a, b) => a.seconds - b.seconds);
const best = runs[0]!;
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(`line reader alone: ${mb.toFixed(0)} MB, ${reader.lines} lines in ${reader.seconds.toFixed(2)} s = ${(mb / reader.seconds).toFixed(0)} MB/s`);
console.log(
  `flink-log detector: ${mb.toFixed(0)} MB, ${best.lines} lines, ${best.evidence} evidence in ${best.seconds.toFixed(2)} s = ${(mb / best.seconds).toFixed(0)} MB/s ` +
    `(best of 3; slowest ${(mb / runs[2]!.seconds).toFixed(0)} MB/s; target >= 100 MB/s); peak RSS ${rssMb.toFixed(0)} MB`,
);
