/**
 * The stable JSON contract of `flink-memory network --format json` (documented in the README).
 *
 * The per-task object has exactly the fields of the Flink-generated vectors
 * (test/fixtures/vectors/network-buffers.jsonl) so it can be compared with them as a whole; the
 * TaskManager check, when asked for, is one extra `taskManager` member. Byte counts are decimal
 * strings so every 64-bit value survives any JSON parser; buffer counts are Java ints.
 */
import type { GateBuffers, NetworkFailure, PartitionBuffers, TaskNetworkResult, NetworkSettings } from '../plan/network-buffers.js';
import type { NetworkRequirement, RequirementProposal, TaskDemand } from '../plan/network-requirement.js';

export interface NetworkJsonEffective {
  readonly buffersPerChannel: number;
  readonly floatingBuffersPerGate: number;
  readonly maxRequiredBuffersPerGate: number | null;
  readonly sortShuffleMinParallelism: number;
  readonly sortShuffleMinBuffers: number;
  readonly segmentSize: number;
  readonly floatingPoolMinMax: readonly [number, number];
}

export interface NetworkJsonGate {
  readonly requiredBuffers: number;
  readonly totalBuffers: number;
  readonly exclusivePerChannel: number;
  readonly requiredFloatingBuffers: number;
  readonly totalFloatingBuffers: number;
  readonly announcedBuffers: number;
}

export interface NetworkJsonPartition {
  readonly minBuffers: number;
  readonly maxBuffers: number;
  readonly sortShuffle: boolean;
  readonly announcedBuffers: number;
}

export interface NetworkJsonSuccess {
  readonly ok: true;
  readonly networkMemoryBytes: string;
  readonly networkBuffers: number;
  readonly effective: NetworkJsonEffective;
  readonly gates: readonly NetworkJsonGate[];
  readonly partitions: readonly NetworkJsonPartition[];
  readonly taskManager?: TaskManagerJson;
}

export interface NetworkJsonFailure {
  readonly ok: false;
  readonly error: string;
  readonly message: string;
  readonly causes: readonly { readonly error: string; readonly message: string }[];
  readonly taskManager?: TaskManagerJson;
}

export type NetworkJson = NetworkJsonSuccess | NetworkJsonFailure;

export const effectiveJson = (s: NetworkSettings): NetworkJsonEffective => ({
  buffersPerChannel: s.buffersPerChannel,
  floatingBuffersPerGate: s.floatingBuffersPerGate,
  maxRequiredBuffersPerGate: s.maxRequiredBuffersPerGate,
  sortShuffleMinParallelism: s.sortShuffleMinParallelism,
  sortShuffleMinBuffers: s.sortShuffleMinBuffers,
  segmentSize: s.segmentSize,
  floatingPoolMinMax: [s.floatingPoolMinMax[0], s.floatingPoolMinMax[1]],
});

const gateJson = (g: GateBuffers): NetworkJsonGate => ({
  requiredBuffers: g.requiredBuffers,
  totalBuffers: g.totalBuffers,
  exclusivePerChannel: g.exclusivePerChannel,
  requiredFloatingBuffers: g.requiredFloatingBuffers,
  totalFloatingBuffers: g.totalFloatingBuffers,
  announcedBuffers: g.announcedBuffers,
});

// A successful task never holds an unbounded announced partition (that is the failure case).
const partitionJson = (p: PartitionBuffers): NetworkJsonPartition => ({
  minBuffers: p.minBuffers,
  maxBuffers: p.maxBuffers,
  sortShuffle: p.sortShuffle,
  announcedBuffers: p.announcedBuffers ?? p.maxBuffers,
});

export const failureJson = (f: NetworkFailure): NetworkJsonFailure => ({
  ok: false,
  error: f.error,
  message: f.message,
  causes: f.causes.map((c) => ({ error: c.error, message: c.message })),
});

/** The per-task figure in the vectors' shape. */
export function toNetworkJson(result: TaskNetworkResult): NetworkJson {
  if (!result.ok) return failureJson(result.error);
  return {
    ok: true,
    networkMemoryBytes: result.networkMemoryBytes.toString(),
    networkBuffers: result.networkBuffers,
    effective: effectiveJson(result.settings),
    gates: result.gates.map(gateJson),
    partitions: result.partitions.map(partitionJson),
  };
}

// ---------------------------------------------------------------------------------------------
// TaskManager check
// ---------------------------------------------------------------------------------------------

export interface TaskDemandJson {
  readonly vertex: string;
  readonly name: string;
  readonly parallelism: number;
  readonly slotSharingGroup: string;
  /** Subtasks of this vertex on the worst-case TaskManager. */
  readonly subtasksOnTaskManager: number;
  readonly gates: readonly { readonly channels: number; readonly partitionType: string; readonly requiredBuffers: number; readonly totalBuffers: number }[];
  readonly partitions: readonly { readonly subpartitions: number; readonly partitionType: string; readonly minBuffers: number; readonly maxBuffers: number }[];
  /** Buffers one subtask cannot start without. */
  readonly requiredBuffers: number;
  /** Flink's announced figure for one subtask; null when Flink refuses to announce it (unbounded pool). */
  readonly announcedBuffers: number | null;
}

export interface ProposalJson {
  readonly kind: string;
  readonly description: string;
  readonly configChange: Readonly<Record<string, string>>;
  readonly resulting: { readonly network: string; readonly networkBuffers: string; readonly taskHeap: string; readonly totalProcessMemory: string; readonly jvmParams: string };
}

export interface TaskManagerJson {
  readonly ok: boolean;
  readonly slots: number;
  readonly segmentSize: number;
  readonly tasks: readonly TaskDemandJson[];
  /** Sum of the buffers the tasks of the worst-case TaskManager cannot start without. */
  readonly requiredBuffers: string;
  readonly requiredBytes: string;
  /** Sum of the announced (target) buffers: what lets every pool reach its full size. */
  readonly announcedBuffers: string | null;
  readonly announcedBytes: string | null;
  readonly configured?: { readonly networkBytes: string; readonly networkBuffers: string; readonly option: string | null };
  /** "Insufficient number of network buffers" expected at deployment. */
  readonly insufficient?: boolean;
  readonly shortfallBuffers?: string;
  readonly minimumNetworkMemory: string;
  readonly proposals?: readonly ProposalJson[];
  readonly error?: { readonly error: string; readonly message: string };
  readonly notes: readonly string[];
}

const demandJson = (d: TaskDemand): TaskDemandJson => ({
  vertex: d.vertex,
  name: d.name,
  parallelism: d.parallelism,
  slotSharingGroup: d.slotSharingGroup,
  subtasksOnTaskManager: d.subtasksOnTaskManager,
  gates: d.gates.map((g) => ({ channels: g.channels, partitionType: g.partitionType, requiredBuffers: g.requiredBuffers, totalBuffers: g.totalBuffers })),
  partitions: d.partitions.map((p) => ({ subpartitions: p.subpartitions, partitionType: p.partitionType, minBuffers: p.minBuffers, maxBuffers: p.maxBuffers })),
  requiredBuffers: d.requiredBuffers,
  announcedBuffers: d.announcedBuffers ?? null,
});

const proposalJson = (p: RequirementProposal): ProposalJson => ({
  kind: p.kind,
  description: p.description,
  configChange: { ...p.configChange },
  resulting: {
    network: p.network.toString(),
    networkBuffers: p.networkBuffers.toString(),
    taskHeap: p.taskHeap.toString(),
    totalProcessMemory: p.totalProcessMemory.toString(),
    jvmParams: p.jvmParams,
  },
});

export function taskManagerJson(r: NetworkRequirement): TaskManagerJson {
  const base = {
    slots: r.slots,
    segmentSize: r.segmentSize,
    tasks: r.tasks.map(demandJson),
    requiredBuffers: r.requiredBuffers.toString(),
    requiredBytes: r.requiredBytes.toString(),
    announcedBuffers: r.announcedBuffers?.toString() ?? null,
    announcedBytes: r.announcedBytes?.toString() ?? null,
    minimumNetworkMemory: r.requiredBytes.toString(),
    notes: r.notes,
  };
  if (r.configured.ok === false) {
    return { ok: false, ...base, error: { error: r.configured.error.error, message: r.configured.error.message } };
  }
  const c = r.configured;
  return {
    ok: true,
    ...base,
    configured: { networkBytes: c.networkBytes.toString(), networkBuffers: c.networkBuffers.toString(), option: c.option ?? null },
    insufficient: c.insufficient,
    shortfallBuffers: c.shortfallBuffers.toString(),
    proposals: c.proposals.map(proposalJson),
  };
}

export const stringifyNetworkJson = (value: NetworkJson): string => JSON.stringify(value, null, 2);
