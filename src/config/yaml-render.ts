/**
 * Strings for constructed YAML values, as Flink produces them:
 *
 * - a leaf value read as a string: a String as is, anything else through
 *   `YamlParserUtils.toYAMLString` (a SnakeYAML dump in flow style, one line), e.g. `1`, `true`,
 *   `1.5`, `1.0E10`, `.inf`, and for lists `[a, b, '*', 1, '2', true, 'true']`;
 * - a mapping key: Java string concatenation (`String.valueOf`), e.g. `1`, `true`, `1.0`, `null`.
 *
 * Approximations: a timestamp keeps its source text (Flink would print a java.util.Date), and
 * strings with non-printable characters are double-quoted with escapes (SnakeYAML would emit
 * `!!binary`). Neither occurs in memory options.
 */
import { javaDoubleToString } from './java-text.js';
import { resolveImplicit, type YamlValue } from './yaml-scalars.js';

/** The string Flink returns when a leaf holding this value is read as a string. */
export function renderValue(value: YamlValue): string {
  if (value.type === 'str') return value.value;
  return dumpFlow(value, false);
}

/** The text a mapping key contributes to a flattened key (Java `String.valueOf`). */
export function renderKey(value: YamlValue): string | undefined {
  switch (value.type) {
    case 'str':
    case 'timestamp':
      return value.value;
    case 'int':
      return value.value.toString();
    case 'float':
      return javaDoubleToString(value.value);
    case 'bool':
      return String(value.value);
    case 'null':
      return 'null';
    case 'seq':
    case 'map':
      return undefined;
  }
}

/** One value in SnakeYAML's flow style. `simpleKey`: written as a key inside a flow mapping. */
function dumpFlow(value: YamlValue, simpleKey: boolean): string {
  switch (value.type) {
    case 'str':
      return dumpString(value.value, simpleKey);
    case 'int':
      return value.value.toString();
    case 'float':
      if (Number.isNaN(value.value)) return '.NaN';
      if (value.value === Infinity) return '.inf';
      if (value.value === -Infinity) return '-.inf';
      return javaDoubleToString(value.value);
    case 'bool':
      return String(value.value);
    case 'timestamp':
      return value.value;
    case 'null':
      return 'null';
    case 'seq':
      return `[${value.items.map((item) => dumpFlow(item, false)).join(', ')}]`;
    case 'map':
      return `{${value.entries.map(([k, v]) => `${dumpFlow(k, true)}: ${dumpFlow(v, false)}`).join(', ')}}`;
  }
}

const LINE_BREAKS = '\n\r\u0085\u2028\u2029';
const BLANK_OR_BREAK = `\0 \t${LINE_BREAKS}`;

/** SnakeYAML's Emitter.chooseScalarStyle for a string inside a flow collection. */
function dumpString(text: string, simpleKey: boolean): string {
  // The representer asks for a literal block for multi-line strings, which flow context turns into double quotes.
  if (/[\n\u0085\u2028\u2029]/.test(text)) return doubleQuoted(text);
  const a = analyze(text);
  if (resolveImplicit(text) === 'str' && a.allowFlowPlain && !(simpleKey && a.empty)) return text;
  if (a.allowSingleQuoted) return `'${text.replaceAll("'", "''")}'`;
  return doubleQuoted(text);
}

interface Analysis {
  readonly empty: boolean;
  readonly allowFlowPlain: boolean;
  readonly allowSingleQuoted: boolean;
}

/** SnakeYAML's Emitter.analyzeScalar, reduced to what flow context needs. */
function analyze(text: string): Analysis {
  if (text.length === 0) return { empty: true, allowFlowPlain: false, allowSingleQuoted: true };
  let flowIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingOrTrailingBlank = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByBlank = true;
  let followedByBlank = text.length === 1 || BLANK_OR_BREAK.includes(text.charAt(1));
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const code = text.charCodeAt(i);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = true;
      if (ch === '?' || ch === ':') flowIndicators = true;
      if (ch === '-' && followedByBlank) flowIndicators = true;
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') flowIndicators = true;
      if (ch === '#' && precededByBlank) flowIndicators = true;
    }
    const isBreak = LINE_BREAKS.includes(ch);
    if (isBreak) lineBreaks = true;
    if (!(ch === '\n' || (code >= 0x20 && code <= 0x7e))) {
      const unicode = (code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd)) && code !== 0xfeff;
      if (!unicode) special = true;
    }
    if (ch === ' ') {
      if (i === 0 || i === text.length - 1) leadingOrTrailingBlank = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak) {
      if (i === 0 || i === text.length - 1) leadingOrTrailingBlank = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByBlank = '\0 \t'.includes(ch) || isBreak;
    followedByBlank = i + 2 >= text.length || '\0 \t'.includes(text.charAt(i + 2)) || isBreak;
  }
  const allowFlowPlain = !(leadingOrTrailingBlank || breakSpace || spaceBreak || special || lineBreaks || flowIndicators);
  const allowSingleQuoted = !(breakSpace || spaceBreak || special);
  return { empty: false, allowFlowPlain, allowSingleQuoted };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '0',
  '\u0007': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\u000b': 'v',
  '\f': 'f',
  '\r': 'r',
  '\u001b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u00a0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** SnakeYAML's double-quoted writer (unicode allowed, no line folding at width Integer.MAX_VALUE). */
function doubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const needsEscape = '"\\\u0085\u2028\u2029\ufeff'.includes(ch) || code < 0x20 || code > 0x7e;
    if (!needsEscape) out += ch;
    else if (ESCAPES[ch] !== undefined) out += `\\${ESCAPES[ch]}`;
    else if (code < 0x20 || code === 0x7f || code === 0xfeff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
