/** Flink's configuration options per line, as data: see catalog.ts and data/options.json. */
export { CATALOG, catalogFor, editDistance, inCompleteNamespace, inKnownNamespace, inOpenFamily, matchPattern, nearestKey, type CatalogOption, type KeyStatus, type LineCatalog } from './catalog.js';
export { checkValue } from './values.js';
export type { CatalogData, CatalogOptionRecord, CatalogOptionType, CatalogPatternRecord, CatalogSource, DocsCatalogData, ReleaseNoteRecord, SourceCatalogData, SourceOptionRecord } from './types.js';
