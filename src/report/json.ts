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
