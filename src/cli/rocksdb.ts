/** `flink-memory rocksdb`: derive the TaskManager, then show managed memory per slot and RocksDB's share of it. Thin. */
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { toFlatMap } from '../config/flat-map.js';
import { loadConfigFile } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { FlinkError } from '../memory/errors.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { MANAGED_MEMORY_CONSUMERS, type ManagedMemoryConsumer } from '../plan/managed-memory.js';
import { rocksDbMemoryPerSlot, type RocksDbBackend } from '../plan/rocksdb-memory.js';
import { failureJson, stringifyJson } from '../report/json.js';
import { rocksDbJson } from '../report/rocksdb-json.js';
import { renderRocksDbText } from '../report/rocksdb-text.js';
import { flinkVersionArg, parseCommandArgs } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory rocksdb [options]

Derives the TaskManager exactly as Flink does, then shows its managed memory per slot, how the
consumer weights split it, and what RocksDB (or ForSt) gets per slot: block cache, write buffer
manager, high-priority pool for index and filter blocks; with findings on settings that let
RocksDB exceed its budget or make Flink fail.

Options:
  -c, --config FILE|DIR     flink-conf.yaml, config.yaml, or a directory holding one
                            (default: Flink's shipped defaults)
  -D key=value              override an option (repeatable, wins over the file)
  -V, --flink-version V     Flink release whose rules apply (default: 2.x)
  -f, --format FORMAT       text (default) or json
      --consumers LIST      other kinds of managed-memory consumers in a slot besides the state
                            backend: OPERATOR (batch algorithms), PYTHON (e.g. OPERATOR,PYTHON)
      --backend NAME        rocksdb or forst (default: the configured one, else rocksdb)
  -h, --help                show this help

Exit codes: 0 fine (warnings may be printed), 1 Flink would reject the configuration or fail the
state backend, 2 usage or input errors.
`;

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface RocksDbArgs {
  readonly config: string | undefined;
  readonly dynamic: readonly string[];
  readonly version: FlinkVersionBehaviour;
  readonly format: Format;
  readonly consumers: readonly ManagedMemoryConsumer[];
  readonly backend: RocksDbBackend | undefined;
}

function parseRocksDbArgs(argv: readonly string[]): RocksDbArgs | 'help' {
  const parsed = parseCommandArgs(
    'rocksdb',
    argv,
    {
      config: { type: 'string', short: 'c' },
      D: { type: 'string', short: 'D', multiple: true },
      'flink-version': { type: 'string', short: 'V' },
      format: { type: 'string', short: 'f' },
      consumers: { type: 'string' },
      backend: { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  if (v.help === true) return 'help';
  const format = v.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`rocksdb: unknown --format '${format}' (expected text or json)`);
  const version = flinkVersionArg('rocksdb', v['flink-version']);
  const consumers = new Set<ManagedMemoryConsumer>(['STATE_BACKEND']);
  for (const item of (v.consumers ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const upper = item.toUpperCase();
    if (!(MANAGED_MEMORY_CONSUMERS as readonly string[]).includes(upper)) {
      throw new UsageError(`rocksdb: unknown consumer '${item}' in --consumers (expected ${MANAGED_MEMORY_CONSUMERS.join(', ')})`);
    }
    consumers.add(upper as ManagedMemoryConsumer);
  }
  const backend = v.backend?.toLowerCase();
  if (backend !== undefined && backend !== 'rocksdb' && backend !== 'forst') {
    throw new UsageError(`rocksdb: unknown --backend '${v.backend}' (expected rocksdb or forst)`);
  }
  return {
    config: v.config,
    dynamic: v.D ?? [],
    version,
    format: format as Format,
    consumers: MANAGED_MEMORY_CONSUMERS.filter((c) => consumers.has(c)),
    backend,
  };
}

/** Flink reads map values as YAML in 2.x, and in 1.19/1.20 when the file is a config.yaml. */
export function usesStandardYaml(version: FlinkVersionBehaviour, loaded: LoadedConfig): boolean {
  return version.line === '2.x' || (['1.19', '1.20'].includes(version.line) && loaded.format === 'config.yaml');
}

export async function loadCommandConfig(config: string | undefined, dynamic: readonly string[]): Promise<LoadedConfig> {
  const base = config === undefined ? shippedDefaultConfig() : await loadConfigFile(config);
  return applyDynamicProperties(base, dynamic);
}

export async function runRocksDb(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseRocksDbArgs(argv);
  if (args === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const loaded = await loadCommandConfig(args.config, args.dynamic);
  const values = toFlatMap(loaded);
  const configWarnings = loaded.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`);
  const derived = deriveTaskManagerMemory(values, args.version);
  if (!derived.ok) return rejected(io, args.format, derived.flinkVersion, derived.error, derived.notes);
  let plan;
  try {
    plan = rocksDbMemoryPerSlot(derived.spec, values, args.version, {
      consumers: args.consumers,
      standardYaml: usesStandardYaml(args.version, loaded),
      ...(args.backend === undefined ? {} : { backend: args.backend }),
    });
  } catch (e) {
    if (e instanceof FlinkError) return rejected(io, args.format, args.version.line, e, []);
    throw e;
  }
  if (args.format === 'json') {
    io.stdout(`${stringifyJson({ ...rocksDbJson(derived.spec, plan), configWarnings })}\n`);
  } else {
    io.stdout(renderRocksDbText(derived.spec, plan, { columns: io.columns, configWarnings }));
  }
  return plan.findings.some((f) => f.severity === 'error') ? EXIT_REJECTED : EXIT_OK;
}

function rejected(io: CliIo, format: Format, flinkVersion: string, error: FlinkError, notes: readonly string[]): number {
  if (format === 'json') {
    io.stdout(`${stringifyJson(failureJson('taskmanager', flinkVersion, error, notes))}\n`);
  } else {
    const causes = error.causes().map((c) => `\n  caused by ${c.error}: ${c.message}`).join('');
    io.stdout(`Flink ${flinkVersion} rejects this configuration: ${error.error}: ${error.message}${causes}\n`);
  }
  return EXIT_REJECTED;
}
