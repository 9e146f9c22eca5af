/** What every command parses the same way: its arguments, --flink-version, --format, colour. */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseJobPlan, PlanError, type JobPlan } from '../plan/job-plan.js';
import type { FlinkError } from '../memory/errors.js';
import { parseMemorySize } from '../memory/memory-size.js';
import { DEFAULT_FLINK_VERSION, resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import type { FlinkDeploymentInfo } from '../config/flink-deployment.js';
import { UsageError } from './io.js';

/** `parseArgs` in strict mode, with its complaint turned into one usage line naming the command. */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>, const P extends boolean = false>(
  command: string,
  argv: readonly string[],
  options: O,
  allowPositionals?: P,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: P; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: (allowPositionals ?? false) as P, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** `--flink-version`: any release number a user types, mapped to its line; absent means the newest. */
export function flinkVersionArg(command: string, text: string | undefined): FlinkVersionBehaviour {
  if (text === undefined) return DEFAULT_FLINK_VERSION;
  try {
    return resolveFlinkVersion(text);
  } catch (e) {
    throw new UsageError(`${command}: ${(e as FlinkError).message}`);
  }
}

/** One of a fixed set of values (a format, a process kind), or a usage error listing them. */
export function choiceArg<const T extends string>(command: string, option: string, text: string | undefined, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${command}: unknown --${option} '${text}' (expected ${allowed.join(', ')})`);
  return text as T;
}

/** --color / --no-color; undefined leaves it to the terminal (and NO_COLOR). */
export function colorArg(values: { readonly color?: boolean | undefined; readonly 'no-color'?: boolean | undefined }): boolean | undefined {
  if (values['no-color'] === true) return false;
  return values.color === true ? true : undefined;
}

/**
 * --container: Kubernetes binary quantities (`4Gi`, `1.5Gi`) as Kubernetes counts them, anything
 * else in Flink's syntax (`4096m`, `4g`, `4 gb`, bytes), where m/g are MiB/GiB as in Flink and
 * YARN. Decimal SI (`4G` meaning 4e9) is deliberately read the Flink way: container sizes Flink
 * and YARN print are binary.
 */
export async function containerSizeArg(command: string, text: string): Promise<bigint> {
  let bytes: bigint | undefined;
  if (/^\s*[0-9]+(?:\.[0-9]+)?\s*[KMGTPE]i\s*$/.test(text)) {
    // Loaded on demand: the manifest module pulls in the YAML parser.
    const { kubernetesQuantityBytes } = await import('../config/flink-deployment.js');
    bytes = kubernetesQuantityBytes(text.replace(/\s+/g, ''));
  } else {
    try {
      bytes = parseMemorySize(text);
    } catch {
      bytes = undefined;
    }
  }
  if (bytes === undefined || bytes <= 0n) {
    throw new UsageError(`${command}: --container '${text}' is not a memory size above zero (examples: 4Gi, 4096m, 4g, 4294967296)`);
  }
  return bytes;
}

/** A job's execution plan file (`--plan`), read and parsed, or one usage line naming the file. */
export async function readJobPlanArg(command: string, path: string): Promise<JobPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${command}: cannot read plan '${path}'${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : ` (${code ?? (e as Error).message})`}`);
  }
  try {
    return parseJobPlan(text, path);
  } catch (e) {
    if (e instanceof PlanError) throw new UsageError(`${command}: ${e.message}`);
    throw e;
  }
}

/**
 * The rules a FlinkDeployment's `spec.flinkVersion` names (`v1_20`; the operator refuses `v1.20`, which the
 * loader warns about, but it still says which line is meant). A version this tool does not model is a usage
 * error naming the file and line, as for --flink-version.
 */
export function manifestFlinkVersion(command: string, deployment: FlinkDeploymentInfo): FlinkVersionBehaviour {
  const v = deployment.flinkVersion!;
  const where = `${deployment.file}:${v.line}: spec.flinkVersion ${v.value}`;
  const loose = /^v?(\d+)[._](\d+)$/.exec(v.value.trim());
  const release = v.release ?? (loose === null ? undefined : `${Number(loose[1])}.${Number(loose[2])}`);
  if (release === undefined) throw new UsageError(`${command}: ${where} is not a Flink version (v1_20, v2_1, ...); pass --flink-version`);
  try {
    return resolveFlinkVersion(release);
  } catch (e) {
    throw new UsageError(`${command}: ${where}: ${(e as FlinkError).message} Pass --flink-version to choose the rules to apply.`);
  }
}
