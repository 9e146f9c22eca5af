/**
 * Will a TaskManager have enough network buffers for a job? Compares the buffers the tasks of the
 * worst-case TaskManager need with the network memory its configuration gives it (derived by the
 * exact model), and proposes configurations that avoid Flink's
 * "Insufficient number of network buffers" failure. Every proposal is a new configuration run
 * through `deriveTaskManagerMemory` again, so it is valid by construction.
 *
 * Two figures per task:
 * - required: what its pools cannot be created without (every gate's exclusive buffers plus its
 *   required floating buffers, every result partition's pool minimum). The TaskManager's
 *   NetworkBufferPool fails with "Insufficient number of network buffers" when the sum of these
 *   over the running tasks exceeds its buffers.
 * - announced: Flink's own per-task figure (`computeShuffleMemorySizeForTask`), the pools at their
 *   full target size; less than that still runs, with fewer floating buffers.
 */
import type { FlatConfig } from '../memory/configuration.js';
import type { FlinkError } from '../memory/errors.js';
import type { TaskManagerSpec } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, type FlinkVersionBehaviour } from '../memory/versions.js';
import {
  computeGateBuffers,
  computePartitionBuffers,
  computeTaskNetwork,
  partitionTypeTraits,
  readNetworkSettings,
  type GateBuffers,
  type GateInput,
  type NetworkFailure,
  type PartitionBuffers,
  type PartitionOutput,
} from './network-buffers.js';

/** One job vertex: the inputs and outputs of each of its subtasks. */
export interface TaskSpec {
  readonly vertex: string;
  readonly name: string;
  readonly parallelism: number;
  /** Vertices in one group may share a slot (one subtask of each per slot). */
  readonly slotSharingGroup: string;
  readonly inputs: readonly GateInput[];
  readonly outputs: readonly PartitionOutput[];
}

export interface TaskDemand {
  readonly vertex: string;
  readonly name: string;
  readonly parallelism: number;
  readonly slotSharingGroup: string;
  readonly gates: readonly GateBuffers[];
  readonly partitions: readonly PartitionBuffers[];
  /** Buffers one subtask cannot start without. */
  readonly requiredBuffers: number;
  /** Flink's announced buffers for one subtask; undefined when Flink refuses (an unbounded pool). */
  readonly announcedBuffers: number | undefined;
  /** Subtasks of this vertex on the worst-case TaskManager. */
  readonly subtasksOnTaskManager: number;
}

export interface RequirementProposal {
  readonly kind: 'network-min' | 'network-fraction' | 'grow-process' | 'grow-flink';
  readonly description: string;
  readonly configChange: Readonly<Record<string, string>>;
  readonly network: bigint;
  readonly networkBuffers: bigint;
  readonly taskHeap: bigint;
  readonly totalProcessMemory: bigint;
  readonly jvmParams: string;
}

export interface ConfiguredNetwork {
  readonly ok: true;
  readonly spec: TaskManagerSpec;
  readonly networkBytes: bigint;
  readonly networkBuffers: bigint;
  /** The option that decided the network size (fraction, min, max, legacy buffers...). */
  readonly option: string | undefined;
  readonly insufficient: boolean;
  readonly shortfallBuffers: bigint;
  readonly proposals: readonly RequirementProposal[];
}

export interface NetworkRequirement {
  readonly slots: number;
  readonly segmentSize: number;
  readonly tasks: readonly TaskDemand[];
  readonly requiredBuffers: bigint;
  readonly requiredBytes: bigint;
  readonly announcedBuffers: bigint | undefined;
  readonly announcedBytes: bigint | undefined;
  /** The configured TaskManager and the verdict, or why its memory could not be derived. */
  readonly configured: ConfiguredNetwork | { readonly ok: false; readonly error: FlinkError };
  readonly notes: readonly string[];
}

export type RequirementResult = { readonly ok: true; readonly requirement: NetworkRequirement } | { readonly ok: false; readonly error: NetworkFailure };

const MiB = 1024n * 1024n;
const NETWORK_MIN = 'taskmanager.memory.network.min';
const NETWORK_MAX = 'taskmanager.memory.network.max';
const NETWORK_FRACTION = 'taskmanager.memory.network.fraction';

/**
 * The worst-case TaskManager of `slots` slots running `tasks`: in a slot sharing group, slot j holds
 * one subtask of every vertex whose parallelism exceeds j, so the fullest slots are the first ones
 * of each group; the TaskManager gets the `slots` fullest slots over all groups.
 *
 * `values` configures the network stack (the per-task figures); `tmValues` sizes the TaskManager
 * (defaults to `values`).
 */
export function checkNetworkRequirement(
  values: FlatConfig,
  tasks: readonly TaskSpec[],
  slots: number,
  version: FlinkVersionBehaviour = DEFAULT_FLINK_VERSION,
  tmValues: FlatConfig = values,
): RequirementResult {
  const read = readNetworkSettings(values, version);
  if (!read.ok) return read;
  const settings = read.settings;
  const notes: string[] = [];

  const perTask: Omit<TaskDemand, 'subtasksOnTaskManager'>[] = [];
  for (const task of tasks) {
    const gates: GateBuffers[] = [];
    for (const input of task.inputs) {
      const g = computeGateBuffers(settings, input);
      if (!g.ok) return g;
      gates.push(g.gate);
    }
    const partitions = task.outputs.map((o) => computePartitionBuffers(settings, o));
    const announced = computeTaskNetwork(values, task.inputs, task.outputs, version);
    perTask.push({
      vertex: task.vertex,
      name: task.name,
      parallelism: task.parallelism,
      slotSharingGroup: task.slotSharingGroup,
      gates,
      partitions,
      requiredBuffers: gates.reduce((s, g) => s + g.requiredBuffers, 0) + partitions.reduce((s, p) => s + p.minBuffers, 0),
      announcedBuffers: announced.ok ? announced.networkBuffers : undefined,
    });
  }

  const counts = worstCaseSubtasks(perTask, slots);
  const demands: TaskDemand[] = perTask.map((t, i) => ({ ...t, subtasksOnTaskManager: counts[i]! }));
  const requiredBuffers = demands.reduce((s, d) => s + BigInt(d.requiredBuffers) * BigInt(d.subtasksOnTaskManager), 0n);
  const allAnnounced = demands.every((d) => d.announcedBuffers !== undefined || d.subtasksOnTaskManager === 0);
  const announcedBuffers = allAnnounced
    ? demands.reduce((s, d) => s + BigInt(d.announcedBuffers ?? 0) * BigInt(d.subtasksOnTaskManager), 0n)
    : undefined;
  const segment = BigInt(settings.segmentSize);

  const types = new Set(tasks.flatMap((t) => [...t.inputs.map((i) => i.partitionType), ...t.outputs.map((o) => o.partitionType)]));
  if ([...types].some((t) => partitionTypeTraits(t).blocking)) {
    notes.push('Blocking exchanges split the job into stages that need not run at the same time; adding all vertices up is an upper bound.');
  }
  if ([...types].some((t) => partitionTypeTraits(t).hybrid)) {
    notes.push('Hybrid shuffle sizes its pools on tiered storage at run time; its figures here are those of the non-tiered path.');
  }
  if (!allAnnounced) {
    notes.push('Unbounded (PIPELINED / hybrid) result partitions have no announced size; only the required buffers are compared.');
  }
  notes.push('Worst case assumed: every input channel is remote (local channels take no exclusive buffers).');

  return {
    ok: true,
    requirement: {
      slots,
      segmentSize: settings.segmentSize,
      tasks: demands,
      requiredBuffers,
      requiredBytes: requiredBuffers * segment,
      announcedBuffers,
      announcedBytes: announcedBuffers === undefined ? undefined : announcedBuffers * segment,
      configured: checkConfigured(tmValues, version, requiredBuffers, segment),
      notes,
    },
  };
}

/**
 * How many subtasks of each task the worst-case TaskManager runs (see checkNetworkRequirement).
 * Slot j of a group holds the vertices whose parallelism exceeds j, so its demand only changes at
 * the group's parallelisms: the slots are taken in runs between them, fullest run first.
 */
function worstCaseSubtasks(tasks: readonly { slotSharingGroup: string; parallelism: number; requiredBuffers: number }[], slots: number): number[] {
  const groups = new Map<string, number[]>();
  tasks.forEach((t, i) => groups.set(t.slotSharingGroup, [...(groups.get(t.slotSharingGroup) ?? []), i]));
  const runs: { group: string; length: number; demand: number }[] = [];
  for (const [group, members] of groups) {
    const levels = [...new Set(members.map((i) => tasks[i]!.parallelism))].sort((a, b) => a - b);
    let from = 0;
    for (const level of levels) {
      const demand = members.reduce((s, i) => s + (tasks[i]!.parallelism >= level ? tasks[i]!.requiredBuffers : 0), 0);
      runs.push({ group, length: level - from, demand });
      from = level;
    }
  }
  // Within a group the demand never grows from run to run, so a stable sort keeps each group's runs in order.
  runs.sort((a, b) => b.demand - a.demand);
  const taken = new Map<string, number>();
  let left = slots;
  for (const run of runs) {
    if (left === 0) break;
    const take = Math.min(left, run.length);
    taken.set(run.group, (taken.get(run.group) ?? 0) + take);
    left -= take;
  }
  return tasks.map((t) => Math.min(taken.get(t.slotSharingGroup) ?? 0, t.parallelism));
}

function checkConfigured(values: FlatConfig, version: FlinkVersionBehaviour, requiredBuffers: bigint, segment: bigint): NetworkRequirement['configured'] {
  const derived = deriveTaskManagerMemory(values, version);
  if (!derived.ok) return { ok: false, error: derived.error };
  const spec = derived.spec;
  const networkBytes = spec.memory.network.bytes;
  const networkBuffers = networkBytes / segment;
  const insufficient = requiredBuffers > networkBuffers;
  return {
    ok: true,
    spec,
    networkBytes,
    networkBuffers,
    option: spec.memory.network.option,
    insufficient,
    shortfallBuffers: insufficient ? requiredBuffers - networkBuffers : 0n,
    proposals: insufficient ? proposals(values, version, spec, requiredBuffers * segment, segment) : [],
  };
}

/** A size as a Flink option value: whole MiB when it is one, else exact bytes. */
const sizeOption = (bytes: bigint): string => (bytes % MiB === 0n ? `${bytes / MiB}m` : `${bytes}b`);
const roundUpToMiB = (bytes: bigint): bigint => ((bytes + MiB - 1n) / MiB) * MiB;

function proposals(values: FlatConfig, version: FlinkVersionBehaviour, spec: TaskManagerSpec, requiredBytes: bigint, segment: bigint): RequirementProposal[] {
  const out: RequirementProposal[] = [];
  const target = roundUpToMiB(requiredBytes);
  const currentMax = networkMaxOf(spec);
  const raiseMax: Record<string, string> = currentMax !== undefined && currentMax < target ? { [NETWORK_MAX]: sizeOption(target) } : {};

  const tryChange = (kind: RequirementProposal['kind'], description: string, change: Record<string, string>): RequirementProposal | undefined => {
    const derived = deriveTaskManagerMemory({ ...values, ...change }, version);
    if (!derived.ok || derived.spec.memory.network.bytes < requiredBytes) return undefined;
    const m = derived.spec.memory;
    return {
      kind,
      description,
      configChange: change,
      network: m.network.bytes,
      networkBuffers: m.network.bytes / segment,
      taskHeap: m.taskHeap.bytes,
      totalProcessMemory: m.totalProcessMemory.bytes,
      jvmParams: derived.spec.jvmParams,
    };
  };

  const min = tryChange(
    'network-min',
    'Raise the network minimum; the TaskManager keeps its size and the task heap gives up the difference.',
    { [NETWORK_MIN]: sizeOption(target), ...raiseMax },
  );
  if (min !== undefined) out.push(min);

  const fraction = fractionProposal(spec, requiredBytes, raiseMax, tryChange);
  if (fraction !== undefined) out.push(fraction);

  const grown = growProposal(values, version, spec, requiredBytes, raiseMax, tryChange);
  if (grown !== undefined) out.push(grown);
  return out;
}

type TryChange = (kind: RequirementProposal['kind'], description: string, change: Record<string, string>) => RequirementProposal | undefined;

/** The upper bound that capped (or could cap) the network size, when the derivation used one. */
function networkMaxOf(spec: TaskManagerSpec): bigint | undefined {
  const p = spec.memory.network.provenance;
  return p.kind === 'fraction' ? p.max : undefined;
}

/** The smallest fraction, in steps of 0.001, whose share of Total Flink Memory holds the buffers. */
function fractionProposal(spec: TaskManagerSpec, requiredBytes: bigint, raiseMax: Record<string, string>, tryChange: TryChange): RequirementProposal | undefined {
  if (spec.memory.network.provenance.kind !== 'fraction' || spec.mode === 'fine-grained') return undefined;
  const totalFlink = spec.memory.totalFlinkMemory.bytes;
  const start = Math.ceil((Number(requiredBytes) / Number(totalFlink)) * 1000);
  for (let thousandths = Math.max(start, 1); thousandths < Math.min(start + 5, 1000); thousandths++) {
    const text = (thousandths / 1000).toString();
    const p = tryChange('network-fraction', `Give network memory a larger share (${text}) of Total Flink Memory.`, { [NETWORK_FRACTION]: text, ...raiseMax });
    if (p !== undefined) return p;
  }
  return undefined;
}

/**
 * The smallest TaskManager (in whole MiB) whose own network share holds the buffers, keeping every
 * other setting: for users who would rather add memory than take it from the task heap.
 */
function growProposal(
  values: FlatConfig,
  version: FlinkVersionBehaviour,
  spec: TaskManagerSpec,
  requiredBytes: bigint,
  raiseMax: Record<string, string>,
  tryChange: TryChange,
): RequirementProposal | undefined {
  if (spec.mode === 'fine-grained') return undefined;
  const key = spec.mode === 'total-process' ? 'taskmanager.memory.process.size' : 'taskmanager.memory.flink.size';
  const kind = spec.mode === 'total-process' ? 'grow-process' : 'grow-flink';
  const current = spec.mode === 'total-process' ? spec.memory.totalProcessMemory.bytes : spec.memory.totalFlinkMemory.bytes;
  const fits = (bytes: bigint): boolean => {
    const derived = deriveTaskManagerMemory({ ...values, [key]: sizeOption(bytes), ...raiseMax }, version);
    return derived.ok && derived.spec.memory.network.bytes >= requiredBytes;
  };
  let lo = roundUpToMiB(current);
  let hi = lo * 2n;
  const ceiling = 1024n * 1024n * MiB; // 1 TiB: beyond that the fraction is not the tool
  while (!fits(hi)) {
    if (hi >= ceiling) return undefined;
    lo = hi;
    hi *= 2n;
  }
  while (hi - lo > MiB) {
    const mid = roundUpToMiB((lo + hi) / 2n);
    if (mid >= hi) break;
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return tryChange(kind, `Give the TaskManager more memory (${key}); network keeps its share.`, { [key]: sizeOption(hi), ...raiseMax });
}
