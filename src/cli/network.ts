/** `flink-memory network`: network buffers of a task, or of a TaskManager running a job. Thin by design. */
import { parseArgs } from 'node:util';
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { toFlatMap } from '../config/flat-map.js';
import { loadConfigFile } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import type { FlatConfig } from '../memory/configuration.js';
import type { FlinkError } from '../memory/errors.js';
import { DEFAULT_FLINK_VERSION, resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import {
  linearJobPlan,
  parseRuntimeMode,
  PlanError,
  tasksFromPlan,
  type JobPlan,
} from '../plan/job-plan.js';
import {
  BATCH_SHUFFLE_MODES,
  computeTaskNetwork,
  isResultPartitionType,
  RESULT_PARTITION_TYPES,
  type GateInput,
  type PartitionOutput,
  type ResultPartitionType,
} from '../plan/network-buffers.js';
import { checkNetworkRequirement, type TaskSpec } from '../plan/network-requirement.js';
import { failureJson, stringifyNetworkJson, taskManagerJson, toNetworkJson, type NetworkJson } from '../report/network-json.js';
import { renderFailureText, renderRequirementText, renderTaskText } from '../report/network-text.js';
import { readJobPlanArg } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory network [options]

Network buffers exactly as Flink counts them: for one task (its input gates and result
partitions), or for the worst-case TaskManager running a job, checked against the network memory
the TaskManager's configuration gives it ("Insufficient number of network buffers" before deployment).

One task:
      --gate CHANNELS:TYPE[:REUSE]     an input gate (repeatable); REUSE = times the data set is read
      --partition SUBPARTITIONS:TYPE   a result partition (repeatable)
                                       TYPE: ${RESULT_PARTITION_TYPES.join(', ')}
A TaskManager:
      --plan FILE          the job's execution plan: getExecutionPlan() JSON, or the REST API's
                           /jobs/:id/plan or /jobs/:id body
      --parallelism P      or a job of this parallelism: source, --shuffles all-to-all exchanges (default 1)
      --slots N            slots per TaskManager (default: taskmanager.numberOfTaskSlots); with
                           --gate/--partition, a TaskManager running N such tasks
Common:
  -c, --config FILE|DIR    flink-conf.yaml, config.yaml, or a directory holding one; without it,
                           options not given with -D have Flink's defaults
  -D key=value             set an option (repeatable, wins over the file)
  -V, --flink-version V    Flink release whose rules apply: 2.x (default) or 1.20 (1.17-1.19 use 1.20's)
  -f, --format FORMAT      text (default) or json
      --debug              print stack traces of internal errors
  -h, --help               show this help

Exit codes: 0 fine, 1 Flink would reject the configuration or the TaskManager would lack buffers,
2 usage or input errors.
`;

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface NetworkOptions {
  readonly config: string | undefined;
  readonly dynamic: readonly string[];
  readonly format: Format;
  readonly version: FlinkVersionBehaviour;
  readonly gates: readonly GateInput[];
  readonly partitions: readonly PartitionOutput[];
  readonly plan: string | undefined;
  readonly parallelism: number | undefined;
  readonly shuffles: number | undefined;
  readonly slots: number | undefined;
  readonly notes: readonly string[];
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** A Java int as typed on the command line (Flink's own checks then judge its value). */
function parseIntArg(text: string, what: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UsageError(`network: ${what}: '${text}' is not a whole number`);
  const value = Number(text.trim());
  if (value < INT_MIN || value > INT_MAX) throw new UsageError(`network: ${what}: ${text} is outside Java's int range`);
  return value;
}

function parsePositive(text: string, option: string): number {
  const value = /^\+?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > INT_MAX) {
    throw new UsageError(`network: ${option} must be a positive whole number (got '${text}')`);
  }
  return value;
}

function parseType(text: string, arg: string): ResultPartitionType {
  const upper = text.trim().toUpperCase().replace(/-/g, '_');
  if (isResultPartitionType(upper)) return upper;
  throw new UsageError(`network: ${arg}: unknown partition type '${text}' (expected one of ${RESULT_PARTITION_TYPES.join(', ')})`);
}

function parseGate(text: string): GateInput {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) throw new UsageError(`network: --gate '${text}': expected CHANNELS:TYPE or CHANNELS:TYPE:REUSE`);
  const channels = parseIntArg(parts[0]!, `--gate '${text}' channels`);
  const partitionType = parseType(parts[1]!, `--gate '${text}'`);
  if (parts.length === 2) return { channels, partitionType };
  return { channels, partitionType, reuseCount: parseIntArg(parts[2]!, `--gate '${text}' reuse count`) };
}

function parsePartition(text: string): PartitionOutput {
  const parts = text.split(':');
  if (parts.length !== 2) throw new UsageError(`network: --partition '${text}': expected SUBPARTITIONS:TYPE`);
  return { subpartitions: parseIntArg(parts[0]!, `--partition '${text}' subpartitions`), partitionType: parseType(parts[1]!, `--partition '${text}'`) };
}

/** Only 2.x and 1.20 were checked against Flink's code; 1.17-1.19 share 1.20's network stack rules. */
function networkVersion(text: string | undefined): { version: FlinkVersionBehaviour; notes: string[] } {
  if (text === undefined) return { version: DEFAULT_FLINK_VERSION, notes: [] };
  let version: FlinkVersionBehaviour;
  try {
    version = resolveFlinkVersion(text);
  } catch (e) {
    throw new UsageError(`network: ${(e as FlinkError).message}`);
  }
  if (version.line === '2.x' || version.line === '1.20') return { version, notes: [] };
  if (version.line === '1.16') {
    throw new UsageError(`network: Flink 1.16 is not supported by this command (its input gates predate the required-buffers cap); use 1.17 or later`);
  }
  return { version, notes: [`Flink ${version.line} is computed with the rules of 1.20 (checked against Flink's own code for 1.20 and 2.x).`] };
}

/** `--gate -1:BLOCKING` is a negative count for Flink to judge, not an option: keep it as the value. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if ((arg === '--gate' || arg === '--partition') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseNetworkArgs(argv: readonly string[]): NetworkOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      options: {
        config: { type: 'string', short: 'c' },
        D: { type: 'string', short: 'D', multiple: true },
        format: { type: 'string', short: 'f' },
        'flink-version': { type: 'string', short: 'V' },
        gate: { type: 'string', multiple: true },
        partition: { type: 'string', multiple: true },
        plan: { type: 'string' },
        parallelism: { type: 'string', short: 'p' },
        shuffles: { type: 'string' },
        slots: { type: 'string', short: 's' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`network: ${(e as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  if (v.help === true) return 'help';
  const format = v.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`network: unknown --format '${format}' (expected ${FORMATS.join(', ')})`);
  const { version, notes } = networkVersion(v['flink-version']);
  const gates = (v.gate ?? []).map(parseGate);
  const partitions = (v.partition ?? []).map(parsePartition);
  if (v.plan !== undefined && v.parallelism !== undefined) throw new UsageError('network: give either --plan or --parallelism, not both');
  if ((v.plan !== undefined || v.parallelism !== undefined) && gates.length + partitions.length > 0) {
    throw new UsageError('network: --gate/--partition describe one task; they do not combine with --plan or --parallelism');
  }
  if (v.shuffles !== undefined && v.parallelism === undefined) throw new UsageError('network: --shuffles goes with --parallelism');
  return {
    config: v.config,
    dynamic: v.D ?? [],
    format: format as Format,
    version,
    gates,
    partitions,
    plan: v.plan,
    parallelism: v.parallelism === undefined ? undefined : parsePositive(v.parallelism, '--parallelism'),
    shuffles: v.shuffles === undefined ? undefined : parsePositive(v.shuffles, '--shuffles'),
    slots: v.slots === undefined ? undefined : parsePositive(v.slots, '--slots'),
    notes,
  };
}

const emptyConfig = (): LoadedConfig => ({ entries: new Map(), warnings: [] });


export async function runNetwork(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseNetworkArgs(argv);
  if (options === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const file = options.config === undefined ? emptyConfig() : await loadConfigFile(options.config);
  const loaded = applyDynamicProperties(file, options.dynamic);
  const values = toFlatMap(loaded);
  for (const note of options.notes) io.stderr(`flink-memory: note: ${note}\n`);

  const taskManagerMode = options.plan !== undefined || options.parallelism !== undefined || options.slots !== undefined;
  if (!taskManagerMode) return perTask(options, values, io);
  return perTaskManager(options, values, io);
}

/** The per-task figure: exactly the vectors' contract in JSON. */
function perTask(options: NetworkOptions, values: FlatConfig, io: CliIo): number {
  const result = computeTaskNetwork(values, options.gates, options.partitions, options.version);
  if (options.format === 'json') io.stdout(`${stringifyNetworkJson(toNetworkJson(result))}\n`);
  else io.stdout(renderTaskText(result, options.version.line));
  return result.ok ? EXIT_OK : EXIT_REJECTED;
}

async function perTaskManager(options: NetworkOptions, values: FlatConfig, io: CliIo): Promise<number> {
  const notes: string[] = [];
  let plan: JobPlan | undefined;
  let tasks: TaskSpec[];
  const defaults = exchangeDefaults(values, notes);
  if (options.plan !== undefined) {
    plan = await readJobPlanArg('network', options.plan);
    try {
      tasks = tasksFromPlan(plan, defaults);
    } catch (e) {
      if (e instanceof PlanError) throw new UsageError(`network: ${options.plan}: ${e.message}`);
      throw e;
    }
  } else if (options.parallelism !== undefined) {
    plan = linearJobPlan(options.parallelism, options.shuffles ?? 1);
    tasks = tasksFromPlan(plan, defaults);
  } else {
    tasks = [{ vertex: 'task', name: 'the task of --gate/--partition', parallelism: INT_MAX, slotSharingGroup: 'default', inputs: options.gates, outputs: options.partitions }];
  }
  const slots = options.slots ?? configuredSlots(values);

  // Sizing the TaskManager needs memory options; without a file, Flink's shipped ones (like `explain`).
  const tmValues = options.config === undefined ? toFlatMap(applyDynamicProperties(shippedDefaultConfig(), options.dynamic)) : values;
  if (options.config === undefined) notes.push("TaskManager memory: Flink's shipped configuration (process size 1728m) plus -D; give --config for your own.");

  const checked = checkNetworkRequirement(values, tasks, slots, options.version, tmValues);
  if (!checked.ok) {
    if (options.format === 'json') io.stdout(`${JSON.stringify(failureJson(checked.error), null, 2)}\n`);
    else io.stdout(renderFailureText(checked.error, options.version.line));
    return EXIT_REJECTED;
  }
  const r = checked.requirement;
  const verdictBad = !r.configured.ok || r.configured.insufficient;
  if (options.format === 'json') {
    const tm = { ...taskManagerJson(r), notes: [...notes, ...r.notes] };
    let json: NetworkJson | Record<string, unknown>;
    if (plan === undefined) {
      json = { ...toNetworkJson(computeTaskNetwork(values, options.gates, options.partitions, options.version)), taskManager: tm };
    } else {
      json = {
        ok: true,
        plan: { shape: plan.shape, name: plan.name ?? null, vertices: plan.vertices.length, chainedEdges: plan.chained },
        taskManager: tm,
      };
    }
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout(renderRequirementText(r, { flinkVersion: options.version.line, plan, planSource: options.plan, notes }));
  }
  return verdictBad ? EXIT_REJECTED : EXIT_OK;
}

function configuredSlots(values: FlatConfig): number {
  const raw = values['taskmanager.numberOfTaskSlots'];
  if (raw === undefined) return 1;
  return parsePositive(raw, 'taskmanager.numberOfTaskSlots');
}

/** Exchanges the plan does not type follow the job's runtime mode (and, for batch, the shuffle mode). */
function exchangeDefaults(values: FlatConfig, notes: string[]): { runtimeMode: 'STREAMING' | 'BATCH' | 'AUTOMATIC'; batchShuffleMode: (typeof BATCH_SHUFFLE_MODES)[number] } {
  let runtimeMode;
  try {
    runtimeMode = parseRuntimeMode(values['execution.runtime-mode']) ?? 'STREAMING';
  } catch (e) {
    throw new UsageError(`network: ${(e as Error).message}`);
  }
  if (runtimeMode === 'AUTOMATIC') notes.push('execution.runtime-mode AUTOMATIC: exchanges without a type in the plan are taken as streaming (PIPELINED_BOUNDED).');
  const raw = values['execution.batch-shuffle-mode']?.toUpperCase();
  const batchShuffleMode = BATCH_SHUFFLE_MODES.find((m) => m === raw) ?? 'ALL_EXCHANGES_BLOCKING';
  return { runtimeMode, batchShuffleMode };
}
