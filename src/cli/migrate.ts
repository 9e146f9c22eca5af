/** `flink-memory migrate FLINK_CONF_YAML`: print the equivalent standard config.yaml. */
import { writeFile } from 'node:fs/promises';
import { readConfigBytes } from '../config/read-file.js';
import { parseCommandArgs } from './args.js';
import { EXIT_OK, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory migrate FLINK_CONF_YAML [--out FILE]

Rewrites a legacy flat flink-conf.yaml as the standard nested config.yaml that Flink 1.19+ and
2.x read: values typed as Flink parses them, List options as YAML lists, comments kept above the setting they describe. The result is checked to load to the same
configuration as the original before it is written.

Options:
  -o, --out FILE    write to FILE instead of standard output
  -h, --help        show this help
`;

export async function runMigrate(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'migrate',
    argv,
    { out: { type: 'string', short: 'o' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (parsed.values.help === true) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) throw new UsageError(`migrate: expected one flink-conf.yaml, got ${parsed.positionals.length} arguments`);
  const file = parsed.positionals[0]!;
  const text = new TextDecoder('utf-8').decode(await readConfigBytes(file));
  // Loaded on demand: the YAML library is needed only here.
  const { migrateFlinkConf, MigrateError } = await import('../migrate/migrate.js');
  let result;
  try {
    result = migrateFlinkConf(text, file);
  } catch (e) {
    if (e instanceof MigrateError) throw new UsageError(`migrate: ${e.message}`);
    throw e;
  }
  if (parsed.values.out === undefined) io.stdout(result.text);
  else {
    try {
      await writeFile(parsed.values.out, result.text);
    } catch (e) {
      throw new UsageError(`migrate: cannot write ${parsed.values.out}: ${(e as Error).message}`);
    }
  }
  for (const note of result.notes) io.stderr(`flink-memory: note: ${note}\n`);
  return EXIT_OK;
}
