/**
 * The live view: the user names a Flink REST URL, the local server remembers it and runs the
 * inspect engine (src/inspect, the same as `flink-memory inspect`) against it on every refresh
 * (`POST /api/inspect`); the page shows its ClusterJson: per TaskManager configured vs used memory
 * and GC, jobs' checkpoints and back-pressure, findings and proposals, errors. The engine runs on the
 * server; only its result's types are shared with this bundle.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ClusterJson, ProposalJson, TaskManagerJson } from '../../inspect/result.js';
import { formatSize } from '../../report/format.js';
import { bytesOf, COMPONENT_ROWS, wholePercent } from '../../inspect/view.js';

/** Refresh intervals offered, in seconds. */
export const REFRESH_CHOICES = [5, 10, 30, 60] as const;

interface Snapshot {
  readonly at: Date;
  readonly cluster: ClusterJson;
}

async function inspect(base: string): Promise<ClusterJson> {
  const response = await fetch('/api/inspect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: base }) });
  const body = (await response.json().catch(() => ({}))) as ClusterJson & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
  return body;
}

const size = (s: string | null | undefined): string => {
  const b = bytesOf(s);
  return b === undefined ? '–' : formatSize(b);
};


/** "used / max pct%" with a meter; the configured size below when the metric's maximum differs. */
function Usage(props: { readonly used: string | null; readonly max: string | null; readonly configured: string | undefined; readonly label: string }) {
  const { used, max, configured } = props;
  if (used === null && max === null && configured === undefined) return <>–</>;
  const whole = max ?? configured ?? null;
  const pct = wholePercent(used, whole);
  return (
    <>
      <span class="use" title={`${used ?? '?'} / ${whole ?? '?'} bytes`}>
        {size(used)} / {size(whole)}
        {pct === undefined ? '' : ` ${pct}%`}
      </span>
      {pct !== undefined && <meter min={0} max={100} low={75} high={90} optimum={50} value={Math.min(100, pct)} aria-label={`${props.label} ${pct}% used`} />}
      {configured !== undefined && configured !== max && <div class="muted">configured {size(configured)}</div>}
    </>
  );
}

function TaskManagerRow(props: { readonly tm: TaskManagerJson }) {
  const t = props.tm;
  const c = t.configured ?? {};
  return (
    <tr data-tm={t.id}>
      <th scope="row">
        <code>{t.id}</code>
        <br />
        <span class="muted">
          {t.slots ?? '?'} slot(s), {t.configuredSource === 'model' ? 'sizes derived from /jobmanager/config' : t.configuredSource === 'rest' ? 'sizes as reported' : 'sizes unknown'}
        </span>
      </th>
      <td class="num">{size(c['totalProcessMemory'])}</td>
      <td>
        <Usage used={t.used.heapUsed} max={t.used.heapMax} configured={c['jvmHeap']} label="heap" />
      </td>
      <td>
        <Usage used={t.used.managedUsed} max={t.used.managedTotal} configured={c['managed']} label="managed" />
      </td>
      <td>
        <Usage used={t.used.networkUsed} max={t.used.networkTotal} configured={c['network']} label="network" />
      </td>
      <td>
        <Usage used={t.used.metaspaceUsed} max={t.used.metaspaceMax} configured={c['jvmMetaspace']} label="metaspace" />
      </td>
      <td>{t.buffers.directUsed === null && t.buffers.directMax === null ? '–' : `${size(t.buffers.directUsed)} / ${size(t.buffers.directMax)}`}</td>
      <td>
        {t.gc.length === 0
          ? '–'
          : t.gc.map((g) => (
              <div key={g.name}>
                {g.name}: {g.count} ({g.timeMs} ms{g.timeMsPerSecond === undefined ? '' : `, ${g.timeMsPerSecond} ms/s`})
              </div>
            ))}
      </td>
    </tr>
  );
}

function Proposal(props: { readonly p: ProposalJson; readonly n: number }) {
  const p = props.p;
  const rows = COMPONENT_ROWS.filter(([key]) => {
    const b = p.before[key];
    const a = p.after[key];
    return b !== undefined && a !== undefined && (b !== a || key === 'totalProcessMemory');
  });
  return (
    <li class="proposal" data-kind={p.kind}>
      <strong>
        {props.n}. {p.kind}
      </strong>{' '}
      ({p.process === 'jobmanager' ? 'JobManager' : `${p.taskManagers.length} TaskManager(s)`}): {p.reason}
      <pre class="code">
        {Object.entries(p.set)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n')}
      </pre>
      <table class="sizes">
        <thead>
          <tr>
            <th scope="col">component</th>
            <th scope="col" class="num">
              before
            </th>
            <th scope="col" class="num">
              after
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, label]) => (
            <tr key={key} data-component={key}>
              <th scope="row">{label}</th>
              <td class="num">{size(p.before[key])}</td>
              <td class="num">
                {size(p.after[key])} ({p.after[key]})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{p.fitsProcess ? 'fits the current process size' : `needs a process of ${size(p.processNeeded)} (${p.processNeeded ?? '?'})`}</p>
      {p.steps.length > 0 && (
        <ul>
          {p.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ClusterView(props: { readonly snapshot: Snapshot }) {
  const c = props.snapshot.cluster;
  const o = c.overview;
  return (
    <div data-testid="live-cluster">
      <p class="muted" aria-live="polite" data-testid="live-summary">
        {c.flinkVersion === null ? 'Flink version unknown' : `Flink ${c.flinkVersion}`} (memory rules of {c.modelVersion}); {o?.taskManagers ?? c.taskManagers.length} TaskManager(s), {o?.slotsTotal ?? '?'} slots ({o?.slotsAvailable ?? '?'} free), {o?.jobsRunning ?? c.jobs.length} job(s) running; updated{' '}
        {props.snapshot.at.toLocaleTimeString()}
      </p>
      <table data-testid="live-taskmanagers">
        <caption>TaskManagers: configured vs used</caption>
        <thead>
          <tr>
            <th scope="col">TaskManager</th>
            <th scope="col" class="num">
              Process (configured)
            </th>
            <th scope="col">Heap used / max</th>
            <th scope="col">Managed used / total</th>
            <th scope="col">Network used / total</th>
            <th scope="col">Metaspace used / max</th>
            <th scope="col">Direct used / max</th>
            <th scope="col">GC per collector</th>
          </tr>
        </thead>
        <tbody>
          {c.taskManagers.map((tm) => (
            <TaskManagerRow key={tm.id} tm={tm} />
          ))}
        </tbody>
      </table>
      {c.jobs.length > 0 && (
        <table data-testid="live-jobs">
          <caption>Running jobs: checkpoints and back-pressure</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col" class="num">
                Completed
              </th>
              <th scope="col" class="num">
                Failed
              </th>
              <th scope="col">Latest completed</th>
              <th scope="col">Failed checkpoints</th>
              <th scope="col">Back-pressure</th>
            </tr>
          </thead>
          <tbody>
            {c.jobs.map((j) => {
              const cp = j.checkpoints;
              const latest = cp?.latestCompleted ?? null;
              return (
                <tr key={j.id} data-job={j.id}>
                  <th scope="row">
                    {j.name}
                    <br />
                    <span class="muted">{j.state}</span>
                  </th>
                  <td class="num">{cp?.counts.completed ?? '–'}</td>
                  <td class="num">{cp?.counts.failed ?? '–'}</td>
                  <td>{latest === null ? '–' : `#${latest.id ?? '?'}: ${latest.durationMs ?? '?'} ms, ${size(latest.checkpointedSize ?? latest.stateSize)}`}</td>
                  <td>
                    {(cp?.failures ?? []).length === 0
                      ? '–'
                      : cp!.failures.map((f) => (
                          <div key={`${f.id ?? ''}-${f.timestamp ?? ''}`} class={`failure ${f.classification}`}>
                            #{f.id ?? '?'} {f.classification}
                            {f.reason === null ? '' : ` (${f.reason})`}: {f.message.split('\n')[0]}
                          </div>
                        ))}
                  </td>
                  <td>
                    {j.backpressure.length === 0
                      ? '–'
                      : j.backpressure.map((b) => (
                          <div key={b.vertex}>
                            {b.name}: {b.level}
                            {b.maxRatio === null ? '' : ` (${b.maxRatio})`}
                          </div>
                        ))}
                    {j.memoryExceptions.map((e) => (
                      <div key={`${e.kind}-${e.timestamp ?? ''}`} class="field-error">
                        {e.kind}: {e.summary}
                      </div>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <section data-testid="live-findings">
        <h3>Findings{c.findings.length === 0 ? ': none' : ` (${c.findings.length})`}</h3>
        {c.findings.map((f) => (
          <div key={`${f.kind}-${f.summary}`} class={`finding ${f.severity === 'critical' || f.severity === 'high' ? 'critical' : 'warning'}`} data-kind={f.kind}>
            <strong>
              {f.severity}: {f.kind}
            </strong>{' '}
            {f.summary}
            {f.advice.length > 0 && (
              <ul>
                {f.advice.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </section>
      {c.proposals.length > 0 && (
        <section data-testid="live-proposals">
          <h3>Proposals (each derived again with the exact model)</h3>
          <ol class="proposals">
            {c.proposals.map((p, i) => (
              <Proposal key={`${p.kind}-${i}`} p={p} n={i + 1} />
            ))}
          </ol>
        </section>
      )}
      {c.errors.length > 0 && (
        <section data-testid="live-errors">
          <h3>Errors ({c.errors.length}; the figures above are partial)</h3>
          <ul>
            {c.errors.slice(0, 20).map((e) => (
              <li key={`${e.url}-${e.message}`}>
                <code>{e.url}</code>: {e.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {c.notes.length > 0 && (
        <ul class="muted">
          {c.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Live(props: { readonly url: string; readonly onUrl: (url: string) => void }) {
  const [draft, setDraft] = useState(props.url);
  const [base, setBase] = useState<string | undefined>(undefined);
  const [every, setEvery] = useState<number>(REFRESH_CHOICES[0]);
  const [data, setData] = useState<Snapshot | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const connect = async (): Promise<void> => {
    setError(undefined);
    const response = await fetch('/api/rest/target', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: draft }) });
    const body = (await response.json().catch(() => ({}))) as { base?: string; error?: string };
    if (!response.ok || body.base === undefined) {
      setError(body.error ?? `the server answered ${response.status}`);
      return;
    }
    props.onUrl(draft);
    setData(undefined);
    setBase(body.base);
  };

  useEffect(() => {
    if (base === undefined) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next inspection starts `every` seconds after the last one answered: a slow cluster never piles up requests.
    const tick = async (): Promise<void> => {
      setBusy(true);
      try {
        const cluster = await inspect(base);
        if (!stopped) {
          setData({ at: new Date(), cluster });
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      } finally {
        if (!stopped) {
          setBusy(false);
          timer = setTimeout(() => void tick(), every * 1000);
        }
      }
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [base, every]);

  return (
    <div class="live">
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void connect();
        }}
      >
        <label for="live-url">Flink REST URL</label>{' '}
        <input id="live-url" name="live-url" type="url" placeholder="http://localhost:8081" value={draft} onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)} />{' '}
        <label for="live-every">refresh every</label>{' '}
        <select id="live-every" value={String(every)} onChange={(e) => setEvery(Number((e.currentTarget as HTMLSelectElement).value))}>
          {REFRESH_CHOICES.map((s) => (
            <option key={s} value={String(s)}>
              {s} s
            </option>
          ))}
        </select>{' '}
        <button type="submit">Connect</button>
      </form>
      <p class="muted">
        The local server runs the same inspection as <code>flink-memory inspect</code> against the URL you enter (GET only, nothing outside it) and repeats it every {every} s.
        {busy ? ' Inspecting…' : ''}
      </p>
      {error !== undefined && (
        <p class="field-error" role="alert" data-testid="live-error">
          {error}
        </p>
      )}
      {data !== undefined && <ClusterView snapshot={data} />}
    </div>
  );
}
