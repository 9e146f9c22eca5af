/**
 * Extracts option DATA (key, default, type, the fallback options a description names) from Flink's
 * generated documentation tables (apache/flink docs/layouts/shortcodes/generated/*.html) saved in a
 * scratch directory outside the repository, and writes src/catalog/data/docs-options.json.
 *
 * Each saved file starts with a comment naming where it came from:
 *   <!-- apache/flink docs/layouts/shortcodes/generated/rest_configuration.html <commit> [note] -->
 * (the repository may be a fork holding a newer version, e.g. JunRuiLee/flink for 2.x tables; a second
 * version of one table is saved as `<name>.older.html` and gets its own id from the file name),
 * A table whose keys are relative to a prefix (the SQL Gateway's REST endpoint table lists `address`,
 * `port`, … of `sql-gateway.endpoint.rest.`) names it in the note as `key-prefix=PREFIX`.
 * The file holds the table rows (`<tr><td><h5>key</h5></td><td>default</td><td>type</td><td>description</td></tr>`,
 * whitespace and attributes as in Flink's files, or the description reduced to a `fallback: KEY` note).
 *
 * Run from the repository root:
 *   npx tsc -p tsconfig.json && node dist/tools/catalog/extract-docs.js /tmp/flink-docs-scratch
 *   node dist/tools/catalog/build-catalog.js
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogOptionRecord, CatalogOptionType, CatalogPatternRecord, CatalogSource, DocsCatalogData } from '../../src/catalog/types.js';

export const DOCS_JSON_PATH = 'src/catalog/data/docs-options.json';

const TYPES: readonly CatalogOptionType[] = ['MemorySize', 'Float', 'Double', 'Integer', 'Long', 'Boolean', 'String', 'Duration', 'Map', 'Enum', 'List<String>', 'List<Enum>', 'List<Map>'];

const decode = (html: string): string =>
  html
    // A line break around <wbr> in Flink's files is layout, not part of the value.
    .replace(/\s*<wbr\s*\/?>\s*/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export interface ParsedTable {
  readonly source: CatalogSource;
  readonly id: string;
  readonly options: CatalogOptionRecord[];
  readonly patterns: CatalogPatternRecord[];
}

/** Parses one saved table. Throws on a row it cannot read, so nothing is dropped silently. */
export function parseTable(text: string, fileName: string): ParsedTable {
  const header = /<!--\s*(\S+\/\S+)\s+(\S+)\s+([0-9a-f]{40})\s*(.*?)-->/.exec(text);
  if (header === null) throw new Error(`${fileName}: no '<!-- repo path commit -->' header`);
  const [, repo, path, commit, extra] = header;
  const keyPrefix = /\bkey-prefix=(\S+)/.exec(extra!)?.[1] ?? '';
  // The saved file's name gives the id, so that two stored versions of one table can be held
  // (`cluster_configuration.html` and `cluster_configuration.older.html`).
  const id = `docs:${fileName.replace(/^.*\//, '').replace(/\.html$/, '')}`;
  const source: CatalogSource = {
    repo: repo!,
    path: path!,
    commit: commit!,
    note: `generated documentation table, stored version at this commit${extra!.trim() === '' ? '' : `; ${extra!.trim()}`}`,
  };
  const options: CatalogOptionRecord[] = [];
  const patterns: CatalogPatternRecord[] = [];
  const rowPattern = /<tr>\s*<td><h5>([\s\S]*?)<\/h5><\/td>\s*<td[^>]*>([\s\S]*?)<\/td>\s*<td>([\s\S]*?)<\/td>\s*<td>([\s\S]*?)<\/td>\s*<\/tr>/g;
  for (const row of text.matchAll(rowPattern)) {
    const key = keyPrefix + decode(row[1]!).trim();
    const rawType = decode(row[3]!.replace(/<p>([\s\S]*?)<\/p>[\s\S]*$/, '$1')).trim();
    const type = TYPES.find((t) => t === rawType);
    if (type === undefined) throw new Error(`${fileName}: ${key}: unknown type '${rawType}'`);
    let def: string | null = decode(row[2]!).trim();
    if (def === '(none)') def = null;
    else if (/^"[^"]*"$/.test(def) && (type === 'String' || type === 'Enum')) def = def.slice(1, -1);
    const description = decode(row[4]!);
    const fallbackTo = [...description.matchAll(/fallback: ([a-z0-9.\-]+)/gi)].map((m) => m[1]!);
    if (key.includes('<')) {
      patterns.push({ pattern: key, type, default: def, source: id });
      continue;
    }
    options.push({ key, type, default: def, ...(fallbackTo.length > 0 ? { fallbackTo } : {}), source: id });
  }
  if (options.length + patterns.length === 0) throw new Error(`${fileName}: no table rows`);
  return { source, id, options, patterns };
}

/** All saved tables of a directory, merged: the first table (by file name) that lists a key wins. */
export function extractDocs(dir: string): DocsCatalogData {
  const sources: Record<string, CatalogSource> = {};
  const options = new Map<string, CatalogOptionRecord>();
  const patterns = new Map<string, CatalogPatternRecord>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.html')).sort()) {
    const table = parseTable(readFileSync(join(dir, name), 'utf8'), name);
    sources[table.id] = table.source;
    for (const o of table.options) if (!options.has(o.key)) options.set(o.key, o);
    for (const p of table.patterns) if (!patterns.has(p.pattern)) patterns.set(p.pattern, p);
  }
  return {
    comment:
      "Generated by tools/catalog/extract-docs.ts from Flink's generated documentation tables (see `sources`: one stored version of each file, of the commit given). Do not edit: rerun the script. Per-line facts (since/until, per-line defaults, deprecations) are in options.json, which wins where both list a key.",
    sources,
    options: [...options.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    patterns: [...patterns.values()].sort((a, b) => (a.pattern < b.pattern ? -1 : 1)),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: node dist/tools/catalog/extract-docs.js SCRATCH_DIR\n');
    process.exit(2);
  }
  const data = extractDocs(dir);
  writeFileSync(DOCS_JSON_PATH, `${JSON.stringify(data, null, 1)}\n`);
  process.stdout.write(`wrote ${DOCS_JSON_PATH}: ${data.options.length} options, ${data.patterns.length} patterns from ${Object.keys(data.sources).length} tables\n`);
}
