/** The one error type `src/config` throws. Raw fs/YAML exceptions are always wrapped into it. */

export type ConfigLoadErrorCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'NOT_A_CONFIG_DIR'
  | 'INVALID_YAML'
  | 'INVALID_DYNAMIC_PROPERTY'
  | 'UNSUPPORTED_VALUE'
  /** A Kubernetes manifest without (or with several) Flink configurations to read: an input error, not a finding. */
  | 'NO_FLINK_CONFIGURATION';

export interface ConfigLoadErrorDetails {
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;
  /** The underlying exception, kept for `--debug` only; the message already says what went wrong. */
  readonly cause?: unknown;
}

/**
 * A configuration that cannot be loaded. `message` is one line naming the file (and line), key or
 * value concerned, e.g. `config.yaml:12: invalid YAML: …` or `-D foo: expected key=value`.
 */
export class ConfigLoadError extends Error {
  readonly code: ConfigLoadErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;

  constructor(code: ConfigLoadErrorCode, message: string, details: ConfigLoadErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ConfigLoadError';
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.key !== undefined) this.key = details.key;
  }
}

/** `file:line: ` (or `file: ` without a line), the prefix every file-related message starts with. */
export function at(file: string, line?: number): string {
  return line === undefined ? `${file}: ` : `${file}:${line}: `;
}
