/**
 * GC and doctor reports for files the user drops or chooses. The files go to the local server
 * (never further), which runs the same engine as `flink-memory gc` / `doctor` and answers JSON.
 */
import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import type { DistributionSummary as Distribution } from '../../gc/analysis/distribution.js';
import { formatSize } from '../../report/format.js';
import type { CalculatorState } from '../state.js';
import { Chart, SERIES_COLOURS } from './chart.js';

/** Mirrors the server's limits (src/serve/reports.ts); checked here first for a message before uploading. */
const GC_LIMIT = 1024 * 1024 * 1024;
const DOCTOR_LIMIT = 256 * 1024 * 1024;

type Series = ReadonlyArray<readonly [number, number, string]>;

interface GcReportJson {
  readonly collector: string;
  readonly spanSeconds: number;
  readonly throughputPercent: number | null;
  readonly pauses: Distribution & { readonly byKind: Readonly<Record<string, Distribution>>; readonly histogram: { readonly edgesMs: readonly number[]; readonly counts: readonly number[] } };
  readonly fullGc: { readonly count: number; readonly causes: Readonly<Record<string, number>> };
  readonly heap: { readonly maxCapacityBytes?: number; readonly liveSetBytes?: number; readonly liveSetMethod: string; readonly allocationRateMBps?: number; readonly promotionRateMBps?: number; readonly heapAfterGc: Series; readonly pauseSeries: Series };
  readonly lines: number;
  readonly unrecognisedLines: number;
  readonly advice: {
    readonly heap: null | { readonly action: string; readonly reason: string; readonly configChange?: Readonly<Record<string, string>>; readonly resulting: null | { readonly totalProcessMemory: string; readonly jvmParams: string } };
    readonly flags: ReadonlyArray<{ readonly flag: string; readonly reason: string }>;
    readonly envJavaOpts: string | null;
    readonly notes: readonly string[];
  };
}

interface DoctorJson {
  readonly rootCause: null | { readonly kind: string; readonly summary: string; readonly chain?: readonly string[] };
  readonly findings: ReadonlyArray<{
    readonly kind: string;
    readonly severity: string;
    readonly summary: string;
    readonly count: number;
    readonly evidence: ReadonlyArray<{ readonly file: string; readonly line: number; readonly text: string }>;
    readonly fix: null | { readonly set: Readonly<Record<string, string>>; readonly explanation: string };
    readonly advice: readonly string[];
  }>;
  readonly timeline: ReadonlyArray<{ readonly time?: string; readonly kind: string; readonly summary: string; readonly file: string; readonly line: number }>;
  readonly combinedFix: null | { readonly set: Readonly<Record<string, string>>; readonly steps?: readonly string[] };
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly kind: string; readonly note?: string }>;
  readonly notes: readonly string[];
}

type Status<T> = { readonly state: 'idle' } | { readonly state: 'busy'; readonly what: string } | { readonly state: 'error'; readonly message: string } | { readonly state: 'done'; readonly report: T };

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({ error: `the server answered ${response.status}` }))) as T | { error: string };
  if (!response.ok) throw new Error((body as { error?: string }).error ?? `the server answered ${response.status}`);
  return body as T;
}

function DropZone(props: { readonly id: string; readonly label: string; readonly multiple: boolean; readonly onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={`drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const files = [...(e.dataTransfer?.files ?? [])];
        if (files.length > 0) props.onFiles(props.multiple ? files : files.slice(0, 1));
      }}
    >
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name={props.id} type="file" multiple={props.multiple} onChange={(e) => props.onFiles([...((e.currentTarget as HTMLInputElement).files ?? [])])} />
    </div>
  );
}

export function Reports(props: { readonly calc: CalculatorState }) {
  const [gc, setGc] = useState<Status<GcReportJson>>({ state: 'idle' });
  const [doctor, setDoctor] = useState<Status<DoctorJson>>({ state: 'idle' });
  const gcFile = async (files: File[]): Promise<void> => {
    const file = files[0];
    if (file === undefined) return;
    if (file.size > GC_LIMIT) return setGc({ state: 'error', message: `${file.name} is ${formatSize(BigInt(file.size))}: larger than the limit of ${formatSize(BigInt(GC_LIMIT))}. Analyse it with 'flink-memory gc ${file.name}' instead.` });
    setGc({ state: 'busy', what: `Analysing ${file.name} (${formatSize(BigInt(file.size))})…` });
    const params = new URLSearchParams({ name: file.name, version: props.calc.version });
    if (props.calc.process === 'taskmanager') params.set('config', JSON.stringify(props.calc.config));
    try {
      const report = await answer<GcReportJson>(await fetch(`/api/gc?${params}`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } }));
      setGc({ state: 'done', report });
    } catch (e) {
      setGc({ state: 'error', message: (e as Error).message });
    }
  };
  const doctorFiles = async (files: File[]): Promise<void> => {
    if (files.length === 0) return;
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > DOCTOR_LIMIT) return setDoctor({ state: 'error', message: `the files add up to ${formatSize(BigInt(total))}: larger than the limit of ${formatSize(BigInt(DOCTOR_LIMIT))}. Run 'flink-memory doctor' on them instead.` });
    setDoctor({ state: 'busy', what: `Diagnosing ${files.length} file(s)…` });
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    try {
      const report = await answer<DoctorJson>(await fetch(`/api/doctor?${new URLSearchParams({ version: props.calc.version })}`, { method: 'POST', body: form }));
      setDoctor({ state: 'done', report });
    } catch (e) {
      setDoctor({ state: 'error', message: (e as Error).message });
    }
  };
  return (
    <div class="reports">
      <section aria-labelledby="gc-title">
        <h2 id="gc-title">GC log</h2>
        <p class="muted">
          JDK 9+ unified logging or JDK 8 <code>-XX:+PrintGCDetails</code>, plain or gzip, up to {formatSize(BigInt(GC_LIMIT))}. Heap advice is relative to the calculator's TaskManager configuration.
        </p>
        <DropZone id="gc-file" label="Drop a GC log here, or choose one" multiple={false} onFiles={(f) => void gcFile(f)} />
        <StatusLine status={gc} />
        {gc.state === 'done' && <GcReport report={gc.report} />}
      </section>
      <section aria-labelledby="doctor-title">
        <h2 id="doctor-title">Doctor</h2>
        <p class="muted">TaskManager logs, .out files, GC logs, NMT output, configs, kubectl describe pod, YARN diagnostics: up to {formatSize(BigInt(DOCTOR_LIMIT))} together.</p>
        <DropZone id="doctor-files" label="Drop incident files here, or choose them" multiple={true} onFiles={(f) => void doctorFiles(f)} />
        <StatusLine status={doctor} />
        {doctor.state === 'done' && <DoctorReport report={doctor.report} />}
      </section>
    </div>
  );
}

function StatusLine<T>(props: { readonly status: Status<T> }) {
  if (props.status.state === 'busy') return <p aria-live="polite">{props.status.what}</p>;
  if (props.status.state === 'error') return <p class="field-error" role="alert" data-testid="report-error">{props.status.message}</p>;
  return null;
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : `${v.toFixed(1)} ms`);
const bytes = (v: number | undefined): string => (v === undefined ? '–' : formatSize(BigInt(Math.round(v))));

/** Splits [t, y, kind] points into one aligned series per kind (uPlot needs one x array). */
function byKind(points: Series, scale: number): { data: uPlot.AlignedData; kinds: string[] } {
  const kinds = [...new Set(points.map((p) => p[2]))];
  const xs = points.map((p) => p[0]);
  const ys = kinds.map((k) => points.map((p) => (p[2] === k ? p[1] / scale : null)));
  return { data: [xs, ...ys], kinds };
}

function pointSeries(kinds: readonly string[], line: boolean): uPlot.Series[] {
  return [
    {},
    ...kinds.map((k, i) => ({
      label: k,
      stroke: SERIES_COLOURS[i % SERIES_COLOURS.length]!,
      width: line ? 1 : 0,
      spanGaps: line,
      points: { show: true, size: 4 },
      ...(line ? {} : { paths: () => null }),
    })),
  ];
}

function GcReport(props: { readonly report: GcReportJson }) {
  const r = props.report;
  const heap = useMemo(() => byKind(r.heap.heapAfterGc, 1024 * 1024), [r]);
  const pauses = useMemo(() => byKind(r.heap.pauseSeries, 1), [r]);
  const histogram = useMemo(() => {
    const edges = r.pauses.histogram.edgesMs;
    const labels = r.pauses.histogram.counts.map((_, i) => (i === 0 ? `<${edges[0]}` : i === edges.length ? `≥${edges[edges.length - 1]}` : `${edges[i - 1]}–${edges[i]}`));
    return { labels, data: [r.pauses.histogram.counts.map((_, i) => i), [...r.pauses.histogram.counts]] as uPlot.AlignedData };
  }, [r]);
  const heapOptions = useMemo<Omit<uPlot.Options, 'width' | 'height' | 'title'>>(() => ({ scales: { x: { time: false } }, axes: [{ label: 'seconds' }, { label: 'MiB' }], series: pointSeries(heap.kinds, true) }), [heap]);
  const pauseOptions = useMemo<Omit<uPlot.Options, 'width' | 'height' | 'title'>>(() => ({ scales: { x: { time: false } }, axes: [{ label: 'seconds' }, { label: 'ms' }], series: pointSeries(pauses.kinds, false) }), [pauses]);
  const histogramOptions = useMemo<Omit<uPlot.Options, 'width' | 'height' | 'title'>>(
    () => ({
      scales: { x: { time: false, range: [-0.5, histogram.labels.length - 0.5] } },
      axes: [{ label: 'pause (ms)', values: (_u: uPlot, ticks: number[]) => ticks.map((t) => histogram.labels[t] ?? ''), incrs: [1] }, { label: 'pauses' }],
      series: [{}, { label: 'pauses', stroke: SERIES_COLOURS[0]!, fill: `${SERIES_COLOURS[0]!}88`, paths: bars }],
    }),
    [histogram],
  );
  return (
    <div class="gc-report" data-testid="gc-report">
      <dl class="figures">
        <dt>Collector</dt>
        <dd data-testid="gc-collector">{r.collector}</dd>
        <dt>Span</dt>
        <dd>{r.spanSeconds.toFixed(1)} s</dd>
        <dt>Throughput</dt>
        <dd>{r.throughputPercent === null ? '–' : `${r.throughputPercent.toFixed(2)}%`}</dd>
        <dt>Pauses</dt>
        <dd data-testid="gc-pause-count">{r.pauses.count}</dd>
        <dt>Max pause</dt>
        <dd>{ms(r.pauses.maxMs)}</dd>
        <dt>Full GCs</dt>
        <dd>{r.fullGc.count}</dd>
        <dt>Max heap</dt>
        <dd>{bytes(r.heap.maxCapacityBytes)}</dd>
        <dt>Live set</dt>
        <dd>
          {bytes(r.heap.liveSetBytes)} <span class="muted">{r.heap.liveSetMethod}</span>
        </dd>
        <dt>Allocation rate</dt>
        <dd>{r.heap.allocationRateMBps === undefined ? '–' : `${r.heap.allocationRateMBps.toFixed(1)} MB/s`}</dd>
        <dt>Lines</dt>
        <dd>
          {r.lines} ({r.unrecognisedLines} not recognised)
        </dd>
      </dl>
      <table>
        <caption>Pauses by kind</caption>
        <thead>
          <tr>
            {['Kind', 'Count', 'Total', 'Mean', 'p50', 'p95', 'p99', 'Max'].map((h) => (
              <th scope="col" key={h} class={h === 'Kind' ? undefined : 'num'}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(r.pauses.byKind).map(([kind, d]) => (
            <tr key={kind} data-pause-kind={kind}>
              <th scope="row">{kind}</th>
              <td class="num">{d.count}</td>
              <td class="num">{ms(d.totalMs)}</td>
              <td class="num">{ms(d.meanMs)}</td>
              <td class="num">{ms(d.p50Ms)}</td>
              <td class="num">{ms(d.p95Ms)}</td>
              <td class="num">{ms(d.p99Ms)}</td>
              <td class="num">{ms(d.maxMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {heap.kinds.length > 0 && <Chart title="Heap after GC" options={heapOptions} data={heap.data} testId="chart-heap" />}
      {pauses.kinds.length > 0 && <Chart title="Pause durations" options={pauseOptions} data={pauses.data} testId="chart-pauses" />}
      <Chart title="Pause histogram" options={histogramOptions} data={histogram.data} testId="chart-histogram" />
      <h3>Advice</h3>
      {r.advice.heap !== null && (
        <div data-testid="gc-advice">
          <p>
            <strong>Heap: {r.advice.heap.action}</strong> — {r.advice.heap.reason}
          </p>
          {r.advice.heap.configChange !== undefined && (
            <pre class="code">
              {Object.entries(r.advice.heap.configChange)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n')}
            </pre>
          )}
          {r.advice.heap.resulting !== null && (
            <p>
              Resulting process: {formatSize(BigInt(r.advice.heap.resulting.totalProcessMemory))} · <code>{r.advice.heap.resulting.jvmParams}</code>
            </p>
          )}
        </div>
      )}
      {r.advice.flags.length > 0 && (
        <ul>
          {r.advice.flags.map((f) => (
            <li key={f.flag}>
              <code>{f.flag}</code>: {f.reason}
            </li>
          ))}
        </ul>
      )}
      {r.advice.envJavaOpts !== null && <pre class="code">{r.advice.envJavaOpts}</pre>}
      {r.advice.notes.length > 0 && (
        <ul class="notes">
          {r.advice.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Bars for the histogram, built by hand on uPlot's path API to avoid pulling its optional path builders' types. */
function bars(u: uPlot, seriesIdx: number, idx0: number, idx1: number): uPlot.Series.Paths | null {
  const path = new Path2D();
  const xs = u.data[0];
  const ys = u.data[seriesIdx]!;
  const half = (u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true)) * 0.4;
  const y0 = u.valToPos(0, 'y', true);
  for (let i = idx0; i <= idx1; i++) {
    const y = ys[i];
    if (y === null || y === undefined) continue;
    const x = u.valToPos(xs[i]!, 'x', true);
    const top = u.valToPos(y, 'y', true);
    path.rect(x - half, top, half * 2, y0 - top);
  }
  return { stroke: path, fill: path };
}

function DoctorReport(props: { readonly report: DoctorJson }) {
  const r = props.report;
  return (
    <div class="doctor-report" data-testid="doctor-report">
      <h3>Root cause</h3>
      <p data-testid="doctor-root-cause">{r.rootCause === null ? 'No memory problem found in these files.' : r.rootCause.summary}</p>
      {r.rootCause?.chain !== undefined && (
        <ol>
          {r.rootCause.chain.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
      )}
      {r.findings.length > 0 && <h3>Findings</h3>}
      {r.findings.map((f, i) => (
        <article key={i} class={`finding ${f.severity}`} data-finding={f.kind}>
          <h4>
            {f.severity}: {f.summary} {f.count > 1 && <span class="muted">(×{f.count})</span>}
          </h4>
          <ul class="evidence">
            {f.evidence.slice(0, 3).map((e) => (
              <li key={`${e.file}:${e.line}`}>
                <code>
                  {e.file}:{e.line}
                </code>{' '}
                <span class="muted">{e.text.length > 200 ? `${e.text.slice(0, 200)}…` : e.text}</span>
              </li>
            ))}
          </ul>
          {f.fix !== null && (
            <>
              <pre class="code">
                {Object.entries(f.fix.set)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join('\n')}
              </pre>
              <p class="muted">{f.fix.explanation}</p>
            </>
          )}
          {f.advice.map((a) => (
            <p key={a}>{a}</p>
          ))}
        </article>
      ))}
      {r.combinedFix !== null && (
        <>
          <h3>All fixes together</h3>
          <pre class="code" data-testid="doctor-fix">
            {Object.entries(r.combinedFix.set)
              .map(([k, v]) => `${k}: ${v}`)
              .join('\n')}
          </pre>
        </>
      )}
      {r.timeline.length > 0 && (
        <>
          <h3>Timeline</h3>
          <ol class="timeline">
            {r.timeline.map((t, i) => (
              <li key={i}>
                <span class="num">{t.time ?? '—'}</span> {t.summary}{' '}
                <code class="muted">
                  {t.file}:{t.line}
                </code>
              </li>
            ))}
          </ol>
        </>
      )}
      <h3>Inputs</h3>
      <ul>
        {r.inputs.map((i) => (
          <li key={i.path}>
            <code>{i.path}</code>: {i.kind}
            {i.note !== undefined && <span class="muted"> — {i.note}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
