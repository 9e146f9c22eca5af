/**
 * `lint`: everything in a configuration that Flink accepts silently but probably is not meant, or
 * that Flink would reject, each with the file and line to change. Pure apart from reading YAML
 * structure from the text it is given; the CLI loads files.
 */
import type { LoadedConfig } from '../config/types.js';
import { toFlatMap } from '../config/flat-map.js';
import type { DerivationResult, ProcessKind } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { checkJavaOptions } from './jvm-options.js';
import { checkKeys } from './keys.js';
import { checkMemory } from './memory.js';
import { sortProblems, type LintProblem } from './problems.js';
import { checkConfigFile, checkYamlStyle } from './structure.js';

export interface LintInput {
  /** The configuration after -D overrides. */
  readonly config: LoadedConfig;
  readonly version: FlinkVersionBehaviour;
  /** The text of the config.yaml that was read, for structure checks (omit for other formats). */
  readonly yamlText?: string;
  /** Container memory limits per process (from --container or a manifest's pod). */
  readonly limits?: Partial<Record<ProcessKind, { readonly bytes: bigint; readonly what: string }>>;
}

export interface LintResult {
  readonly problems: readonly LintProblem[];
  /** The derivations the memory checks ran, for reports that want to show them. */
  readonly results: Partial<Record<ProcessKind, DerivationResult>>;
}

export async function lintConfiguration(input: LintInput): Promise<LintResult> {
  const { config, version } = input;
  const values = toFlatMap(config);
  const keyProblems = checkKeys(config.entries.values(), version.line);
  const memory = checkMemory({ entries: config.entries, values, version, limits: input.limits ?? {} });
  const invalid = new Set(keyProblems.filter((p) => p.code === 'invalid-value').map((p) => p.key));
  const problems: LintProblem[] = keyProblems.map((p) => {
    const consequence = p.code === 'ignored-key' && p.key !== null ? memory.consequences.get(p.key) : undefined;
    return consequence === undefined ? p : { ...p, message: `${p.message}. What that changes: ${consequence}` };
  });
  // A malformed value is already reported on its own line; the model's failure to read it says the same.
  problems.push(...memory.problems.filter((p) => !(p.code === 'rejected' && p.key !== null && invalid.has(p.key))));
  problems.push(...checkJavaOptions(config.entries, values, version.line, memory.results));
  problems.push(...checkConfigFile(config, version.line));
  if (input.yamlText !== undefined && config.file !== undefined) problems.push(...(await checkYamlStyle(input.yamlText, config.file)));
  return { problems: sortProblems(problems), results: memory.results };
}

export { type LintProblem, type LintCode, type LintSeverity } from './problems.js';
