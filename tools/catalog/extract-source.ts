/**
 * Extracts option DATA from Flink's code and release notes, as saved in a scratch directory outside the
 * repository, and writes src/catalog/data/source-options.json.
 *
 * `<ClassName>.txt` (one per ConfigOption class, read through the project's search tool) starts with
 *   # <repo> <path> <commit> [removed-class]
 * and has one line per `ConfigOptions.key(...)` declaration, in file order:
 *   <key> type=<Type> [deprecated=K1,K2] [fallback=K3] [hidden] [deprecated-option] [unresolved] [relative]
 * (`hidden` = @Documentation.ExcludeFromDocumentation, `deprecated-option` = the field is @Deprecated,
 * `relative` = a key Flink reads under a prefix with a user-defined name, `metrics.reporter.<name>.`).
 * `release-notes.txt` starts with
 *   # apache/flink docs/content/release-notes/ commits: 1.17=<commit> 1.18=<commit> ...
 * and has one line per key a release note names:
 *   <version> <added|deprecated|renamed|removed|default-changed|type-changed> <key> [replacement=K] [old-type=T new-type=T] [...] | reason
 * (a reason saying `implied` marks a fact the note only implies).
 *
 * Keys that are not full keys (`relative` reporter options, keys built from a method argument) are left
 * out: the documentation tables give them as patterns.
 *
 * Run from the repository root:
 *   npx tsc -p tsconfig.json && node dist/tools/catalog/extract-source.js /tmp/flink-java-scratch
 *   node dist/tools/catalog/build-catalog.js
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogOptionType, CatalogSource, ReleaseNoteRecord, SourceCatalogData, SourceOptionRecord } from '../../src/catalog/types.js';

export const SOURCE_JSON_PATH = 'src/catalog/data/source-options.json';

const TYPES: readonly CatalogOptionType[] = ['MemorySize', 'Float', 'Double', 'Integer', 'Long', 'Boolean', 'String', 'Duration', 'Map', 'Enum', 'List<String>', 'List<Enum>', 'List<Map>'];
const ACTIONS: readonly ReleaseNoteRecord['action'][] = ['added', 'deprecated', 'renamed', 'removed', 'default-changed', 'type-changed'];

/** A full configuration key (`restart-strategy` and `scheduler-mode` have no dot): no placeholder, no Java expression. */
const isFullKey = (key: string): boolean => /^[a-z][a-z0-9-]*(\.[A-Za-z0-9_-]+)*$/.test(key);

const list = (value: string | undefined): string[] => (value === undefined ? [] : value.split(',').filter((k) => k !== ''));

/** Parses one class extract. Throws on a line it cannot read, so nothing is dropped silently. */
export function parseClassExtract(text: string, fileName: string): { id: string; source: CatalogSource; options: SourceOptionRecord[] } {
  const lines = text.split('\n');
  const header = /^#\s+(\S+\/\S+)\s+(\S+)\s+([0-9a-f]{40})(\s+removed-class)?\s*$/.exec(lines[0] ?? '');
  if (header === null) throw new Error(`${fileName}: line 1 is not '# repo path commit'`);
  const id = `java:${fileName.replace(/\.txt$/, '')}`;
  // A class Flink deprecated as a whole and 2.0 removed (ExecutionCheckpointingOptions): none of its
  // fields is an option of its own on 2.x, even where the field itself carries no @Deprecated.
  const classDeprecated = header[4] !== undefined;
  const source: CatalogSource = {
    repo: header[1]!,
    path: header[2]!,
    commit: header[3]!,
    note: 'ConfigOption declarations of a stored version of this class: key, type, deprecated and fallback keys, hidden/deprecated marks',
  };
  const options: SourceOptionRecord[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [key, ...attributes] = line.trim().split(/\s+/);
    const attribute = (name: string): string | undefined => attributes.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
    const type = TYPES.find((t) => t === attribute('type'));
    if (type === undefined) throw new Error(`${fileName}:${i + 2}: unknown type '${attribute('type') ?? ''}'`);
    if (attributes.includes('unresolved') || attributes.includes('relative') || !isFullKey(key!)) return;
    const deprecatedKeys = list(attribute('deprecated')).filter((k) => k !== key && isFullKey(k));
    const fallbackKeys = list(attribute('fallback')).filter((k) => k !== key && isFullKey(k));
    options.push({
      key: key!,
      type,
      ...(deprecatedKeys.length > 0 ? { deprecatedKeys } : {}),
      ...(fallbackKeys.length > 0 ? { fallbackKeys } : {}),
      ...(attributes.includes('hidden') ? { hidden: true as const } : {}),
      ...(classDeprecated || attributes.includes('deprecated-option') ? { deprecatedOption: true as const } : {}),
      ...(classDeprecated ? { removedClass: true as const } : {}),
      source: id,
    });
  });
  return { id, source, options };
}

export function parseReleaseNotes(text: string, fileName: string): { sources: Record<string, CatalogSource>; notes: ReleaseNoteRecord[] } {
  const lines = text.split('\n');
  const commits = [...(lines[0] ?? '').matchAll(/(\d+\.\d+)=([0-9a-f]{40})/g)];
  if (commits.length === 0) throw new Error(`${fileName}: line 1 names no 'version=commit'`);
  const sources: Record<string, CatalogSource> = {};
  for (const [, version, commit] of commits) {
    sources[`release-notes:${version!}`] = {
      repo: 'apache/flink',
      path: `docs/content/release-notes/flink-${version!}.md`,
      commit: commit!,
      note: 'release notes: configuration keys added, deprecated, renamed, removed or with a new default',
    };
  }
  const notes: ReleaseNoteRecord[] = [];
  lines.slice(1).forEach((line, i) => {
    const [factsPart, reason] = line.split('|');
    const facts = factsPart!.trim();
    if (facts === '') return;
    const [version, action, key, ...rest] = facts.split(/\s+/);
    const known = ACTIONS.find((a) => a === action);
    if (known === undefined || version === undefined || key === undefined) throw new Error(`${fileName}:${i + 2}: cannot read '${facts}'`);
    if (sources[`release-notes:${version}`] === undefined) throw new Error(`${fileName}:${i + 2}: no commit for release ${version}`);
    const attribute = (name: string): string | undefined => rest.find((r) => r.startsWith(`${name}=`))?.slice(name.length + 1);
    const replacement = attribute('replacement')?.split(',')[0];
    const typeOf = (name: string): CatalogOptionType | undefined => {
      const text = attribute(name);
      if (text === undefined) return undefined;
      const type = TYPES.find((t) => t === text);
      if (type === undefined) throw new Error(`${fileName}:${i + 2}: unknown type '${text}'`);
      return type;
    };
    const oldType = typeOf('old-type');
    const newType = typeOf('new-type');
    if (known === 'type-changed' && (oldType === undefined || newType === undefined)) throw new Error(`${fileName}:${i + 2}: type-changed needs old-type= and new-type=`);
    const implied = reason !== undefined && /\bimplied\b/.test(reason);
    notes.push({
      version,
      action: known,
      key,
      ...(replacement !== undefined ? { replacement } : {}),
      ...(oldType !== undefined && newType !== undefined ? { oldType, newType } : {}),
      ...(implied ? { implied: true as const } : {}),
      source: `release-notes:${version}`,
    });
  });
  return { sources, notes };
}

export function extractSource(dir: string): SourceCatalogData {
  const sources: Record<string, CatalogSource> = {};
  const options: SourceOptionRecord[] = [];
  let releaseNotes: ReleaseNoteRecord[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    if (name === 'release-notes.txt') {
      const parsed = parseReleaseNotes(text, name);
      Object.assign(sources, parsed.sources);
      releaseNotes = parsed.notes;
      continue;
    }
    const parsed = parseClassExtract(text, name);
    sources[parsed.id] = parsed.source;
    options.push(...parsed.options);
  }
  return {
    comment:
      "Generated by tools/catalog/extract-source.ts from Flink's ConfigOption classes and release notes (see `sources`: one stored version of each file, of the commit given). Do not edit: rerun the script. build-catalog.ts merges it after options.json and docs-options.json: it adds the keys Flink reads without documenting them, the deprecated and fallback keys, and the keys 2.0 removed.",
    sources,
    options,
    releaseNotes,
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: node dist/tools/catalog/extract-source.js SCRATCH_DIR\n');
    process.exit(2);
  }
  const data = extractSource(dir);
  writeFileSync(SOURCE_JSON_PATH, `${JSON.stringify(data, null, 1)}\n`);
  process.stdout.write(`wrote ${SOURCE_JSON_PATH}: ${data.options.length} option declarations from ${Object.keys(data.sources).length} sources, ${data.releaseNotes.length} release-note facts\n`);
}
