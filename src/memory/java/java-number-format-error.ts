/**
 * Stands in for java.lang.NumberFormatException: `message` is exactly what Java's
 * getMessage() returns, because Flink copies that text into its own error messages.
 */
export class JavaNumberFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JavaNumberFormatError';
  }
}

/** Java's NumberFormatException.forInputString(s) text (radix 10 adds no suffix). */
export function forInputString(text: string): JavaNumberFormatError {
  return new JavaNumberFormatError(`For input string: "${text}"`);
}
