/**
 * Standard YAML `config.yaml` (Flink 1.19+, 2.x), read the way Flink's GlobalConfiguration does.
 *
 * - Syntax is parsed by the `yaml` package; typing of plain scalars follows SnakeYAML, Flink's
 *   parser (YAML 1.1 implicit types, see yaml-scalars.ts), so `yes` is `true` and `010` is `8`.
 * - Nested mappings are flattened to dotted keys (`taskmanager: {memory: {process.size: 4g}}` ->
 *   `taskmanager.memory.process.size`); keys that already contain dots are joined as they are.
 *   When two spellings produce the same key, the later one in the file wins, as in Flink.
 * - A leaf becomes the string Flink returns when the option is read as a string: strings as
 *   written (quotes removed), ints in decimal (`0x10` -> `16`), floats as Java prints a double
 *   (`1.0` -> `1.0`, `1e3` -> `1000.0`), booleans `true`/`false`, and lists in SnakeYAML flow
 *   style, e.g. `[-Xss1m]` -> `[-Xss1m]`, `[a, '*', 1]` -> `[a, '*', 1]` (what Flink stores for a
 *   list leaf; Flink's List options parse that text back).
 * - A null leaf (`key:`, `key: ~`) is treated as absent, with a warning: Flink itself refuses to
 *   load such a file (its Configuration does not accept null values).
 * - Errors: invalid YAML, duplicate keys in one mapping (SnakeYAML is configured to reject them),
 *   several documents, or a top level that is not a mapping -> INVALID_YAML; constructs Flink's
 *   parser cannot load or this tool does not model (merge keys `<<`, custom tags, collection
 *   keys, recursive aliases) -> UNSUPPORTED_VALUE. An empty file (or one holding only comments
 *   or `~`) is a valid, empty configuration.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { at, ConfigLoadError } from './errors.js';
import type { ConfigEntry, ConfigWarning, LoadedConfig } from './types.js';
import { renderKey, renderValue } from './yaml-render.js';
import { constructScalar, resolveImplicit, ScalarConstructionError, type ImplicitTag, type YamlValue } from './yaml-scalars.js';

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
const SCALAR_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'timestamp']);
/** SnakeYAML's default LoaderOptions.maxAliasesForCollections, which Flink keeps. */
const MAX_ALIASES_FOR_COLLECTIONS = 50;
/** Bound on the values built while following aliases (a small file can otherwise expand enormously). */
const MAX_NODES = 100_000;

export function parseConfigYaml(text: string, file: string): LoadedConfig {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: false, prettyErrors: true });
  } catch (e) {
    throw new ConfigLoadError('INVALID_YAML', `${at(file)}invalid YAML: ${firstLine(e)}`, { file, cause: e });
  }
  const error = doc.errors[0];
  if (error !== undefined) {
    const line = error.linePos?.[0].line;
    const message =
      error.code === 'MULTIPLE_DOCS'
        ? 'the file holds more than one YAML document (Flink reads exactly one)'
        : firstLine(error).replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigLoadError('INVALID_YAML', `${at(file, line)}invalid YAML: ${message}`, { file, ...(line === undefined ? {} : { line }), cause: error });
  }

  checkAliasCount(doc, file, lineCounter);
  const loader = new Loader(doc, file, lineCounter);
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') continue; // tags are resolved here, the failsafe schema knows none
    loader.warnings.push({ file, line: w.linePos?.[0].line ?? 0, message: firstLine(w).replace(/ at line \d+, column \d+:?$/, '') });
  }
  loader.loadRoot(doc.contents);
  return { entries: loader.entries, file, format: 'config.yaml', warnings: loader.warnings };
}

/** Like SnakeYAML (and so Flink): at most 50 aliases may refer to lists or mappings. */
function checkAliasCount(doc: Document.Parsed, file: string, lineCounter: LineCounter): void {
  let count = 0;
  visit(doc, {
    Alias(_key, alias) {
      if (!isCollection(alias.resolve(doc))) return;
      count++;
      if (count > MAX_ALIASES_FOR_COLLECTIONS) {
        const line = alias.range === undefined || alias.range === null ? 0 : lineCounter.linePos(alias.range[0]).line;
        throw new ConfigLoadError(
          'UNSUPPORTED_VALUE',
          `${at(file, line)}more than ${MAX_ALIASES_FOR_COLLECTIONS} aliases refer to lists or mappings; Flink's YAML parser refuses this`,
          { file, line },
        );
      }
    },
  });
}

class Loader {
  readonly entries = new Map<string, ConfigEntry>();
  readonly warnings: ConfigWarning[] = [];
  /** Collections being walked, to refuse aliases that contain themselves. */
  private readonly active = new Set<Node>();
  private nodes = 0;
  private readonly aliasTargets = new Map<Node, Node>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  loadRoot(contents: unknown): void {
    if (contents === null || contents === undefined) return; // empty file or only comments
    const root = this.deref(contents as Node);
    if (isMap(root)) {
      this.flattenMap(root, '');
      return;
    }
    const value = this.toValue(root, '');
    if (value.type === 'null') return; // SnakeYAML loads `~` as null; Flink treats that as empty
    const line = this.lineOf(root);
    throw new ConfigLoadError(
      'INVALID_YAML',
      `${at(this.file, line)}invalid YAML: the top level must be a mapping of keys to values, found ${describe(value)}`,
      { file: this.file, line },
    );
  }

  private flattenMap(map: YAMLMap, prefix: string): void {
    this.checkCollectionTag(map.tag, 'map', prefix, map);
    this.enter(map, prefix);
    const seen = new Map<string, number>();
    for (const pair of map.items as Pair<unknown, unknown>[]) {
      const line = this.lineOf(pair.key ?? pair.value ?? map);
      const keyValue = this.keyOf(pair.key, prefix, line);
      const identity = identityOf(keyValue);
      const firstLineSeen = seen.get(identity);
      const keyText = renderKey(keyValue) ?? '';
      const key = prefix + keyText;
      if (firstLineSeen !== undefined) {
        throw new ConfigLoadError(
          'INVALID_YAML',
          `${at(this.file, line)}invalid YAML: duplicate key '${key}' (first written on line ${firstLineSeen})`,
          { file: this.file, line, key },
        );
      }
      seen.set(identity, line);

      const valueNode = pair.value === null || pair.value === undefined ? null : this.deref(pair.value as Node);
      if (valueNode !== null && isMap(valueNode)) {
        this.flattenMap(valueNode, `${key}.`);
        continue;
      }
      const value: YamlValue = valueNode === null ? { type: 'null' } : this.toValue(valueNode, key);
      if (value.type === 'null') {
        this.warnings.push({
          file: this.file,
          line,
          message: `'${key}' has no value (null) and is ignored; note that Flink refuses to load a config.yaml with a null value`,
        });
        continue;
      }
      this.set(key, renderValue(value), line);
    }
    this.active.delete(map);
  }

  private set(key: string, value: string, line: number): void {
    const previous = this.entries.get(key);
    if (previous !== undefined && previous.source.kind === 'file') {
      this.warnings.push({
        file: this.file,
        line,
        message: `'${key}' is also set on line ${previous.source.line}; this later value wins, as in Flink`,
      });
    }
    this.entries.set(key, { key, value, source: { kind: 'file', file: this.file, line } });
  }

  private keyOf(keyNode: unknown, prefix: string, line: number): YamlValue {
    if (keyNode === null || keyNode === undefined) return { type: 'null' };
    const node = this.deref(keyNode as Node);
    if (isScalar(node) && node.tag === undefined && node.type === 'PLAIN' && resolveImplicit(String(node.value)) === 'merge') {
      throw this.unsupported(line, prefix, `merge keys ('<<') are not supported; write the keys out`);
    }
    const value = this.toValue(node, prefix);
    if (value.type === 'seq' || value.type === 'map') {
      throw this.unsupported(line, prefix, `a ${value.type === 'seq' ? 'list' : 'mapping'} cannot be used as a key`);
    }
    return value;
  }

  /** The Java value SnakeYAML constructs for a node (maps here only occur inside lists or keys). */
  private toValue(node: Node, key: string): YamlValue {
    const resolved = this.deref(node);
    if (++this.nodes > MAX_NODES) throw this.unsupported(this.lineOf(node), key, 'aliases expand to more values than a configuration can hold');
    if (isScalar(resolved)) return this.scalarValue(resolved.value, resolved.type, resolved.tag, key, this.lineOf(resolved));
    if (isSeq(resolved)) {
      this.checkCollectionTag(resolved.tag, 'seq', key, resolved);
      this.enter(resolved, key);
      const items = (resolved.items as unknown[]).map((item) => (item === null || item === undefined ? ({ type: 'null' } as const) : this.toValue(item as Node, key)));
      this.active.delete(resolved);
      return { type: 'seq', items };
    }
    if (isMap(resolved)) {
      this.checkCollectionTag(resolved.tag, 'map', key, resolved);
      this.enter(resolved, key);
      const entries = (resolved.items as Pair<unknown, unknown>[]).map((pair) => {
        const line = this.lineOf(pair.key ?? pair.value ?? resolved);
        const k = this.keyOf(pair.key, key, line);
        const v: YamlValue = pair.value === null || pair.value === undefined ? { type: 'null' } : this.toValue(pair.value as Node, key);
        return [k, v] as const;
      });
      this.active.delete(resolved);
      return { type: 'map', entries };
    }
    throw this.unsupported(this.lineOf(node), key, 'unsupported YAML node');
  }

  private scalarValue(raw: unknown, style: string | undefined, tag: string | undefined, key: string, line: number): YamlValue {
    const text = raw === null || raw === undefined ? '' : String(raw);
    let implicit: ImplicitTag;
    if (tag === undefined) implicit = style === 'PLAIN' ? resolveImplicit(text) : 'str';
    else if (tag === '!') implicit = 'str';
    else if (tag.startsWith(YAML_TAG_PREFIX) && SCALAR_TAGS.has(tag.slice(YAML_TAG_PREFIX.length))) {
      implicit = tag.slice(YAML_TAG_PREFIX.length) as ImplicitTag;
    } else {
      throw this.unsupported(line, key, `the YAML tag ${shortTag(tag)} is not supported`);
    }
    try {
      return constructScalar(implicit, text);
    } catch (e) {
      if (e instanceof ScalarConstructionError) throw this.unsupported(line, key, e.message);
      throw e;
    }
  }

  private checkCollectionTag(tag: string | undefined, kind: 'seq' | 'map', key: string, node: Node): void {
    if (tag === undefined || tag === '!' || tag === YAML_TAG_PREFIX + kind) return;
    throw this.unsupported(this.lineOf(node), key, `the YAML tag ${shortTag(tag)} is not supported`);
  }

  private deref(node: Node): Node {
    if (!isAlias(node)) return node;
    // Alias.resolve searches the whole document, so each alias is resolved once.
    let target = this.aliasTargets.get(node);
    if (target === undefined) {
      target = node.resolve(this.doc);
      if (target !== undefined) this.aliasTargets.set(node, target);
    }
    if (target === undefined) {
      const line = this.lineOf(node);
      throw new ConfigLoadError('INVALID_YAML', `${at(this.file, line)}invalid YAML: unknown alias *${node.source}`, { file: this.file, line });
    }
    return target;
  }

  private enter(node: Node, key: string): void {
    if (this.active.has(node)) throw this.unsupported(this.lineOf(node), key, 'an alias that contains itself is not supported');
    this.active.add(node);
  }

  private lineOf(node: unknown): number {
    const range = (node as { range?: readonly number[] | null } | null)?.range;
    const offset = range?.[0];
    return offset === undefined ? 0 : this.lineCounter.linePos(offset).line;
  }

  private unsupported(line: number, key: string, what: string): ConfigLoadError {
    const where = key === '' ? '' : `'${key.replace(/\.$/, '')}': `;
    return new ConfigLoadError('UNSUPPORTED_VALUE', `${at(this.file, line)}${where}${what}`, {
      file: this.file,
      line,
      ...(key === '' ? {} : { key: key.replace(/\.$/, '') }),
    });
  }
}

/** Java equality of constructed keys, as SnakeYAML's duplicate-key check sees it. */
function identityOf(value: YamlValue): string {
  switch (value.type) {
    case 'float':
      return `float:${Object.is(value.value, -0) ? '-0' : String(value.value)}`;
    case 'int':
      return `int:${value.value.toString()}`;
    case 'str':
    case 'timestamp':
      return `${value.type}:${value.value}`;
    case 'bool':
      return `bool:${String(value.value)}`;
    case 'null':
      return 'null';
    case 'seq':
    case 'map':
      return `${value.type}:${renderValue(value)}`;
  }
}

function describe(value: YamlValue): string {
  switch (value.type) {
    case 'seq':
      return 'a list';
    case 'map':
      return 'a mapping';
    case 'str':
      return `the string '${value.value.length > 40 ? `${value.value.slice(0, 40)}…` : value.value}'`;
    default:
      return `the ${value.type} ${renderValue(value)}`;
  }
}

function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG_PREFIX) ? `!!${tag.slice(YAML_TAG_PREFIX.length)}` : tag;
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
