/**
 * `migrate`: a legacy flat flink-conf.yaml rewritten as the standard config.yaml of Flink 1.19+ /
 * 2.x. Keys nest by their dots; values are written so that Flink reads the same value (typed plain
 * YAML where the plain scalar reads back as the same text, quoted otherwise; List options as YAML
 * lists; Map options keep Flink's `k:v,k:v` text, because a YAML mapping there would be flattened
 * into sub-keys); comments stay with the setting they precede. The result is
 * loaded again and compared key by key with the original before it is returned.
 */
import { catalogFor, CATALOG } from '../catalog/catalog.js';
import type { CatalogOptionType } from '../catalog/types.js';
import { parseConfigYaml } from '../config/config-yaml.js';
import { parseFlinkConfLegacy } from '../config/flink-conf-legacy.js';
import { javaLines, javaTrim } from '../config/java-text.js';
import { renderValue } from '../config/yaml-render.js';
import { constructScalar, resolveImplicit } from '../config/yaml-scalars.js';
import { parse as parseYaml } from 'yaml';

export interface MigrateResult {
  /** The config.yaml text. */
  readonly text: string;
  /** What the rewrite changed on purpose (dropped quotes, duplicates, skipped lines). */
  readonly notes: readonly string[];
}

interface Leaf {
  key: string;
  value: string;
  comments: string[];
  inline: string | undefined;
}

interface TrieNode {
  readonly name: string;
  leaf: Leaf | undefined;
  readonly children: Map<string, TrieNode>;
}

export class MigrateError extends Error {}

export function migrateFlinkConf(text: string, file: string): MigrateResult {
  const notes: string[] = [];
  const leaves = new Map<string, Leaf>();
  let pending: string[] = [];
  javaLines(text).forEach((raw, index) => {
    const hash = raw.indexOf('#');
    const content = javaTrim(hash === -1 ? raw : raw.slice(0, hash));
    const comment = hash === -1 ? undefined : raw.slice(hash);
    if (content.length === 0) {
      pending.push(comment === undefined ? '' : javaTrim(comment));
      return;
    }
    const separator = content.indexOf(': ');
    const key = separator === -1 ? '' : javaTrim(content.slice(0, separator));
    const value = separator === -1 ? '' : javaTrim(content.slice(separator + 2));
    if (key.length === 0 || value.length === 0) {
      // Flink skips the line; keep it visible, as a comment, rather than silently dropping it.
      pending.push(`# not read by Flink (line ${index + 1} of ${file}): ${javaTrim(raw)}`);
      notes.push(`line ${index + 1} is not a "key: value" line and Flink skips it; it is kept as a comment`);
      return;
    }
    const previous = leaves.get(key);
    if (previous !== undefined) {
      notes.push(`'${key}' is set twice; the later value (line ${index + 1}) is kept, as Flink does`);
      pending = [...previous.comments, ...pending];
      leaves.delete(key);
    }
    leaves.set(key, { key, value, comments: pending, inline: comment === undefined ? undefined : javaTrim(comment) });
    pending = [];
  });

  const root: TrieNode = { name: '', leaf: undefined, children: new Map() };
  for (const leaf of leaves.values()) {
    let node = root;
    for (const part of leaf.key.split('.')) {
      let child = node.children.get(part);
      if (child === undefined) {
        child = { name: part, leaf: undefined, children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.leaf = leaf;
  }

  const out: string[] = [];
  const emitComments = (comments: readonly string[], indent: string): void => {
    for (const c of comments) out.push(c === '' ? '' : `${indent}${c}`);
  };
  const emitLeaf = (name: string, leaf: Leaf, indent: string): void => {
    emitComments(leaf.comments, indent);
    const value = yamlValue(leaf, notes);
    out.push(`${indent}${yamlKey(name)}: ${value}${leaf.inline === undefined ? '' : `  ${leaf.inline}`}`);
  };
  const firstLeaf = (node: TrieNode): Leaf | undefined => node.leaf ?? [...node.children.values()].map(firstLeaf).find((l) => l !== undefined);
  const flatten = (node: TrieNode, prefix: string, indent: string): void => {
    for (const child of node.children.values()) {
      const name = `${prefix}.${child.name}`;
      if (child.leaf !== undefined) emitLeaf(name, child.leaf, indent);
      flatten(child, name, indent);
    }
  };
  const render = (node: TrieNode, indent: string): void => {
    for (const child of node.children.values()) {
      if (child.children.size === 0) {
        emitLeaf(child.name, child.leaf!, indent);
      } else if (child.leaf !== undefined) {
        // `state.backend: x` next to `state.backend.incremental: y`: a key cannot be a value and a
        // mapping at once, so the deeper keys stay dotted beside it.
        emitLeaf(child.name, child.leaf, indent);
        flatten(child, child.name, indent);
      } else {
        const first = firstLeaf(child);
        if (first !== undefined) {
          emitComments(first.comments, indent);
          first.comments = [];
        }
        out.push(`${indent}${yamlKey(child.name)}:`);
        render(child, `${indent}  `);
      }
    }
  };
  render(root, '');
  emitComments(pending, '');
  const result = `${out.join('\n').replace(/\n+$/, '')}\n`;
  verifyRoundTrip(text, result, file);
  return { text: result, notes };
}

/** The option type the catalog records for a key on any line (newest first). */
export function typeOf(key: string): CatalogOptionType | undefined {
  for (const line of [...CATALOG.lines].reverse()) {
    const status = catalogFor(line).status(key);
    if (status.kind === 'option' || status.kind === 'deprecated') return status.option.type;
    if (status.kind === 'removed' || status.kind === 'not-yet') return status.record.type;
  }
  return undefined;
}

function yamlValue(leaf: Leaf, notes: string[]): string {
  let value = leaf.value;
  const quoted = /^"([^"]*)"$/.exec(value) ?? /^'([^']*)'$/.exec(value);
  if (quoted !== null) {
    // Legacy flink-conf.yaml keeps quotes as part of the value; the scripts strip them for env.*,
    // and in config.yaml quotes only mark a string.
    value = quoted[1]!;
    notes.push(`'${leaf.key}': the surrounding quotes of the legacy value become YAML string quotes`);
    return scalar(value, true);
  }
  const type = typeOf(leaf.key);
  // A number written another way (0.40) is written as YAML reads it (0.4): the same float to Flink.
  if ((type === 'Float' || type === 'Double') && /^[0-9]*\.?[0-9]+$/.test(value)) {
    const canonical = renderValue(constructScalar('float', value.includes('.') ? value : `${value}.0`));
    if (Number(canonical) === Number(value)) return canonical;
  }
  if (type === 'List<String>' && value.includes(';')) return `[${value.split(';').map((item) => scalar(javaTrim(item), false)).join(', ')}]`;
  return scalar(value, false);
}

/** A scalar Flink reads back as exactly `text`: plain when YAML typing keeps the text, quoted otherwise. */
function scalar(text: string, forceString: boolean): string {
  if (!forceString && /^[^\s'"#&*!|>%@`{}[\],?:-][^#]*$/.test(text) && !/[\s:]$/.test(text) && !/: /.test(text) && !/ #/.test(text)) {
    const tag = resolveImplicit(text);
    if (tag !== 'merge' && tag !== 'null' && tag !== 'value' && tag !== 'timestamp') {
      try {
        if (renderValue(constructScalar(tag, text)) === text) return text;
      } catch {
        // not constructible as typed: quote it
      }
    }
  }
  return /[\u0000-\u001f\\]/.test(text) ? JSON.stringify(text) : `'${text.replaceAll("'", "''")}'`;
}

function yamlKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(name) && resolveImplicit(name) === 'str' ? name : `'${name.replaceAll("'", "''")}'`;
}

/**
 * Whether two raw values mean the same to Flink for this option type: equal text, or the same list
 * or map, or the same text without the quotes a legacy file kept.
 */
export function equivalentValues(type: CatalogOptionType | undefined, legacy: string, standard: string): boolean {
  if (legacy === standard) return true;
  const unquoted = /^"([^"]*)"$/.exec(legacy)?.[1] ?? /^'([^']*)'$/.exec(legacy)?.[1];
  if (unquoted !== undefined && unquoted === standard) return true;
  if ((type === 'Float' || type === 'Double') && /^[0-9]*\.?[0-9]+$/.test(legacy)) return Number(legacy) === Number(standard);
  try {
    if (type === 'List<String>') {
      const items: unknown = parseYaml(standard);
      return Array.isArray(items) && items.map(String).join(';') === legacy.split(';').map((s) => javaTrim(s)).join(';');
    }
  } catch {
    return false;
  }
  return false;
}

/** Both files must give Flink the same configuration; a mismatch is a bug here, never silent. */
function verifyRoundTrip(legacyText: string, standardText: string, file: string): void {
  const legacy = parseFlinkConfLegacy(legacyText, file).entries;
  const standard = parseConfigYaml(standardText, `${file} (migrated)`).entries;
  for (const [key, entry] of legacy) {
    const other = standard.get(key);
    if (other === undefined || !equivalentValues(typeOf(key), entry.value, other.value)) {
      throw new MigrateError(`${file}: internal error: '${key}' would not survive the migration ('${entry.value}' became '${other?.value ?? '(missing)'}')`);
    }
  }
  for (const key of standard.keys()) if (!legacy.has(key)) throw new MigrateError(`${file}: internal error: the migration invented '${key}'`);
}
