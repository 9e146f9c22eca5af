/** `flink-memory diff A B`: two configurations side by side, component by component. */
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { toFlatMap } from '../config/flat-map.js';
import { loadConfigFile } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { diffConfigurations } from '../plan/diff.js';
import { renderDiffJson, renderDiffText } from '../report/diff.js';
import { choiceArg, colorArg, flinkVersionArg, parseCommandArgs } from './args.js';
import { deriveProcessMemory } from '../memory/derive.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory diff A B [options]

Derives two configurations with the exact model and shows them side by side: every component,
what changed and why, and the options that differ.

A and B: a flink-conf.yaml, config.yaml or directory; 'defaults' for Flink's shipped
configuration; 'empty' for no file at all (then only -D/-A/-B count).

Options:
  -A key=value              override on side A only (repeatable)
  -B key=value              override on side B only (repeatable)
  -D key=value              override on both sides (repeatable, before -A/-B)
  -p, --process KIND        taskmanager (default) or jobmanager
  -f, --format FORMAT       text (default) or json
  -V, --flink-version V     Flink release whose rules apply (default: newest, 2.x)
      --color / --no-color  force colour on or off
  -h, --help                show this help
`;

async function load(spec: string): Promise<LoadedConfig> {
  if (spec === 'defaults') return shippedDefaultConfig();
  if (spec === 'empty') return { entries: new Map(), warnings: [] };
  return loadConfigFile(spec);
}

export async function runDiff(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'diff',
    argv,
    {
      A: { type: 'string', short: 'A', multiple: true },
      B: { type: 'string', short: 'B', multiple: true },
      D: { type: 'string', short: 'D', multiple: true },
      process: { type: 'string', short: 'p' },
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
  if (parsed.positionals.length !== 2) {
    throw new UsageError(`diff: expected two configurations A and B (files, directories, 'defaults' or 'empty'), got ${parsed.positionals.length}`);
  }
  const process = choiceArg('diff', 'process', v.process, ['taskmanager', 'jobmanager'], 'taskmanager');
  const format = choiceArg('diff', 'format', v.format, ['text', 'json'], 'text');
  const version = flinkVersionArg('diff', v['flink-version']);
  const [aSpec, bSpec] = parsed.positionals as [string, string];
  const both = v.D ?? [];
  const aSource = applyDynamicProperties(await load(aSpec), [...both, ...(v.A ?? [])]);
  const bSource = applyDynamicProperties(await load(bSpec), [...both, ...(v.B ?? [])]);
  const side = (source: LoadedConfig) => {
    const config = toFlatMap(source);
    return { config, result: deriveProcessMemory(process, config, version) };
  };
  const diff = diffConfigurations(side(aSource), side(bSource));
  const describe = (name: string, overrides: readonly string[]) => (overrides.length === 0 ? name : `${name} with -D ${overrides.join(' -D ')}`);
  if (format === 'json') io.stdout(renderDiffJson(diff));
  else {
    io.stdout(renderDiffText(diff, {
      color: colorArg(v) ?? io.color,
      columns: io.columns,
      aName: describe(aSpec, [...both, ...(v.A ?? [])]),
      bName: describe(bSpec, [...both, ...(v.B ?? [])]),
      aSource,
      bSource,
    }));
  }
  return diff.a.ok && diff.b.ok ? EXIT_OK : EXIT_REJECTED;
}
