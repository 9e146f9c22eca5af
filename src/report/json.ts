/**
 * The stable JSON contract of `flink-memory explain --format json` (documented in the README).
 * Sizes are decimal strings so that every 64-bit value survives any JSON parser.
 */
import type { FlinkError } from '../memory/errors.js';
import type { Provenance } from '../memory/provenance.js';
import { JOB_MANAGER_COMPONENTS, TASK_MANAGER_COMPONENTS, type DerivationResult } from '../memory/spec.js';

export interface JsonCause {
  readonly error: string;
  readonly message: string;
}

export interface ExplainJsonSuccess {
  readonly ok: true;
  readonly process: 'taskmanager' | 'jobmanager';
  readonly flinkVersion: string;
  readonly mode: string;
  readonly memory: Readonly<Record<string, string>>;
  readonly cpuCores?: number;
  readonly numSlots?: number;
  readonly jvmParams: string;
  readonly dynamicConfigs: string;
  readonly provenance: Readonly<Record<string, JsonProvenance>>;
  readonly notes: readonly string[];
}

export interface ExplainJsonFailure {
  readonly ok: false;
  readonly process: 'taskmanager' | 'jobmanager';
  readonly flinkVersion: string;
  readonly error: string;
  readonly message: string;
  readonly causes: readonly JsonCause[];
  readonly keys: readonly string[];
  readonly notes: readonly string[];
}

export type ExplainJson = ExplainJsonSuccess | ExplainJsonFailure;

/**
 * Something about where the process runs that its configuration alone does not show: the
 * container or pod it must fit, the manifest it came from. `explain` prints these on stderr in
 * text mode and as the JSON `warnings` array.
 */
export interface ExplainWarning {
  readonly code:
    /** Total Process Memory is larger than the container or pod memory limit: the container is killed. */
    | 'container-exceeded'
    /** The container or pod limit leaves 10% or more of it unused by Flink. */
    | 'container-underused'
    /** Flink refuses to deploy on YARN: the request is larger than yarn.scheduler.maximum-allocation-mb. */
    | 'yarn-maximum-exceeded'
    /** A pod template's memory request or limit for flink-main-container that Flink replaces. */
    | 'pod-template-memory-replaced'
    /** kubernetes.<process>.memory.limit-factor is not a number of at least 1: Flink refuses to create the pod. */
    | 'limit-factor-invalid'
    /** --flink-version differs from the manifest's spec.flinkVersion. */
    | 'flink-version-overridden';
  readonly message: string;
}

/** The memory limit the process was compared with (JSON `container`). Sizes are decimal strings of bytes. */
export interface ContainerJson {
  /** `option`: --container; `kubernetes`: the pod limit Flink sets; `yarn`: the container YARN grants. */
  readonly source: 'option' | 'kubernetes' | 'yarn';
  readonly limitBytes: string;
  /** Kubernetes: the pod's memory request; YARN: what Flink asks for (whole MiB). */
  readonly requestBytes?: string;
}

/** The FlinkDeployment a configuration came from (JSON `deployment`). */
export interface DeploymentJson {
  readonly kind: 'FlinkDeployment';
  readonly file: string;
  readonly line: number;
  readonly name?: string;
  readonly namespace?: string;
  /** spec.flinkVersion as written, e.g. `v1_20`. */
  readonly flinkVersion?: string;
  readonly mode: 'native' | 'standalone';
  /** spec.taskManager.replicas / spec.jobManager.replicas when set. */
  readonly taskManagerReplicas?: number;
  readonly jobManagerReplicas?: number;
}

/** Fields `explain --format json` adds after the derivation's own (all additive to the contract). */
export interface ExplainJsonExtras {
  /** Quirks of the configuration file(s), each `file:line: message`. */
  readonly configWarnings: readonly string[];
  readonly warnings: readonly ExplainWarning[];
  readonly container?: ContainerJson;
  readonly deployment?: DeploymentJson;
}

/** The full `explain --format json` object: the derivation, then the extras in a fixed order. */
export function explainJsonWithExtras(result: DerivationResult, extras: ExplainJsonExtras): ExplainJson & ExplainJsonExtras {
  return {
    ...toExplainJson(result),
    configWarnings: extras.configWarnings,
    warnings: extras.warnings,
    ...(extras.container === undefined ? {} : { container: extras.container }),
    ...(extras.deployment === undefined ? {} : { deployment: extras.deployment }),
  };
}

/** Provenance with bigints as decimal strings. */
export type JsonProvenance = { readonly [key: string]: string | number | boolean | readonly string[] | undefined };

export function toExplainJson(result: DerivationResult): ExplainJson {
  if (!result.ok) return failureJson(result.process, result.flinkVersion, result.error, result.notes);
  const spec = result.spec;
  const names: readonly string[] = spec.process === 'taskmanager' ? TASK_MANAGER_COMPONENTS : JOB_MANAGER_COMPONENTS;
  const components = spec.memory as Readonly<Record<string, { bytes: bigint; provenance: Provenance; option: string | undefined }>>;
  const memory: Record<string, string> = {};
  const provenance: Record<string, JsonProvenance> = {};
  for (const name of names) {
    const c = components[name]!;
    memory[name] = c.bytes.toString();
    provenance[name] = { option: c.option, ...provenanceJson(c.provenance) };
  }
  return {
    ok: true,
    process: spec.process,
    flinkVersion: spec.flinkVersion,
    mode: spec.mode,
    memory,
    ...(spec.process === 'taskmanager' ? { cpuCores: spec.cpuCores, numSlots: spec.numSlots } : {}),
    jvmParams: spec.jvmParams,
    dynamicConfigs: spec.dynamicConfigs,
    provenance,
    notes: spec.notes,
  };
}

export function failureJson(
  process: 'taskmanager' | 'jobmanager',
  flinkVersion: string,
  error: FlinkError,
  notes: readonly string[] = [],
): ExplainJsonFailure {
  return {
    ok: false,
    process,
    flinkVersion,
    error: error.error,
    message: error.message,
    causes: error.causes().map((c) => ({ error: c.error, message: c.message })),
    keys: [...new Set([error, ...error.causes()].flatMap((e) => e.keys))],
    notes,
  };
}

function provenanceJson(p: Provenance): JsonProvenance {
  const out: Record<string, string | number | boolean | readonly string[] | undefined> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'bigint' ? v.toString() : (v as string | number | boolean | readonly string[] | undefined);
  return out;
}

/** JSON.stringify that never meets a bigint (all were converted above). */
export const stringifyJson = (value: unknown): string => JSON.stringify(value, null, 2);
