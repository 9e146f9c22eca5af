/**
 * File-level checks: which configuration file the chosen Flink line reads, what the loader had to
 * tolerate (duplicates, skipped lines, null values), and config.yaml written half flat, half nested.
 */
import { basename } from 'node:path';
import { isLegacyFileName } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import type { LintProblem } from './problems.js';

const LEGACY_ONLY = new Set(['1.16', '1.17', '1.18']);

export function checkConfigFile(config: LoadedConfig, line: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const file = config.file;
  if (file !== undefined && (config as { deployment?: unknown }).deployment === undefined) {
    // A ConfigMap's data key is the file name Flink sees in its conf directory.
    const configMapKey = (config as { configMap?: { dataKey?: string } }).configMap?.dataKey;
    const name = configMapKey ?? basename(file);
    const legacy = isLegacyFileName(name);
    const migrate =
      configMapKey === undefined
        ? `flink-memory migrate ${file} > config.yaml`
        : 'replace the ConfigMap\'s flink-conf.yaml entry by a config.yaml entry (flink-memory migrate converts the text once saved as flink-conf.yaml)';
    if (legacy && line === '2.x') {
      problems.push({
        code: 'config-file-ignored', severity: 'error', key: null, file, line: null,
        message: 'Flink 2.x no longer reads flink-conf.yaml, only config.yaml: none of these settings takes effect',
        suggestion: migrate,
      });
    } else if (legacy && !LEGACY_ONLY.has(line)) {
      problems.push({
        code: 'config-file-ignored', severity: 'info', key: null, file, line: null,
        message: `Flink ${line} still reads flink-conf.yaml when no config.yaml is present, but it is deprecated and Flink 2.x ignores it`,
        suggestion: migrate,
      });
    } else if (name === 'config.yaml' && LEGACY_ONLY.has(line)) {
      problems.push({
        code: 'config-file-ignored', severity: 'error', key: null, file, line: null,
        message: `Flink ${line} reads only flink-conf.yaml; config.yaml is read from Flink 1.19 on, so none of these settings takes effect`,
        suggestion: 'write the settings as flat keys into flink-conf.yaml, or lint with the Flink version that runs',
      });
    }
  }
  for (const w of config.warnings) {
    const place = { file: w.file, line: w.line === 0 ? null : w.line };
    const duplicate = /^'([^']+)' is also set on line (\d+)/.exec(w.message);
    if (duplicate !== null) {
      problems.push({ code: 'duplicate-key', severity: 'warning', key: duplicate[1]!, ...place, message: w.message, suggestion: `keep one of the two lines (${duplicate[2]} and ${w.line})` });
    } else if (w.line === 0 && w.message.startsWith('ignored:')) {
      problems.push({ code: 'config-file-ignored', severity: 'warning', key: null, ...place, message: w.message, suggestion: `delete ${w.file} or merge what it holds into the file Flink reads` });
    } else {
      const key = /^'([^']+)'/.exec(w.message)?.[1] ?? null;
      problems.push({ code: 'config-warning', severity: 'warning', key, ...place, message: w.message, suggestion: null });
    }
  }
  return problems;
}

/**
 * config.yaml written both flat (`taskmanager.memory.process.size: 4g`) and nested
 * (`taskmanager:` mapping): Flink accepts both, but one option can then hide in two places.
 */
export async function checkYamlStyle(text: string, file: string): Promise<LintProblem[]> {
  const { LineCounter, parseDocument, isMap, isScalar } = await import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const flat: Array<{ key: string; line: number }> = [];
  const nested = new Map<string, number>();
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const line = pair.key.range === undefined || pair.key.range === null ? 0 : lineCounter.linePos(pair.key.range[0]).line;
    if (isMap(pair.value)) nested.set(key.split('.')[0]!, line);
    else if (key.includes('.')) flat.push({ key, line });
  }
  if (flat.length === 0 || nested.size === 0) return [];
  const problems: LintProblem[] = [];
  const clashing = flat.filter((f) => nested.has(f.key.split('.')[0]!));
  const roots = [...new Set(clashing.map((f) => f.key.split('.')[0]!))];
  for (const root of roots) {
    const mine = clashing.filter((f) => f.key.startsWith(`${root}.`));
    const first = mine[0]!;
    const lines = mine.map((f) => f.line).join(', ');
    problems.push({
      code: 'yaml-mixed-style', severity: 'warning', key: first.key, file, line: first.line,
      message: `${mine.length === 1 ? `${first.key} is` : `${mine.length} ${root}.* keys (lines ${lines}) are`} written flat while ${root}: on line ${nested.get(root)} holds nested ${root}.* options: the same option can end up written twice, and then the later one silently wins`,
      suggestion: `move ${mine.length === 1 ? 'it' : 'them'} under ${root}: on line ${nested.get(root)}`,
    });
  }
  if (clashing.length === 0) {
    const first = flat[0]!;
    problems.push({
      code: 'yaml-mixed-style', severity: 'info', key: first.key, file, line: first.line,
      message: `flat dotted keys (like ${first.key}) and nested mappings are mixed in one file; Flink accepts both, one style is easier to review`,
      suggestion: null,
    });
  }
  return problems;
}
