/** Value objects returned by the derivation: one per process kind, plus the common result type. */
import type { FlinkError } from './errors.js';
import type { ConfigurationMode } from './process-memory.js';
import type { Provenance } from './provenance.js';

export type ProcessKind = 'taskmanager' | 'jobmanager';

export interface MemoryComponent {
  readonly bytes: bigint;
  /** The option that controls this component, when one does. */
  readonly option: string | undefined;
  readonly provenance: Provenance;
}

export const TASK_MANAGER_COMPONENTS = [
  'frameworkHeap',
  'taskHeap',
  'frameworkOffHeap',
  'taskOffHeap',
  'network',
  'managed',
  'jvmMetaspace',
  'jvmOverhead',
  'totalFlinkMemory',
  'totalProcessMemory',
  'jvmHeap',
  'jvmDirect',
] as const;
export type TaskManagerComponent = (typeof TASK_MANAGER_COMPONENTS)[number];

export const JOB_MANAGER_COMPONENTS = [
  'jvmHeap',
  'offHeap',
  'jvmMetaspace',
  'jvmOverhead',
  'totalFlinkMemory',
  'totalProcessMemory',
] as const;
export type JobManagerComponent = (typeof JOB_MANAGER_COMPONENTS)[number];

export interface ExternalResource {
  readonly name: string;
  readonly amount: bigint;
}

interface SpecBase {
  /** The Flink line whose rules produced this spec ("2.x", "1.20"). */
  readonly flinkVersion: string;
  readonly mode: ConfigurationMode;
  /** `-Xmx… -Xms… [-XX:MaxDirectMemorySize=…] -XX:MaxMetaspaceSize=…`, as Flink's launcher receives it. */
  readonly jvmParams: string;
  /** `-D key=value …`, in Flink's own order. */
  readonly dynamicConfigs: string;
  /** Things a Flink user should know that do not stop Flink (ignored keys, legacy mappings, warnings Flink logs). */
  readonly notes: readonly string[];
}

export interface TaskManagerSpec extends SpecBase {
  readonly process: 'taskmanager';
  readonly memory: { readonly [K in TaskManagerComponent]: MemoryComponent };
  readonly cpuCores: number;
  readonly numSlots: number;
  readonly externalResources: readonly ExternalResource[];
}

export interface JobManagerSpec extends SpecBase {
  readonly process: 'jobmanager';
  readonly memory: { readonly [K in JobManagerComponent]: MemoryComponent };
  readonly jvmDirectMemoryLimit: boolean;
}

export type ProcessSpec = TaskManagerSpec | JobManagerSpec;

export type DerivationResult<S extends ProcessSpec = ProcessSpec> =
  | { readonly ok: true; readonly spec: S }
  | { readonly ok: false; readonly process: ProcessKind; readonly flinkVersion: string; readonly error: FlinkError; readonly notes: readonly string[] };
