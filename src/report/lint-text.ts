/** `lint` output: one line per problem (`file:line: severity [code] message`), the JSON contract. */
import type { LintProblem } from '../lint/problems.js';

export function renderLintText(problems: readonly LintProblem[], flinkVersion: string): string {
  if (problems.length === 0) return `no problems found (Flink ${flinkVersion} rules)\n`;
  let out = '';
  for (const p of problems) {
    const where = p.file === null ? '' : `${p.file}${p.line === null ? '' : `:${p.line}`}: `;
    out += `${where}${p.severity} [${p.code}] ${p.message}\n`;
    if (p.suggestion !== null) out += `    suggestion: ${p.suggestion}\n`;
  }
  const count = (s: LintProblem['severity']): number => problems.filter((p) => p.severity === s).length;
  out += `${problems.length} problem(s) for Flink ${flinkVersion}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s)\n`;
  return out;
}

/** `{"flinkVersion", "problems": [{code, severity, key, file, line, message, suggestion}]}`, every field present. */
export function renderLintJson(problems: readonly LintProblem[], flinkVersion: string): string {
  const rows = problems.map((p) => ({ code: p.code, severity: p.severity, key: p.key, file: p.file, line: p.line, message: p.message, suggestion: p.suggestion }));
  return `${JSON.stringify({ flinkVersion, problems: rows }, null, 2)}\n`;
}
