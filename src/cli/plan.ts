/** `flink-memory plan`: from a container size and a workload to a configuration Flink accepts. */
import { parseDynamicProperty } from '../config/dynamic-properties.js';
import { parseMemorySize } from '../memory/memory-size.js';
import { PlanError, plan, type ComponentRequest, type ExecutionMode, type NetworkNeed, type Plan, type PlanRequest, type StateBackend, type TaskManagerPlan } from '../plan/plan.js';
import { formatSize } from '../report/format.js';
import { PlanError as JobPlanError, linearJobPlan, tasksFromPlan } from '../plan/job-plan.js';
import { checkNetworkRequirement } from '../plan/network-requirement.js';
import { renderRocksDbText } from '../report/rocksdb-text.js';
import { tryRocksDbMemoryPerSlot } from '../plan/rocksdb-memory.js';
import { renderPlanDynamic, renderPlanFlinkConf, renderPlanFlinkDeployment, renderPlanJson, renderPlanText, renderPlanYaml } from '../report/plan.js';
import { choiceArg, colorArg, flinkVersionArg, parseCommandArgs, readJobPlanArg } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory plan --memory SIZE [options]
       flink-memory plan --task-heap SIZE [--managed SIZE] [options]   (reverse sizing)

Plans a TaskManager or JobManager configuration that Flink accepts, tuned to the workload, and
explains every setting. Every figure comes from the exact model.

Options:
  -m, --memory SIZE         total process memory: the container or pod size (e.g. 4g, 4096m)
  -p, --process KIND        taskmanager (default) or jobmanager
      --state-backend B     hashmap (default), rocksdb or forst
      --mode M              streaming (default) or batch
  -s, --slots N             task slots per TaskManager
      --parallelism P       job parallelism: network buffers are sized for it
      --plan FILE           the job's execution plan JSON: network buffers are sized for it
  Reverse sizing (the container size follows from the parts):
      --task-heap SIZE      task heap        --managed SIZE       managed memory
      --network SIZE        network memory   --task-off-heap SIZE task off-heap
      --jvm-heap SIZE       JobManager heap  --off-heap SIZE      JobManager off-heap
  -D key=value              an option you want kept as is (repeatable)
  -f, --format FORMAT       text (default), yaml (config.yaml), flink-conf, dynamic (-D flags), json,
                            flinkdeployment (a merge patch for the Flink Kubernetes Operator)
      --name NAME           metadata.name of the FlinkDeployment to patch
  -V, --flink-version V     Flink release whose rules apply (default: newest, 2.x)
      --color / --no-color  force colour on or off
  -h, --help                show this help
`;

const FORMATS = ['text', 'yaml', 'flink-conf', 'dynamic', 'json', 'flinkdeployment'] as const;
type Format = (typeof FORMATS)[number];

export interface PlanOptions {
  readonly request: PlanRequest;
  readonly format: Format;
  readonly color: boolean | undefined;
  readonly jobPlanFile: string | undefined;
  readonly parallelism: number | undefined;
  readonly deploymentName: string | undefined;
}

function sizeArg(name: string, value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  try {
    return parseMemorySize(value);
  } catch (e) {
    throw new UsageError(`plan: --${name} '${value}' is not a memory size: ${(e as Error).message}`);
  }
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 2147483647) {
    throw new UsageError(`plan: --${name} must be a whole number of at least 1 (got '${value}')`);
  }
  return Number(value);
}


export function parsePlanArgs(argv: readonly string[]): PlanOptions | 'help' {
  const parsed = parseCommandArgs(
    'plan',
    argv,
    {
      memory: { type: 'string', short: 'm' },
      process: { type: 'string', short: 'p' },
      'state-backend': { type: 'string' },
      mode: { type: 'string' },
      slots: { type: 'string', short: 's' },
      parallelism: { type: 'string' },
      plan: { type: 'string' },
      'task-heap': { type: 'string' },
      managed: { type: 'string' },
      network: { type: 'string' },
      'task-off-heap': { type: 'string' },
      'jvm-heap': { type: 'string' },
      'off-heap': { type: 'string' },
      D: { type: 'string', short: 'D', multiple: true },
      format: { type: 'string', short: 'f' },
      name: { type: 'string' },
      'flink-version': { type: 'string', short: 'V' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  if (v.help === true) return 'help';
  const version = flinkVersionArg('plan', v['flink-version']);
  const userSettings: Record<string, string> = {};
  for (const [index, text] of (v.D ?? []).entries()) {
    const property = parseDynamicProperty(text, index);
    userSettings[property.key] = property.value;
  }
  const components: ComponentRequest = {
    taskHeap: sizeArg('task-heap', v['task-heap']),
    managed: sizeArg('managed', v.managed),
    network: sizeArg('network', v.network),
    taskOffHeap: sizeArg('task-off-heap', v['task-off-heap']),
    jvmHeap: sizeArg('jvm-heap', v['jvm-heap']),
    offHeap: sizeArg('off-heap', v['off-heap']),
  };
  const request: PlanRequest = {
    process: choiceArg('plan', 'process', v.process, ['taskmanager', 'jobmanager'] as const, 'taskmanager'),
    version,
    processMemory: sizeArg('memory', v.memory),
    stateBackend: choiceArg<StateBackend>('plan', 'state-backend', v['state-backend'], ['hashmap', 'rocksdb', 'forst'], 'hashmap'),
    mode: choiceArg<ExecutionMode>('plan', 'mode', v.mode, ['streaming', 'batch'], 'streaming'),
    slots: positiveInt('slots', v.slots),
    components,
    userSettings,
  };
  if (v.slots !== undefined && v.slots.trim() === '0') throw new UsageError('plan: --slots must be at least 1: a TaskManager without slots runs nothing');
  return {
    request,
    format: choiceArg('plan', 'format', v.format, FORMATS, 'text'),
    color: colorArg(v),
    jobPlanFile: v.plan,
    parallelism: positiveInt('parallelism', v.parallelism),
    deploymentName: v.name,
  };
}

/**
 * The network memory the job needs on the worst-case TaskManager (the buffers its tasks cannot
 * start without), from the plan file or from the parallelism of a job with one shuffle.
 */
async function networkNeedOf(options: PlanOptions): Promise<NetworkNeed | undefined> {
  const r = options.request;
  if (options.jobPlanFile === undefined && options.parallelism === undefined) return undefined;
  const job = options.jobPlanFile !== undefined ? await readJobPlanArg('plan', options.jobPlanFile) : linearJobPlan(options.parallelism!, 1);
  const defaults = { runtimeMode: r.mode === 'batch' ? 'BATCH' : 'STREAMING', batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' } as const;
  let tasks;
  try {
    tasks = tasksFromPlan(job, defaults);
  } catch (e) {
    if (e instanceof JobPlanError) throw new UsageError(`plan: ${options.jobPlanFile ?? 'the job'}: ${e.message}`);
    throw e;
  }
  const slots = r.slots ?? 1;
  const checked = checkNetworkRequirement(r.userSettings, tasks, slots, r.version);
  if (!checked.ok) throw new UsageError(`plan: the job's network buffers cannot be computed: ${checked.error.message}`);
  const need = checked.requirement;
  const source = options.jobPlanFile !== undefined ? `the plan in ${options.jobPlanFile}` : `parallelism ${options.parallelism} with one shuffle`;
  return {
    bytes: need.requiredBytes,
    why: `${need.requiredBuffers} buffers of ${need.segmentSize} bytes for ${slots} slot(s) running ${source}`,
  };
}

/** What the planned managed memory means for RocksDB/ForSt per slot, from the same derivation. */
function rocksDbSection(result: TaskManagerPlan, columns: number): string[] {
  const backend = result.request.stateBackend === 'forst' ? 'forst' : 'rocksdb';
  const rocks = tryRocksDbMemoryPerSlot(result.spec, result.config, result.request.version, { backend });
  return rocks.ok ? [renderRocksDbText(result.spec, rocks.plan, { columns })] : [`RocksDB: ${rocks.error.message}`];
}

function describe(options: PlanOptions): string {
  const r = options.request;
  const parts: string[] = [r.processMemory === undefined ? 'sized from its parts' : `${formatSize(r.processMemory)} container`];
  if (r.process === 'taskmanager') {
    parts.push(r.stateBackend, r.mode);
    if (r.slots !== undefined) parts.push(`${r.slots} slot${r.slots === 1 ? '' : 's'}`);
    if (options.parallelism !== undefined) parts.push(`parallelism ${options.parallelism}`);
  }
  return parts.join(', ');
}

export async function runPlan(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parsePlanArgs(argv);
  if (options === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const networkNeed = options.request.process === 'taskmanager' ? await networkNeedOf(options) : undefined;
  let result: Plan;
  try {
    result = plan({ ...options.request, networkNeed });
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    if (e.code === 'MISSING_INPUT') throw new UsageError(`plan: ${e.message}`);
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ ok: false, error: e.code, message: e.message, ...(e.smallestWorkable === undefined ? {} : { smallestWorkable: e.smallestWorkable.toString() }) }, null, 2)}\n`);
    }
    io.stderr(`flink-memory: plan: ${e.message}\n`);
    return EXIT_REJECTED;
  }
  switch (options.format) {
    case 'yaml':
      io.stdout(renderPlanYaml(result));
      break;
    case 'flink-conf':
      io.stdout(renderPlanFlinkConf(result));
      break;
    case 'dynamic':
      io.stdout(renderPlanDynamic(result));
      break;
    case 'json':
      io.stdout(renderPlanJson(result));
      break;
    case 'flinkdeployment':
      io.stdout(renderPlanFlinkDeployment(result, options.deploymentName));
      break;
    case 'text': {
      const sections = result.process === 'taskmanager' && result.request.stateBackend !== 'hashmap' ? rocksDbSection(result, io.columns) : [];
      io.stdout(renderPlanText(result, { color: options.color ?? io.color, columns: io.columns, title: describe(options), sections }));
      break;
    }
  }
  return EXIT_OK;
}
