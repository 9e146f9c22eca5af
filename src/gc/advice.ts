/**
 * Advice in Flink terms from a GC summary: a task-heap size (TaskManager heap = framework heap +
 * task heap) with the resulting configuration derived by the exact model, and the JVM flags the
 * evidence supports, each with the figures behind it.
 */
import type { FlatConfig } from '../memory/configuration.js';
import { formatSize } from '../report/format.js';
import type { TaskManagerSpec } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, type FlinkVersionBehaviour } from '../memory/versions.js';
import type { GcSummary } from './analyze.js';

export interface FlagAdvice {
  readonly flag: string;
  readonly reason: string;
}

export interface HeapAdvice {
  readonly currentJvmHeapBytes: bigint;
  readonly liveSetBytes: number;
  readonly recommendedJvmHeapBytes: bigint;
  readonly recommendedTaskHeapBytes: bigint;
  readonly action: 'grow' | 'shrink' | 'keep';
  readonly reason: string;
  /** The options to set: fine-grained task heap and managed memory, totals derived. */
  readonly configChange: Readonly<Record<string, string>>;
  /** Present when the exact model accepts the change (it always should). */
  readonly resulting: { readonly totalProcessBytes: bigint; readonly totalFlinkBytes: bigint; readonly jvmParams: string } | undefined;
  readonly rejectedBecause: string | undefined;
}

export interface GcAdvice {
  readonly heap: HeapAdvice | undefined;
  readonly flags: readonly FlagAdvice[];
  readonly configNotes: readonly string[];
  /** The flags as one `env.java.opts.taskmanager` line, or undefined when there are none. */
  readonly envJavaOpts: string | undefined;
}

const MiB = 1024n * 1024n;
/** Keep the live set near 40% of the heap: under G1's default IHOP of 45% with room for allocation bursts. */
const TARGET_LIVE_SHARE = 0.4;
const DEFAULT_PAUSE_TARGET_MS = 200;

export function adviseFromGc(
  summary: GcSummary,
  config: FlatConfig | undefined,
  version: FlinkVersionBehaviour = DEFAULT_FLINK_VERSION,
): GcAdvice {
  const base = config ?? { 'taskmanager.memory.process.size': '1728m' };
  const current = deriveTaskManagerMemory(base, version);
  const heap = current.ok ? heapAdvice(summary, current.spec, base, version) : undefined;
  const flags = flagAdvice(summary);
  const configNotes = configAdvice(summary);
  return {
    heap,
    flags,
    configNotes,
    envJavaOpts: flags.length === 0 ? undefined : `env.java.opts.taskmanager: "${flags.map((f) => f.flag).join(' ')}"`,
  };
}

function heapAdvice(summary: GcSummary, spec: TaskManagerSpec, base: FlatConfig, version: FlinkVersionBehaviour): HeapAdvice | undefined {
  const live = summary.heap.liveSetBytes;
  if (live === undefined) return undefined;
  const currentHeap = spec.memory.jvmHeap.bytes;
  const frameworkHeap = spec.memory.frameworkHeap.bytes;
  const troubled = summary.fullGc.count > 0 || Object.keys(summary.badEvents.counts).length > 0;
  const needed = roundUp(BigInt(Math.ceil(live / TARGET_LIVE_SHARE)), 64n * MiB);
  let recommended = needed;
  let action: HeapAdvice['action'];
  let reason: string;
  const liveText = `live set ~${formatSize(BigInt(live))} (${summary.heap.liveSetMethod})`;
  if (needed > currentHeap) {
    action = 'grow';
    reason = `${liveText} needs ~${formatSize(needed)} of heap to stay near ${TARGET_LIVE_SHARE * 100}% occupancy; the TaskManager heap is ${formatSize(currentHeap)}`;
  } else if (!troubled && currentHeap > needed * 2n) {
    action = 'shrink';
    reason = `${liveText} uses under ${Math.round((100 * live) / Number(currentHeap))}% of the ${formatSize(currentHeap)} heap and the log shows no Full GC or other trouble`;
  } else {
    action = 'keep';
    recommended = currentHeap;
    reason = `${liveText} fits the ${formatSize(currentHeap)} heap` + (troubled ? '; the trouble in the log comes from elsewhere (see flags)' : '');
  }
  if (recommended <= frameworkHeap) recommended = frameworkHeap + 64n * MiB;
  const taskHeap = recommended - frameworkHeap;
  const configChange: Record<string, string> = {
    'taskmanager.memory.task.heap.size': `${taskHeap}b`,
    'taskmanager.memory.managed.size': `${spec.memory.managed.bytes}b`,
  };
  const next: Record<string, string> = { ...base, ...configChange };
  delete next['taskmanager.memory.process.size'];
  delete next['taskmanager.memory.flink.size'];
  const derived = deriveTaskManagerMemory(next, version);
  return {
    currentJvmHeapBytes: currentHeap,
    liveSetBytes: live,
    recommendedJvmHeapBytes: recommended,
    recommendedTaskHeapBytes: taskHeap,
    action,
    reason,
    configChange,
    resulting: derived.ok
      ? { totalProcessBytes: derived.spec.memory.totalProcessMemory.bytes, totalFlinkBytes: derived.spec.memory.totalFlinkMemory.bytes, jvmParams: derived.spec.jvmParams }
      : undefined,
    rejectedBecause: derived.ok ? undefined : derived.error.message,
  };
}

function flagAdvice(s: GcSummary): FlagAdvice[] {
  const flags: FlagAdvice[] = [];
  const bad = s.badEvents.counts;
  const young = s.pauses.byKind.young;
  if (s.collector === 'G1') {
    if (young !== undefined && young.p99Ms > DEFAULT_PAUSE_TARGET_MS) {
      flags.push({
        flag: '-XX:MaxGCPauseMillis=150',
        reason: `young pauses reach p99 ${young.p99Ms} ms (max ${young.maxMs} ms), above G1's ${DEFAULT_PAUSE_TARGET_MS} ms default target; a tighter target makes G1 size the young generation smaller`,
      });
    }
    const evacuationTrouble = (bad['to-space-exhausted'] ?? 0) + (bad['evacuation-failure'] ?? 0);
    if (s.fullGc.count > 0 || evacuationTrouble > 0) {
      flags.push({
        flag: '-XX:InitiatingHeapOccupancyPercent=35',
        reason: `${s.fullGc.count} Full GC(s) and ${evacuationTrouble} evacuation failure(s): concurrent marking starts too late; start it at 35% instead of 45%`,
      });
      flags.push({ flag: '-XX:G1ReservePercent=15', reason: 'keep more free regions in reserve for evacuation (default 10%)' });
    } else if (s.concurrent.count > 0 && s.heap.liveSetBytes !== undefined && s.heap.maxCapacityBytes !== undefined && s.heap.liveSetBytes < 0.3 * s.heap.maxCapacityBytes) {
      flags.push({
        flag: '-XX:InitiatingHeapOccupancyPercent=60',
        reason: `the live set is under 30% of the heap and the log shows no Full GC: marking cycles (${s.concurrent.count}) can start later, as the seed guidance suggests for TaskManagers whose state lives off-heap`,
      });
    }
    const humongous = bad['humongous-allocation'] ?? 0;
    if (humongous > 0) {
      const region = s.heap.regionSizeBytes ?? defaultRegionSize(s.heap.maxCapacityBytes);
      const next = Math.min(32 * 1024 * 1024, region * 2);
      if (next > region) {
        flags.push({
          flag: `-XX:G1HeapRegionSize=${next / 1024 / 1024}m`,
          reason: `${humongous} humongous allocation(s): objects of half a region (${region / 1024 / 1024 / 2} MiB) or more bypass the young generation; larger regions make them ordinary`,
        });
      }
    }
  } else if ((s.collector === 'Parallel' || s.collector === 'Serial' || s.collector === 'CMS') && s.fullGc.count > 0) {
    const full = s.pauses.byKind.full;
    flags.push({
      flag: '-XX:+UseG1GC',
      reason: `${s.fullGc.count} Full GC(s) with ${s.collector} (max ${full?.maxMs ?? 0} ms): G1 collects the old generation incrementally and is Flink's default choice`,
    });
  }
  if ((s.fullGc.causes['System.gc()'] ?? 0) > 0 && s.collector === 'G1') {
    flags.push({ flag: '-XX:+ExplicitGCInvokesConcurrent', reason: `${s.fullGc.causes['System.gc()']} Full GC(s) caused by System.gc(): run them as concurrent cycles instead` });
  }
  return flags;
}

function configAdvice(s: GcSummary): string[] {
  const notes: string[] = [];
  const metadata = Object.entries(s.fullGc.causes).filter(([cause]) => cause.startsWith('Metadata GC Threshold')).reduce((n, [, c]) => n + c, 0);
  if (metadata > 0) {
    notes.push(`${metadata} Full GC(s) caused by "Metadata GC Threshold": raise taskmanager.memory.jvm-metaspace.size (default 256m), e.g. to 512m, and check for class-loader leaks across job restarts.`);
  }
  if ((s.badEvents.counts['allocation-stall'] ?? 0) > 0) {
    notes.push(`${s.badEvents.counts['allocation-stall']} ZGC allocation stall(s): the heap is too small for the allocation rate (${s.heap.allocationRateMBps ?? '?'} MB/s); grow the task heap.`);
  }
  if ((s.badEvents.counts['degenerated-gc'] ?? 0) > 0) {
    notes.push(`${s.badEvents.counts['degenerated-gc']} Shenandoah degenerated GC(s): concurrent collection could not keep up; grow the task heap.`);
  }
  return notes;
}

/** G1's ergonomic region size: heap / 2048, a power of two between 1 MiB and 32 MiB. */
function defaultRegionSize(heapBytes: number | undefined): number {
  const target = (heapBytes ?? 1024 * 1024 * 1024) / 2048;
  let size = 1024 * 1024;
  while (size < target && size < 32 * 1024 * 1024) size *= 2;
  return size;
}

const roundUp = (value: bigint, step: bigint): bigint => ((value + step - 1n) / step) * step;
