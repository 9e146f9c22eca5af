/**
 * Typed access to JSON bodies of unknown shape. A Flink REST body is read field by field: a field
 * of the wrong type is treated as absent, so one odd version never crashes the whole inspection.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: Json | undefined): JsonObject | undefined => (isObject(v) ? v : undefined);
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
export const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: Json | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * A byte count or counter as an exact bigint. JSON numbers above 2^53 have already lost digits in
 * JSON.parse, so the caller should prefer decimal strings where Flink writes them (metric values);
 * here a number is taken as it came and a string is parsed exactly.
 */
export function bigOf(v: Json | undefined): bigint | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && Number.isInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v === 'string') return decimalToBigInt(v);
  return undefined;
}

/**
 * A decimal text ("123", "1.073741824E9", "5.36870912e+08") as an exact non-negative integer,
 * truncating any fraction. Java's Double.toString and Prometheus clients write large gauges in
 * scientific notation; going through a JS double would be exact only up to 2^53.
 */
export function decimalToBigInt(text: string): bigint | undefined {
  const m = /^\s*\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (m === null || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return undefined;
  const intPart = m[1] ?? '';
  const frac = m[2] ?? '';
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  if (!Number.isSafeInteger(exp) || exp > 400) return undefined;
  const digits = `${intPart}${frac}`.replace(/^0+(?=\d)/, '');
  // The decimal point sits `frac.length - exp` digits from the right.
  const shift = frac.length - exp;
  if (shift <= 0) return BigInt(digits === '' ? '0' : digits) * 10n ** BigInt(-shift);
  if (shift >= digits.length) return 0n;
  return BigInt(digits.slice(0, digits.length - shift));
}

/**
 * Sizes from 2^63 - 1024 up mean "unlimited": Flink writes MemorySize.MAX_VALUE (Long.MAX_VALUE
 * bytes) for what has no bound (a local MiniCluster's task heap and off-heap), and a double near
 * 2^63 (Long.MAX_VALUE through JSON.parse or Double.toString) lands within 1024 of it.
 */
export const UNLIMITED_BYTES = 2n ** 63n - 1024n;
export const isUnlimited = (bytes: bigint | undefined): boolean => bytes !== undefined && bytes >= UNLIMITED_BYTES;

/**
 * JSON.parse, except that integers beyond 2^53 are read exactly: such a literal becomes the string
 * of its digits, which `bigOf` reads as an exact bigint (JSON.parse alone turns Long.MAX_VALUE,
 * 9223372036854775807, into 9223372036854775808). Smaller numbers, strings and everything else are
 * as JSON.parse gives them; a number field holding such a literal is a string for `num` (absent),
 * which beats a value that has already lost digits.
 */
export function parseJsonExact(text: string): Json {
  // Sixteen digits in a row are needed for anything beyond 2^53: most bodies skip the scan.
  if (!/\d{16}/.test(text)) return JSON.parse(text) as Json;
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      if (c === 0x2d) i++;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const next = i < n ? text[i] : '';
      const digits = text.slice(start, i);
      const integer = next !== '.' && next !== 'e' && next !== 'E';
      if (integer && digits.replace('-', '').length >= 16 && !Number.isSafeInteger(Number(digits))) {
        out += `${text.slice(last, start)}"${digits}"`;
        last = i;
      }
      // The rest of a non-integer number (fraction, exponent) is copied as it is.
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++;
      continue;
    }
    i++;
  }
  return JSON.parse(out + text.slice(last)) as Json;
}
