/**
 * Sizing a process backwards, from a container and a workload to a configuration Flink accepts.
 *
 * The planner never computes a memory component itself: it chooses option values, and every
 * candidate configuration is run through the exact model (src/memory). What it returns is
 * therefore valid by construction, and the numbers it shows are Flink's own.
 */
import type { FlatConfig } from '../memory/configuration.js';
import { deriveJobManagerMemory } from '../memory/jobmanager.js';
import { formatHumanReadable } from '../memory/memory-size.js';
import type { DerivationResult, JobManagerSpec, ProcessKind, TaskManagerSpec } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { configSize, roundUpToMiB } from './sizes.js';

export type StateBackend = 'hashmap' | 'rocksdb' | 'forst';
export type ExecutionMode = 'streaming' | 'batch';

/** Components a user asks for by size (reverse sizing); each is optional. */
export interface ComponentRequest {
  readonly taskHeap?: bigint;
  readonly managed?: bigint;
  readonly network?: bigint;
  readonly taskOffHeap?: bigint;
  /** JobManager only. */
  readonly jvmHeap?: bigint;
  /** JobManager only. */
  readonly offHeap?: bigint;
}

export interface NetworkNeed {
  /** Network memory one TaskManager needs for the job. */
  readonly bytes: bigint;
  /** Where the figure comes from, for the rationale ("4 slots x ... buffers of 32 KiB"). */
  readonly why: string;
}

export interface PlanRequest {
  readonly process: ProcessKind;
  readonly version: FlinkVersionBehaviour;
  /** Total process memory: the container or pod size. Absent: reverse sizing from `components`. */
  readonly processMemory?: bigint;
  readonly stateBackend: StateBackend;
  readonly mode: ExecutionMode;
  readonly slots?: number;
  readonly components: ComponentRequest;
  readonly networkNeed?: NetworkNeed;
  /** Options the user fixed (`-D`): kept as they are; the plan works around them. */
  readonly userSettings: FlatConfig;
}

export interface PlannedSetting {
  readonly key: string;
  readonly value: string;
  /** One line: why this value. */
  readonly rationale: string;
  readonly origin: 'plan' | 'user';
}

export interface TaskManagerPlan {
  readonly process: 'taskmanager';
  readonly request: PlanRequest;
  readonly settings: readonly PlannedSetting[];
  readonly config: FlatConfig;
  readonly spec: TaskManagerSpec;
  /** Things worth knowing that are not a setting (warnings, what was left at Flink's default). */
  readonly notes: readonly string[];
}

export interface JobManagerPlan {
  readonly process: 'jobmanager';
  readonly request: PlanRequest;
  readonly settings: readonly PlannedSetting[];
  readonly config: FlatConfig;
  readonly spec: JobManagerSpec;
  readonly notes: readonly string[];
}

export type Plan = TaskManagerPlan | JobManagerPlan;

export type PlanErrorCode = 'TOO_SMALL' | 'MISSING_INPUT' | 'REJECTED';

/** A request no configuration can satisfy; the message says what would work. */
export class PlanError extends Error {
  constructor(
    readonly code: PlanErrorCode,
    message: string,
    /** For TOO_SMALL: the smallest total process size Flink accepts with the same choices. */
    readonly smallestWorkable?: bigint,
  ) {
    super(message);
  }
}

const MiB = 1024n * 1024n;
/** Below this a slot's share of task heap is too small for real operators (records, timers, buffers). */
export const MIN_TASK_HEAP_PER_SLOT = 256n * MiB;
const SEARCH_LIMIT = 1024n * 1024n * MiB;

const TM = {
  process: 'taskmanager.memory.process.size',
  slots: 'taskmanager.numberOfTaskSlots',
  taskHeap: 'taskmanager.memory.task.heap.size',
  taskOffHeap: 'taskmanager.memory.task.off-heap.size',
  managedSize: 'taskmanager.memory.managed.size',
  managedFraction: 'taskmanager.memory.managed.fraction',
  networkMin: 'taskmanager.memory.network.min',
  networkMax: 'taskmanager.memory.network.max',
  stateBackend: 'state.backend.type',
} as const;

const JM = {
  process: 'jobmanager.memory.process.size',
  heap: 'jobmanager.memory.heap.size',
  offHeap: 'jobmanager.memory.off-heap.size',
} as const;

/** Builds the planned settings in order, letting a user's own `-D` win over the planner. */
class Settings {
  readonly list: PlannedSetting[] = [];

  constructor(private readonly user: FlatConfig) {
    for (const [key, value] of Object.entries(user)) {
      this.list.push({ key, value, rationale: 'set by you (-D); the plan keeps it', origin: 'user' });
    }
  }

  isUserSet(key: string): boolean {
    return Object.hasOwn(this.user, key);
  }

  /** Adds a planned value unless the user fixed this key; returns whether it was added. */
  set(key: string, value: string, rationale: string): boolean {
    if (this.isUserSet(key)) return false;
    const at = this.list.findIndex((s) => s.key === key);
    const setting: PlannedSetting = { key, value, rationale, origin: 'plan' };
    if (at >= 0) this.list[at] = setting;
    else this.list.push(setting);
    return true;
  }

  remove(key: string): void {
    const at = this.list.findIndex((s) => s.key === key && s.origin === 'plan');
    if (at >= 0) this.list.splice(at, 1);
  }

  config(): FlatConfig {
    return Object.fromEntries(this.list.map((s) => [s.key, s.value]));
  }

  snapshot(): PlannedSetting[] {
    return [...this.list];
  }
}

export function plan(request: PlanRequest): Plan {
  return request.process === 'taskmanager' ? planTaskManager(request) : planJobManager(request);
}

// ---------------------------------------------------------------------------------------------
// TaskManager

function planTaskManager(request: PlanRequest): TaskManagerPlan {
  if (request.stateBackend === 'forst' && request.version.line !== '2.x') {
    throw new PlanError('MISSING_INPUT', `the ForSt state backend needs Flink 2.0 or later (planning for ${request.version.line})`);
  }
  if (request.slots !== undefined && (!Number.isInteger(request.slots) || request.slots < 1)) {
    throw new PlanError('MISSING_INPUT', `--slots must be a whole number of at least 1 (got ${request.slots})`);
  }
  return request.processMemory === undefined ? reverseTaskManager(request) : forwardTaskManager(request, request.processMemory);
}

function derivedTm(config: FlatConfig, version: FlinkVersionBehaviour): DerivationResult<TaskManagerSpec> {
  return deriveTaskManagerMemory(config, version);
}

function forwardTaskManager(request: PlanRequest, processMemory: bigint): TaskManagerPlan {
  const build = (size: bigint) => chooseTaskManagerSettings(request, size);
  const { settings, notes, result } = build(processMemory);
  if (!result.ok) {
    const smallest = smallestAccepted((size) => build(size).result.ok, processMemory);
    const rejection = result.error.message;
    if (smallest === undefined) throw new PlanError('REJECTED', `Flink rejects every process size with these choices: ${rejection}`);
    throw new PlanError(
      'TOO_SMALL',
      `a TaskManager of ${formatHumanReadable(processMemory)} cannot hold Flink's fixed parts with these choices ` +
        `(${rejection}); the smallest process size Flink accepts is ${configSize(smallest)} (--memory ${configSize(smallest)})`,
      smallest,
    );
  }
  return { process: 'taskmanager', request, settings: settings.snapshot(), config: settings.config(), spec: result.spec, notes };
}

interface Choice {
  readonly settings: Settings;
  readonly notes: string[];
  readonly result: DerivationResult<TaskManagerSpec>;
}

/** The planner's rules for a TaskManager of a given total size; deterministic, so sizes can be searched. */
function chooseTaskManagerSettings(request: PlanRequest, processMemory: bigint): Choice {
  const s = new Settings(request.userSettings);
  const notes: string[] = [];
  const { components } = request;
  s.set(TM.process, configSize(processMemory), 'the container size: Flink divides exactly this among its components');
  if (request.slots !== undefined) {
    s.set(TM.slots, String(request.slots), `${request.slots} slot(s): managed and network memory are shared by the slots of a TaskManager`);
  }
  s.set(TM.stateBackend, request.stateBackend, `the state backend this plan is sized for`);
  if (components.taskHeap !== undefined) s.set(TM.taskHeap, configSize(components.taskHeap), 'the task heap you asked for');
  if (components.taskOffHeap !== undefined) {
    s.set(TM.taskOffHeap, configSize(components.taskOffHeap), 'the task off-heap you asked for (native/direct memory of user code)');
  }
  if (components.network !== undefined) fixNetwork(s, components.network, 'the network memory you asked for');

  const slots = BigInt(request.slots ?? slotsFrom(request.userSettings[TM.slots]));
  const managedFixed = s.isUserSet(TM.managedSize) || s.isUserSet(TM.managedFraction);
  if (components.managed !== undefined) {
    s.set(TM.managedSize, configSize(components.managed), 'the managed memory you asked for');
  } else if (!managedFixed) {
    chooseManaged(request, s, slots, notes);
  }
  let result = derivedTm(s.config(), request.version);
  if (result.ok && request.networkNeed !== undefined && components.network === undefined) {
    result = ensureNetwork(request, s, result.spec, notes) ?? result;
  }
  if (result.ok) {
    const perSlot = result.spec.memory.taskHeap.bytes / slots;
    if (perSlot < MIN_TASK_HEAP_PER_SLOT / 2n) {
      notes.push(
        `task heap is only ${formatHumanReadable(perSlot)} per slot: a larger container or fewer slots leaves operators more room`,
      );
    }
  }
  return { settings: s, notes, result };
}

/**
 * Managed memory by workload: the heap state backend in streaming uses none (state lives on the
 * JVM heap); RocksDB/ForSt and batch operators live off it, so they get as large a share as leaves
 * every slot a workable task heap.
 */
function chooseManaged(request: PlanRequest, s: Settings, slots: bigint, notes: string[]): void {
  if (request.mode === 'streaming' && request.stateBackend === 'hashmap') {
    s.set(TM.managedSize, '0', 'HashMapStateBackend keeps state on the JVM heap: streaming jobs leave managed memory unused, so it goes to task heap');
    return;
  }
  const consumer = request.mode === 'batch' ? 'batch operators (sort, hash join, hash aggregation)' : `${request.stateBackend === 'forst' ? 'ForSt' : 'RocksDB'} (block cache and write buffers)`;
  const candidates = request.mode === 'batch' ? ['0.5', '0.4'] : ['0.6', '0.5', '0.4'];
  for (const fraction of candidates) {
    s.set(TM.managedFraction, fraction, '');
    const result = derivedTm(s.config(), request.version);
    if (result.ok && result.spec.memory.taskHeap.bytes / slots >= MIN_TASK_HEAP_PER_SLOT) {
      s.set(
        TM.managedFraction,
        fraction,
        `${consumer} use managed memory; ${fraction} of Total Flink Memory is the largest share (of ${candidates.join(', ')}) that leaves every slot at least ${configSize(MIN_TASK_HEAP_PER_SLOT)} of task heap`,
      );
      return;
    }
  }
  s.set(TM.managedFraction, '0.4', `${consumer} use managed memory; Flink's default share 0.4, since no larger one leaves each slot ${configSize(MIN_TASK_HEAP_PER_SLOT)} of task heap`);
  notes.push(`even at the default managed fraction 0.4 a slot gets less than ${configSize(MIN_TASK_HEAP_PER_SLOT)} of task heap`);
}

function fixNetwork(s: Settings, bytes: bigint, rationale: string): void {
  s.set(TM.networkMin, configSize(bytes), rationale);
  s.set(TM.networkMax, configSize(bytes), 'min = max fixes network memory at exactly this size');
}

/** Raises network memory to the job's need when the default share is too small. */
function ensureNetwork(request: PlanRequest, s: Settings, spec: TaskManagerSpec, notes: string[]): DerivationResult<TaskManagerSpec> | undefined {
  const need = request.networkNeed!;
  const have = spec.memory.network.bytes;
  if (have >= need.bytes) {
    notes.push(`network memory ${formatHumanReadable(have)} covers the job's ${formatHumanReadable(need.bytes)} (${need.why})`);
    return undefined;
  }
  if (s.isUserSet(TM.networkMin)) {
    notes.push(`network memory ${formatHumanReadable(have)} is below the job's ${formatHumanReadable(need.bytes)} (${need.why}), but you fixed ${TM.networkMin}`);
    return undefined;
  }
  const min = roundUpToMiB(need.bytes);
  s.set(TM.networkMin, configSize(min), `the job needs ${formatHumanReadable(need.bytes)} of network buffers per TaskManager (${need.why}); the default share gives only ${formatHumanReadable(have)}`);
  const raised = derivedTm(s.config(), request.version);
  if (!raised.ok && s.set(TM.networkMax, configSize(min), 'the network maximum must not be below the new minimum')) {
    return derivedTm(s.config(), request.version);
  }
  return raised;
}

function reverseTaskManager(request: PlanRequest): TaskManagerPlan {
  const { components } = request;
  if (components.taskHeap === undefined) {
    throw new PlanError('MISSING_INPUT', 'give --memory SIZE (the container size), or --task-heap SIZE (with --managed SIZE) to size the container from its parts');
  }
  const needsManaged = !(request.mode === 'streaming' && request.stateBackend === 'hashmap');
  const userManaged = Object.hasOwn(request.userSettings, TM.managedSize);
  if (components.managed === undefined && needsManaged && !userManaged) {
    throw new PlanError('MISSING_INPUT', `--managed SIZE is needed with --task-heap for ${request.mode === 'batch' ? 'batch jobs' : `the ${request.stateBackend} state backend`}, which use managed memory`);
  }
  const s = new Settings(request.userSettings);
  const notes: string[] = [];
  if (request.slots !== undefined) s.set(TM.slots, String(request.slots), `${request.slots} slot(s) share this TaskManager's memory`);
  s.set(TM.stateBackend, request.stateBackend, 'the state backend this plan is sized for');
  s.set(TM.taskHeap, configSize(components.taskHeap), 'the task heap you asked for');
  if (components.managed !== undefined) s.set(TM.managedSize, configSize(components.managed), 'the managed memory you asked for');
  else s.set(TM.managedSize, '0', 'HashMapStateBackend in streaming uses no managed memory');
  if (components.taskOffHeap !== undefined) s.set(TM.taskOffHeap, configSize(components.taskOffHeap), 'the task off-heap you asked for');
  if (components.network !== undefined) fixNetwork(s, components.network, 'the network memory you asked for');
  let result = derivedTm(s.config(), request.version);
  if (result.ok && request.networkNeed !== undefined && components.network === undefined) {
    result = ensureNetwork(request, s, result.spec, notes) ?? result;
  }
  if (!result.ok) throw new PlanError('REJECTED', result.error.message);
  return { process: 'taskmanager', request, ...withProcessSize(request, s, notes, result.spec, TM.process, derivedTm) };
}

/**
 * Reverse sizing ends by writing the derived total back as the process size, so that a container
 * request (or a Kubernetes operator that sets it from the pod) agrees with the parts. Flink checks
 * that the two agree; the model confirms it before the plan is returned.
 */
function withProcessSize<S extends TaskManagerSpec | JobManagerSpec>(
  request: PlanRequest,
  s: Settings,
  notes: string[],
  spec: S,
  key: string,
  derive: (config: FlatConfig, version: FlinkVersionBehaviour) => DerivationResult<S>,
): { settings: PlannedSetting[]; config: FlatConfig; spec: S; notes: string[] } {
  const exact = spec.memory.totalProcessMemory.bytes;
  // Containers are requested in whole MiB; the spare bytes go to JVM overhead when its range allows.
  const rounded = roundUpToMiB(exact);
  s.set(key, configSize(rounded), `the parts add up to ${formatHumanReadable(exact)}: request a container of ${configSize(rounded)}`);
  let checked = derive(s.config(), request.version);
  if (!checked.ok && rounded !== exact) {
    s.set(key, configSize(exact), `the total these parts add up to: request a container of ${formatHumanReadable(exact)}`);
    checked = derive(s.config(), request.version);
  }
  const total = exact;
  if (!checked.ok) {
    s.remove(key);
    notes.push(`request a container of ${formatHumanReadable(total)} (the process size is left out: ${checked.error.message})`);
  }
  return { settings: s.snapshot(), config: s.config(), spec: checked.ok ? checked.spec : spec, notes };
}

// ---------------------------------------------------------------------------------------------
// JobManager

function planJobManager(request: PlanRequest): JobManagerPlan {
  const s = new Settings(request.userSettings);
  const notes: string[] = [];
  const { components } = request;
  if (components.offHeap !== undefined) s.set(JM.offHeap, configSize(components.offHeap), 'the off-heap memory you asked for');
  if (request.processMemory === undefined) {
    if (components.jvmHeap === undefined) {
      throw new PlanError('MISSING_INPUT', 'give --memory SIZE (the container size), or --jvm-heap SIZE to size the JobManager container from its heap');
    }
    s.set(JM.heap, configSize(components.jvmHeap), 'the JVM heap you asked for');
    const result = deriveJobManagerMemory(s.config(), request.version);
    if (!result.ok) throw new PlanError('REJECTED', result.error.message);
    return { process: 'jobmanager', request, ...withProcessSize(request, s, notes, result.spec, JM.process, deriveJobManagerMemory) };
  }
  const processMemory = request.processMemory;
  const build = (size: bigint) => {
    const attempt = new Settings(request.userSettings);
    for (const setting of s.list) if (setting.origin === 'plan') attempt.set(setting.key, setting.value, setting.rationale);
    attempt.set(JM.process, configSize(size), 'the container size: Flink divides exactly this among the JobManager components');
    if (components.jvmHeap !== undefined) attempt.set(JM.heap, configSize(components.jvmHeap), 'the JVM heap you asked for');
    return { attempt, result: deriveJobManagerMemory(attempt.config(), request.version) };
  };
  const { attempt, result } = build(processMemory);
  if (!result.ok) {
    const smallest = smallestAccepted((size) => build(size).result.ok, processMemory);
    if (smallest === undefined) throw new PlanError('REJECTED', result.error.message);
    throw new PlanError(
      'TOO_SMALL',
      `a JobManager of ${formatHumanReadable(processMemory)} cannot hold Flink's fixed parts (${result.error.message}); ` +
        `the smallest process size Flink accepts is ${configSize(smallest)} (--memory ${configSize(smallest)})`,
      smallest,
    );
  }
  notes.push('the JobManager heap holds the job graph, checkpoint metadata and the REST/web frontend; off-heap, metaspace and overhead keep their defaults');
  return { process: 'jobmanager', request, settings: attempt.snapshot(), config: attempt.config(), spec: result.spec, notes };
}

/**
 * The smallest whole number of MiB that Flink accepts, by bisection: acceptance grows with the
 * size (every fixed part and minimum stays, every fraction only grows).
 */
function smallestAccepted(accepts: (size: bigint) => boolean, rejected: bigint): bigint | undefined {
  let low = rejected / MiB; // rejected (in MiB, rounded down)
  let high = low * 2n + 64n;
  while (!accepts(high * MiB)) {
    low = high;
    high *= 2n;
    if (high * MiB > SEARCH_LIMIT) return undefined;
  }
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (accepts(mid * MiB)) high = mid;
    else low = mid;
  }
  return high * MiB;
}

/** A user's `-D taskmanager.numberOfTaskSlots`, for per-slot figures only (Flink itself checks it). */
function slotsFrom(value: string | undefined): number {
  const n = Number(value ?? '1');
  return Number.isInteger(n) && n > 0 ? n : 1;
}
