/** `flink-memory serve`: the web app on a local port, until interrupted. */
import { spawn } from 'node:child_process';
import { startServer, type RunningServer } from '../serve/server.js';
import { isLoopbackHost } from '../serve/security.js';
import { parseCommandArgs } from './args.js';
import { EXIT_OK, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory serve [--port N] [--host H] [--open]

Serves the web app (calculator, planner, GC and doctor reports, live view) from this package.

Options:
      --port N     port to listen on (default 9081; 0 picks a free one)
      --host H     address to bind (default 127.0.0.1: only this machine can connect)
      --open       open the page in the default browser
  -h, --help       show this help

Stop it with Ctrl-C.
`;

export const DEFAULT_PORT = 9081;

export interface ServeCliOptions {
  readonly port: number;
  readonly host: string;
  readonly open: boolean;
}

export function parseServeArgs(argv: readonly string[]): ServeCliOptions | 'help' {
  const parsed = parseCommandArgs(
    'serve',
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  if (v.help === true) return 'help';
  const portText = v.port ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`serve: --port '${portText}' is not a port number (0-65535)`);
  const host = v.host ?? '127.0.0.1';
  if (host.length === 0 || /[\s/]/.test(host)) throw new UsageError(`serve: --host '${host}' is not a host name or address`);
  return { port: Number(portText), host, open: v.open === true };
}

/** Resolves once the server has stopped (SIGINT/SIGTERM), so the process exits normally. */
export async function runServe(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseServeArgs(argv);
  if (options === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  let running: RunningServer;
  try {
    running = await startServer({ port: options.port, host: options.host, log: (line) => io.stderr(`${line}\n`) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`serve: port ${options.port} is in use (choose another with --port, or --port 0)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`serve: cannot bind ${options.host} on this machine`);
    if (code === 'EACCES') throw new UsageError(`serve: not allowed to listen on port ${options.port}`);
    throw new UsageError(`serve: ${(e as Error).message}`);
  }
  io.stdout(`flink-memory web app: ${running.url}\n`);
  if (!isLoopbackHost(options.host)) {
    io.stderr(`flink-memory: warning: listening on ${options.host}: other machines can reach this server\n`);
  }
  io.stdout('Press Ctrl-C to stop.\n');
  if (options.open) openBrowser(running.url, io);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT_OK;
}

function openBrowser(url: string, io: CliIo): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => io.stderr(`flink-memory: could not open a browser (${command}); open ${url} yourself\n`));
    child.unref();
  } catch {
    io.stderr(`flink-memory: could not open a browser; open ${url} yourself\n`);
  }
}
