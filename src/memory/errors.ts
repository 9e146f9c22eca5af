/**
 * Failures that mirror the Java exceptions Flink's own derivation throws.
 *
 * `error` is the simple Java class name Flink would report, `message` its exact text,
 * `cause` the chain Flink builds. Keeping Flink's names lets the JSON output be compared
 * with what a real Flink process prints, and lets `explain` cite the same wording.
 */
export type FlinkErrorClass =
  | 'IllegalConfigurationException'
  | 'IllegalArgumentException'
  | 'NumberFormatException'
  | 'ArithmeticException'
  | 'NullPointerException';

export class FlinkError extends Error {
  readonly error: FlinkErrorClass;
  override readonly cause: FlinkError | undefined;
  /** Option keys involved, so reports can point at the setting to change. */
  readonly keys: readonly string[];

  constructor(error: FlinkErrorClass, message: string, cause?: FlinkError, keys: readonly string[] = []) {
    super(message);
    this.name = error;
    this.error = error;
    this.cause = cause;
    this.keys = keys;
  }

  /** The cause chain, outermost first, excluding this error. */
  causes(): FlinkError[] {
    const chain: FlinkError[] = [];
    for (let c = this.cause; c !== undefined; c = c.cause) chain.push(c);
    return chain;
  }
}

export const illegalConfiguration = (message: string, cause?: FlinkError, keys: readonly string[] = []): FlinkError =>
  new FlinkError('IllegalConfigurationException', message, cause, keys);

export const illegalArgument = (message: string, cause?: FlinkError, keys: readonly string[] = []): FlinkError =>
  new FlinkError('IllegalArgumentException', message, cause, keys);

export const numberFormat = (message: string): FlinkError => new FlinkError('NumberFormatException', message);

export const longOverflow = (): FlinkError => new FlinkError('ArithmeticException', 'long overflow');
