/**
 * The option catalog per Flink line: which keys a line reads, their types and defaults, which keys
 * are deprecated spellings of which option, and which keys a line no longer (or not yet) reads.
 * Pure data access; the data is src/catalog/data/options.json (see its `sources`).
 */
import { CATALOG_DATA } from './data/catalog-data.js';
import type { CatalogData, CatalogOptionRecord, CatalogOptionType, CatalogPatternRecord } from './types.js';

export interface CatalogOption {
  readonly key: string;
  readonly type: CatalogOptionType;
  /** The default on this line as Flink's documentation prints it; null = none. */
  readonly defaultText: string | null;
  readonly deprecatedKeys: readonly string[];
  readonly replacement: string | undefined;
  readonly record: CatalogOptionRecord;
}

/** How a key stands on one Flink line. */
export type KeyStatus =
  | { readonly kind: 'option'; readonly option: CatalogOption }
  | { readonly kind: 'deprecated'; readonly option: CatalogOption }
  /** Read by other lines only: `lastLine`/`firstLine` say which. */
  | { readonly kind: 'removed'; readonly record: CatalogOptionRecord; readonly lastLine: string }
  | { readonly kind: 'not-yet'; readonly record: CatalogOptionRecord; readonly firstLine: string }
  | { readonly kind: 'unknown' };

export interface LineCatalog {
  readonly line: string;
  readonly options: ReadonlyMap<string, CatalogOption>;
  /** Deprecated spellings this line still reads, each with the option it stands for. */
  readonly deprecatedKeys: ReadonlyMap<string, CatalogOption>;
  status(key: string): KeyStatus;
}

export const CATALOG: CatalogData = CATALOG_DATA;

const lineIndex = (line: string): number => {
  const index = CATALOG.lines.indexOf(line);
  if (index === -1) throw new RangeError(`the option catalog has no Flink line '${line}' (it has ${CATALOG.lines.join(', ')})`);
  return index;
};

function readsOn(record: CatalogOptionRecord, index: number): boolean {
  const from = record.since === undefined ? 0 : lineIndex(record.since);
  const to = record.until === undefined ? CATALOG.lines.length - 1 : lineIndex(record.until);
  return index >= from && index <= to;
}

const cache = new Map<string, LineCatalog>();

/** The catalog of one Flink line ("2.x", "1.20", ... as src/memory/versions.ts names them). */
export function catalogFor(line: string): LineCatalog {
  const cached = cache.get(line);
  if (cached !== undefined) return cached;
  const index = lineIndex(line);
  const options = new Map<string, CatalogOption>();
  const deprecated = new Map<string, CatalogOption>();
  for (const record of CATALOG.options) {
    if (!readsOn(record, index)) continue;
    const deprecatedNow = record.deprecatedSince === undefined || index >= lineIndex(record.deprecatedSince);
    const option: CatalogOption = {
      key: record.key,
      type: record.types?.[line] ?? record.type,
      defaultText: record.defaults?.[line] ?? record.default,
      deprecatedKeys: record.deprecatedKeys ?? [],
      replacement: record.replacement,
      record,
    };
    options.set(record.key, option);
    // Before its deprecation a deprecated key was the option's own key, and so simply valid.
    for (const old of record.deprecatedKeys ?? []) if (deprecatedNow) deprecated.set(old, option);
  }
  const status = (key: string): KeyStatus => {
    const option = options.get(key);
    if (option !== undefined) return { kind: 'option', option };
    const via = deprecated.get(key);
    if (via !== undefined) return { kind: 'deprecated', option: via };
    const record = CATALOG.options.find((r) => r.key === key || (r.deprecatedKeys ?? []).includes(key));
    if (record === undefined) return { kind: 'unknown' };
    if (record.until !== undefined && index > lineIndex(record.until)) return { kind: 'removed', record, lastLine: record.until };
    if (record.key !== key && record.deprecatedSince !== undefined && index < lineIndex(record.deprecatedSince)) {
      // A deprecated key before its deprecation is the option itself on this line, even where the new
      // key does not exist yet (dstl.dfs.base-path before 1.20 renamed it state.changelog.dstl.dfs.base-path).
      const own = options.get(record.key);
      return { kind: 'option', option: own ?? { key, type: record.types?.[line] ?? record.type, defaultText: record.defaults?.[line] ?? record.default, deprecatedKeys: [], replacement: undefined, record } };
    }
    if (record.since !== undefined && index < lineIndex(record.since)) return { kind: 'not-yet', record, firstLine: record.since };
    const option2 = options.get(record.key);
    return option2 === undefined ? { kind: 'unknown' } : { kind: 'option', option: option2 };
  };
  const catalog: LineCatalog = { line, options, deprecatedKeys: deprecated, status };
  cache.set(line, catalog);
  return catalog;
}

/** Whether the catalog lists every option under this key's prefix, so an unlisted key there is surely unknown. */
export function inCompleteNamespace(key: string): boolean {
  return CATALOG.completeNamespaces.some((prefix) => key.startsWith(prefix));
}

/**
 * The documented option with placeholders this key is an instance of: `<name>`-like placeholders
 * stand for one key segment or more (reporter and resource names may hold dots), and so does the
 * final `<parameter>` of `metrics.reporter.<name>.<parameter>`.
 */
export function matchPattern(key: string): CatalogPatternRecord | undefined {
  let best: CatalogPatternRecord | undefined;
  for (const p of CATALOG.patterns) {
    if (!patternRegExp(p.pattern).test(key)) continue;
    // The most specific pattern (most literal characters) gives the type.
    if (best === undefined || literalLength(p.pattern) > literalLength(best.pattern)) best = p;
  }
  return best;
}

const regExps = new Map<string, RegExp>();
function patternRegExp(pattern: string): RegExp {
  let re = regExps.get(pattern);
  if (re === undefined) {
    const source = pattern
      .split(/(<[^>]+>)/)
      .map((part) => (part.startsWith('<') ? '[^\\s]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`);
    regExps.set(pattern, re);
  }
  return re;
}

const literalLength = (pattern: string): number => pattern.replace(/<[^>]+>/g, '').length;

/** Whether the key is in a family Flink reads with user-defined names, or another component's options (never unknown). */
export function inOpenFamily(key: string): boolean {
  return CATALOG.openPrefixes.some((prefix) => key.startsWith(prefix));
}

/** Whether the key's first segment is one Flink uses at all (`taskmanage.` is not). */
export function inKnownNamespace(key: string): boolean {
  const first = key.split('.')[0] ?? key;
  return CATALOG.namespaces.includes(first);
}

/** Levenshtein distance, with an early exit once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known key nearest to `key` on this line (an option or a deprecated spelling it still reads, so
 * that `state.checkpoints.dri` finds `state.checkpoints.dir` on 2.x too), if it is close enough to be a misspelling: at most
 * 2 edits (3 for keys of 24 characters or more), so that an old option of another name
 * (`jobmanager.web.port`, 3 edits from `jobmanager.rpc.port`) is not taken for a typo.
 */
export function nearestKey(key: string, line: string): { readonly key: string; readonly distance: number } | undefined {
  const limit = key.length >= 24 ? 3 : Math.min(2, Math.floor((key.length - 1) / 4));
  let best: { key: string; distance: number } | undefined;
  const catalog = catalogFor(line);
  for (const candidate of [...catalog.options.keys(), ...catalog.deprecatedKeys.keys()]) {
    const distance = editDistance(key, candidate, best === undefined ? limit : Math.min(limit, best.distance));
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best;
}
