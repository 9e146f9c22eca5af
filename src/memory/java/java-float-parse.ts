import { JavaNumberFormatError, forInputString } from './java-number-format-error.js';

/** Double.parseDouble(text), including Java's error messages. */
export function parseJavaDouble(text: string): number {
  return parseJavaFloating(text, DOUBLE);
}

/** (double) Float.parseFloat(text): rounded once, straight from the decimal, to float precision. */
export function parseJavaFloat(text: string): number {
  return parseJavaFloating(text, FLOAT);
}

interface BinaryFormat {
  readonly precisionBits: number;
  /** Exponent of the smallest subnormal. */
  readonly minExp: number;
  /** Exponent of the largest finite power of two. */
  readonly maxExp: number;
  readonly round: (x: number) => number;
}

const DOUBLE: BinaryFormat = { precisionBits: 53, minExp: -1074, maxExp: 1023, round: (x) => x };
const FLOAT: BinaryFormat = { precisionBits: 24, minExp: -149, maxExp: 127, round: Math.fround };

/**
 * FloatingDecimal.readJavaFormatString's grammar: after String.trim(), an optional sign, then
 * "NaN", "Infinity", a hex float (0x...p...), or decimal digits with at most one point, an
 * optional exponent and one optional trailing f/F/d/D. Java reports a second point as
 * "multiple points" the moment its scanner meets it, everything else as For input string.
 */
function parseJavaFloating(text: string, format: BinaryFormat): number {
  const s = javaTrim(text);
  const len = s.length;
  if (len === 0) throw new JavaNumberFormatError('empty String');
  const first = s.charCodeAt(0);
  const negative = first === 0x2d;
  const start = negative || first === 0x2b ? 1 : 0;
  const c = s.charCodeAt(start);
  if (c === 0x4e) {
    if (len - start === 3 && s.startsWith('NaN', start)) return NaN;
    throw forInputString(s);
  }
  if (c === 0x49) {
    if (len - start === 8 && s.startsWith('Infinity', start)) return negative ? -Infinity : Infinity;
    throw forInputString(s);
  }
  if (c === 0x30 && start + 1 < len && (s.charCodeAt(start + 1) | 0x20) === 0x78) return parseHex(s, format);
  const end = scanDecimal(s, start);
  const magnitude = decimalToBinary(s.slice(start, end), format);
  return negative ? -magnitude : magnitude;
}

/** String.trim(): Java strips every char <= ' ' (controls included), not Unicode spaces. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Validates the decimal form from `start`; returns where the numeric part (sans suffix) ends. */
function scanDecimal(s: string, start: number): number {
  const len = s.length;
  let i = start;
  let pointSeen = false;
  let digitSeen = false;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (isAsciiDigit(c)) {
      digitSeen = true;
    } else if (c === 0x2e) {
      if (pointSeen) throw new JavaNumberFormatError('multiple points');
      pointSeen = true;
    } else {
      break;
    }
  }
  if (!digitSeen) throw forInputString(s);
  if (i < len && (s.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const digitsStart = i;
    while (i < len && isAsciiDigit(s.charCodeAt(i))) i++;
    if (i === digitsStart) throw forInputString(s);
  }
  if (i === len) return i;
  const suffix = s.charCodeAt(i) | 0x20;
  if (i === len - 1 && (suffix === 0x66 || suffix === 0x64)) return i;
  throw forInputString(s);
}

/**
 * `numeric` is an unsigned Java decimal (its syntax is a subset of JavaScript's Number()
 * grammar). V8 rounds it correctly to double; rounding that double again to float is only
 * wrong when it landed exactly halfway between two floats, which the exact check settles.
 */
function decimalToBinary(numeric: string, format: BinaryFormat): number {
  const d = Number(numeric);
  if (format === DOUBLE) return d;
  const f = Math.fround(d);
  if (f === d) return f;
  const halfUlp = floatHalfUlpIfHalfway(d);
  if (halfUlp === 0) return f;
  const order = compareDecimalWithDouble(numeric, d);
  return order === 0 ? f : Math.fround(order > 0 ? d + halfUlp : d - halfUlp);
}

const view = new DataView(new ArrayBuffer(8));

/** Half a float ULP at `d` if `d` (positive, not a float) lies exactly halfway between floats, else 0. */
function floatHalfUlpIfHalfway(d: number): number {
  view.setFloat64(0, d);
  const exponent = (view.getUint32(0) >>> 20) - 1023;
  const ulpExp = Math.max(exponent, -126) - 23;
  const scaled = d * 2 ** -ulpExp;
  return scaled - Math.floor(scaled) === 0.5 ? 2 ** (ulpExp - 1) : 0;
}

/** Sign of (decimal value of `numeric`) - d, computed exactly. */
function compareDecimalWithDouble(numeric: string, d: number): number {
  const e = numeric.search(/[eE]/);
  const mantissa = e < 0 ? numeric : numeric.slice(0, e);
  const point = mantissa.indexOf('.');
  const fractionDigits = point < 0 ? 0 : mantissa.length - point - 1;
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const exp10 = (e < 0 ? 0 : Number(numeric.slice(e + 1))) - fractionDigits;
  const { significand, exp2 } = decomposeDouble(d);
  let left = BigInt(digits);
  let right = significand;
  if (exp10 >= 0) left *= 10n ** BigInt(exp10);
  else right *= 10n ** BigInt(-exp10);
  if (exp2 >= 0) right <<= BigInt(exp2);
  else left <<= BigInt(-exp2);
  return left === right ? 0 : left > right ? 1 : -1;
}

/** d = significand × 2^exp2 exactly (d finite, > 0). */
function decomposeDouble(d: number): { significand: bigint; exp2: number } {
  view.setFloat64(0, d);
  const hi = view.getUint32(0);
  const biased = hi >>> 20;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased === 0) return { significand: fraction, exp2: -1074 };
  return { significand: fraction | (1n << 52n), exp2: biased - 1075 };
}

/** Java's HexFloatingPointLiteral (the binary exponent is mandatory), matched on the whole string. */
const HEX_FLOAT = /^([-+])?0[xX](?:([0-9a-fA-F]+)\.?|([0-9a-fA-F]*)\.([0-9a-fA-F]+))[pP]([-+]?[0-9]+)[fFdD]?$/;

function parseHex(s: string, format: BinaryFormat): number {
  const match = HEX_FLOAT.exec(s);
  if (match === null) throw forInputString(s);
  const [, sign, wholeOnly, whole, fraction, exponent] = match;
  const hexDigits = wholeOnly ?? `${whole ?? ''}${fraction ?? ''}`;
  const fractionBits = 4 * (fraction ?? '').length;
  const magnitude = roundBinary(BigInt(`0x${hexDigits}`), Number(exponent) - fractionBits, format);
  return sign === '-' ? -magnitude : magnitude;
}

/** significand × 2^exp2 correctly rounded (ties to even) to `format`, gradual underflow included. */
function roundBinary(significand: bigint, exp2: number, format: BinaryFormat): number {
  if (significand === 0n) return 0;
  const top = exp2 + significand.toString(2).length - 1;
  if (top > format.maxExp) return Infinity;
  // Below half the smallest subnormal (ties there go to even, i.e. zero, too).
  if (top < format.minExp - 1) return 0;
  const lsb = Math.max(top - format.precisionBits + 1, format.minExp);
  const drop = lsb - exp2;
  let kept = significand;
  if (drop > 0) {
    const half = 1n << BigInt(drop - 1);
    const rest = significand & ((half << 1n) - 1n);
    kept = significand >> BigInt(drop);
    if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
  }
  return format.round(scaleByPowerOfTwo(Number(kept), drop > 0 ? lsb : exp2));
}

/** x × 2^n without the intermediate 2^n under- or overflowing (x has at most 53 bits). */
function scaleByPowerOfTwo(x: number, n: number): number {
  if (n < -1000) return x * 2 ** (n + 1000) * 2 ** -1000;
  if (n > 1000) return x * 2 ** (n - 1000) * 2 ** 1000;
  return x * 2 ** n;
}
