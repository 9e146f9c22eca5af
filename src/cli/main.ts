/** The `flink-memory` command: dispatches to a subcommand and maps failures to exit codes. */
import { ConfigLoadError } from '../config/errors.js';
import { FlinkError } from '../memory/errors.js';
import { runExplain } from './explain.js';
import { runGc } from './gc.js';
import { runPlan } from './plan.js';
import { runDiff } from './diff.js';
import { runDoctorCommand } from './doctor.js';
import { runNetwork } from './network.js';
import { runRocksDb } from './rocksdb.js';
import { runCapacity } from './capacity.js';
import { runLint } from './lint.js';
import { runMigrate } from './migrate.js';
import { runUpgrade } from './upgrade.js';
import { runInspect } from './inspect.js';
import { runServe } from './serve.js';
import { GcInputError } from '../gc/read.js';
import { EXIT_USAGE, UsageError, type CliIo } from './io.js';

const USAGE = `Usage: flink-memory <command> [options]

Commands:
  explain   Derive TaskManager or JobManager memory exactly as Flink does, and explain it.
  gc        Analyse JVM GC logs and advise a TaskManager heap and JVM flags.
  plan      Plan a configuration for a container size and workload (or size a container from its parts).
  diff      Compare two configurations component by component, with what changed and why.
  doctor    Diagnose from logs, GC logs, NMT, pod/YARN output and configs: root cause and a valid fix.
  network   Network buffers of a task or a TaskManager, exactly as Flink counts them, against its network memory.
  rocksdb   Managed memory per slot, its split between consumers, and RocksDB's cache and write buffers.
  capacity  TaskManagers per node, slots and largest parallelism for given nodes (YARN rounding included).
  lint      Check a configuration: misspelled, deprecated and ignored keys, silent memory conflicts, JVM flags.
  migrate   Rewrite a legacy flink-conf.yaml as the standard config.yaml of Flink 1.19+/2.x.
  upgrade   What a configuration does on another Flink version, and how to keep its memory layout.
  inspect   Running clusters over the REST API: configured vs used memory, checkpoints, findings, proposals.
  serve     The web app on a local port: calculator, planner, GC and doctor reports, live view.

Run 'flink-memory <command> --help' for the options of a command.
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await runServe(rest, io);
      case 'inspect':
        return await runInspect(rest, io);
      case 'network':
        return await runNetwork(rest, io);
      case 'rocksdb':
        return await runRocksDb(rest, io);
      case 'capacity':
        return await runCapacity(rest, io);
      case 'lint':
        return await runLint(rest, io);
      case 'migrate':
        return await runMigrate(rest, io);
      case 'upgrade':
        return await runUpgrade(rest, io);
      case 'explain':
        return await runExplain(rest, io);
      case 'gc':
        return await runGc(rest, io);
      case 'plan':
        return await runPlan(rest, io);
      case 'diff':
        return await runDiff(rest, io);
      case 'doctor':
        return await runDoctorCommand(rest, io);
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
