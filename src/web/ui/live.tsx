/**
 * The live view: the user names a Flink REST URL, the local server remembers it and fetches only
 * below it (see src/serve/rest-proxy.ts); the page refreshes every few seconds.
 */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_FLINK_VERSION } from '../../memory/versions.js';
import { formatSize } from '../../report/format.js';
import { proposals, type TaskManagerInfo } from '../live-model.js';

const REFRESH_MS = 5000;

interface JobCheckpoints {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly completed?: number;
  readonly failed?: number;
  readonly lastSize?: number;
  readonly lastDurationMs?: number;
}

interface Snapshot {
  readonly at: Date;
  readonly taskManagers: readonly TaskManagerInfo[];
  readonly jobs: readonly JobCheckpoints[];
}

async function getJson<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`/api/rest?${new URLSearchParams({ url: new URL(path, base).href })}`);
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${path}: ${response.status}`);
  return body;
}

async function snapshot(base: string): Promise<Snapshot> {
  const list = await getJson<{ taskmanagers?: TaskManagerInfo[] }>(base, 'taskmanagers');
  const taskManagers = await Promise.all((list.taskmanagers ?? []).slice(0, 50).map((tm) => getJson<TaskManagerInfo>(base, `taskmanagers/${encodeURIComponent(tm.id)}`).catch(() => tm)));
  const overview = await getJson<{ jobs?: Array<{ jid: string; name: string; state: string }> }>(base, 'jobs/overview').catch(() => ({ jobs: [] }));
  const jobs = await Promise.all(
    (overview.jobs ?? [])
      .filter((j) => j.state === 'RUNNING')
      .slice(0, 20)
      .map(async (j): Promise<JobCheckpoints> => {
        const c = await getJson<{ counts?: { completed?: number; failed?: number }; latest?: { completed?: { state_size?: number; checkpointed_size?: number; end_to_end_duration?: number } | null } }>(base, `jobs/${encodeURIComponent(j.jid)}/checkpoints`).catch(() => undefined);
        const last = c?.latest?.completed ?? undefined;
        return {
          jid: j.jid,
          name: j.name,
          state: j.state,
          ...(c?.counts?.completed !== undefined ? { completed: c.counts.completed } : {}),
          ...(c?.counts?.failed !== undefined ? { failed: c.counts.failed } : {}),
          ...(last?.checkpointed_size ?? last?.state_size) !== undefined ? { lastSize: (last?.checkpointed_size ?? last?.state_size)! } : {},
          ...(last?.end_to_end_duration !== undefined ? { lastDurationMs: last.end_to_end_duration } : {}),
        };
      }),
  );
  return { at: new Date(), taskManagers, jobs };
}

const size = (n: number | undefined): string => (n === undefined || n < 0 ? '–' : formatSize(BigInt(Math.round(n))));
const pct = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b <= 0 ? '' : ` (${((a / b) * 100).toFixed(0)}%)`);

export function Live(props: { readonly url: string; readonly onUrl: (url: string) => void }) {
  const [draft, setDraft] = useState(props.url);
  const [base, setBase] = useState<string | undefined>(undefined);
  const [data, setData] = useState<Snapshot | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const connect = async (): Promise<void> => {
    setError(undefined);
    const response = await fetch('/api/rest/target', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: draft }) });
    const body = (await response.json().catch(() => ({}))) as { base?: string; error?: string };
    if (!response.ok || body.base === undefined) {
      setError(body.error ?? `the server answered ${response.status}`);
      return;
    }
    props.onUrl(draft);
    setBase(body.base);
  };

  useEffect(() => {
    if (base === undefined) return undefined;
    let stopped = false;
    const tick = async (): Promise<void> => {
      try {
        const s = await snapshot(base);
        if (!stopped) {
          setData(s);
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [base]);

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
        <button type="submit">Connect</button>
      </form>
      <p class="muted">The local server fetches only URLs below the one you enter here (GET only) and refreshes every {REFRESH_MS / 1000} s.</p>
      {error !== undefined && (
        <p class="field-error" role="alert" data-testid="live-error">
          {error}
        </p>
      )}
      {data !== undefined && (
        <>
          <p class="muted" aria-live="polite">
            {data.taskManagers.length} TaskManager(s), updated {data.at.toLocaleTimeString()}
          </p>
          <table data-testid="live-taskmanagers">
            <caption>TaskManagers: configured vs used</caption>
            <thead>
              <tr>
                <th scope="col">TaskManager</th>
                <th scope="col">Process (configured)</th>
                <th scope="col">Heap used / max</th>
                <th scope="col">Direct used / max</th>
                <th scope="col">Network used / total</th>
                <th scope="col">Managed</th>
                <th scope="col">GC</th>
                <th scope="col">Proposal</th>
              </tr>
            </thead>
            <tbody>
              {data.taskManagers.map((tm) => {
                const m = tm.metrics;
                const c = tm.memoryConfiguration;
                const p = proposals(tm, DEFAULT_FLINK_VERSION);
                return (
                  <tr key={tm.id} data-tm={tm.id}>
                    <th scope="row">
                      <code>{tm.id}</code>
                      <br />
                      <span class="muted">{tm.slotsNumber ?? '?'} slots, {tm.freeSlots ?? '?'} free</span>
                    </th>
                    <td>{size(c?.totalProcessMemory)}</td>
                    <td>
                      {size(m?.heapUsed)} / {size(m?.heapMax)}
                      {pct(m?.heapUsed, m?.heapMax)}
                    </td>
                    <td>
                      {size(m?.directUsed)} / {size(m?.directMax)}
                      {pct(m?.directUsed, m?.directMax)}
                    </td>
                    <td>
                      {size(m?.nettyShuffleMemoryUsed)} / {size(m?.nettyShuffleMemoryTotal)}
                    </td>
                    <td>{size(c?.managedMemory)}</td>
                    <td>{(m?.garbageCollectors ?? []).map((g) => `${g.name}: ${g.count} (${g.time} ms)`).join(', ') || '–'}</td>
                    <td>
                      {p.length === 0
                        ? '–'
                        : p.map((x) => (
                            <span key={x.reason}>
                              {x.reason}:{' '}
                              <code>
                                {Object.entries(x.set)
                                  .map(([k, v]) => `${k}: ${v}`)
                                  .join(', ')}
                              </code>
                            </span>
                          ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {data.jobs.length > 0 && (
            <table>
              <caption>Running jobs: checkpoints</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Last size</th>
                  <th scope="col">Last duration</th>
                </tr>
              </thead>
              <tbody>
                {data.jobs.map((j) => (
                  <tr key={j.jid}>
                    <th scope="row">{j.name}</th>
                    <td>{j.completed ?? '–'}</td>
                    <td>{j.failed ?? '–'}</td>
                    <td>{size(j.lastSize)}</td>
                    <td>{j.lastDurationMs === undefined ? '–' : `${j.lastDurationMs} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
