/**
 * Flink's configuration inside a Kubernetes ConfigMap: the standalone-Kubernetes layout, where a
 * ConfigMap's `data` holds the files mounted as /opt/flink/conf, usually in a manifest that also
 * holds the Deployments and Services:
 *
 * ```yaml
 * kind: ConfigMap
 * data:
 *   flink-conf.yaml: |+          # Flink 1.18 and older (legacy line parser)
 *     taskmanager.memory.process.size: 1728m
 *   config.yaml: |               # Flink 1.19+ / 2.x (standard YAML)
 *     taskmanager: ...
 * ```
 *
 * - `readManifest` sorts a manifest out: a FlinkDeployment in any document (or YAML that does not
 *   parse) is the FlinkDeployment reader's business, as before; otherwise the ConfigMaps whose
 *   `data` holds `config.yaml` and/or `flink-conf.yaml`, in document order.
 * - `loadFlinkConfigMap` reads the first of them: `config.yaml` with the standard reader
 *   (config-yaml.ts), `flink-conf.yaml` with Flink's legacy line parser (flink-conf-legacy.ts);
 *   when both are present config.yaml wins with a warning, as for a directory holding both, and
 *   every further ConfigMap with a Flink configuration is named in a warning.
 * - Lines are lines of the manifest. A literal block scalar (`|`, `|+`, `|-`, the usual form)
 *   keeps its lines one to one: the embedded line N is the manifest line N below the `|`, so
 *   the embedded text is parsed behind as many empty lines as precede its first line, and
 *   every entry, warning and error (including "also set on line N" in a message) points at the
 *   manifest. Any other scalar (plain, quoted, folded `>`, or JSON from `kubectl -o json`) has no
 *   such correspondence: everything points at the line of its data key.
 */
import { isAlias, isMap, isScalar, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseConfigYaml } from './config-yaml.js';
import { at, ConfigLoadError } from './errors.js';
import { parseFlinkConfLegacy } from './flink-conf-legacy.js';
import { FLINK_DEPLOYMENT_KIND } from './flink-deployment.js';
import type { ConfigFormat, ConfigWarning, LoadedConfig } from './types.js';

export const CONFIG_MAP_KIND = 'ConfigMap';

/** The data keys that hold Flink's configuration, in order of precedence (as in Flink 1.19+). */
const FLINK_DATA_KEYS: readonly ConfigFormat[] = ['config.yaml', 'flink-conf.yaml'];

/** One Flink configuration file in a ConfigMap's `data`. */
export interface EmbeddedConfigFile {
  /** The data key, which is also the file name Flink sees and the format it is read in. */
  readonly key: ConfigFormat;
  /** Line of the data key in the manifest. */
  readonly keyLine: number;
  /** The value node (null for `key:` without a value). */
  readonly node: Node | null;
}

/** A ConfigMap whose `data` holds `config.yaml` and/or `flink-conf.yaml`. */
export interface FlinkConfigMap {
  readonly name?: string;
  readonly namespace?: string;
  /** Line of its `kind: ConfigMap`. */
  readonly line: number;
  /** Present Flink files, config.yaml first. */
  readonly files: readonly EmbeddedConfigFile[];
  /** For resolving aliases and positions. */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/** What a Kubernetes manifest holds, as far as loading a Flink configuration goes. */
export type ManifestContents =
  /** A FlinkDeployment document, or YAML that does not parse: the FlinkDeployment reader reports either. */
  | { readonly kind: 'flink-deployment' }
  /** No FlinkDeployment; one or more ConfigMaps holding a Flink configuration, in document order. */
  | { readonly kind: 'config-maps'; readonly configMaps: readonly [FlinkConfigMap, ...FlinkConfigMap[]] }
  /** Neither: the kinds the documents have (deduplicated, in order), for the error message. */
  | { readonly kind: 'none'; readonly kinds: readonly string[] };

/** Where a configuration loaded from a ConfigMap came from. */
export interface ConfigMapInfo {
  readonly file: string;
  /** Line of its `kind: ConfigMap`. */
  readonly line: number;
  readonly name?: string;
  readonly namespace?: string;
  /** The data key that was read. */
  readonly dataKey: ConfigFormat;
  /** Line of that data key. */
  readonly dataLine: number;
}

/** A configuration loaded from a ConfigMap manifest: the flat map plus where it came from. */
export interface LoadedConfigMapConfig extends LoadedConfig {
  readonly configMap: ConfigMapInfo;
}

/** The ConfigMap behind a loaded configuration, if it came from one. */
export function configMapOf(config: LoadedConfig): ConfigMapInfo | undefined {
  const candidate = (config as Partial<LoadedConfigMapConfig>).configMap;
  return candidate !== undefined && typeof candidate === 'object' ? candidate : undefined;
}

/** Sorts out a manifest (see ManifestContents). Never throws: errors are left to the readers. */
export function readManifest(text: string): ManifestContents {
  const lineCounter = new LineCounter();
  let parsed;
  try {
    // The FlinkDeployment reader's options, so that the same files parse (or fail) here.
    parsed = parseAllDocuments(text, { schema: 'failsafe', lineCounter, uniqueKeys: true });
  } catch {
    return { kind: 'flink-deployment' };
  }
  const documents = Array.isArray(parsed) ? parsed : [];
  if (documents.some((doc) => doc.errors.length > 0)) return { kind: 'flink-deployment' };

  const configMaps: FlinkConfigMap[] = [];
  const kinds: string[] = [];
  for (const doc of documents) {
    const nodes = new Nodes(doc, lineCounter);
    const root = doc.contents === null ? undefined : nodes.deref(doc.contents as Node);
    if (root === undefined || !isMap(root)) continue;
    const kindNode = nodes.child(root, 'kind');
    const kind = nodes.text(kindNode);
    if (kind === undefined) continue;
    if (kind === FLINK_DEPLOYMENT_KIND) return { kind: 'flink-deployment' };
    if (!kinds.includes(kind)) kinds.push(kind);
    if (kind !== CONFIG_MAP_KIND) continue;
    const data = nodes.child(root, 'data');
    if (data === undefined || !isMap(data)) continue;
    const files: EmbeddedConfigFile[] = [];
    for (const key of FLINK_DATA_KEYS) {
      const pair = data.items.find((p) => nodes.keyText(p) === key);
      if (pair === undefined) continue;
      const node = pair.value === null || pair.value === undefined ? null : (nodes.deref(pair.value as Node) ?? null);
      files.push({ key, keyLine: nodes.lineOf(pair.key), node });
    }
    if (files.length === 0) continue;
    const metadata = nodes.child(root, 'metadata');
    const name = metadata !== undefined && isMap(metadata) ? nodes.text(nodes.child(metadata, 'name')) : undefined;
    const namespace = metadata !== undefined && isMap(metadata) ? nodes.text(nodes.child(metadata, 'namespace')) : undefined;
    configMaps.push({
      ...(name === undefined ? {} : { name }),
      ...(namespace === undefined ? {} : { namespace }),
      line: nodes.lineOf(kindNode),
      files,
      doc,
      lineCounter,
    });
  }
  const [first, ...rest] = configMaps;
  return first === undefined ? { kind: 'none', kinds } : { kind: 'config-maps', configMaps: [first, ...rest] };
}

/**
 * Loads the Flink configuration of the first ConfigMap (config.yaml over flink-conf.yaml);
 * the others are named in warnings. `file` is the manifest; all lines are its lines.
 */
export function loadFlinkConfigMap(configMaps: readonly [FlinkConfigMap, ...FlinkConfigMap[]], file: string): LoadedConfigMapConfig {
  const [chosen, ...others] = configMaps;
  const used = chosen.files[0]!;
  const loaded = loadEmbeddedFile(chosen, used, file);
  const warnings: ConfigWarning[] = [];
  for (const ignored of chosen.files.slice(1)) {
    warnings.push({
      file,
      line: ignored.keyLine,
      message: `ignored: ${used.key} in the same ConfigMap takes precedence (as in Flink 1.19+; Flink 1.18 and older read only ${ignored.key})`,
    });
  }
  for (const other of others) {
    const otherFile = other.files[0]!;
    warnings.push({
      file,
      line: otherFile.keyLine,
      message: `ignored: ${describe(other)} (line ${other.line}) also holds a Flink configuration (${other.files.map((f) => f.key).join(', ')}); only the first in the file, ${describe(chosen)} (line ${chosen.line}), is read`,
    });
  }
  const configMap: ConfigMapInfo = {
    file,
    line: chosen.line,
    ...(chosen.name === undefined ? {} : { name: chosen.name }),
    ...(chosen.namespace === undefined ? {} : { namespace: chosen.namespace }),
    dataKey: used.key,
    dataLine: used.keyLine,
  };
  return { ...loaded, warnings: [...warnings, ...loaded.warnings], configMap };
}

function describe(configMap: FlinkConfigMap): string {
  return configMap.name === undefined ? 'a ConfigMap without a name' : `ConfigMap '${configMap.name}'`;
}

/** Parses one embedded file with the reader its data key names, lines mapped to the manifest. */
function loadEmbeddedFile(configMap: FlinkConfigMap, embedded: EmbeddedConfigFile, file: string): LoadedConfig {
  const { node, key, keyLine } = embedded;
  if (node !== null && !isScalar(node)) {
    throw new ConfigLoadError(
      'UNSUPPORTED_VALUE',
      `${at(file, keyLine)}data.${key} of ${describe(configMap)} must be a string holding the file (a block scalar, '${key}: |'); Kubernetes refuses other ConfigMap data values`,
      { file, line: keyLine, key: `data.${key}` },
    );
  }
  const text = node === null || node.value === null || node.value === undefined ? '' : String(node.value);
  const parse = (content: string): LoadedConfig => (key === 'config.yaml' ? parseConfigYaml(content, file) : parseFlinkConfLegacy(content, file));
  const empty: ConfigWarning[] =
    text.trim() === '' ? [{ file, line: keyLine, message: `data.${key} of ${describe(configMap)} is empty, so the configuration is empty` }] : [];

  if (node !== null && node.type === 'BLOCK_LITERAL' && node.range !== undefined && node.range !== null) {
    // The text starts on the line after the `|` indicator (its header may carry a comment).
    const headerLine = new Nodes(configMap.doc, configMap.lineCounter).lineOf(node);
    let loaded: LoadedConfig;
    try {
      loaded = parse('\n'.repeat(headerLine) + text);
    } catch (e) {
      // Only errors without a line (the file as a whole) need one: the data key's.
      if (e instanceof ConfigLoadError && e.file === file && e.line === undefined) throw relocatedError(e, file, keyLine);
      throw e;
    }
    const warnings = loaded.warnings.map((w) => (w.line === 0 ? { ...w, line: keyLine } : w));
    return { ...loaded, warnings: [...empty, ...warnings] };
  }

  // Plain, quoted or folded: no line of the text corresponds to a line of the manifest.
  let loaded: LoadedConfig;
  try {
    loaded = parse(text);
  } catch (e) {
    if (e instanceof ConfigLoadError && e.file === file) throw relocatedError(e, file, keyLine);
    throw e;
  }
  const entries = new Map(
    [...loaded.entries].map(([k, entry]) => [k, entry.source.kind === 'file' ? { ...entry, source: { ...entry.source, line: keyLine } } : entry] as const),
  );
  const warnings = loaded.warnings.map((w) => ({ ...w, line: keyLine, message: relocateLineMentions(w.message, keyLine) }));
  return { ...loaded, entries, warnings: [...empty, ...warnings] };
}

/** The same error at `line` of the manifest. */
function relocatedError(e: ConfigLoadError, file: string, line: number): ConfigLoadError {
  const prefix = at(file, e.line);
  const rest = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return new ConfigLoadError(e.code, `${at(file, line)}${relocateLineMentions(rest, line)}`, {
    file,
    line,
    ...(e.key === undefined ? {} : { key: e.key }),
    cause: e.cause ?? e,
  });
}

/** "also set on line 3" / "first written on line 3" name a line of the embedded text: use `line`. */
function relocateLineMentions(message: string, line: number): string {
  return message.replace(/\bon line \d+/g, `on line ${line}`);
}

/** Node access within one document of the manifest. */
class Nodes {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  deref(node: Node): Node | undefined {
    return isAlias(node) ? (node.resolve(this.doc) as Node | undefined) : node;
  }

  child(map: YAMLMap, key: string): Node | undefined {
    const pair = map.items.find((p) => this.keyText(p) === key);
    if (pair === undefined || pair.value === null || pair.value === undefined) return undefined;
    return this.deref(pair.value as Node);
  }

  keyText(pair: Pair<unknown, unknown>): string | undefined {
    const key = pair.key === null || pair.key === undefined ? undefined : this.deref(pair.key as Node);
    return key !== undefined && isScalar(key) && key.value !== null && key.value !== undefined ? String(key.value) : undefined;
  }

  /** The text of a scalar (every scalar is a string under the failsafe schema); undefined otherwise. */
  text(node: Node | undefined): string | undefined {
    return node !== undefined && isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
  }

  lineOf(node: unknown): number {
    const range = (node as { range?: readonly number[] | null } | null)?.range;
    const offset = range?.[0];
    return offset === undefined ? 0 : this.lineCounter.linePos(offset).line;
  }
}
