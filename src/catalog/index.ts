/** Flink's configuration options per line, as data: see catalog.ts and data/options.json. */
export { CATALOG, catalogFor, editDistance, inCompleteNamespace, inKnownNamespace, nearestKey, type CatalogOption, type KeyStatus, type LineCatalog } from './catalog.js';
export { checkValue } from './values.js';
export type { CatalogData, CatalogOptionRecord, CatalogOptionType, CatalogSource } from './types.js';
