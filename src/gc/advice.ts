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
import { PERM_GEN_FULL, isRequestedCause, isSystemGcCause } from './analysis/causes.js';

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
/** Never shrink the heap so far that the occupancy marking starts at would fill more than this of it. */
const MARKING_MAX_SHARE = 0.8;
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

/** How the log's Full GCs divide: asked for, caused by class metadata, or heap pressure (the rest). */
interface FullGcShares {
  readonly requested: number;
  readonly systemGc: number;
  readonly metadata: number;
  readonly permGen: number;
  /** Full GCs the heap's filling up caused: the only ones heap and collector advice answers. */
  readonly heapPressure: number;
}

function fullGcShares(s: GcSummary): FullGcShares {
  let systemGc = 0;
  let metadata = 0;
  let permGen = 0;
  for (const [cause, n] of Object.entries(s.fullGc.causes)) {
    if (isSystemGcCause(cause)) systemGc += n;
    else if (cause.startsWith('Metadata GC Threshold') || cause === 'Last ditch collection') metadata += n;
    else if (cause === PERM_GEN_FULL) permGen += n;
  }
  const requested = s.fullGc.requested;
  return { requested, systemGc, metadata, permGen, heapPressure: Math.max(0, s.fullGc.count - requested - metadata - permGen) };
}

/** Threads waited for memory: the concurrent collector could not free it fast enough. */
function starvation(s: GcSummary): string | undefined {
  const stalls = s.badEvents.counts['allocation-stall'] ?? 0;
  const degenerated = s.badEvents.counts['degenerated-gc'] ?? 0;
  if (stalls > 0) return `${stalls} allocation stall(s): application threads waited for ${s.collector} to free memory, so the heap is too small for the allocation rate`;
  if (degenerated > 0) return `${degenerated} degenerated GC(s): Shenandoah's concurrent cycle could not free memory fast enough, so the heap is too small for the allocation rate`;
  return undefined;
}

function heapAdvice(summary: GcSummary, spec: TaskManagerSpec, base: FlatConfig, version: FlinkVersionBehaviour): HeapAdvice | undefined {
  const live = summary.heap.liveSetBytes;
  const starved = starvation(summary);
  if (live === undefined && starved === undefined) return undefined;
  const currentHeap = spec.memory.jvmHeap.bytes;
  const frameworkHeap = spec.memory.frameworkHeap.bytes;
  const shares = fullGcShares(summary);
  // Full GCs someone asked for are no trouble of the heap.
  const troubled = shares.heapPressure + shares.metadata + shares.permGen > 0 || Object.keys(summary.badEvents.counts).some((k) => k !== 'full-gc');
  const needed = live === undefined ? 0n : roundUp(BigInt(Math.ceil(live / TARGET_LIVE_SHARE)), 64n * MiB);
  let recommended = needed;
  let action: HeapAdvice['action'];
  let reason: string;
  const liveText = live === undefined ? 'the log states no heap occupancy' : `live set ~${formatSize(BigInt(live))} (${summary.heap.liveSetMethod})`;
  const marking = summary.heap.markingOccupancyBytes;
  const markingFloor = marking === undefined ? 0n : roundUp(BigInt(Math.ceil(marking / MARKING_MAX_SHARE)), 64n * MiB);
  const markingText = marking === undefined ? '' : `${summary.collector} starts marking at ~${formatSize(BigInt(marking))} of occupancy`;
  if (starved !== undefined) {
    action = 'grow';
    const grown = roundUp((currentHeap * 3n) / 2n, 64n * MiB);
    recommended = needed > grown ? needed : grown;
    reason = `${starved}; ${liveText}; grow the ${formatSize(currentHeap)} TaskManager heap by half (or to what the live set needs, if more) and check the log again`;
  } else if (needed > currentHeap) {
    action = 'grow';
    reason = `${liveText} needs ~${formatSize(needed)} of heap to stay near ${TARGET_LIVE_SHARE * 100}% occupancy; the TaskManager heap is ${formatSize(currentHeap)}`;
  } else if (!troubled && currentHeap > needed * 2n) {
    const target = needed > markingFloor ? needed : markingFloor;
    if (target >= currentHeap) {
      action = 'keep';
      recommended = currentHeap;
      reason = `${liveText} would fit a smaller heap, but ${markingText}: a heap under ${formatSize(markingFloor)} would be over ${MARKING_MAX_SHARE * 100}% full when marking starts, so the ${formatSize(currentHeap)} heap stays`;
    } else {
      action = 'shrink';
      recommended = target;
      reason =
        `${liveText} uses under ${Math.round((100 * (live ?? 0)) / Number(currentHeap))}% of the ${formatSize(currentHeap)} heap and the log shows no ` +
        (shares.requested > 0 ? `trouble (its ${shares.requested} Full GC(s) were requested explicitly)` : 'Full GC or other trouble') +
        (target === markingFloor && markingFloor > needed ? `; not below ${formatSize(markingFloor)}, since ${markingText}` : '');
    }
  } else {
    action = 'keep';
    recommended = currentHeap;
    reason = `${liveText} fits the ${formatSize(currentHeap)} heap` + (troubled ? '; the trouble in the log comes from elsewhere (see the flags and notes)' : '');
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
    liveSetBytes: live ?? 0,
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
  const shares = fullGcShares(s);
  if (s.collector === 'G1') {
    if (young !== undefined && young.p99Ms > DEFAULT_PAUSE_TARGET_MS) {
      flags.push({
        flag: '-XX:MaxGCPauseMillis=150',
        reason: `young pauses reach p99 ${young.p99Ms} ms (max ${young.maxMs} ms), above G1's ${DEFAULT_PAUSE_TARGET_MS} ms default target; a tighter target makes G1 size the young generation smaller`,
      });
    }
    const evacuationTrouble = (bad['to-space-exhausted'] ?? 0) + (bad['evacuation-failure'] ?? 0);
    if (shares.heapPressure > 0 || evacuationTrouble > 0) {
      flags.push({
        flag: '-XX:InitiatingHeapOccupancyPercent=35',
        reason: `${shares.heapPressure} Full GC(s) from a full heap and ${evacuationTrouble} evacuation failure(s): concurrent marking starts too late; start it at 35% instead of 45%`,
      });
      flags.push({ flag: '-XX:G1ReservePercent=15', reason: 'keep more free regions in reserve for evacuation (default 10%)' });
    } else if (s.fullGc.count === 0 && s.concurrent.count > 0 && s.heap.liveSetBytes !== undefined && s.heap.maxCapacityBytes !== undefined && s.heap.liveSetBytes < 0.3 * s.heap.maxCapacityBytes) {
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
  } else if ((s.collector === 'Parallel' || s.collector === 'Serial' || s.collector === 'CMS') && shares.heapPressure > 0) {
    const full = s.pauses.byKind.full;
    flags.push({
      flag: '-XX:+UseG1GC',
      reason: `${shares.heapPressure} Full GC(s) from a full heap with ${s.collector} (longest Full GC ${full?.maxMs ?? 0} ms): G1 collects the old generation incrementally and is Flink's default choice`,
    });
  }
  if (frequentSystemGc(s, shares) && (s.collector === 'G1' || s.collector === 'CMS')) {
    flags.push({
      flag: '-XX:+ExplicitGCInvokesConcurrent',
      reason: `${shares.systemGc} Full GC(s) caused by System.gc(): run them as concurrent cycles instead of stopping the world`,
    });
  }
  return flags;
}

/** System.gc() more than once and about hourly or more often (RMI's distributed GC calls it hourly). */
function frequentSystemGc(s: GcSummary, shares: FullGcShares): boolean {
  if (shares.systemGc < 2) return false;
  return s.spanSeconds <= 0 || shares.systemGc / (s.spanSeconds / 3600) >= 0.9;
}

function configAdvice(s: GcSummary): string[] {
  const notes: string[] = [];
  const shares = fullGcShares(s);
  if (!s.pauseTimesLogged) {
    notes.push(
      'This log states no pause times: ZGC writes its pauses with the gc+phases tags, which -Xlog:gc leaves out. Log with -Xlog:gc*,safepoint (or -Xlog:gc,gc+phases) to see them; pause figures and throughput are left out here.',
    );
  }
  if (shares.requested > 0) {
    const asked = Object.entries(s.fullGc.causes).filter(([cause]) => isRequestedCause(cause)).map(([cause, n]) => `${cause}: ${n}`).join(', ');
    notes.push(`${shares.requested} Full GC(s) requested explicitly (${asked}), by the application (System.gc()) or an operator (jcmd, jmap): not collector trouble, so no heap or collector advice is drawn from them.`);
  }
  if (frequentSystemGc(s, shares)) {
    notes.push(
      `System.gc() ran ${shares.systemGc} times in ${s.spanSeconds} s: find the caller (RMI's distributed GC calls it hourly, see sun.rmi.dgc.client.gcInterval). ` +
        '-XX:+ExplicitGCInvokesConcurrent (G1, CMS) makes it a concurrent cycle; -XX:+DisableExplicitGC ignores it, but Flink\'s direct memory (network buffers, off-heap state) relies on System.gc() to free DirectByteBuffers when -XX:MaxDirectMemorySize is reached.',
    );
  }
  if (shares.permGen > 0) {
    const perm = s.heap.permGenCapacityBytes;
    const size = perm === undefined ? 256n * MiB : roundUp(BigInt(perm) * 2n, 64n * MiB);
    notes.push(
      `${shares.permGen} Full GC(s) with the permanent generation full` +
        (perm === undefined ? '' : ` (up to ${formatSize(BigInt(perm))})`) +
        ` while the old generation had room: class metadata, not the heap, caused them. On Java 7 and older start the permanent generation big enough, -XX:PermSize=${size / MiB}m, with -XX:MaxPermSize=${(size > 256n * MiB ? size * 2n : 256n * MiB) / MiB}m; ` +
        'Java 8+ has no permanent generation (those flags are ignored, then rejected): class metadata lives in metaspace, sized by taskmanager.memory.jvm-metaspace.size.',
    );
  }
  if (shares.metadata > 0) {
    notes.push(`${shares.metadata} Full GC(s) caused by "Metadata GC Threshold": raise taskmanager.memory.jvm-metaspace.size (default 256m), e.g. to 512m, and check for class-loader leaks across job restarts.`);
  }
  if ((s.badEvents.counts['allocation-stall'] ?? 0) > 0) {
    const rate = s.heap.allocationRateMBps === undefined ? '' : ` (${s.heap.allocationRateMBps} MB/s)`;
    notes.push(`${s.badEvents.counts['allocation-stall']} ${s.collector} allocation stall(s): threads waited for memory, the heap is too small for the allocation rate${rate}; grow the task heap.`);
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
