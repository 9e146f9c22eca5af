/** `flink-memory lint`: load a configuration, run every check, print the problems. Thin by design. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { ConfigLoadError } from '../config/errors.js';
import type { LoadedDeploymentConfig } from '../config/flink-deployment.js';
import { toFlatMap } from '../config/flat-map.js';
import { loadConfigFile } from '../config/load.js';
import { isRegularFile, statPath } from '../config/read-file.js';
import type { LoadedConfig } from '../config/types.js';
import { lintConfiguration } from '../lint/lint.js';
import { deriveProcessMemory } from '../memory/derive.js';
import type { LintProblem } from '../lint/problems.js';
import { parseJavaDouble } from '../memory/java/java-numbers.js';
import type { ProcessKind } from '../memory/spec.js';
import { DEFAULT_FLINK_VERSION, type FlinkVersionBehaviour } from '../memory/versions.js';
import { renderLintJson, renderLintText } from '../report/lint-text.js';
import { choiceArg, containerSizeArg, flinkVersionArg, manifestFlinkVersion, parseCommandArgs } from './args.js';
import { EXIT_OK, EXIT_REJECTED, type CliIo } from './io.js';

const HELP = `Usage: flink-memory lint [options]

Checks a Flink configuration for what Flink accepts silently but probably is not meant (unknown
or misspelled keys, deprecated and ignored keys, settings the memory model resolves away, JVM
options that override Flink's memory flags, a process larger than its container, config.yaml
structure) and for what Flink would reject, each with file:line and a suggestion.

Options:
  -c, --config FILE|DIR     flink-conf.yaml, config.yaml, a directory holding one, a
                            FlinkDeployment manifest or a ConfigMap holding config.yaml /
                            flink-conf.yaml (default: Flink's shipped defaults)
  -D key=value              override an option (repeatable, wins over the file)
  -V, --flink-version V     Flink release whose rules apply (default: a manifest's
                            spec.flinkVersion, else newest, 2.x)
      --container SIZE      memory limit of the container (4Gi, 4096m, 4g, bytes)
  -f, --format FORMAT       text (default) or json
  -h, --help                show this help

Exit codes: 0 no problems (notes only), 1 errors or warnings found, 2 usage or input error.
`;

export async function runLint(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'lint',
    argv,
    {
      config: { type: 'string', short: 'c' },
      D: { type: 'string', short: 'D', multiple: true },
      'flink-version': { type: 'string', short: 'V' },
      container: { type: 'string' },
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
  const format = choiceArg('lint', 'format', v.format, ['text', 'json'], 'text');
  const explicitVersion = v['flink-version'] === undefined ? undefined : flinkVersionArg('lint', v['flink-version']);
  const container = v.container === undefined ? undefined : await containerSizeArg('lint', v.container);

  const problems: LintProblem[] = [];
  let loaded: LoadedConfig;
  try {
    loaded = v.config === undefined ? shippedDefaultConfig() : await loadFor(v.config, explicitVersion);
  } catch (e) {
    // A file Flink itself refuses to parse is a finding, not a usage error.
    if (e instanceof ConfigLoadError && (e.code === 'INVALID_YAML' || e.code === 'UNSUPPORTED_VALUE')) {
      problems.push({ code: 'invalid-yaml', severity: 'error', key: e.key ?? null, file: e.file ?? v.config ?? null, line: e.line ?? null, message: e.message, suggestion: null });
      const line = (explicitVersion ?? DEFAULT_FLINK_VERSION).line;
      io.stdout(format === 'json' ? renderLintJson(problems, line) : renderLintText(problems, line));
      return EXIT_REJECTED;
    }
    throw e;
  }
  const config = applyDynamicProperties(loaded, v.D ?? []);
  const deployment = (loaded as Partial<LoadedDeploymentConfig>).deployment;
  const version = explicitVersion ?? (deployment?.flinkVersion === undefined ? DEFAULT_FLINK_VERSION : manifestFlinkVersion('lint', deployment));
  const yamlText = config.format === 'config.yaml' && deployment === undefined && config.file !== undefined ? await readFile(config.file, 'utf8') : undefined;
  const limits = container !== undefined ? containerLimits(container) : deployment !== undefined ? await podLimits(config, version) : {};
  const result = await lintConfiguration({ config, version, ...(yamlText === undefined ? {} : { yamlText }), limits });
  problems.push(...result.problems);
  io.stdout(format === 'json' ? renderLintJson(problems, version.line) : renderLintText(problems, version.line));
  return problems.some((p) => p.severity !== 'info') ? EXIT_REJECTED : EXIT_OK;
}

/**
 * Flink 1.16-1.18 read only flink-conf.yaml: for a directory holding both files, lint what those
 * versions actually read (the loader itself prefers config.yaml, as 1.19+ do).
 */
async function loadFor(path: string, version: FlinkVersionBehaviour | undefined): Promise<LoadedConfig> {
  if (version !== undefined && ['1.16', '1.17', '1.18'].includes(version.line) && (await statPath(path)).isDirectory()) {
    const legacy = join(path, 'flink-conf.yaml');
    const standard = join(path, 'config.yaml');
    if ((await isRegularFile(legacy)) && (await isRegularFile(standard))) {
      const loaded = await loadConfigFile(legacy);
      const warning = { file: standard, line: 0, message: `ignored: Flink ${version.line} reads only flink-conf.yaml in the same directory (config.yaml is read from 1.19 on)` };
      return { ...loaded, warnings: [warning, ...loaded.warnings] };
    }
  }
  return loadConfigFile(path);
}



function containerLimits(bytes: bigint): Partial<Record<ProcessKind, { bytes: bigint; what: string }>> {
  const limit = { bytes, what: 'the container limit given with --container' };
  return { taskmanager: limit, jobmanager: limit };
}

/** The pod memory limit Flink sets for each process of a manifest: the process size in whole MiB × limit factor. */
async function podLimits(config: LoadedConfig, version: FlinkVersionBehaviour): Promise<Partial<Record<ProcessKind, { bytes: bigint; what: string }>>> {
  const { kubernetesPodMemory, memoryLimitFactorKey } = await import('../config/flink-deployment.js');
  const values = toFlatMap(config);
  const limits: Partial<Record<ProcessKind, { bytes: bigint; what: string }>> = {};
  for (const process of ['taskmanager', 'jobmanager'] as const) {
    const result = deriveProcessMemory(process, values, version);
    if (!result.ok) continue;
    const factorKey = memoryLimitFactorKey(process);
    let factor = 1;
    try {
      factor = parseJavaDouble(values[factorKey] ?? '1.0');
    } catch {
      continue;
    }
    const pod = kubernetesPodMemory(result.spec.memory.totalProcessMemory.bytes, factor);
    limits[process] = { bytes: pod.limitBytes, what: `the pod memory limit Flink sets (process size in whole MiB × ${factorKey} ${factor})` };
  }
  return limits;
}
