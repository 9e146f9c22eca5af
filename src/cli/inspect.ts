/** `flink-memory inspect`: running clusters over the REST API (and Prometheus), with findings and proposals. */
import { readFile, writeFile } from 'node:fs/promises';
import { AuthError, authorizationFromEnv, authorizationFromFile, splitUrlCredentials } from '../inspect/auth.js';
import { DEFAULT_URL_TEMPLATE, FleetError, targetsFromKubectl, targetsFromRestFile } from '../inspect/fleet.js';
import { inspectFleet, worstFirst, type InspectOptions, type InspectTarget } from '../inspect/inspect.js';
import { caTransport, type RestClientOptions } from '../inspect/rest-client.js';
import { renderInspectHtml } from '../report/inspect-html.js';
import { renderInspectJson } from '../report/inspect-json.js';
import { renderInspectText } from '../report/inspect-text.js';
import { flinkVersionArg, parseCommandArgs } from './args.js';
import { EXIT_OK, EXIT_REJECTED, UsageError, type CliIo } from './io.js';

const HELP = `Usage: flink-memory inspect --rest URL [--rest URL]... [options]
       flink-memory inspect --rest-file FILE | --fleet KUBECTL_JSON [options]

Looks at running clusters through the JobManager REST API (the Web UI's port): Flink version,
JobManager configuration, every TaskManager's memory as it reports it and as the exact model
derives it from the cluster configuration, its usage (heap, managed, network, metaspace, GC),
running jobs' checkpoints, back-pressure and memory-related exceptions; then findings (the
doctor's rules) and proposals from the observed peaks, each derived again by the exact model.

Sources:
      --rest URL             a JobManager REST endpoint (repeatable)
      --rest-file FILE       one URL per line (optionally "name URL"; # comments)
      --fleet FILE           JSON of 'kubectl get flinkdeployments -A -o json': one cluster per item,
                             compared with its declared resources
      --url-template T       REST URL of a FlinkDeployment (default ${DEFAULT_URL_TEMPLATE})
      --prometheus FILE|URL  read usage from a Prometheus exposition (Flink's PrometheusReporter)
                             instead of the REST metrics endpoints
Sampling:
      --watch SECONDS        seconds between samples (with --samples); proposals use the peaks
      --samples N            number of samples (default 1; with --watch default 5)
      --margin PERCENT       headroom over an observed peak (default 25)
Connection:
      --timeout MS           per request (default 10000)
      --retries N            retries on 5xx and connection errors, with backoff (default 2)
      --concurrency N        clusters inspected at once (default 8)
      --auth-env VAR         credentials from an environment variable: "user:password" (basic),
                             "Bearer TOKEN" or a bare token (bearer)
      --auth-file FILE       the same from a file; credentials are never printed
      --ca-file FILE         CA certificate (PEM) for HTTPS (also: NODE_EXTRA_CA_CERTS)
Output:
  -f, --format FORMAT        text (default), json, or html (one self-contained page, no script)
  -o, --out FILE             write the report to FILE instead of standard output
  -V, --flink-version V      memory rules to apply (default: the version each cluster reports)
  -h, --help                 show this help

Exit codes: 0 no finding and every call answered, 1 findings or failed calls (partial results),
2 usage or input errors.
`;

function positiveNumber(text: string, option: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new UsageError(`inspect: ${option} '${text}' is not a ${integer ? 'whole ' : ''}number >= 0`);
  return n;
}

export async function runInspect(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'inspect',
    argv,
    {
      rest: { type: 'string', multiple: true },
      'rest-file': { type: 'string' },
      fleet: { type: 'string' },
      'url-template': { type: 'string' },
      prometheus: { type: 'string' },
      watch: { type: 'string' },
      samples: { type: 'string' },
      margin: { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      concurrency: { type: 'string' },
      'auth-env': { type: 'string' },
      'auth-file': { type: 'string' },
      'ca-file': { type: 'string' },
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      'flink-version': { type: 'string', short: 'V' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  if (v.help === true) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'html') throw new UsageError(`inspect: unknown --format '${format}' (expected text, json or html)`);
  if (v.out !== undefined && v.out === '') throw new UsageError('inspect: --out needs a file name');

  let targets: InspectTarget[] = [];
  for (const url of v.rest ?? []) {
    if (!/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`inspect: --rest '${splitUrlCredentials(url).url}' is not an http(s) URL`);
    targets.push({ url });
  }
  try {
    if (v['rest-file'] !== undefined) targets.push(...(await targetsFromRestFile(v['rest-file'])));
    if (v.fleet !== undefined) targets.push(...(await targetsFromKubectl(v.fleet, v['url-template'] ?? DEFAULT_URL_TEMPLATE)));
  } catch (e) {
    if (e instanceof FleetError) throw new UsageError(`inspect: ${e.message}`);
    throw e;
  }
  if (targets.length === 0 && v.prometheus === undefined) throw new UsageError('inspect: no cluster given (--rest URL, --rest-file FILE or --fleet FILE)');
  if (targets.length === 0) throw new UsageError('inspect: --prometheus gives usage only; name the cluster with --rest URL');

  // Credentials in a URL become a header, and the URL printed from then on has none.
  let urlAuth: string | undefined;
  targets = targets.map((t) => {
    const split = splitUrlCredentials(t.url);
    if (split.authorization !== undefined) urlAuth = split.authorization;
    return { ...t, url: split.url };
  });

  let authorization: string | undefined = urlAuth;
  try {
    if (v['auth-env'] !== undefined) authorization = authorizationFromEnv(v['auth-env']);
    if (v['auth-file'] !== undefined) authorization = await authorizationFromFile(v['auth-file']);
  } catch (e) {
    if (e instanceof AuthError) throw new UsageError(`inspect: ${e.message}`);
    throw e;
  }
  const client: { -readonly [K in keyof RestClientOptions]?: RestClientOptions[K] } = {};
  if (authorization !== undefined) client.authorization = authorization;
  if (v.timeout !== undefined) client.timeoutMs = Math.max(1, positiveNumber(v.timeout, '--timeout', false));
  if (v.retries !== undefined) client.retries = Math.min(10, positiveNumber(v.retries, '--retries', true));
  if (v['ca-file'] !== undefined) {
    let ca: Buffer;
    try {
      ca = await readFile(v['ca-file']);
    } catch (e) {
      throw new UsageError(`inspect: --ca-file: cannot read ${v['ca-file']}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`inspect: --ca-file ${v['ca-file']} holds no PEM certificate`);
    client.transport = caTransport(ca);
  }

  const watch = v.watch === undefined ? undefined : positiveNumber(v.watch, '--watch', false);
  const samples = v.samples !== undefined ? Math.max(1, positiveNumber(v.samples, '--samples', true)) : watch !== undefined ? 5 : 1;
  const options: InspectOptions = {
    client,
    ...(v.concurrency !== undefined ? { concurrency: Math.max(1, positiveNumber(v.concurrency, '--concurrency', true)) } : {}),
    ...(watch !== undefined ? { watchSeconds: watch } : {}),
    samples,
    ...(v.prometheus !== undefined ? { prometheus: v.prometheus } : {}),
    ...(v.margin !== undefined ? { marginPercent: Math.round(positiveNumber(v.margin, '--margin', false)) } : {}),
    ...(v['flink-version'] !== undefined ? { version: flinkVersionArg('inspect', v['flink-version']) } : {}),
    ...(samples > 1 && io.stderrIsTTY === true ? { onSample: (url: string, n: number) => io.stderr(`\r${url}: sample ${n}/${samples}`) } : {}),
  };
  const result = await inspectFleet(targets, options);
  if (samples > 1 && io.stderrIsTTY === true) io.stderr('\n');
  const report =
    format === 'json'
      ? renderInspectJson(result)
      : format === 'html'
        ? renderInspectHtml(result)
        : renderInspectText({ clusters: result.clusters.length > 1 ? worstFirst(result.clusters) : result.clusters }, { columns: io.columns });
  if (v.out !== undefined) {
    try {
      await writeFile(v.out, report);
    } catch (e) {
      throw new UsageError(`inspect: cannot write ${v.out}: ${(e as Error).message}`);
    }
    io.stderr(`wrote ${v.out}\n`);
  } else io.stdout(report);
  const troubled = result.clusters.some((c) => c.findings.length > 0 || c.errors.length > 0);
  return troubled ? EXIT_REJECTED : EXIT_OK;
}

