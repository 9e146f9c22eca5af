/** `flink-memory explain`: load a configuration, derive one process, render it. Thin by design. */
import { parseArgs } from 'node:util';
// Individual modules rather than the config index, so the YAML parser loads only for a YAML file.
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { toFlatMap } from '../config/flat-map.js';
import { loadConfigFile } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { FlinkError } from '../memory/errors.js';
import { deriveJobManagerMemory } from '../memory/jobmanager.js';
import type { DerivationResult, ProcessKind } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import { stringifyJson, toExplainJson } from '../report/json.js';
import { renderExplainText } from '../report/text.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory explain [options]

Derives every memory component of a TaskManager or JobManager exactly as Flink does.

Options:
  -c, --config FILE|DIR     flink-conf.yaml, config.yaml, or a directory holding one
                            (default: Flink's shipped defaults, process sizes 1728m / 1600m)
  -D key=value              override an option (repeatable, wins over the file)
  -p, --process KIND        taskmanager (default) or jobmanager
  -f, --format FORMAT       text (default), json, jvm-args, dynamic-configs
  -V, --flink-version V     Flink release whose rules apply (default: newest, 2.x);
                            e.g. 2.1, 2.0, 1.20, 1.20.4, 1.19, 1.18, 1.17, 1.16
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
  readonly color: boolean | undefined;
}

/** `-Dkey=value` and `-D key=value` both work, as with Flink's own scripts. */
export function parseExplainArgs(argv: readonly string[]): ExplainOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        D: { type: 'string', short: 'D', multiple: true },
        process: { type: 'string', short: 'p' },
        format: { type: 'string', short: 'f' },
        'flink-version': { type: 'string', short: 'V' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`explain: ${(e as Error).message.split('\n')[0]}`);
  }
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
  let version = DEFAULT_FLINK_VERSION;
  if (v['flink-version'] !== undefined) {
    try {
      version = resolveFlinkVersion(v['flink-version']);
    } catch (e) {
      throw new UsageError(`explain: ${(e as FlinkError).message}`);
    }
  }
  return {
    config: v.config,
    dynamic: v.D ?? [],
    process,
    format: format as Format,
    version,
    color: v['no-color'] === true ? false : v.color === true ? true : undefined,
  };
}

/** Only the file (and -D) count when --config is given; otherwise Flink's shipped defaults. */
export async function loadExplainConfig(options: ExplainOptions): Promise<LoadedConfig> {
  const base = options.config === undefined ? shippedDefaultConfig() : await loadConfigFile(options.config);
  return applyDynamicProperties(base, options.dynamic);
}

export function derive(process: ProcessKind, values: Readonly<Record<string, string>>, version: FlinkVersionBehaviour): DerivationResult {
  return process === 'taskmanager' ? deriveTaskManagerMemory(values, version) : deriveJobManagerMemory(values, version);
}

export async function runExplain(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseExplainArgs(argv);
  if (options === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const loaded = await loadExplainConfig(options);
  const result = derive(options.process, toFlatMap(loaded), options.version);
  const warnings = loaded.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`);

  switch (options.format) {
    case 'json':
      io.stdout(`${stringifyJson({ ...toExplainJson(result), configWarnings: warnings })}\n`);
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
  if (!result.ok) {
    if (options.format !== 'text' && options.format !== 'json') io.stderr(`flink-memory: ${result.error.message}\n`);
    return EXIT_REJECTED;
  }
  return EXIT_OK;
}
