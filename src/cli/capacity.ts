/** `flink-memory capacity`: TaskManagers per node, slots, largest parallelism and memory left, from node resources. Thin. */
import { toFlatMap } from '../config/flat-map.js';
import { FlinkError } from '../memory/errors.js';
import { deriveJobManagerMemory } from '../memory/jobmanager.js';
import { parseMemorySize } from '../memory/memory-size.js';
import type { ProcessKind } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { CapacityInputError, planCapacity, type ClusterResources } from '../plan/capacity.js';
import { capacityJson } from '../report/capacity-json.js';
import { renderCapacityText } from '../report/capacity-text.js';
import { failureJson, stringifyJson } from '../report/json.js';
import { flinkVersionArg, parseCommandArgs } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';
import { loadCommandConfig } from './rocksdb.js';

const HELP = `Usage: flink-memory capacity --node-memory SIZE --node-cores N [options]

Derives the TaskManager and JobManager process sizes from the configuration exactly as Flink
does, then fits them onto identical nodes: TaskManagers per node, total slots, the largest
parallelism that fits, and the memory left for other services. With --yarn-min-allocation,
containers are sized as on YARN (whole MiB, rounded up to a multiple of the minimum allocation).

Options:
      --node-memory SIZE          memory of one node (e.g. 64g)
      --node-cores N              CPU cores (vcores) of one node
      --nodes K                   number of identical nodes (default 1)
      --reserved SIZE             memory per node kept for the OS and other services (default 0);
                                  on YARN, node memory - reserved = yarn.nodemanager.resource.memory-mb
      --yarn-min-allocation SIZE  yarn.scheduler.minimum-allocation-mb (YARN's default is 1024m)
      --yarn-max-allocation SIZE  yarn.scheduler.maximum-allocation-mb (checked when given)
      --ignore-cores              count memory only (YARN's DefaultResourceCalculator)
      --no-jobmanager             the JobManager does not run on these nodes
  -c, --config FILE|DIR           Flink configuration (default: Flink's shipped defaults)
  -D key=value                    override an option (repeatable)
  -V, --flink-version V           Flink release whose rules apply (default: 2.x)
  -f, --format FORMAT             text (default) or json
  -h, --help                      show this help

Exit codes: 0 it fits, 1 Flink would reject a process or nothing fits, 2 usage or input errors.
`;

export async function runCapacity(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'capacity',
    argv,
    {
      'node-memory': { type: 'string' },
      'node-cores': { type: 'string' },
      nodes: { type: 'string' },
      reserved: { type: 'string' },
      'yarn-min-allocation': { type: 'string' },
      'yarn-max-allocation': { type: 'string' },
      'ignore-cores': { type: 'boolean' },
      'no-jobmanager': { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      D: { type: 'string', short: 'D', multiple: true },
      'flink-version': { type: 'string', short: 'V' },
      format: { type: 'string', short: 'f' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  if (v.help === true) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`capacity: unknown --format '${format}' (expected text or json)`);
  const version = flinkVersionArg('capacity', v['flink-version']);
  if (v['node-memory'] === undefined) throw new UsageError('capacity: --node-memory SIZE is required (e.g. --node-memory 64g)');
  if (v['node-cores'] === undefined) throw new UsageError('capacity: --node-cores N is required (e.g. --node-cores 16)');
  const minAllocation = v['yarn-min-allocation'] === undefined ? undefined : size('--yarn-min-allocation', v['yarn-min-allocation']);
  const maxAllocation = v['yarn-max-allocation'] === undefined ? undefined : size('--yarn-max-allocation', v['yarn-max-allocation']);
  if (maxAllocation !== undefined && minAllocation === undefined) {
    throw new UsageError('capacity: --yarn-max-allocation needs --yarn-min-allocation (YARN mode)');
  }
  const resources: ClusterResources = {
    nodeMemory: size('--node-memory', v['node-memory']),
    nodeCores: count('--node-cores', v['node-cores']),
    nodes: v.nodes === undefined ? 1 : count('--nodes', v.nodes),
    reserved: v.reserved === undefined ? 0n : size('--reserved', v.reserved),
    ignoreCores: v['ignore-cores'] === true,
    ...(minAllocation === undefined ? {} : { yarn: { minAllocation, ...(maxAllocation === undefined ? {} : { maxAllocation }) } }),
  };

  const loaded = await loadCommandConfig(v.config, v.D ?? []);
  const values = toFlatMap(loaded);
  const configWarnings = loaded.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`);
  const tm = deriveTaskManagerMemory(values, version);
  if (!tm.ok) return rejected(io, format, 'taskmanager', tm.flinkVersion, tm.error, tm.notes);
  let jm;
  if (v['no-jobmanager'] !== true) {
    const derived = deriveJobManagerMemory(values, version);
    if (!derived.ok) return rejected(io, format, 'jobmanager', derived.flinkVersion, derived.error, derived.notes);
    jm = derived.spec;
  }
  let plan;
  try {
    plan = planCapacity(resources, tm.spec, jm, values);
  } catch (e) {
    if (e instanceof CapacityInputError) throw new UsageError(`capacity: ${e.message}`);
    throw e;
  }
  if (format === 'json') io.stdout(`${stringifyJson({ ...capacityJson(plan, version.line), configWarnings })}\n`);
  else io.stdout(renderCapacityText(plan, { columns: io.columns, flinkVersion: version.line, configWarnings }));
  return plan.findings.some((f) => f.severity === 'error') ? EXIT_REJECTED : EXIT_OK;
}

function size(flag: string, text: string): bigint {
  try {
    return parseMemorySize(text);
  } catch (e) {
    if (e instanceof FlinkError) throw new UsageError(`capacity: ${flag} '${text}': ${e.message}`);
    throw e;
  }
}

function count(flag: string, text: string): number {
  if (!/^\d{1,9}$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`capacity: ${flag} must be a whole number >= 1, was '${text}'`);
  return Number(text);
}

function rejected(io: CliIo, format: string, process: ProcessKind, flinkVersion: string, error: FlinkError, notes: readonly string[]): number {
  if (format === 'json') {
    io.stdout(`${stringifyJson(failureJson(process, flinkVersion, error, notes))}\n`);
  } else {
    const causes = error.causes().map((c) => `\n  caused by ${c.error}: ${c.message}`).join('');
    io.stdout(`Flink ${flinkVersion} rejects the ${process === 'taskmanager' ? 'TaskManager' : 'JobManager'} configuration: ${error.error}: ${error.message}${causes}\n`);
  }
  return EXIT_REJECTED;
}
