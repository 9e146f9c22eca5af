import { forInputString } from './java-number-format-error.js';

/**
 * Integer.parseInt(text) (radix 10). Java does not trim, takes one optional leading '+' or '-',
 * then at least one digit as Character.digit(c, 10) sees it, which includes every Unicode
 * decimal digit ("١٢٣" is 123). Every failure, overflow included, reports the untouched input.
 */
export function parseJavaInt(text: string): number {
  const start = digitsStart(text);
  let magnitude = 0;
  for (let i = start; i < text.length; i++) {
    magnitude = magnitude * 10 + digitAt(text, i);
    if (magnitude > 2147483648) throw forInputString(text);
  }
  if (start === 1 && text.charCodeAt(0) === 0x2d) return 0 - magnitude;
  if (magnitude === 2147483648) throw forInputString(text);
  return magnitude;
}

/** Long.parseLong(text) (radix 10): Integer.parseInt's rules with a 64-bit range. */
export function parseJavaLong(text: string): bigint {
  const start = digitsStart(text);
  let ascii = '';
  for (let i = start; i < text.length; i++) ascii += digitAt(text, i);
  const magnitude = BigInt(ascii);
  const negative = start === 1 && text.charCodeAt(0) === 0x2d;
  if (magnitude > (negative ? 9223372036854775808n : 9223372036854775807n)) throw forInputString(text);
  return negative ? -magnitude : magnitude;
}

/** Index after the optional sign; a lone sign or an empty string has no digits at all. */
function digitsStart(text: string): number {
  const first = text.charCodeAt(0);
  const start = first === 0x2d || first === 0x2b ? 1 : 0;
  if (text.length === start) throw forInputString(text);
  return start;
}

function digitAt(text: string, i: number): number {
  const digit = javaDecimalDigitValue(text.charCodeAt(i));
  if (digit < 0) throw forInputString(text);
  return digit;
}

/**
 * The '0' of every run of Unicode decimal digits (category Nd) in the BMP, as Java 17's
 * Character.digit(char, 10) knows them (Unicode 13; checked against the JVM for all 65536
 * chars). Java parses UTF-16 units one by one, so supplementary-plane digits never count.
 */
const ZERO_DIGITS: readonly number[] = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
  0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
];

/** Character.digit(c, 10) for a UTF-16 code unit: 0-9, or -1. */
export function javaDecimalDigitValue(c: number): number {
  if (c <= 0x39) return c >= 0x30 ? c - 0x30 : -1;
  for (const zero of ZERO_DIGITS) {
    if (c < zero) return -1;
    if (c <= zero + 9) return c - zero;
  }
  return -1;
}
