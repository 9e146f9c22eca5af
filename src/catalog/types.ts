/** The shape of the option catalog data (src/catalog/data/options.json). */

/** Option types as Flink's documentation tables name them. */
export type CatalogOptionType =
  | 'MemorySize'
  | 'Float'
  | 'Double'
  | 'Integer'
  | 'Long'
  | 'Boolean'
  | 'String'
  | 'Duration'
  | 'Map'
  | 'Enum'
  | 'List<String>'
  | 'List<Enum>'
  | 'List<Map>';

/** One option as recorded in the data file. */
export interface CatalogOptionRecord {
  readonly key: string;
  readonly type: CatalogOptionType;
  /** The default as Flink's documentation prints it (`128 mb`, `0.4`); null = no default. */
  readonly default: string | null;
  /** Per-line defaults where a line differs (`{"1.16": "1 gb"}`). */
  readonly defaults?: Readonly<Record<string, string>>;
  /** Per-line types where a line differs (`{"1.19": "Long"}` for an option 1.20 made a Duration). */
  readonly types?: Readonly<Record<string, CatalogOptionType>>;
  /** Older keys Flink still reads for this option, with a deprecation warning. */
  readonly deprecatedKeys?: readonly string[];
  /** The line from which the deprecated keys are deprecated (before it they were the option's own key). */
  readonly deprecatedSince?: string;
  /** First line that reads the option (default: the oldest supported line). */
  readonly since?: string;
  /** Last line that reads the option (default: the newest). */
  readonly until?: string;
  /** For a removed option: the option to use instead. */
  readonly replacement?: string;
  /** Options the documentation names as read instead when this one is not set ("If not configured, X is used"). */
  readonly fallbackTo?: readonly string[];
  /** Id of the entry in `sources` the record was taken from. */
  readonly source: string;
}

/**
 * An option whose key has user-defined parts, as the documentation writes it with placeholders
 * (`metrics.reporter.<name>.factory.class`): every key of that shape is that option.
 */
export interface CatalogPatternRecord {
  readonly pattern: string;
  readonly type: CatalogOptionType;
  readonly default: string | null;
  readonly source: string;
}

export interface CatalogSource {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly note: string;
}

export interface CatalogData {
  readonly comment: string;
  /** Supported Flink lines, oldest first. */
  readonly lines: readonly string[];
  readonly sources: Readonly<Record<string, CatalogSource>>;
  /** Key prefixes whose every option is in the catalog: any other key under them is unknown for sure. */
  readonly completeNamespaces: readonly string[];
  /** Why each namespace of `completeNamespaces` is complete (which tables are held). */
  readonly completeNamespacesNote?: string;
  /** First key segments Flink uses at all; a key outside them is unknown for sure. */
  readonly namespaces: readonly string[];
  readonly options: readonly CatalogOptionRecord[];
  /** Options with placeholders in their key; see CatalogPatternRecord. */
  readonly patterns: readonly CatalogPatternRecord[];
  /** Key prefixes of families Flink reads with user-defined names and no documented table (never flagged). */
  readonly openPrefixes: readonly string[];
  readonly openPrefixesNote?: string;
  /** Stored copies of documentation tables and the Flink version each is (null: not established). */
  readonly tableCopies?: readonly CatalogTableCopy[];
  readonly tableCopiesNote?: string;
  /** Per supported line: which version-identified sources its per-line facts come from, or that none exists. */
  readonly lineCoverage?: Readonly<Record<string, string>>;
}

/** One stored copy of a generated documentation table and the Flink version it is. */
export interface CatalogTableCopy {
  readonly table: string;
  readonly repo: string;
  readonly commit: string;
  /** As the version file at the same commit states it; null = no version file there. */
  readonly version: string | null;
  readonly evidence: string;
}

/** What every generated extract carries: how it was made, and where each of its records comes from. */
export interface CatalogExtract {
  readonly comment: string;
  readonly sources: Readonly<Record<string, CatalogSource>>;
}

/** The documentation extract (src/catalog/data/docs-options.json), written by tools/catalog/extract-docs.ts. */
export interface DocsCatalogData extends CatalogExtract {
  readonly options: readonly CatalogOptionRecord[];
  readonly patterns: readonly CatalogPatternRecord[];
}

/** One ConfigOption declaration of Flink's code, as tools/catalog/extract-source.ts reads it from a stored version of its class. */
export interface SourceOptionRecord {
  readonly key: string;
  readonly type: CatalogOptionType;
  /** Keys passed to `withDeprecatedKeys`: read too, with a deprecation warning. */
  readonly deprecatedKeys?: readonly string[];
  /** Keys passed to `withFallbackKeys`: read when this option is not set. */
  readonly fallbackKeys?: readonly string[];
  /** `@Documentation.ExcludeFromDocumentation`: read by Flink but in no documentation table. */
  readonly hidden?: true;
  /** The field itself is `@Deprecated`. */
  readonly deprecatedOption?: true;
  /** Declared by a class Flink deprecated as a whole and 2.0 removed (ExecutionCheckpointingOptions). */
  readonly removedClass?: true;
  readonly source: string;
}

/** A configuration key a release note names as added, deprecated, renamed, removed or with a new default. */
export interface ReleaseNoteRecord {
  /** The release whose notes say it (`1.20`, `2.0`). */
  readonly version: string;
  readonly action: 'added' | 'deprecated' | 'renamed' | 'removed' | 'default-changed' | 'type-changed';
  readonly key: string;
  readonly replacement?: string;
  /** For `type-changed`: the type before this release and from it on. */
  readonly oldType?: CatalogOptionType;
  readonly newType?: CatalogOptionType;
  /** The note only implies the fact (it says to set the key, not that the key is new). */
  readonly implied?: true;
  readonly source: string;
}

/** The code extract (src/catalog/data/source-options.json), written by tools/catalog/extract-source.ts. */
export interface SourceCatalogData extends CatalogExtract {
  readonly options: readonly SourceOptionRecord[];
  readonly releaseNotes: readonly ReleaseNoteRecord[];
}
