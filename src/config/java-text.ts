/** Small pieces of Java's text behaviour that Flink's loaders rely on, reproduced exactly. */

export { javaTrim } from '../memory/java/java-text.js';

/**
 * The lines `BufferedReader.readLine()` returns: terminated by `\n`, `\r` or `\r\n`; a final
 * line without terminator counts, an empty text has no lines.
 */
export function javaLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(/\r\n|\r|\n/);
  // A terminator at the very end does not start another line.
  if (/[\r\n]$/.test(text)) lines.pop();
  return lines;
}

/**
 * `Double.toString(double)` as specified since JDK 19: the shortest decimal that rounds to the
 * value (when one digit would do, the closest of the one- and two-digit candidates), written as
 * plain decimal for 1e-3 <= |d| < 1e7 and as `d.dddE±n` otherwise, always with a fractional digit.
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  let [mantissa, exponentText] = splitExponential(abs.toExponential());
  if (mantissa.length === 1) {
    const [two, twoExponent] = splitExponential(abs.toExponential(1));
    if (Number(abs.toExponential(1)) === abs && two.replace(/0+$/, '') !== mantissa) {
      mantissa = two.replace(/0+$/, '');
      exponentText = twoExponent;
    }
  }
  const digits = mantissa;
  const exponent = Number(exponentText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const frac = digits.slice(exponent + 1);
      return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const rest = digits.slice(1);
  return `${sign}${digits[0] ?? '0'}.${rest === '' ? '0' : rest}E${exponent}`;
}

/** "1.2345e+2" -> ["12345", "2"]: significant digits (no point) and the decimal exponent. */
function splitExponential(text: string): [string, string] {
  const [m = '', e = '0'] = text.split('e');
  return [m.replace('.', ''), e.replace('+', '')];
}
