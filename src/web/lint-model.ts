/**
 * `flink-memory lint` for the calculator's configuration: the pure checks of src/lint (keys against
 * the option catalog, memory settings that have no effect or that the line ignores, JVM options
 * that fight Flink's flags), without the file checks (they read file names and YAML text the page
 * does not have). Flink's rejection is not repeated: the calculator shows it already.
 */
import type { ConfigEntry } from '../config/types.js';
import type { FlatConfig } from '../memory/configuration.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { checkJavaOptions } from '../lint/jvm-options.js';
import { checkKeys } from '../lint/keys.js';
import { checkMemory } from '../lint/memory.js';
import type { LintProblem } from '../lint/problems.js';

export function lintForPage(config: FlatConfig, version: FlinkVersionBehaviour): LintProblem[] {
  const entries = new Map<string, ConfigEntry>();
  for (const [key, value] of Object.entries(config)) entries.set(key, { key, value, source: { kind: 'default-config' } });
  const keyProblems = checkKeys(entries.values(), version.line);
  const memory = checkMemory({ entries, values: config, version, limits: {} });
  const invalid = new Set(keyProblems.filter((p) => p.code === 'invalid-value').map((p) => p.key));
  const problems: LintProblem[] = keyProblems.map((p) => {
    const consequence = p.code === 'ignored-key' && p.key !== null ? memory.consequences.get(p.key) : undefined;
    return consequence === undefined ? p : { ...p, message: `${p.message}. What that changes: ${consequence}` };
  });
  problems.push(...memory.problems.filter((p) => p.code !== 'rejected' && !(p.key !== null && invalid.has(p.key))));
  problems.push(...checkJavaOptions(entries, config, version.line, memory.results));
  return problems;
}

/** Problems per key they concern; those about no single key under ''. */
export function lintByKey(problems: readonly LintProblem[]): Map<string, LintProblem[]> {
  const map = new Map<string, LintProblem[]>();
  for (const p of problems) {
    const key = p.key ?? '';
    map.set(key, [...(map.get(key) ?? []), p]);
  }
  return map;
}
