/**
 * The JSON contract of `flink-memory capacity --format json` (documented in the README). Sizes
 * are decimal strings of bytes; cores are numbers.
 */
import type { CapacityPlan, ContainerSize } from '../plan/capacity.js';

export interface ContainerJson {
  readonly processMemory: string;
  readonly requestedMemory: string;
  readonly containerMemory: string;
  readonly unusedMemory: string;
  readonly cores: number;
}

export interface CapacityJson {
  readonly ok: true;
  readonly flinkVersion: string;
  readonly yarn: boolean;
  readonly nodes: number;
  readonly nodeMemory: string;
  readonly reserved: string;
  readonly nodeContainerMemory: string;
  readonly nodeCores: number;
  readonly taskManager: ContainerJson & { readonly slots: number };
  readonly jobManager: ContainerJson | null;
  readonly groups: readonly {
    readonly kind: 'jobmanager' | 'taskmanagers';
    readonly count: number;
    readonly taskManagers: number;
    readonly byMemory: number;
    readonly byCores: number;
    readonly limitedBy: 'memory' | 'cores';
    readonly memoryUsed: string;
    readonly memoryFree: string;
    readonly coresUsed: number;
    readonly coresFree: number;
    readonly memoryForOthers: string;
  }[];
  readonly taskManagers: number;
  readonly slots: number;
  readonly maxParallelism: number;
  readonly memoryForOthers: string;
  readonly fillingProcessSize: string | null;
  readonly findings: readonly { readonly severity: string; readonly code: string; readonly message: string }[];
}

const container = (c: ContainerSize): ContainerJson => ({
  processMemory: c.processMemory.toString(),
  requestedMemory: c.requestedMemory.toString(),
  containerMemory: c.containerMemory.toString(),
  unusedMemory: c.unusedMemory.toString(),
  cores: c.cores,
});

export function capacityJson(plan: CapacityPlan, flinkVersion: string): CapacityJson {
  return {
    ok: true,
    flinkVersion,
    yarn: plan.yarn,
    nodes: plan.nodes,
    nodeMemory: plan.nodeMemory.toString(),
    reserved: plan.reserved.toString(),
    nodeContainerMemory: plan.nodeContainerMemory.toString(),
    nodeCores: plan.nodeCores,
    taskManager: { ...container(plan.taskManager), slots: plan.slotsPerTaskManager },
    jobManager: plan.jobManager === undefined ? null : container(plan.jobManager),
    groups: plan.groups.map((g) => ({
      kind: g.kind,
      count: g.count,
      taskManagers: g.taskManagers,
      byMemory: g.byMemory,
      byCores: g.byCores,
      limitedBy: g.limitedBy,
      memoryUsed: g.memoryUsed.toString(),
      memoryFree: g.memoryFree.toString(),
      coresUsed: g.coresUsed,
      coresFree: g.coresFree,
      memoryForOthers: g.memoryForOthers.toString(),
    })),
    taskManagers: plan.taskManagers,
    slots: plan.slots,
    maxParallelism: plan.maxParallelism,
    memoryForOthers: plan.memoryForOthers.toString(),
    fillingProcessSize: plan.fillingProcessSize?.toString() ?? null,
    findings: plan.findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message })),
  };
}
