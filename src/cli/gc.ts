/** `flink-memory gc`: analyse GC logs, advise in Flink terms. Thin: parse, call, render. */
import { stat, writeFile } from 'node:fs/promises';
import { adviseFromGc } from '../gc/advice.js';
import { analyzeGcLogs } from '../gc/analyze.js';
import type { GcInput } from '../gc/read.js';
import { renderGcHtml } from '../report/gc-html.js';
import { gcJson } from '../report/gc-json.js';
import { renderGcText } from '../report/gc-text.js';
import { stringifyJson } from '../report/json.js';
import { shippedDefaultConfig } from '../config/defaults.js';
import { applyDynamicProperties } from '../config/dynamic-properties.js';
import { loadConfigFile } from '../config/load.js';
import { flinkVersionArg, parseCommandArgs } from './args.js';
import { EXIT_OK, UsageError, type CliIo } from './io.js';
import { toFlatMap } from '../config/flat-map.js';

const HELP = `Usage: flink-memory gc FILE... [options]

Analyses JVM GC logs (JDK 9+ unified logging or JDK 8 -XX:+PrintGCDetails; G1, Parallel, Serial,
CMS, ZGC, Shenandoah; plain or .gz; '-' reads standard input; a rotated set is read in order)
and advises a TaskManager heap and JVM flags, checked with Flink's exact memory model.

Options:
  -f, --format FORMAT     text (default), json, html
  -o, --out FILE          write the report to FILE instead of standard output
  -c, --config FILE|DIR   the TaskManager's Flink configuration (baseline for the advice;
                          default: Flink's shipped defaults)
  -D key=value            override an option of that configuration (repeatable)
  -V, --flink-version V   Flink release whose rules apply (default: 2.x)
      --no-color          no colour in the text report
  -h, --help              show this help
`;

const FORMATS = ['text', 'json', 'html'] as const;

export async function runGc(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'gc',
    argv,
    {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      D: { type: 'string', short: 'D', multiple: true },
      'flink-version': { type: 'string', short: 'V' },
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
  const format = v.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`gc: unknown --format '${format}' (expected ${FORMATS.join(', ')})`);
  if (parsed.positionals.length === 0) throw new UsageError("gc: no GC log given (name one or more files, or '-' for standard input)");
  const version = flinkVersionArg('gc', v['flink-version']);
  const inputs: GcInput[] = parsed.positionals.map((p) => (p === '-' ? { kind: 'stdin' } : { kind: 'file', path: p }));
  const baseline =
    v.config === undefined && (v.D ?? []).length === 0
      ? undefined
      : toFlatMap(applyDynamicProperties(v.config === undefined ? shippedDefaultConfig() : await loadConfigFile(v.config), v.D ?? []));

  const progress = await progressReporter(inputs, io);
  const summary = await analyzeGcLogs(inputs, { onProgress: progress?.update });
  progress?.finish();
  const advice = adviseFromGc(summary, baseline, version);
  const report =
    format === 'json'
      ? `${stringifyJson(gcJson(summary, advice))}\n`
      : format === 'html'
        ? renderGcHtml(summary, advice)
        : renderGcText(summary, advice, { color: v['no-color'] === true ? false : io.color && v.out === undefined, columns: io.columns });
  if (v.out !== undefined) {
    try {
      await writeFile(v.out, report);
    } catch (e) {
      throw new UsageError(`gc: cannot write ${v.out}: ${(e as Error).message}`);
    }
    io.stderr(`wrote ${v.out}\n`);
  } else {
    io.stdout(report);
  }
  return EXIT_OK;
}

const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

/** A progress bar on stderr, only for large inputs and only when stderr is a terminal. */
async function progressReporter(inputs: readonly GcInput[], io: CliIo) {
  if (io.stderrIsTTY !== true) return undefined;
  const sizes = new Map<string, number>();
  for (const input of inputs) {
    if (input.kind !== 'file') continue;
    try {
      sizes.set(input.path, (await stat(input.path)).size);
    } catch {
      /* a missing file is reported by the analysis itself */
    }
  }
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (total < PROGRESS_MIN_BYTES) return undefined;
  const done = new Map<string, number>();
  let lastDraw = 0;
  return {
    update: (bytes: number, file: string): void => {
      done.set(file, bytes);
      const now = Date.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      const sum = [...done.values()].reduce((a, b) => a + b, 0);
      const share = Math.min(1, sum / total);
      const width = 30;
      io.stderr(`\r[${'#'.repeat(Math.round(share * width)).padEnd(width)}] ${(share * 100).toFixed(0).padStart(3)}% ${(sum / 1048576).toFixed(0)}/${(total / 1048576).toFixed(0)} MB`);
    },
    finish: (): void => io.stderr('\r\u001b[K'),
  };
}
