/**
 * Scalars of a standard-YAML `config.yaml` typed the way Flink sees them.
 *
 * Flink (1.19+, 2.x) reads config.yaml with SnakeYAML, whose implicit typing of plain (unquoted)
 * scalars follows YAML 1.1, not the YAML 1.2 core schema: `yes`/`on`/`off` are booleans, `010` is
 * octal, `1_000` is an int, `1:30` is sexagesimal, `1e3` is a float. The `yaml` package only
 * parses the syntax here (with its failsafe schema, every scalar a string); this module applies
 * SnakeYAML's resolver and constructors, and renders the result as Flink renders a non-string
 * value read as a string (`YamlParserUtils.toYAMLString`, i.e. a SnakeYAML dump).
 */

/** A constructed YAML value, mirroring the Java object SnakeYAML would build. */
export type YamlValue =
  | { readonly type: 'str'; readonly value: string }
  /** Integer, Long or BigInteger: only the decimal value matters. */
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  /** A java.util.Date in Flink; kept as written (see `renderScalar`). */
  | { readonly type: 'timestamp'; readonly value: string }
  | { readonly type: 'null' }
  | { readonly type: 'seq'; readonly items: readonly YamlValue[] }
  | { readonly type: 'map'; readonly entries: readonly (readonly [YamlValue, YamlValue])[] };

export type ImplicitTag = 'bool' | 'int' | 'float' | 'merge' | 'null' | 'timestamp' | 'value' | 'str';

// SnakeYAML 2.x Resolver patterns (YAML 1.1 implicit types).
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT =
  /^(?:[-+]?0b_*[0-1][0-1_]*|[-+]?0_*[0-7][0-7_]*|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x_*[0-9a-fA-F][0-9a-fA-F_]*|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const MERGE = /^(?:<<)$/;
const NULL = /^(?:~|null|Null|NULL| )$/;
const EMPTY = /^$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const VALUE = /^(?:=)$/;

interface Resolver {
  readonly tag: ImplicitTag;
  readonly pattern: RegExp;
  /** Longer scalars are not even tried (SnakeYAML's guard against slow patterns). */
  readonly limit: number;
}

const BY_FIRST_CHAR = new Map<string, Resolver[]>();
const ANY_FIRST_CHAR: Resolver[] = [];

function add(tag: ImplicitTag, pattern: RegExp, first: string | null, limit = 1024): void {
  const resolver = { tag, pattern, limit };
  if (first === null) {
    ANY_FIRST_CHAR.push(resolver);
    return;
  }
  for (const ch of first) {
    if (ch === '\0') {
      ANY_FIRST_CHAR.push(resolver);
      continue;
    }
    const list = BY_FIRST_CHAR.get(ch) ?? [];
    list.push(resolver);
    BY_FIRST_CHAR.set(ch, list);
  }
}

// Same registration order as SnakeYAML: INT before FLOAT, whose pattern also matches ints.
add('bool', BOOL, 'yYnNtTfFoO', 10);
add('int', INT, '-+0123456789');
add('float', FLOAT, '-+0123456789.');
add('merge', MERGE, '<', 10);
add('null', NULL, '~nN\0', 10);
add('null', EMPTY, null, 10);
add('timestamp', TIMESTAMP, '0123456789', 50);
add('value', VALUE, '=');

/** The tag SnakeYAML's resolver gives a plain scalar with this text. */
export function resolveImplicit(text: string): ImplicitTag {
  const candidates = [...(BY_FIRST_CHAR.get(text.charAt(0)) ?? []), ...ANY_FIRST_CHAR];
  for (const r of candidates) {
    if (text.length <= r.limit && r.pattern.test(text)) return r.tag;
  }
  return 'str';
}

/** Thrown for scalars SnakeYAML (and so Flink) cannot construct; the caller adds file and line. */
export class ScalarConstructionError extends Error {}

/** Builds the value of a scalar with the given (implicit or explicit) tag, as SnakeYAML's SafeConstructor does. */
export function constructScalar(tag: ImplicitTag, text: string): YamlValue {
  switch (tag) {
    case 'str':
      return { type: 'str', value: text };
    case 'null':
      return { type: 'null' };
    case 'bool':
      return constructBool(text);
    case 'int':
      return { type: 'int', value: constructInt(text) };
    case 'float':
      return { type: 'float', value: constructFloat(text) };
    case 'timestamp':
      if (!TIMESTAMP.test(text)) throw new ScalarConstructionError(`'${text}' is not a YAML timestamp`);
      return { type: 'timestamp', value: text };
    case 'merge':
    case 'value':
      // SnakeYAML has no constructor for these implicit tags: loading fails.
      throw new ScalarConstructionError(`plain '${text}' cannot be loaded by Flink's YAML parser (quote it to use it as a string)`);
  }
}

function constructBool(text: string): YamlValue {
  const lower = text.toLowerCase();
  if (lower === 'yes' || lower === 'true' || lower === 'on') return { type: 'bool', value: true };
  if (lower === 'no' || lower === 'false' || lower === 'off') return { type: 'bool', value: false };
  throw new ScalarConstructionError(`'${text}' is not a YAML boolean`);
}

/** SafeConstructor.ConstructYamlInt: underscores dropped; 0b, 0x, leading-0 octal, base 60. */
function constructInt(text: string): bigint {
  let value = text.replaceAll('_', '');
  let negative = false;
  if (value.startsWith('-')) {
    negative = true;
    value = value.slice(1);
  } else if (value.startsWith('+')) {
    value = value.slice(1);
  }
  const fail = (): never => {
    throw new ScalarConstructionError(`'${text}' is not a YAML integer`);
  };
  if (value === '') fail();
  if (value === '0') return 0n;
  let digits: string;
  let radix: number;
  if (value.startsWith('0b')) [digits, radix] = [value.slice(2), 2];
  else if (value.startsWith('0x')) [digits, radix] = [value.slice(2), 16];
  else if (value.startsWith('0')) [digits, radix] = [value.slice(1), 8];
  else if (value.includes(':')) return applySign(sexagesimalInt(value.split(':'), fail), negative);
  else [digits, radix] = [value, 10];
  const pattern = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[radix as 2 | 8 | 10 | 16];
  if (!pattern.test(digits)) fail();
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[radix as 2 | 8 | 10 | 16];
  return applySign(BigInt(prefix + digits), negative);
}

/**
 * Base 60 exactly as SnakeYAML computes it: an `int` accumulator and multiplier, so large values
 * wrap around like Java ints do.
 */
function sexagesimalInt(parts: string[], fail: () => never): bigint {
  let value = 0n;
  let multiplier = 1n;
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] ?? '';
    if (!/^[0-9]+$/.test(part)) fail();
    value = BigInt.asIntN(32, BigInt.asIntN(64, value + BigInt.asIntN(64, BigInt(part) * multiplier)));
    multiplier = BigInt.asIntN(32, multiplier * 60n);
  }
  return value;
}

function applySign(value: bigint, negative: boolean): bigint {
  return negative ? -value : value;
}

/** SafeConstructor.ConstructYamlFloat: underscores dropped; .inf/.nan; base 60; else Double.valueOf. */
function constructFloat(text: string): number {
  let value = text.replaceAll('_', '');
  let sign = 1;
  if (value.startsWith('-')) {
    sign = -1;
    value = value.slice(1);
  } else if (value.startsWith('+')) {
    value = value.slice(1);
  }
  const lower = value.toLowerCase();
  if (lower === '.inf') return sign * Infinity;
  if (lower === '.nan') return NaN;
  const parse = (s: string): number => {
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(s)) {
      throw new ScalarConstructionError(`'${text}' is not a YAML float`);
    }
    return Number(s);
  };
  if (value.includes(':')) {
    const parts = value.split(':');
    let result = 0;
    let multiplier = 1;
    for (let i = parts.length - 1; i >= 0; i--) {
      result += parse(parts[i] ?? '') * multiplier;
      multiplier = Math.imul(multiplier, 60);
    }
    return sign * result;
  }
  return parse(value) * sign;
}
