/** `flink-memory doctor PATH...`: logs, GC logs, NMT, pod and YARN output, configs -> root cause and fixes. */
import { InputPathError } from '../diagnose/sniff.js';
import { runDoctor } from '../diagnose/doctor.js';
import { renderDoctorJson, renderDoctorMarkdown, renderDoctorText } from '../report/doctor.js';
import { choiceArg, colorArg, containerSizeArg, flinkVersionArg, parseCommandArgs } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory doctor PATH... [options]

Reads TaskManager/JobManager logs, .out files, GC logs, jcmd VM.native_memory output, Flink
configuration files, kubectl describe/get pod output, YARN diagnostics and kernel OOM-killer lines
(any mix of files and directories; each file's kind is detected), names the root cause, shows the
timeline, and proposes configuration changes the exact model accepts.

Options:
      --container SIZE      the container or pod memory limit (4g, 4096m, 4Gi): fixes stay inside it
  -f, --format FORMAT       text (default), json, markdown
  -V, --flink-version V     Flink release whose rules apply (default: newest, 2.x)
      --color / --no-color  force colour on or off
  -h, --help                show this help

Exit codes: 0 no finding, 1 findings, 2 usage or input error.
`;


export async function runDoctorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'doctor',
    argv,
    {
      container: { type: 'string' },
      format: { type: 'string', short: 'f' },
      'flink-version': { type: 'string', short: 'V' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  const v = parsed.values;
  if (v.help === true) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length === 0) throw new UsageError('doctor: no input given (files or directories with logs, GC logs, NMT output, configs)');
  const format = choiceArg('doctor', 'format', v.format, ['text', 'json', 'markdown'], 'text');
  const version = flinkVersionArg('doctor', v['flink-version']);
  const containerLimit = v.container === undefined ? undefined : await containerSizeArg('doctor', v.container);
  let diagnosis;
  try {
    diagnosis = await runDoctor(parsed.positionals, { version, ...(containerLimit !== undefined ? { containerLimit } : {}) });
  } catch (e) {
    if (e instanceof InputPathError) throw new UsageError(`doctor: ${e.message}`);
    throw e;
  }
  if (format === 'json') io.stdout(renderDoctorJson(diagnosis));
  else if (format === 'markdown') io.stdout(renderDoctorMarkdown(diagnosis));
  else io.stdout(renderDoctorText(diagnosis, { color: colorArg(v) ?? io.color, columns: io.columns }));
  return diagnosis.findings.length === 0 ? EXIT_OK : EXIT_REJECTED;
}
