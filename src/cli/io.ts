/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour on: a TTY without NO_COLOR (or --color). */
  readonly color: boolean;
  /** Terminal width for the text diagram. */
  readonly columns: number;
  /** Progress bars go to stderr only when it is a terminal. */
  readonly stderrIsTTY?: boolean;
}

/** Exit codes: 0 success, 1 a configuration Flink would reject, 2 usage or input errors. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

/** A usage or input problem: printed as one line, exit code 2. */
export class UsageError extends Error {}

export function processIo(): CliIo {
  const env = process.env;
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    color: process.stdout.isTTY === true && !noColor && env['TERM'] !== 'dumb',
    columns: Math.max(60, Math.min(process.stdout.columns ?? 80, 120)),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
