import { javaDecimalDigits } from './java-dtoa.js';
import { JavaNumberFormatError } from './java-number-format-error.js';

/** Double.toString(x) exactly as OpenJDK 17 prints it. */
export function javaDoubleToString(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const negative = x < 0;
  const { digits, decExponent } = javaDecimalDigits(negative ? -x : x, true);
  const text = compatibleForm(digits, decExponent);
  return negative ? `-${text}` : text;
}

/**
 * Plain notation for 10^-3 <= |x| < 10^7 with at least one fractional digit, otherwise
 * computerized scientific notation; digits are printed as produced (Java never trims them).
 */
function compatibleForm(digits: string, decExponent: number): string {
  const n = digits.length;
  if (decExponent > 0 && decExponent < 8) {
    if (n <= decExponent) return `${digits}${'0'.repeat(decExponent - n)}.0`;
    return `${digits.slice(0, decExponent)}.${digits.slice(decExponent)}`;
  }
  if (decExponent <= 0 && decExponent > -3) return `0.${'0'.repeat(-decExponent)}${digits}`;
  const fraction = n > 1 ? digits.slice(1) : '0';
  return `${digits.charAt(0)}.${fraction}E${decExponent - 1}`;
}

/**
 * String.format(Locale.ROOT, "%.3f", x) as OpenJDK 17 prints it. Java's Formatter does not
 * round the binary value: it rounds FloatingDecimal's digit string half-up, so e.g. 1.0005
 * (really 1.000499999...) becomes "1.001" where JavaScript's toFixed(3) says "1.000", and large
 * values are padded with zeros past Java's digits instead of printing the exact integer.
 */
export function javaFormatFixed3(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const negative = x < 0 || Object.is(x, -0);
  const text = x === 0 ? '0.000' : fixedForm(roundHalfUp(javaDecimalDigits(negative ? -x : x, false), 3), 3);
  return negative ? `-${text}` : text;
}

interface Digits {
  readonly digits: string;
  readonly decExponent: number;
}

const ZERO: Digits = { digits: '0', decExponent: 1 };

function roundHalfUp(value: Digits, fractionDigits: number): Digits {
  const { digits, decExponent } = value;
  const keep = decExponent + fractionDigits;
  if (keep >= digits.length) return value;
  if (keep < 0) return ZERO;
  if (keep === 0) return digits.charCodeAt(0) >= 0x35 ? { digits: '1', decExponent: decExponent + 1 } : ZERO;
  const kept = digits.slice(0, keep);
  if (digits.charCodeAt(keep) < 0x35) return { digits: kept, decExponent };
  return incrementDecimal(kept, decExponent);
}

function incrementDecimal(digits: string, decExponent: number): Digits {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 0x39) i--;
  if (i < 0) return { digits: '1', decExponent: decExponent + 1 };
  const bumped = String.fromCharCode(digits.charCodeAt(i) + 1);
  return { digits: digits.slice(0, i) + bumped + '0'.repeat(digits.length - 1 - i), decExponent };
}

function fixedForm(value: Digits, fractionDigits: number): string {
  const { digits, decExponent } = value;
  let integer: string;
  let fraction: string;
  if (decExponent <= 0) {
    integer = '0';
    fraction = '0'.repeat(-decExponent) + digits;
  } else if (digits.length <= decExponent) {
    integer = digits + '0'.repeat(decExponent - digits.length);
    fraction = '';
  } else {
    integer = digits.slice(0, decExponent);
    fraction = digits.slice(decExponent);
  }
  return `${integer}.${fraction.padEnd(fractionDigits, '0').slice(0, fractionDigits)}`;
}

/** A BigDecimal as Java stores it: value = unscaled × 10^-scale. */
export interface JavaBigDecimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

/**
 * BigDecimal.valueOf(double), which is new BigDecimal(Double.toString(x)): the scale follows the
 * printed digits ("1.0E10" gives 10 × 10^9, scale -9), so JDK 17's digit quirks leak into it.
 */
export function javaBigDecimalValueOf(x: number): JavaBigDecimal {
  if (!Number.isFinite(x)) {
    // The BigDecimal(String) parser rejects the first character it cannot place; a sign is
    // accepted, so "-Infinity" fails at its 'I' too.
    const offending = x !== x ? 'N' : 'I';
    throw new JavaNumberFormatError(
      `Character ${offending} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`,
    );
  }
  const text = javaDoubleToString(x);
  const e = text.indexOf('E');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const unscaled = BigInt(mantissa.slice(0, point) + mantissa.slice(point + 1));
  return { unscaled, scale: mantissa.length - point - 1 - exponent };
}
