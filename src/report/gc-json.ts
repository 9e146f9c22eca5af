/**
 * The stable JSON contract of `flink-memory gc --format json` (documented in the README). Times
 * are milliseconds or seconds as named; sizes are bytes (numbers in the GC summary, decimal
 * strings in the Flink advice, which comes from the exact 64-bit model).
 */
import type { GcAdvice } from '../gc/advice.js';
import type { GcSummary } from '../gc/analyze.js';

export function gcJson(summary: GcSummary, advice: GcAdvice): Record<string, unknown> {
  const heapAdvice = advice.heap;
  return {
    collector: summary.collector,
    inputs: summary.inputs.map((input) => ({ ...input, collector: input.collector ?? null })),
    timeBase: summary.timeBase,
    startTime: summary.startEpochMs === undefined ? null : new Date(summary.startEpochMs).toISOString(),
    spanSeconds: summary.spanSeconds,
    jvmRuns: summary.jvmRuns,
    runs: summary.runs.map((run) => ({
      file: run.file,
      line: run.line,
      startTime: run.startEpochMs === undefined ? null : new Date(run.startEpochMs).toISOString(),
      spanSeconds: run.spanSeconds,
      pauses: run.pauses,
      pauseMs: run.pauseMs,
      throughputPercent: run.throughputPercent ?? null,
    })),
    pauses: summary.pauses,
    pauseTimesLogged: summary.pauseTimesLogged,
    throughputPercent: summary.throughputPercent ?? null,
    fullGc: summary.fullGc,
    badEvents: summary.badEvents,
    concurrent: summary.concurrent,
    heap: {
      ...summary.heap,
      markingOccupancyBytes: summary.heap.markingOccupancyBytes ?? null,
      permGenCapacityBytes: summary.heap.permGenCapacityBytes ?? null,
    },
    lines: summary.lines,
    unrecognisedLines: summary.unrecognisedLines,
    unrecognisedSamples: summary.unrecognisedSamples,
    advice: {
      heap:
        heapAdvice === undefined
          ? null
          : {
              action: heapAdvice.action,
              reason: heapAdvice.reason,
              liveSetBytes: heapAdvice.liveSetBytes,
              currentJvmHeapBytes: heapAdvice.currentJvmHeapBytes.toString(),
              recommendedJvmHeapBytes: heapAdvice.recommendedJvmHeapBytes.toString(),
              recommendedTaskHeapBytes: heapAdvice.recommendedTaskHeapBytes.toString(),
              configChange: heapAdvice.configChange,
              resulting:
                heapAdvice.resulting === undefined
                  ? null
                  : {
                      totalProcessMemory: heapAdvice.resulting.totalProcessBytes.toString(),
                      totalFlinkMemory: heapAdvice.resulting.totalFlinkBytes.toString(),
                      jvmParams: heapAdvice.resulting.jvmParams,
                    },
              rejectedBecause: heapAdvice.rejectedBecause ?? null,
            },
      flags: advice.flags,
      envJavaOpts: advice.envJavaOpts ?? null,
      notes: advice.configNotes,
    },
  };
}
