/**
 * Turns the catalog's data of record, src/catalog/data/options.json (curated, per-line facts),
 * src/catalog/data/docs-options.json (extracted from Flink's documentation tables by extract-docs.ts)
 * and src/catalog/data/source-options.json (Flink's option classes and release notes, extract-source.ts), into the TypeScript module
 * the library imports (src/catalog/data/catalog-data.ts). Why a generated module: tsc does not copy
 * JSON into dist and the package ships only dist, so the data must be compiled in.
 *
 * Run from the repository root after editing the JSON:
 *   npx tsc -p tsconfig.json && node dist/tools/catalog/build-catalog.js
 * test/catalog checks that the module is in step with the JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CatalogData, CatalogOptionRecord, DocsCatalogData, SourceCatalogData, SourceOptionRecord } from '../../src/catalog/types.js';

export const JSON_PATH = 'src/catalog/data/options.json';
export const MODULE_PATH = 'src/catalog/data/catalog-data.ts';
export const DOCS_JSON_PATH = 'src/catalog/data/docs-options.json';
export const SOURCE_JSON_PATH = 'src/catalog/data/source-options.json';

type MutableRecord = { -readonly [K in keyof CatalogOptionRecord]: CatalogOptionRecord[K] };

/** The line before 2.x: where a key that 2.0 removed or turned into a deprecated spelling was last its own option. */
const LAST_1X_LINE = '1.20';
const CATALOG_LINES_1X = ['1.16', '1.17', '1.18', '1.19', '1.20'];

/**
 * The 1.20 release notes (FLINK-34255): state and checkpointing options were "reorganized and categorized
 * by prefixes" (execution.checkpointing.*, execution.state-recovery.*, state.latency-track.*,
 * state.changelog.* with the DSTL options) and "all the original options ... annotated as @Deprecated".
 * A 2.x option under these prefixes with deprecated keys is one of those renames: new in 1.20, its old
 * keys deprecated from 1.20.
 */
const REORGANISED_IN_1_20 = ['execution.checkpointing.', 'execution.state-recovery.', 'state.latency-track.', 'state.changelog.dstl.'];

/**
 * The merged catalog, in three layers:
 * 1. the curated options (options.json) with their per-line facts, which win wherever they speak;
 * 2. every documented option (docs-options.json) that is neither a curated key nor a curated deprecated key;
 * 3. what Flink's code and release notes add (source-options.json):
 *    - keys the code reads without documenting them (hidden options), with their type;
 *    - deprecated keys (`withDeprecatedKeys`) of the 2.x code, deprecated from 2.x on; a deprecated key that an
 *      older documentation table lists as an option of its own is that option through 1.20;
 *    - fallback keys (`withFallbackKeys`) the documentation does not name;
 *    - keys the 2.0 release notes list as removed, last read by 1.20, unless the 2.x code still reads them as
 *      the key (or a deprecated key) of an option that is not itself deprecated: 2.0 removed the deprecated
 *      Java fields, and some of their keys live on as deprecated keys of the new option
 *      (`taskmanager.network.memory.min`, which 2.x still reads as `taskmanager.memory.network.min`).
 */
export function mergeCatalog(curated: CatalogData, docs: DocsCatalogData, source?: SourceCatalogData): CatalogData {
  const taken = new Set<string>();
  for (const o of curated.options) {
    taken.add(o.key);
    for (const d of o.deprecatedKeys ?? []) taken.add(d);
  }
  const records = new Map<string, MutableRecord>();
  for (const o of docs.options) if (!taken.has(o.key)) records.set(o.key, { ...o });
  // A curated record without any per-line fact is open to the code's facts (deprecated keys, the line it ends on).
  const plainCurated = new Map(curated.options.filter(isPlain).map((o): [string, MutableRecord] => [o.key, { ...o }]));
  const settled = new Set([...taken].filter((k) => !plainCurated.has(k)));
  if (source !== undefined) addSourceFacts(records, settled, plainCurated, source);
  const curatedOptions = curated.options.map((o) => (plainCurated.has(o.key) ? records.get(o.key) ?? o : o));
  for (const key of plainCurated.keys()) records.delete(key);
  return {
    ...curated,
    sources: { ...curated.sources, ...docs.sources, ...(source?.sources ?? {}) },
    options: [...curatedOptions, ...[...records.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))],
    patterns: [...curated.patterns, ...docs.patterns.filter((p) => !curated.patterns.some((c) => c.pattern === p.pattern))],
  };
}

/** The memory model's options stay as curated: the vectors check them. */
const isPlain = (o: CatalogOptionRecord): boolean =>
  !o.key.startsWith('taskmanager.memory.') &&
  !o.key.startsWith('jobmanager.memory.') &&
  o.deprecatedKeys === undefined && o.since === undefined && o.until === undefined && o.replacement === undefined && o.defaults === undefined && o.fallbackTo === undefined && o.types === undefined;

function addSourceFacts(records: Map<string, MutableRecord>, curatedKeys: ReadonlySet<string>, plainCurated: ReadonlyMap<string, MutableRecord>, source: SourceCatalogData): void {
  // One declaration per key: a class may declare a key twice (a deprecated String field and its Duration successor).
  const declared = new Map<string, { type: SourceOptionRecord['type']; deprecatedKeys: Set<string>; fallbackKeys: Set<string>; deprecatedOption: boolean; removedClass: boolean; source: string }>();
  for (const o of source.options) {
    const d = declared.get(o.key);
    if (d === undefined) {
      declared.set(o.key, { type: o.type, deprecatedKeys: new Set(o.deprecatedKeys), fallbackKeys: new Set(o.fallbackKeys), deprecatedOption: o.deprecatedOption === true, removedClass: o.removedClass === true, source: o.source });
      continue;
    }
    for (const k of o.deprecatedKeys ?? []) d.deprecatedKeys.add(k);
    for (const k of o.fallbackKeys ?? []) d.fallbackKeys.add(k);
    // The key is deprecated only if every field declaring it is.
    d.deprecatedOption &&= o.deprecatedOption === true;
    d.removedClass &&= o.removedClass === true;
    if (o.deprecatedOption !== true) d.type = o.type;
  }
  const stillRead = new Set<string>();
  for (const [key, d] of declared) {
    if (d.deprecatedOption) continue;
    stillRead.add(key);
    for (const k of d.deprecatedKeys) stillRead.add(k);
  }
  const removedIn2 = new Set(source.releaseNotes.filter((n) => n.version === '2.0' && n.action === 'removed' && !stillRead.has(n.key) && !curatedKeys.has(n.key)).map((n) => n.key));

  // Curated records that state no per-line fact (keys of the shipped configuration files) take the code's facts too.
  for (const [key, record] of plainCurated) records.set(key, record);
  for (const [key, d] of declared) {
    if (curatedKeys.has(key) || records.has(key)) continue;
    // Only a class 2.0 removed declares it, and no 2.x option reads it: last read by 1.20.
    const gone = d.removedClass && ![...declared.values()].some((o) => !o.removedClass && o.deprecatedKeys.has(key));
    records.set(key, { key, type: d.type, default: null, ...(gone ? { until: LAST_1X_LINE } : {}), source: d.source });
  }
  const live = (key: string): boolean => declared.get(key)?.deprecatedOption === false;
  for (const [key, d] of declared) {
    const record = records.get(key);
    if (record === undefined) continue;
    // A key another live option declares as its own is not a spelling of this one.
    const deprecatedKeys = [...d.deprecatedKeys].filter((k) => !curatedKeys.has(k) && !removedIn2.has(k) && !live(k));
    if (deprecatedKeys.length > 0 && record.deprecatedKeys === undefined) {
      // FLINK-34255 (1.20's notes) introduced these prefixes and deprecated the keys they replace.
      const renamedIn120 = REORGANISED_IN_1_20.some((prefix) => key.startsWith(prefix));
      record.deprecatedKeys = deprecatedKeys;
      record.deprecatedSince = renamedIn120 ? '1.20' : '2.x';
      if (renamedIn120 && record.since === undefined) record.since = '1.20';
      for (const old of deprecatedKeys) {
        const own = records.get(old);
        if (own !== undefined && own.until === undefined) own.until = renamedIn120 ? '1.19' : LAST_1X_LINE;
      }
    }
    const fallbackTo = [...d.fallbackKeys].filter((k) => k !== key);
    if (fallbackTo.length > 0 && record.fallbackTo === undefined) record.fallbackTo = fallbackTo;
  }

  // The release that added a key, where its notes say so outright: older lines do not read it yet.
  // (Only 1.x releases: the catalog's 2.x line stands for every 2.x release.)
  for (const n of source.releaseNotes) {
    if (n.action !== 'added' || n.implied === true || !CATALOG_LINES_1X.includes(n.version)) continue;
    const record = records.get(n.key);
    if (record !== undefined && record.since === undefined) record.since = n.version;
  }

  // A type a 1.x release changed (FLINK-35359 made timeouts Durations in 1.20): the older lines keep the old type,
  // under which `10 s` is no number of milliseconds.
  for (const n of source.releaseNotes) {
    if (n.action !== 'type-changed' || n.oldType === undefined || n.newType === undefined || !CATALOG_LINES_1X.includes(n.version)) continue;
    const record = records.get(n.key);
    if (record === undefined) continue;
    record.type = n.newType;
    record.types = Object.fromEntries(CATALOG_LINES_1X.slice(0, CATALOG_LINES_1X.indexOf(n.version)).map((line) => [line, n.oldType!]));
  }

  // What a removed key was a deprecated spelling of, to name it as the replacement.
  const successor = new Map<string, string>();
  for (const [key, d] of declared) for (const k of d.deprecatedKeys) if (!removedIn2.has(key)) successor.set(k, key);
  for (const n of source.releaseNotes) if (n.replacement !== undefined && !removedIn2.has(n.replacement)) successor.set(n.key, n.replacement);
  for (const key of removedIn2) {
    const record = records.get(key) ?? { key, type: declared.get(key)?.type ?? typeOfDeprecatedKey(declared, key), default: null, source: 'release-notes:2.0' };
    if (record.until === undefined) record.until = LAST_1X_LINE;
    const replacement = successor.get(key);
    if (replacement !== undefined && record.replacement === undefined) record.replacement = replacement;
    records.set(key, record);
  }
}

function typeOfDeprecatedKey(declared: ReadonlyMap<string, { type: SourceOptionRecord['type']; deprecatedKeys: Set<string> }>, key: string): SourceOptionRecord['type'] {
  for (const d of declared.values()) if (d.deprecatedKeys.has(key)) return d.type;
  return 'String';
}

export function renderCatalogModule(jsonText: string, docsText: string, sourceText: string): string {
  const data = mergeCatalog(JSON.parse(jsonText) as CatalogData, JSON.parse(docsText) as DocsCatalogData, JSON.parse(sourceText) as SourceCatalogData);
  return [
    '// Generated by tools/catalog/build-catalog.ts from src/catalog/data/options.json, docs-options.json and source-options.json. Do not edit: edit the JSON and rerun.',
    "import type { CatalogData } from '../types.js';",
    '',
    `export const CATALOG_DATA: CatalogData = ${JSON.stringify(data, null, 2)};`,
    '',
  ].join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(MODULE_PATH, renderCatalogModule(readFileSync(JSON_PATH, 'utf8'), readFileSync(DOCS_JSON_PATH, 'utf8'), readFileSync(SOURCE_JSON_PATH, 'utf8')));
  process.stdout.write(`wrote ${MODULE_PATH}\n`);
}
