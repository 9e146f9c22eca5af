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
