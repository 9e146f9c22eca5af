/** `flink-memory explain`: load a configuration, derive one process, render it. Thin by design. */
// Individual modules rather than the config index, so the YAML parser loads only for a YAML file.
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { toFlatMap } from '../config/flat-map.js';
import { loadConfigFile } from '../config/load.js';
// Type-only: the manifest module (and the YAML parser it needs) is imported only for a manifest.
import type { FlinkDeploymentInfo, LoadedDeploymentConfig } from '../config/flink-deployment.js';
import type { LoadedConfig } from '../config/types.js';
import { usesYarn, yarnContainerFor, yarnSchedulerSettings, YARN_MIN_ALLOCATION_KEY } from '../config/yarn.js';
import { parseJavaDouble } from '../memory/java/java-numbers.js';
import { deriveProcessMemory } from '../memory/derive.js';
import type { DerivationResult, ProcessKind } from '../memory/spec.js';
import { resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import { flinkMemoryText } from '../report/flink-deployment-patch.js';
import { formatSize } from '../report/format.js';
import { explainJsonWithExtras, stringifyJson, type ContainerJson, type DeploymentJson, type ExplainWarning } from '../report/json.js';
import { renderExplainText } from '../report/text.js';
import { colorArg, containerSizeArg, flinkVersionArg, manifestFlinkVersion, parseCommandArgs } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory explain [options]

Derives every memory component of a TaskManager or JobManager exactly as Flink does.

Options:
  -c, --config FILE|DIR     flink-conf.yaml, config.yaml, a directory holding one, a
                            FlinkDeployment manifest (Flink Kubernetes Operator) or a
                            ConfigMap holding config.yaml / flink-conf.yaml
                            (default: Flink's shipped defaults, process sizes 1728m / 1600m)
  -D key=value              override an option (repeatable, wins over the file)
  -p, --process KIND        taskmanager (default) or jobmanager
  -f, --format FORMAT       text (default), json, jvm-args, dynamic-configs
  -V, --flink-version V     Flink release whose rules apply (default: a manifest's
                            spec.flinkVersion, else newest, 2.x);
                            e.g. 2.1, 2.0, 1.20, 1.20.4, 1.19, 1.18, 1.17, 1.16
      --container SIZE      the pod or container memory limit (4Gi, 4096m, 4g, bytes):
                            warn when the process does not fit it or leaves much unused
      --color / --no-color  force colour on or off (default: on for a terminal, off with NO_COLOR)
      --debug               print stack traces of internal errors
  -h, --help                show this help
`;

const FORMATS = ['text', 'json', 'jvm-args', 'dynamic-configs'] as const;
type Format = (typeof FORMATS)[number];

export interface ExplainOptions {
  readonly config: string | undefined;
  readonly dynamic: readonly string[];
  readonly process: ProcessKind;
  readonly format: Format;
  readonly version: FlinkVersionBehaviour;
  /** --flink-version was given; otherwise a manifest's spec.flinkVersion may choose the line. */
  readonly versionExplicit: boolean;
  /** --container as given; read by `containerLimit`. */
  readonly container: string | undefined;
  readonly color: boolean | undefined;
}

/** `-Dkey=value` and `-D key=value` both work, as with Flink's own scripts. */
export function parseExplainArgs(argv: readonly string[]): ExplainOptions | 'help' {
  const parsed = parseCommandArgs(
    'explain',
    argv,
    {
      config: { type: 'string', short: 'c' },
      D: { type: 'string', short: 'D', multiple: true },
      process: { type: 'string', short: 'p' },
      format: { type: 'string', short: 'f' },
      'flink-version': { type: 'string', short: 'V' },
      container: { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  if (v.help === true) return 'help';
  const process = v.process ?? 'taskmanager';
  if (process !== 'taskmanager' && process !== 'jobmanager') {
    throw new UsageError(`explain: unknown --process '${process}' (expected taskmanager or jobmanager)`);
  }
  const format = v.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`explain: unknown --format '${format}' (expected ${FORMATS.join(', ')})`);
  }
  const version = flinkVersionArg('explain', v['flink-version']);
  return {
    config: v.config,
    dynamic: v.D ?? [],
    process,
    format: format as Format,
    version,
    versionExplicit: v['flink-version'] !== undefined,
    container: v.container,
    color: colorArg(v),
  };
}

/** Only the file (and -D) count when --config is given; otherwise Flink's shipped defaults. */
export async function loadExplainConfig(options: Pick<ExplainOptions, 'config' | 'dynamic'> & Partial<ExplainOptions>): Promise<LoadedConfig> {
  const base = options.config === undefined ? shippedDefaultConfig() : await loadConfigFile(options.config);
  return applyDynamicProperties(base, options.dynamic);
}


export async function runExplain(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseExplainArgs(argv);
  if (options === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const container = options.container === undefined ? undefined : await containerSizeArg('explain', options.container);
  const loaded = await loadExplainConfig(options);
  const deployment = deploymentOf(loaded);
  const version = options.versionExplicit || deployment?.flinkVersion === undefined ? options.version : manifestFlinkVersion('explain', deployment);
  let values = toFlatMap(loaded);
  if (deployment?.mode === 'native' && options.process === 'taskmanager') values = await withNativeKubernetesCpu(values);
  const result = deriveProcessMemory(options.process, values, version);
  const warnings = loaded.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`);
  const placement = await placementChecks(options, result, values, deployment, container);

  switch (options.format) {
    case 'json':
      io.stdout(
        `${stringifyJson(
          explainJsonWithExtras(result, {
            configWarnings: warnings,
            warnings: placement.warnings,
            ...(placement.container === undefined ? {} : { container: placement.container }),
            ...(deployment === undefined ? {} : { deployment: deploymentJson(deployment) }),
          }),
        )}\n`,
      );
      break;
    case 'jvm-args':
      if (result.ok) io.stdout(`${result.spec.jvmParams}\n`);
      break;
    case 'dynamic-configs':
      if (result.ok) io.stdout(`${result.spec.dynamicConfigs}\n`);
      break;
    case 'text':
      io.stdout(renderExplainText(result, { color: options.color ?? io.color, columns: io.columns, source: loaded, warnings }));
      break;
  }
  if (options.format !== 'json') for (const w of placement.warnings) io.stderr(`flink-memory: warning: ${w.message}\n`);
  if (!result.ok) {
    if (options.format !== 'text' && options.format !== 'json') io.stderr(`flink-memory: ${result.error.message}\n`);
    return EXIT_REJECTED;
  }
  return EXIT_OK;
}

// --- where the process runs: manifests, --container, YARN ------------------------------------

function deploymentOf(config: LoadedConfig): FlinkDeploymentInfo | undefined {
  return (config as Partial<LoadedDeploymentConfig>).deployment;
}

/** The Flink line a manifest names; a version this tool does not model is a usage error. */

async function withNativeKubernetesCpu(values: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> {
  const { nativeKubernetesTaskManagerCpu } = await import('../config/flink-deployment.js');
  const cores = nativeKubernetesTaskManagerCpu(values);
  return cores === undefined ? values : { ...values, 'taskmanager.cpu.cores': cores };
}


interface Placement {
  readonly warnings: ExplainWarning[];
  readonly container?: ContainerJson;
}

async function placementChecks(
  options: ExplainOptions,
  result: DerivationResult,
  values: Readonly<Record<string, string>>,
  deployment: FlinkDeploymentInfo | undefined,
  container: bigint | undefined,
): Promise<Placement> {
  const warnings: ExplainWarning[] = [];
  if (deployment?.flinkVersion !== undefined && options.versionExplicit) {
    const own = deployment.flinkVersion;
    let manifestLine: string | undefined;
    try {
      manifestLine = own.release === undefined ? undefined : resolveFlinkVersion(own.release).line;
    } catch {
      manifestLine = undefined;
    }
    if (manifestLine !== options.version.line) {
      warnings.push({
        code: 'flink-version-overridden',
        message: `${deployment.file}:${own.line}: spec.flinkVersion ${own.value} is overridden by --flink-version: the rules of Flink ${options.version.line} apply`,
      });
    }
  }
  if (!result.ok) return { warnings };
  const total = result.spec.memory.totalProcessMemory.bytes;
  const key = `${options.process}.memory.process.size`;

  if (container !== undefined) {
    warnings.push(...fitWarnings(total, container, { what: 'the container limit given with --container' }, key, true));
    if (deployment !== undefined) warnings.push(...(await podChecks(options.process, total, values, deployment)).warnings);
    return { warnings, container: { source: 'option', limitBytes: container.toString() } };
  }
  if (deployment !== undefined) {
    const pod = await podChecks(options.process, total, values, deployment);
    return { warnings: [...warnings, ...pod.warnings], ...(pod.container === undefined ? {} : { container: pod.container }) };
  }
  if (usesYarn(values)) {
    const yarn = yarnContainerFor(total, yarnSchedulerSettings(values));
    const who = options.process === 'taskmanager' ? 'TaskManagers' : 'JobManager';
    if (yarn.exceedsMaximum) {
      warnings.push({
        code: 'yarn-maximum-exceeded',
        message: `Flink refuses to deploy on YARN: the ${who} ask for ${yarn.requestedMb} MB, more than the maximum allocation of ${yarn.settings.maxAllocationMb} MB (yarn.scheduler.maximum-allocation-mb${sourceNote(yarn.settings.maxSource)}); lower ${key} or raise the maximum`,
      });
    } else {
      const why = `Flink asks for ${yarn.requestedMb} MB and YARN rounds that up to a multiple of ${YARN_MIN_ALLOCATION_KEY}, ${yarn.settings.minAllocationMb}${sourceNote(yarn.settings.minSource)}`;
      warnings.push(...fitWarnings(total, yarn.allocatedBytes, { what: 'the YARN container', why }, key, true));
    }
    return { warnings, container: { source: 'yarn', limitBytes: yarn.allocatedBytes.toString(), requestBytes: (yarn.requestedMb * 1024n * 1024n).toString() } };
  }
  return { warnings };
}

/** The pod Flink creates for a manifest's process, and the pod template values it replaces. */
async function podChecks(process: ProcessKind, total: bigint, values: Readonly<Record<string, string>>, deployment: FlinkDeploymentInfo): Promise<Placement> {
  const { kubernetesPodMemory, memoryLimitFactorKey } = await import('../config/flink-deployment.js');
  const factorKey = memoryLimitFactorKey(process);
  const factorText = values[factorKey] ?? '1.0';
  let factor: number;
  try {
    factor = parseJavaDouble(factorText);
  } catch {
    factor = Number.NaN;
  }
  if (!(factor >= 1)) {
    return { warnings: [{ code: 'limit-factor-invalid', message: `Flink refuses to create the pod: ${factorKey} is '${factorText}' and should be greater or equal to 1` }] };
  }
  const pod = kubernetesPodMemory(total, factor);
  const mi = (bytes: bigint): string => `${bytes / (1024n * 1024n)}Mi`;
  const why = `Flink sets it to the process size in whole MiB, ${mi(pod.requestBytes)}, times ${factorKey}, ${factorText}`;
  // A limit factor above 1 leaves room over the process on purpose: only a process too large is worth a word.
  const warnings = fitWarnings(total, pod.limitBytes, { what: 'the pod memory limit', why }, `${process}.memory.process.size`, false);
  const resources = process === 'taskmanager' ? deployment.taskManager : deployment.jobManager;
  for (const [template, actual, what] of [
    [resources.podTemplateMemoryLimit, pod.limitBytes, 'limit'],
    [resources.podTemplateMemoryRequest, pod.requestBytes, 'request'],
  ] as const) {
    if (template === undefined || template.bytes === actual) continue;
    warnings.push({
      code: 'pod-template-memory-replaced',
      message: `${deployment.file}:${template.line}: ${template.field} '${template.text}' does not take effect: Flink sets the memory ${what} of ${'flink-main-container'} to ${mi(actual)} from the process size; size the pod with ${process === 'taskmanager' ? 'spec.taskManager' : 'spec.jobManager'}.resource.memory instead`,
    });
  }
  return { warnings, container: { source: 'kubernetes', limitBytes: pod.limitBytes.toString(), requestBytes: pod.requestBytes.toString() } };
}

/**
 * Whether a process of `total` bytes fits a container of `limit` bytes: larger is killed once it
 * uses its whole budget; 10% or more left over is memory paid for and never used.
 */
function fitWarnings(total: bigint, limit: bigint, container: { readonly what: string; readonly why?: string }, key: string, checkUnused: boolean): ExplainWarning[] {
  const size = (bytes: bigint): string => `${formatSize(bytes)} (${bytes} bytes)`;
  const why = container.why === undefined ? '' : ` (${container.why})`;
  if (total > limit) {
    return [
      {
        code: 'container-exceeded',
        message: `Total Process Memory ${size(total)} exceeds ${container.what} of ${size(limit)} by ${size(total - limit)}${why}: the container is killed (OOMKilled) once the process uses its whole budget. Set ${key} to at most ${flinkMemoryText(limit)}, or raise the limit`,
      },
    ];
  }
  const unused = limit - total;
  if (checkUnused && unused * 10n >= limit) {
    const share = Number((unused * 1000n) / limit) / 10;
    return [
      {
        code: 'container-underused',
        message: `${capitalize(container.what)} of ${size(limit)} leaves ${size(unused)}, ${share.toFixed(1)}%, unused${why}: Total Process Memory is ${size(total)}. Set ${key} to ${flinkMemoryText(limit)} to give it all to Flink`,
      },
    ];
  }
  return [];
}

function sourceNote(source: string): string {
  return source === 'default' ? ", Hadoop's default" : `, from ${source}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function deploymentJson(d: FlinkDeploymentInfo): DeploymentJson {
  return {
    kind: 'FlinkDeployment',
    file: d.file,
    line: d.line,
    ...(d.name === undefined ? {} : { name: d.name }),
    ...(d.namespace === undefined ? {} : { namespace: d.namespace }),
    ...(d.flinkVersion === undefined ? {} : { flinkVersion: d.flinkVersion.value }),
    mode: d.mode,
    ...(d.taskManager.replicas === undefined ? {} : { taskManagerReplicas: d.taskManager.replicas.value }),
    ...(d.jobManager.replicas === undefined ? {} : { jobManagerReplicas: d.jobManager.replicas.value }),
  };
}
