/** `flink-memory upgrade --from V1 --to V2`: the same configuration on two Flink lines. Thin by design. */
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { toFlatMap } from '../config/flat-map.js';
import { loadConfigFile } from '../config/load.js';
import { renderUpgradeJson, renderUpgradeText } from '../report/lint-upgrade.js';
import { upgradeConfiguration } from '../upgrade/upgrade.js';
import { choiceArg, flinkVersionArg, parseCommandArgs } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory upgrade --from V1 --to V2 [options]

Derives the configuration with the exact model of both Flink lines and shows what changes: keys
that stop or start taking effect, every component and JVM flag before and after, failures that
appear or disappear, and the configuration to use on V2 to keep the V1 memory layout (checked
with V2's model).

Options:
      --from V              the Flink release running now (2.x, 1.20, 1.19, 1.18, 1.17, 1.16)
      --to V                the Flink release to upgrade to
  -c, --config FILE|DIR     flink-conf.yaml, config.yaml, a directory, a FlinkDeployment or
                            a ConfigMap manifest (default: Flink's shipped defaults)
  -D key=value              override an option (repeatable)
  -f, --format FORMAT       text (default) or json
  -h, --help                show this help

Exit codes: 0 V2 accepts the configuration, 1 V2 rejects it, 2 usage or input error.
`;

export async function runUpgrade(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'upgrade',
    argv,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      config: { type: 'string', short: 'c' },
      D: { type: 'string', short: 'D', multiple: true },
      format: { type: 'string', short: 'f' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  if (v.help === true) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (v.from === undefined || v.to === undefined) throw new UsageError('upgrade: both --from and --to are required (e.g. --from 1.20 --to 2.x)');
  const format = choiceArg('upgrade', 'format', v.format, ['text', 'json'], 'text');
  const from = flinkVersionArg('upgrade', v.from);
  const to = flinkVersionArg('upgrade', v.to);
  const loaded = v.config === undefined ? shippedDefaultConfig() : await loadConfigFile(v.config);
  const values = toFlatMap(applyDynamicProperties(loaded, v.D ?? []));
  const file = loaded.file !== undefined && loaded.format !== undefined && (loaded as { deployment?: unknown; configMap?: unknown }).deployment === undefined && (loaded as { configMap?: unknown }).configMap === undefined ? { path: loaded.file, format: loaded.format } : undefined;
  const report = upgradeConfiguration(values, from, to, file);
  io.stdout(format === 'json' ? renderUpgradeJson(report) : renderUpgradeText(report));
  return report.processes.every((p) => p.diff.b.ok) ? EXIT_OK : EXIT_REJECTED;
}
