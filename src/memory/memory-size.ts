import { FlinkError, illegalArgument, longOverflow, numberFormat } from './errors.js';
import { javaBigDecimalValueOf, javaFormatFixed3 } from './java/java-numbers.js';
import { javaTrim } from './java/java-text.js';

/** Java's Long.MAX_VALUE: Flink's MemorySize.MAX_VALUE and the ceiling of every size. */
export const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

interface MemoryUnit {
  readonly names: readonly string[];
  readonly multiplier: bigint;
}

// Order matters: parsing tries units in this order and formatting picks the largest fitting one.
const UNITS: readonly MemoryUnit[] = [
  { names: ['b', 'bytes'], multiplier: 1n },
  { names: ['k', 'kb', 'kibibytes'], multiplier: 1024n },
  { names: ['m', 'mb', 'mebibytes'], multiplier: 1024n ** 2n },
  { names: ['g', 'gb', 'gibibytes'], multiplier: 1024n ** 3n },
  { names: ['t', 'tb', 'tebibytes'], multiplier: 1024n ** 4n },
];

export const ALL_UNITS_TEXT = UNITS.map((u) => `(${u.names.join(' | ')})`).join(' / ');


/**
 * Parses a memory size exactly as Flink's MemorySize.parseBytes: leading decimal digits, then an
 * optional unit (case-insensitive, whitespace allowed in between). Throws the same failures with
 * the same messages, so a size Flink rejects is rejected here too.
 */
export function parseMemorySize(text: string): bigint {
  const trimmed = javaTrim(text);
  if (trimmed.length === 0) throw illegalArgument('argument is an empty- or whitespace-only string');
  let pos = 0;
  while (pos < trimmed.length) {
    const c = trimmed.charCodeAt(pos);
    if (c < 0x30 || c > 0x39) break;
    pos++;
  }
  const digits = trimmed.slice(0, pos);
  const unitText = javaTrim(trimmed.slice(pos)).toLowerCase();
  if (digits.length === 0) throw numberFormat('text does not start with a number');
  const value = BigInt(digits);
  if (value > LONG_MAX) {
    throw illegalArgument(`The value '${digits}' cannot be re represented as 64bit number (numeric overflow).`);
  }
  let multiplier = 1n;
  if (unitText.length > 0) {
    const unit = UNITS.find((u) => u.names.includes(unitText));
    if (unit === undefined) {
      throw illegalArgument(
        `Memory size unit '${unitText}' does not match any of the recognized units: ${ALL_UNITS_TEXT}`,
      );
    }
    multiplier = unit.multiplier;
  }
  const bytes = value * multiplier;
  if (bytes > LONG_MAX) {
    throw illegalArgument(`The value '${text}' cannot be re represented as 64bit number of bytes (numeric overflow).`);
  }
  return bytes;
}

/** Flink's MemorySize constructor check. */
export function checkNonNegative(bytes: bigint): bigint {
  if (bytes < 0n) throw illegalArgument('bytes must be >= 0');
  return bytes;
}

/** Math.addExact on longs, then the MemorySize constructor check. */
export function addSizes(...sizes: bigint[]): bigint {
  let sum = 0n;
  for (const s of sizes) {
    sum += s;
    if (sum > LONG_MAX || sum < LONG_MIN) throw longOverflow();
  }
  return checkNonNegative(sum);
}

/** Math.subtractExact on longs, then the MemorySize constructor check. */
export function subtractSizes(a: bigint, b: bigint): bigint {
  const d = a - b;
  if (d > LONG_MAX || d < LONG_MIN) throw longOverflow();
  return checkNonNegative(d);
}

/**
 * MemorySize.multiply(double): Flink multiplies with BigDecimal.valueOf(multiplier), i.e. the
 * decimal digits of Double.toString, and truncates toward zero. Doing the same in bigint makes
 * every fraction-derived size match Flink to the byte (plain floating point would not).
 */
export function multiplySize(bytes: bigint, multiplier: number): bigint {
  if (!(multiplier >= 0)) throw illegalArgument('multiplier must be >= 0');
  const { unscaled, scale } = javaBigDecimalValueOf(multiplier);
  if (scale >= 0) {
    const exact = bytes * unscaled;
    const divisor = powerOfTen(scale);
    if (exact > LONG_MAX * divisor) throw longOverflow();
    return exact / divisor;
  }
  const product = bytes * unscaled * powerOfTen(-scale);
  if (product > LONG_MAX) throw longOverflow();
  return product;
}

const POWERS_OF_TEN: bigint[] = [];
function powerOfTen(exponent: number): bigint {
  let p = POWERS_OF_TEN[exponent];
  if (p === undefined) {
    p = 10n ** BigInt(exponent);
    if (exponent < 400) POWERS_OF_TEN[exponent] = p;
  }
  return p;
}

/**
 * MemorySize.toHumanReadableString: the largest unit the size strictly exceeds, three decimals,
 * then the exact bytes ("1024.000mb (1073741824 bytes)" for 1 GiB: the unit must be exceeded).
 */
export function formatHumanReadable(bytes: bigint): string {
  let unit: MemoryUnit | undefined;
  for (const u of UNITS) if (bytes > u.multiplier) unit = u;
  if (unit === undefined || unit.multiplier === 1n) return `${bytes} bytes`;
  const approximate = Number(bytes) / Number(unit.multiplier);
  return `${javaFormatFixed3(approximate)}${unit.names[1]} (${bytes} bytes)`;
}

/**
 * A compact size for people: the largest unit that divides the size exactly when there is one
 * (what a user would type back into a config), otherwise two decimals of the largest fitting unit.
 */
export function formatSizeShort(bytes: bigint): string {
  if (bytes === 0n) return '0 b';
  for (let i = UNITS.length - 1; i >= 1; i--) {
    const u = UNITS[i]!;
    if (bytes >= u.multiplier && bytes % u.multiplier === 0n) return `${bytes / u.multiplier}${u.names[1]}`;
  }
  for (let i = UNITS.length - 1; i >= 1; i--) {
    const u = UNITS[i]!;
    if (bytes >= u.multiplier) return `${(Number(bytes) / Number(u.multiplier)).toFixed(2)}${u.names[1]}`;
  }
  return `${bytes} b`;
}

/** Exact bytes as Flink writes them in dynamic configs ("134217728b"). */
export const bytesOption = (bytes: bigint): string => `${bytes}b`;

export function isFlinkError(e: unknown): e is FlinkError {
  return e instanceof FlinkError;
}
