/**
 * Java 17 numeric semantics that Flink's configuration handling depends on, reproduced
 * exactly: parsing (Float/Double/Integer/Long), Double.toString, BigDecimal.valueOf(double),
 * String.format("%.3f") and String.hashCode. Verified against OpenJDK 17 (see
 * test/fixtures/java-oracle/).
 */
export { JavaNumberFormatError } from './java-number-format-error.js';
export { parseJavaDouble, parseJavaFloat } from './java-float-parse.js';
export { parseJavaInt, parseJavaLong } from './java-integer-parse.js';
export { javaBigDecimalValueOf, javaDoubleToString, javaFormatFixed3 } from './java-double-format.js';
export type { JavaBigDecimal } from './java-double-format.js';

/** String.hashCode(): s[0]·31^(n-1) + ... + s[n-1] over UTF-16 units, as a signed 32-bit int. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
