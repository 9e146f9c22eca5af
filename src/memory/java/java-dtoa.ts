/**
 * The decimal digits OpenJDK 17 chooses for a double (FloatingDecimal's binary-to-ASCII
 * conversion, shared by Double.toString, Formatter's %f and BigDecimal.valueOf).
 *
 * JDK 17 predates the shortest-digits rewrite of JDK 19, and its output is not always the
 * shortest/nearest decimal that JavaScript prints. Observed (and reproduced here) behaviour:
 *
 * - Digits come from a free-format Steele & White loop: stop at the first length where the
 *   truncated digits lie strictly less than half an ULP below the value, or the next decimal up
 *   strictly less than half an ULP above it; if both qualify take the nearer (ties: even digit).
 *   Being strict, a decimal exactly halfway to the neighbouring double is not chosen
 *   (1e23 prints as 9.999999999999999E22, 2e23 as 1.9999999999999998E23), except that the
 *   BigInteger variant accepts the one halfway above (8.192E26 stays 8.192E26).
 * - For an exact power of two the margin on both sides is the smaller gap to the double below
 *   (a quarter ULP), so such values may get one digit more than needed (2^-24 prints as
 *   5.9604644775390625E-8, not 5.960464477539063E-8).
 * - When the scaled integers fit a Java long, the loop runs in 64-bit arithmetic that can
 *   overflow on the last digit; Java then keeps the truncated digit although rounding up would
 *   be nearer, or even emits extra digits (1.9400994884341945E25 prints ...944E25).
 * - Integers in [1, 2^63) are printed from their exact value, dropping only
 *   floor(log10(2^(binExp - 54))) digits, so large ones get too many digits
 *   (2.82879384806159E17 prints as 2.82879384806159008E17).
 * - E-notation magnitudes always get at least two digits (MIN_VALUE prints 4.9E-324).
 *
 * Everything else produces exactly the shortest-nearest digits, which V8 computes natively;
 * only inputs that can hit one of the quirks take the exact BigInt emulation.
 */

/** The value is 0.d1d2d3... × 10^decExponent. */
export interface JavaDecimalDigits {
  readonly digits: string;
  readonly decExponent: number;
}

const view = new DataView(new ArrayBuffer(8));

/**
 * Below 2^52 a decimal halfway between two doubles needs at least 18 significant digits, so the
 * strict margins never matter there; from 2^52 on live the integer path and the short ties.
 */
const TWO_POW_52 = 2 ** 52;

/**
 * Digits of `abs` (finite, > 0). `compatible` selects Double.toString's variant; Formatter's
 * %f passes false, which forces at least two digits at every magnitude.
 */
export function javaDecimalDigits(abs: number, compatible: boolean): JavaDecimalDigits {
  view.setFloat64(0, abs);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biasedExp = hi >>> 20;
  const mantHi = hi & 0xfffff;
  if (biasedExp === 0 || abs >= TWO_POW_52 || (mantHi === 0 && lo === 0)) {
    return exactDigits(mantHi, lo, biasedExp, compatible);
  }
  const nFractBits = 53 - trailingZeros(mantHi | 0x100000, lo);
  const binExp = biasedExp - 1023;
  if (longLoopMayOverflow(nFractBits, binExp, estimateDecExp(mantHi, lo, binExp))) {
    return exactDigits(mantHi, lo, biasedExp, compatible);
  }
  return shortestDigits(abs);
}

function shortestDigits(abs: number): JavaDecimalDigits {
  const text = abs.toExponential();
  const e = text.indexOf('e');
  const digits = e === 1 ? text.charAt(0) : text.charAt(0) + text.slice(2, e);
  return { digits, decExponent: Number(text.slice(e + 1)) + 1 };
}

function trailingZeros(hi: number, lo: number): number {
  return lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
}

/**
 * Java's first guess at floor(log10(value)): a tangent of log10 at 1.5, evaluated in double
 * arithmetic in Java's order. It may be one too high (Java then drops a leading zero digit);
 * the guess also fixes the scaling, and with it which integers may overflow a long.
 */
function estimateDecExp(mantHi: number, lo: number, binExp: number): number {
  view.setUint32(0, 0x3ff00000 | mantHi);
  view.setUint32(4, lo);
  const d2 = view.getFloat64(0);
  return Math.floor((d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981);
}

/** The integers Java works with: value = b / s × 10^decExp, half-ULP margin m (all scaled). */
interface Scaling {
  readonly b5: number;
  readonly b2: number;
  readonly s5: number;
  readonly s2: number;
  readonly m5: number;
  readonly m2: number;
  /**
   * Java's bit-size estimates pick long arithmetic when both are below 64. (Java also has an int
   * variant, but a double's B is at least 2^52·M, so only floats ever reach it.)
   */
  readonly useLong: boolean;
  readonly tenSBits: number;
}

function scaling(nFractBits: number, binExp: number, nSignificantBits: number, decExp: number): Scaling {
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  const b5 = Math.max(0, -decExp);
  const s5 = Math.max(0, decExp);
  let b2 = b5 + nTinyBits + binExp - (nFractBits - 1);
  let s2 = s5 + nTinyBits;
  let m2 = b5 + nTinyBits + binExp - nSignificantBits;
  const common = Math.min(b2, s2);
  b2 -= common;
  s2 -= common;
  m2 -= common;
  // The power-of-two margin adjustment, applied to both sides.
  if (nFractBits === 1) m2 -= 1;
  if (m2 < 0) {
    b2 -= m2;
    s2 -= m2;
    m2 = 0;
  }
  const bBits = nFractBits + b2 + fivePowBits(b5);
  const tenSBits = s2 + 1 + fivePowBits(s5 + 1);
  return { b5, b2, s5, s2, m5: b5, m2, useLong: bBits < 64 && tenSBits < 64, tenSBits };
}

/** Java's size estimate for 5^n: exact bit length up to 5^26, then 3 bits per factor. */
function fivePowBits(n: number): number {
  if (n === 0) return 0;
  return n < 27 ? Math.floor(n * Math.log2(5)) + 1 : 3 * n;
}

/**
 * True when Java would use long arithmetic with 10·S >= 2^60: only then can `b + m` or `10·m`
 * exceed 2^63 on the last digit (m <= 5·tens there), so every other input runs exactly.
 */
function longLoopMayOverflow(nFractBits: number, binExp: number, decExp: number): boolean {
  const s = scaling(nFractBits, binExp, 53, decExp);
  return s.useLong && s.tenSBits > 60;
}

/** Faithful emulation of Java's digit generation in BigInt (long arithmetic wrapped to 64 bits). */
function exactDigits(mantHi: number, lo: number, biasedExp: number, compatible: boolean): JavaDecimalDigits {
  const raw = (BigInt(mantHi) << 32n) | BigInt(lo);
  let fractBits: bigint;
  let binExp: number;
  let nSignificantBits: number;
  if (biasedExp === 0) {
    // Subnormal: Java normalises it, keeping the true ULP via a smaller significant-bit count.
    nSignificantBits = bitLength(raw);
    binExp = nSignificantBits - 1075;
    fractBits = raw;
  } else {
    nSignificantBits = 53;
    binExp = biasedExp - 1023;
    fractBits = raw | (1n << 52n);
  }
  fractBits >>= BigInt(raw === 0n ? 52 : trailingZeros(mantHi, lo));
  const nFractBits = bitLength(fractBits);
  if (binExp >= 0 && binExp <= 62 && nFractBits <= binExp + 1) {
    return integerDigits(fractBits << BigInt(binExp - nFractBits + 1), binExp, nSignificantBits);
  }
  const leading = Number(fractBits) / 2 ** (nFractBits - 1);
  const decExp = Math.floor((leading - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981);
  return freeFormatDigits(fractBits, scaling(nFractBits, binExp, nSignificantBits, decExp), decExp, compatible);
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * Java prints integral doubles below 2^63 from the exact integer, rounding off (half up) only
 * floor((binExp - 54) · log10 2) low digits once binExp > 55: usually fewer than it could.
 */
function integerDigits(value: bigint, binExp: number, nSignificantBits: number): JavaDecimalDigits {
  let insignificant = 0;
  if (binExp > nSignificantBits) {
    const p2 = binExp - nSignificantBits - 1;
    if (p2 > 1) insignificant = Math.floor(p2 * Math.log10(2));
  }
  let kept = value;
  if (insignificant > 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = kept % pow10;
    kept /= pow10;
    if (residue >= pow10 / 2n) kept += 1n;
  }
  const text = kept.toString();
  return { digits: text.replace(/0+$/, ''), decExponent: text.length + insignificant };
}

const INT64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const UNBOUNDED = (x: bigint): bigint => x;

function freeFormatDigits(fractBits: bigint, sc: Scaling, estimate: number, compatible: boolean): JavaDecimalDigits {
  const wrap = sc.useLong ? INT64 : UNBOUNDED;
  const s = 5n ** BigInt(sc.s5) << BigInt(sc.s2);
  const tens = s * 10n;
  // Java's long loop tests "next decimal up is within the margin" strictly, its BigInteger loop
  // does not: so 8.192E26 (exactly halfway to the next double) is printed as such, but 1E23 is not.
  const isHigh = sc.useLong ? (b: bigint, m: bigint): boolean => wrap(b + m) > tens : (b: bigint, m: bigint): boolean => b + m >= tens;
  let b = (fractBits * 5n ** BigInt(sc.b5)) << BigInt(sc.b2);
  let m = 5n ** BigInt(sc.m5) << BigInt(sc.m2);
  let decExp = estimate;
  const digits: number[] = [];

  let q = b / s;
  b = 10n * (b % s);
  m *= 10n;
  let low = b < m;
  let high = isHigh(b, m);
  // A zero first digit means the estimate was one too high, unless rounding up will fix it.
  if (q === 0n && !high) decExp--;
  else digits.push(Number(q));
  // Java's spec wants a fractional digit in E notation, so it never stops after one digit
  // there (the threshold is Java's, off by one from where E notation starts).
  if (!compatible || decExp < -3 || decExp >= 8) low = high = false;
  while (!low && !high) {
    q = b / s;
    b = 10n * (b % s);
    m = wrap(m * 10n);
    if (m > 0n) {
      low = b < m;
      high = isHigh(b, m);
    } else {
      // Java's guard for an overflowed margin (only catches negative wrap-arounds).
      low = high = true;
    }
    digits.push(Number(q));
  }
  const doubledRest = 2n * b - tens;
  const last = digits[digits.length - 1] ?? 0;
  const roundUp = high && (!low || doubledRest > 0n || (doubledRest === 0n && (last & 1) === 1));
  return roundUp ? incremented(digits, decExp + 1) : { digits: digits.join(''), decExponent: decExp + 1 };
}

function incremented(digits: number[], decExponent: number): JavaDecimalDigits {
  // Java keeps the zeros a carry leaves behind ("1299" -> "1300", "999" -> "100" with a larger
  // exponent); they only show where the loop ran past the point where it could have stopped.
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 9) digits[i--] = 0;
  if (i < 0) {
    digits[0] = 1;
    return { digits: digits.join(''), decExponent: decExponent + 1 };
  }
  digits[i] = (digits[i] ?? 0) + 1;
  return { digits: digits.join(''), decExponent };
}
