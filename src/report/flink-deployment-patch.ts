/**
 * A FlinkDeployment patch: the planned configuration written the way the Flink Kubernetes
 * Operator takes it, for `kubectl patch flinkdeployment NAME --type merge --patch-file FILE`.
 *
 * - Each process size goes to `spec.<jobManager|taskManager>.resource.memory`, because the
 *   operator overwrites `*.memory.process.size` with it; those two keys are therefore never
 *   written into `flinkConfiguration`.
 * - Every other option goes to `spec.flinkConfiguration` as a flat, quoted string: the one form
 *   every operator version accepts (nested YAML needs operator 1.13+).
 * - Memory is written in Flink's own syntax (`4g`, `1728m`, or bytes), which the operator reads
 *   with Flink's MemorySize first, so the size arrives to the byte; Kubernetes' `Mi`/`Gi` would
 *   take the operator's second path and `1.5Gi`-style values are refused by it.
 * - Keys listed in `remove` are written as `null`, which a merge patch deletes.
 */

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

export interface FlinkDeploymentPatchProcess {
  /** Total Process Memory, exact bytes (the derived `totalProcessMemory` of the plan). */
  readonly processSize: bigint;
  /** CPU cores for `resource.cpu`; left out when undefined. */
  readonly cpu?: number;
  /** `taskManager.replicas`; left out when undefined (TaskManager only). */
  readonly replicas?: number;
}

export interface FlinkDeploymentPatchRequest {
  /** `metadata.name` of the FlinkDeployment; written when given, so the patch names its target. */
  readonly name?: string;
  readonly namespace?: string;
  /** The flat configuration to apply. `taskmanager.memory.process.size` / `jobmanager.memory.process.size` are taken out (see `taskManager` / `jobManager`). */
  readonly config: Readonly<Record<string, string>>;
  readonly taskManager?: FlinkDeploymentPatchProcess;
  readonly jobManager?: FlinkDeploymentPatchProcess;
  /** Options to delete from `flinkConfiguration` (rendered as `key: null`). */
  readonly remove?: readonly string[];
  /** One line per option: why it has this value; written as a comment above it. */
  readonly comments?: Readonly<Record<string, string>>;
  /** Lines for the header comment (the command line that produced the patch, …). */
  readonly header?: readonly string[];
}

const PROCESS_SIZE_KEYS: readonly string[] = ['taskmanager.memory.process.size', 'jobmanager.memory.process.size'];

/**
 * The patch as YAML text (ends with a newline). Without a process entry, a process size found in
 * `config` is still moved to its `resource.memory`, so it cannot be silently overwritten.
 */
export function renderFlinkDeploymentPatch(request: FlinkDeploymentPatchRequest): string {
  const out: string[] = [];
  for (const line of request.header ?? []) out.push(`# ${line}`);
  out.push(`# Apply with: kubectl patch flinkdeployment ${request.name ?? 'NAME'} --type merge --patch-file FILE`);
  out.push('apiVersion: flink.apache.org/v1beta1');
  out.push('kind: FlinkDeployment');
  if (request.name !== undefined || request.namespace !== undefined) {
    out.push('metadata:');
    if (request.name !== undefined) out.push(`  name: ${quote(request.name)}`);
    if (request.namespace !== undefined) out.push(`  namespace: ${quote(request.namespace)}`);
  }
  out.push('spec:');

  const options = Object.entries(request.config).filter(([key]) => !PROCESS_SIZE_KEYS.includes(key));
  const removals = (request.remove ?? []).filter((key) => !(key in request.config));
  if (options.length > 0 || removals.length > 0) {
    out.push('  flinkConfiguration:');
    for (const [key, value] of options) {
      const comment = request.comments?.[key];
      if (comment !== undefined) out.push(`    # ${oneLine(comment)}`);
      out.push(`    ${yamlKey(key)}: ${quote(value)}`);
    }
    for (const key of removals) out.push(`    ${yamlKey(key)}: null`);
  }

  const processes: ReadonlyArray<readonly ['jobManager' | 'taskManager', string, FlinkDeploymentPatchProcess | undefined]> = [
    ['jobManager', 'jobmanager.memory.process.size', request.jobManager],
    ['taskManager', 'taskmanager.memory.process.size', request.taskManager],
  ];
  for (const [field, key, given] of processes) {
    const fromConfig = request.config[key];
    const memory = given !== undefined ? flinkMemoryText(given.processSize) : fromConfig;
    if (memory === undefined && given === undefined) continue;
    out.push(`  ${field}:`);
    if (given?.replicas !== undefined && field === 'taskManager') out.push(`    replicas: ${integer(given.replicas, 'replicas')}`);
    out.push('    resource:');
    const comment = request.comments?.[key];
    if (comment !== undefined) out.push(`      # ${oneLine(comment)}`);
    if (memory !== undefined) out.push(`      memory: ${quote(memory)}`);
    if (given?.cpu !== undefined) out.push(`      cpu: ${cpuText(given.cpu)}`);
  }
  return `${out.join('\n')}\n`;
}

/** A size in Flink's syntax that parses back to the same bytes: `4g`, `1728m`, `512k` or plain bytes. */
export function flinkMemoryText(bytes: bigint): string {
  if (bytes < 0n) throw new RangeError(`a memory size cannot be negative: ${bytes}`);
  if (bytes > 0n && bytes % GiB === 0n) return `${bytes / GiB}g`;
  if (bytes > 0n && bytes % MiB === 0n) return `${bytes / MiB}m`;
  if (bytes > 0n && bytes % 1024n === 0n) return `${bytes / 1024n}k`;
  return `${bytes}`;
}

/** A double-quoted YAML scalar; JSON's escapes are valid YAML, so JSON.stringify does it exactly. */
function quote(value: string): string {
  return JSON.stringify(value);
}

/** Flink keys are plain dotted words; anything else is quoted so YAML reads it back as written. */
function yamlKey(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_.\-/]*$/.test(key) && !/^(?:y|n|yes|no|on|off|true|false|null)$/i.test(key) ? key : quote(key);
}

function cpuText(cpu: number): string {
  if (!Number.isFinite(cpu) || cpu <= 0) throw new RangeError(`cpu must be a positive number, got ${cpu}`);
  return String(cpu);
}

function integer(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be a whole number of at least 1, got ${value}`);
  return String(value);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
