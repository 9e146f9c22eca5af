/** What `lint` reports: one problem per finding, pointing at the file and line to change. */
import type { ConfigSource } from '../config/types.js';

export type LintSeverity = 'error' | 'warning' | 'info';

export type LintCode =
  /** A key no Flink line reads (a misspelling, when a near key exists). */
  | 'unknown-key'
  /** A value Flink cannot convert to its option's type. */
  | 'invalid-value'
  /** A deprecated spelling Flink still reads; `suggestion` names the option. */
  | 'deprecated-key'
  /** A deprecated spelling that is not read because the option's own key is set too. */
  | 'shadowed-key'
  /** A key this Flink line does not read (removed, or only in newer lines). */
  | 'ignored-key'
  /** A setting Flink accepts but resolves away: the derived memory is the same without it. */
  | 'no-effect'
  /** Flink refuses to start the process with this configuration. */
  | 'rejected'
  /** A JVM flag in env.java.opts.* that overrides (or fights) the flags Flink computes. */
  | 'jvm-option-conflict'
  /** Total process memory above the container or pod limit. */
  | 'container-exceeded'
  /** config.yaml structure: flat and nested keys mixed, one key written twice, invalid YAML. */
  | 'yaml-mixed-style'
  | 'duplicate-key'
  | 'invalid-yaml'
  /** A configuration file the chosen Flink line does not read (flink-conf.yaml on 2.x, ...). */
  | 'config-file-ignored'
  /** Something the loader had to tolerate (a skipped line, a null value). */
  | 'config-warning';

export interface LintProblem {
  readonly code: LintCode;
  readonly severity: LintSeverity;
  readonly key: string | null;
  /** The file (or `-D #n` for an override); null when the problem concerns no one place. */
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
  /** What to write instead (a key, a setting `key: value`, or a step), null when there is none. */
  readonly suggestion: string | null;
}

/** file/line of a configuration entry's source. */
export function placeOf(source: ConfigSource | undefined): { file: string | null; line: number | null } {
  if (source === undefined) return { file: null, line: null };
  switch (source.kind) {
    case 'file':
      return { file: source.file, line: source.line === 0 ? null : source.line };
    case 'dynamic':
      return { file: `-D #${source.index + 1}`, line: null };
    case 'default-config':
      return { file: null, line: null };
  }
}

const SEVERITY_ORDER: Readonly<Record<LintSeverity, number>> = { error: 0, warning: 1, info: 2 };

/** Problems in file order (then severity), those without a place last. */
export function sortProblems(problems: readonly LintProblem[]): LintProblem[] {
  return problems
    .map((p, index) => ({ p, index }))
    .sort((x, y) => {
      const fx = x.p.file ?? '\uffff';
      const fy = y.p.file ?? '\uffff';
      if (fx !== fy) return fx < fy ? -1 : 1;
      const lx = x.p.line ?? Number.MAX_SAFE_INTEGER;
      const ly = y.p.line ?? Number.MAX_SAFE_INTEGER;
      if (lx !== ly) return lx - ly;
      const s = SEVERITY_ORDER[x.p.severity] - SEVERITY_ORDER[y.p.severity];
      return s !== 0 ? s : x.index - y.index;
    })
    .map(({ p }) => p);
}
