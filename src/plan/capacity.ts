/**
 * Capacity: how many TaskManagers of a derived size fit on a set of identical nodes, how many
 * slots and how much parallelism that gives, and what memory stays for everything else.
 *
 * The calculation of the seed documents (YARN): per node, what the NodeManager may hand out
 * (`yarn.nodemanager.resource.memory-mb` = node memory - memory reserved for the OS and other
 * services such as HBase), divided by the container one TaskManager takes; the node that also
 * runs the JobManager loses its container first. Slots = TaskManagers x slots per TaskManager, and
 * with slot sharing a job's largest parallelism is the number of slots.
 *
 * On YARN a container is not the process size: Flink asks for the process size in whole MiB
 * (MemorySize.getMebiBytes, rounded down) and normalizes it up to a multiple of
 * `yarn.scheduler.minimum-allocation-mb` (WorkerSpecContainerResourceAdapter), as the YARN
 * scheduler does too; vcores are the TaskManager's CPU cores rounded up to a whole number (at
 * least 1), then to a multiple of the minimum vcores. Without YARN a container is exactly the
 * process size and its cores.
 *
 * Pure: no I/O.
 */
import type { FlatConfig } from '../memory/configuration.js';
import { JavaNumberFormatError, parseJavaInt } from '../memory/java/java-numbers.js';
import type { JobManagerSpec, TaskManagerSpec } from '../memory/spec.js';

const MiB = 1024n * 1024n;

export interface YarnScheduler {
  /** yarn.scheduler.minimum-allocation-mb, in bytes (a whole number of MiB). */
  readonly minAllocation: bigint;
  /** yarn.scheduler.maximum-allocation-mb, in bytes; requests above it are refused. */
  readonly maxAllocation?: bigint;
  /** yarn.scheduler.minimum-allocation-vcores (default 1). */
  readonly minVcores?: number;
}

export interface ClusterResources {
  /** Memory of one node. */
  readonly nodeMemory: bigint;
  /** CPU cores (vcores) of one node. */
  readonly nodeCores: number;
  /** Number of identical nodes (default 1). */
  readonly nodes?: number;
  /** Memory per node kept for the OS and other services, never given to containers (default 0). */
  readonly reserved?: bigint;
  /** Present: containers are sized and rounded the way YARN does. */
  readonly yarn?: YarnScheduler;
  /** Count memory only, as YARN's DefaultResourceCalculator (the CapacityScheduler default) does. */
  readonly ignoreCores?: boolean;
}

export interface ContainerSize {
  /** Total process memory of the Flink process. */
  readonly processMemory: bigint;
  /** What Flink requests (YARN: whole MiB, rounded down). */
  readonly requestedMemory: bigint;
  /** What the container really takes on the node. */
  readonly containerMemory: bigint;
  /** containerMemory - processMemory: given to the container but not used by Flink (negative: the process may outgrow its container). */
  readonly unusedMemory: bigint;
  /** CPU cores the container takes. */
  readonly cores: number;
}

export interface NodeGroup {
  /** 'jobmanager': the node that also runs the JobManager. */
  readonly kind: 'jobmanager' | 'taskmanagers';
  /** How many nodes look like this. */
  readonly count: number;
  readonly taskManagers: number;
  readonly byMemory: number;
  readonly byCores: number;
  readonly limitedBy: 'memory' | 'cores';
  /** Container memory of the NodeManager in use (TaskManagers, and the JobManager on its node). */
  readonly memoryUsed: bigint;
  /** Container memory of the NodeManager left unallocated. */
  readonly memoryFree: bigint;
  readonly coresUsed: number;
  readonly coresFree: number;
  /** reserved + memoryFree: what other services can use on such a node. */
  readonly memoryForOthers: bigint;
}

export interface CapacityFinding {
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly message: string;
}

export interface CapacityPlan {
  readonly nodes: number;
  readonly nodeMemory: bigint;
  readonly reserved: bigint;
  /** What containers may use per node (yarn.nodemanager.resource.memory-mb). */
  readonly nodeContainerMemory: bigint;
  readonly nodeCores: number;
  readonly yarn: boolean;
  readonly taskManager: ContainerSize;
  readonly slotsPerTaskManager: number;
  readonly jobManager: ContainerSize | undefined;
  readonly groups: readonly NodeGroup[];
  readonly taskManagers: number;
  readonly slots: number;
  /** With slot sharing (Flink's default), the most parallel subtasks one job can run at once. */
  readonly maxParallelism: number;
  /** Sum over nodes of memoryForOthers. */
  readonly memoryForOthers: bigint;
  /**
   * The largest TaskManager process size (whole allocation units) that keeps the same number of
   * TaskManagers on every node; undefined when the current size is already that large.
   */
  readonly fillingProcessSize: bigint | undefined;
  readonly findings: readonly CapacityFinding[];
}

/** Thrown for resources that cannot describe a cluster (the CLI reports it as a usage error). */
export class CapacityInputError extends Error {}

/**
 * Plans TaskManagers onto nodes. `jobManager` undefined: no JobManager runs on these nodes.
 * `values` is the Flink configuration, read for `yarn.containers.vcores` and
 * `yarn.appmaster.vcores` (YARN only).
 */
export function planCapacity(
  resources: ClusterResources,
  taskManager: TaskManagerSpec,
  jobManager: JobManagerSpec | undefined,
  values: FlatConfig = {},
): CapacityPlan {
  const nodes = resources.nodes ?? 1;
  const reserved = resources.reserved ?? 0n;
  const yarn = resources.yarn;
  check(Number.isInteger(nodes) && nodes >= 1, `the number of nodes must be a whole number >= 1, was ${nodes}`);
  check(Number.isInteger(resources.nodeCores) && resources.nodeCores >= 1, `node cores must be a whole number >= 1, was ${resources.nodeCores}`);
  check(resources.nodeMemory > 0n, 'node memory must be more than 0');
  check(reserved >= 0n, 'reserved memory cannot be negative');
  check(reserved < resources.nodeMemory, `reserved memory (${reserved} bytes) leaves nothing of the node's ${resources.nodeMemory} bytes`);
  if (yarn !== undefined) {
    check(yarn.minAllocation > 0n && yarn.minAllocation % MiB === 0n, 'the YARN minimum allocation must be a whole number of MiB, more than 0');
    check(yarn.maxAllocation === undefined || yarn.maxAllocation >= yarn.minAllocation, 'the YARN maximum allocation cannot be below the minimum');
  }

  // The NodeManager advertises whole MB.
  const free = resources.nodeMemory - reserved;
  const nodeContainerMemory = yarn === undefined ? free : (free / MiB) * MiB;
  const findings: CapacityFinding[] = [];
  const tm = containerOf('TaskManager', taskManager.memory.totalProcessMemory.bytes, taskManagerCores(taskManager, values, yarn), yarn, findings);
  const jm = jobManager === undefined ? undefined : containerOf('JobManager', jobManager.memory.totalProcessMemory.bytes, jobManagerCores(values, yarn), yarn, findings);

  const fit = (memory: bigint, cores: number): Omit<NodeGroup, 'kind' | 'count' | 'memoryForOthers'> => {
    const byMemory = tm.containerMemory > 0n ? Number(clampNonNegative(memory) / tm.containerMemory) : Number.MAX_SAFE_INTEGER;
    const byCores = tm.cores > 0 ? Number(scaled(Math.max(cores, 0)) / scaled(tm.cores)) : Number.MAX_SAFE_INTEGER;
    const count = resources.ignoreCores === true ? byMemory : Math.min(byMemory, byCores);
    return {
      taskManagers: count,
      byMemory,
      byCores,
      limitedBy: resources.ignoreCores === true || byMemory <= byCores ? 'memory' : 'cores',
      memoryUsed: BigInt(count) * tm.containerMemory,
      memoryFree: memory - BigInt(count) * tm.containerMemory,
      coresUsed: count * tm.cores,
      coresFree: cores - count * tm.cores,
    };
  };

  const groups: NodeGroup[] = [];
  const group = (kind: NodeGroup['kind'], count: number, g: ReturnType<typeof fit>, jmMemory: bigint, jmCores: number): void => {
    const memoryUsed = g.memoryUsed + jmMemory;
    groups.push({ kind, count, ...g, memoryUsed, coresUsed: round8(g.coresUsed + jmCores), coresFree: round8(g.coresFree), memoryForOthers: reserved + g.memoryFree });
  };
  if (jm !== undefined) {
    const jmFits = jm.containerMemory <= nodeContainerMemory && (resources.ignoreCores === true || jm.cores <= resources.nodeCores);
    if (!jmFits) {
      findings.push({
        severity: 'error',
        code: 'jobmanager-does-not-fit',
        message: `The JobManager's container (${jm.containerMemory} bytes, ${jm.cores} core(s)) does not fit on a node (${nodeContainerMemory} bytes, ${resources.nodeCores} cores for containers).`,
      });
      group('taskmanagers', nodes, fit(nodeContainerMemory, resources.nodeCores), 0n, 0);
    } else {
      group('jobmanager', 1, fit(nodeContainerMemory - jm.containerMemory, resources.nodeCores - jm.cores), jm.containerMemory, jm.cores);
      if (nodes > 1) group('taskmanagers', nodes - 1, fit(nodeContainerMemory, resources.nodeCores), 0n, 0);
    }
  } else {
    group('taskmanagers', nodes, fit(nodeContainerMemory, resources.nodeCores), 0n, 0);
  }

  const taskManagers = groups.reduce((sum, g) => sum + g.count * g.taskManagers, 0);
  const slots = taskManagers * taskManager.numSlots;
  const memoryForOthers = groups.reduce((sum, g) => sum + BigInt(g.count) * g.memoryForOthers, 0n);

  if (tm.containerMemory > nodeContainerMemory) {
    findings.push({
      severity: 'error',
      code: 'taskmanager-does-not-fit',
      message: `A TaskManager container (${tm.containerMemory} bytes) is larger than what a node gives to containers (${nodeContainerMemory} bytes): no TaskManager can start.`,
    });
  } else if (taskManagers === 0) {
    findings.push({ severity: 'error', code: 'no-taskmanager', message: 'No TaskManager fits next to the JobManager and within the node cores.' });
  }
  const limitedByCores = groups.filter((g) => g.limitedBy === 'cores' && g.byMemory > g.byCores);
  if (limitedByCores.length > 0) {
    const extra = limitedByCores.reduce((sum, g) => sum + g.count * (g.byMemory - g.byCores), 0);
    findings.push({
      severity: 'info',
      code: 'cores-limit',
      message:
        `Cores, not memory, limit the count: memory alone would fit ${extra} more TaskManager(s). YARN's DefaultResourceCalculator ` +
        `(the CapacityScheduler default) ignores vcores and would place them (--ignore-cores).`,
    });
  }

  return {
    nodes,
    nodeMemory: resources.nodeMemory,
    reserved,
    nodeContainerMemory,
    nodeCores: resources.nodeCores,
    yarn: yarn !== undefined,
    taskManager: tm,
    slotsPerTaskManager: taskManager.numSlots,
    jobManager: jm,
    groups,
    taskManagers,
    slots,
    maxParallelism: slots,
    memoryForOthers,
    fillingProcessSize: fillingSize(groups, tm, yarn),
    findings,
  };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new CapacityInputError(message);
}

const clampNonNegative = (b: bigint): bigint => (b < 0n ? 0n : b);

/** Flink keeps at most 8 decimals of a CPU amount, so counting in 1e-8 cores is exact. */
const scaled = (cores: number): bigint => BigInt(Math.round(cores * 1e8));
const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;

function containerOf(
  name: 'TaskManager' | 'JobManager',
  processMemory: bigint,
  cores: number,
  yarn: YarnScheduler | undefined,
  findings: CapacityFinding[],
): ContainerSize {
  if (yarn === undefined) {
    return { processMemory, requestedMemory: processMemory, containerMemory: processMemory, unusedMemory: 0n, cores };
  }
  const minMb = yarn.minAllocation / MiB;
  const requestedMb = processMemory >> 20n;
  let normalizedMb = ((requestedMb + minMb - 1n) / minMb) * minMb;
  if (normalizedMb <= 0n) normalizedMb = minMb;
  const containerMemory = normalizedMb * MiB;
  if (requestedMb !== normalizedMb) {
    // Flink's own INFO line (YarnClusterDescriptor), word for word.
    findings.push({
      severity: 'info',
      code: `${name.toLowerCase()}-rounded`,
      message:
        `The configured ${name} memory is ${requestedMb} MB. YARN will allocate ${normalizedMb} MB to make up an integer multiple ` +
        `of its minimum allocation memory (${minMb} MB, configured via 'yarn.scheduler.minimum-allocation-mb'). The extra ` +
        `${normalizedMb - requestedMb} MB may not be used by Flink.`,
    });
  }
  if (containerMemory < processMemory) {
    findings.push({
      severity: 'warning',
      code: `${name.toLowerCase()}-container-too-small`,
      message:
        `The ${name} process may use ${processMemory} bytes, but Flink requests whole MiB (${requestedMb} MB) and the container ` +
        `is ${containerMemory} bytes: ${processMemory - containerMemory} bytes short. Use a process size in whole MiB.`,
    });
  }
  if (yarn.maxAllocation !== undefined) {
    const maxMb = yarn.maxAllocation / MiB;
    // Flink checks the TaskManager's raw request, and the JobManager's after raising it to the minimum.
    const checkedMb = name === 'JobManager' && requestedMb < minMb ? minMb : requestedMb;
    if (checkedMb > maxMb) {
      findings.push({
        severity: 'error',
        code: `${name.toLowerCase()}-above-max-allocation`,
        message:
          `Flink refuses to deploy: "The cluster does not have the requested resources for the ${name === 'TaskManager' ? 'TaskManagers' : 'JobManager'} ` +
          `available! Maximum Memory: ${maxMb}${name === 'TaskManager' ? '' : 'MB'} Requested: ${checkedMb}MB. Please check the ` +
          `'yarn.scheduler.maximum-allocation-mb' and the 'yarn.nodemanager.resource.memory-mb' configuration values"`,
      });
    } else if (normalizedMb > maxMb) {
      findings.push({
        severity: 'error',
        code: `${name.toLowerCase()}-above-max-allocation`,
        message: `The ${name} container (${normalizedMb} MB after rounding) exceeds the YARN maximum allocation (${maxMb} MB): YARN will not allocate it.`,
      });
    }
  }
  const minVcores = yarn.minVcores ?? 1;
  const vcores = Math.max(Math.ceil(cores / minVcores) * minVcores, minVcores);
  return { processMemory, requestedMemory: requestedMb * MiB, containerMemory, unusedMemory: containerMemory - processMemory, cores: vcores };
}

/**
 * The TaskManager's CPU cores as the deployment asks for them. On YARN (YarnWorkerResourceSpecFactory):
 * `taskmanager.cpu.cores` if set, else `yarn.containers.vcores` if positive, else the slots,
 * rounded up to a whole number and at least 1.
 */
function taskManagerCores(spec: TaskManagerSpec, values: FlatConfig, yarn: YarnScheduler | undefined): number {
  if (yarn === undefined) return spec.cpuCores;
  let cores = spec.cpuCores;
  if (!Object.hasOwn(values, 'taskmanager.cpu.cores')) {
    const vcores = intOption(values, 'yarn.containers.vcores', -1);
    if (vcores > 0) cores = vcores;
  }
  return Math.max(Math.ceil(cores), 1);
}

/** yarn.appmaster.vcores on YARN (default 1); one core elsewhere. */
function jobManagerCores(values: FlatConfig, yarn: YarnScheduler | undefined): number {
  return yarn === undefined ? 1 : Math.max(intOption(values, 'yarn.appmaster.vcores', 1), 0);
}

function intOption(values: FlatConfig, key: string, fallback: number): number {
  if (!Object.hasOwn(values, key)) return fallback;
  try {
    return parseJavaInt(values[key]!.trim());
  } catch (e) {
    if (e instanceof JavaNumberFormatError) throw new CapacityInputError(`Could not parse value '${values[key]}' for key '${key}'.`);
    throw e;
  }
}

/**
 * The largest container (whole allocation units) that keeps every node's TaskManager count, so
 * memory idle on the nodes or inside containers goes to Flink; undefined when no larger size exists.
 */
function fillingSize(groups: readonly NodeGroup[], tm: ContainerSize, yarn: YarnScheduler | undefined): bigint | undefined {
  const unit = yarn?.minAllocation ?? MiB;
  let room: bigint | undefined;
  for (const g of groups) {
    if (g.taskManagers === 0) continue;
    const perTaskManager = (BigInt(g.taskManagers) * tm.containerMemory + g.memoryFree) / BigInt(g.taskManagers);
    room = room === undefined || perTaskManager < room ? perTaskManager : room;
  }
  if (room === undefined) return undefined;
  const size = (room / unit) * unit;
  // Compared with the process: on YARN a process smaller than its container wastes the rest.
  return size > tm.processMemory ? size : undefined;
}
