/** The `flink-memory` command: dispatches to a subcommand and maps failures to exit codes. */
import { ConfigLoadError } from '../config/errors.js';
import { FlinkError } from '../memory/errors.js';
import { GcInputError } from '../gc/read.js';
import { EXIT_USAGE, UsageError, type CliIo } from './io.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * Each command is loaded only when it runs: a start-up that parses the option catalog, the web
 * server and the REST client for `explain` would double its wall time.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, summary: string, load: () => Promise<Command>]> = [
  ['explain', 'Derive TaskManager or JobManager memory exactly as Flink does, and explain it.', async () => (await import('./explain.js')).runExplain],
  ['gc', 'Analyse JVM GC logs and advise a TaskManager heap and JVM flags.', async () => (await import('./gc.js')).runGc],
  ['plan', 'Plan a configuration for a container size and workload (or size a container from its parts).', async () => (await import('./plan.js')).runPlan],
  ['diff', 'Compare two configurations component by component, with what changed and why.', async () => (await import('./diff.js')).runDiff],
  ['doctor', 'Diagnose from logs, GC logs, NMT, pod/YARN output and configs: root cause and a valid fix.', async () => (await import('./doctor.js')).runDoctorCommand],
  ['network', 'Network buffers of a task or a TaskManager, exactly as Flink counts them, against its network memory.', async () => (await import('./network.js')).runNetwork],
  ['rocksdb', "Managed memory per slot, its split between consumers, and RocksDB's cache and write buffers.", async () => (await import('./rocksdb.js')).runRocksDb],
  ['capacity', 'TaskManagers per node, slots and largest parallelism for given nodes (YARN rounding included).', async () => (await import('./capacity.js')).runCapacity],
  ['lint', 'Check a configuration: misspelled, deprecated and ignored keys, silent memory conflicts, JVM flags.', async () => (await import('./lint.js')).runLint],
  ['migrate', 'Rewrite a legacy flink-conf.yaml as the standard config.yaml of Flink 1.19+/2.x.', async () => (await import('./migrate.js')).runMigrate],
  ['upgrade', 'What a configuration does on another Flink version, and how to keep its memory layout.', async () => (await import('./upgrade.js')).runUpgrade],
  ['inspect', 'Running clusters over the REST API: configured vs used memory, checkpoints, findings, proposals.', async () => (await import('./inspect.js')).runInspect],
  ['serve', 'The web app on a local port: calculator, planner, GC and doctor reports, live view.', async () => (await import('./serve.js')).runServe],
];

const USAGE = `Usage: flink-memory <command> [options]

Commands:
${COMMANDS.map(([name, summary]) => `  ${name.padEnd(9)} ${summary}`).join('\n')}

Run 'flink-memory <command> --help' for the options of a command.
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv;
  try {
    const entry = COMMANDS.find(([name]) => name === command);
    if (entry !== undefined) return await (await entry[2]())(rest, io);
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? EXIT_USAGE : 0;
      case '--version':
        io.stdout('flink-memory 0.1.0\n');
        return 0;
      default:
        throw new UsageError(`unknown command '${command}' (try 'flink-memory --help')`);
    }
  } catch (e) {
    return reportFailure(e, io, debug);
  }
}

/** Bad input never crashes the tool: one clear line, exit code 2, a stack trace only with --debug. */
function reportFailure(e: unknown, io: CliIo, debug: boolean): number {
  if (e instanceof UsageError || e instanceof ConfigLoadError || e instanceof FlinkError || e instanceof GcInputError) {
    io.stderr(`flink-memory: ${e.message}\n`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`flink-memory: internal error: ${message} (run with --debug for details)\n`);
  }
  if (debug && e instanceof Error && e.stack !== undefined) io.stderr(`${e.stack}\n`);
  return EXIT_USAGE;
}
