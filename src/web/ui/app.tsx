/** The app shell: views as tabs, the whole state mirrored in the URL hash. */
import { useEffect, useState } from 'preact/hooks';
import { decodeState, encodeState, VIEWS, type AppState, type View } from '../state.js';
import { Calculator } from './calculator.js';
import { Live } from './live.js';
import { Planner } from './planner.js';
import { Reports } from './reports.js';

const VIEW_LABELS: Readonly<Record<View, string>> = { calc: 'Calculator', plan: 'Planner', reports: 'GC & doctor reports', live: 'Live cluster' };

export function App() {
  const [state, setState] = useState<AppState>(() => decodeState(location.hash));
  useEffect(() => {
    // replaceState: every keystroke would otherwise become a history entry.
    const hash = encodeState(state);
    if (hash !== location.hash) history.replaceState(null, '', hash);
  }, [state]);
  useEffect(() => {
    const onHash = (): void => setState(decodeState(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const select = (view: View): void => setState({ ...state, view });
  return (
    <>
      <header>
        <h1>flink-memory</h1>
        <nav aria-label="Views">
          <div role="tablist" class="tabs" onKeyDown={(e) => arrowKeys(e, state.view, select)}>
            {VIEWS.map((v) => (
              <button key={v} id={`tab-${v}`} type="button" role="tab" aria-selected={state.view === v} aria-controls="view" tabIndex={state.view === v ? 0 : -1} data-view={v} onClick={() => select(v)}>
                {VIEW_LABELS[v]}
              </button>
            ))}
          </div>
        </nav>
      </header>
      <main>
        <div id="view" role="tabpanel" aria-labelledby={`tab-${state.view}`}>
        {state.view === 'calc' && <Calculator state={state.calc} onChange={(calc) => setState({ ...state, calc })} />}
        {state.view === 'plan' && (
          <Planner
            state={state.plan}
            onChange={(plan) => setState({ ...state, plan })}
            openInCalculator={(process, version, config) => setState({ ...state, view: 'calc', calc: { process, version, config, compare: undefined } })}
          />
        )}
        {state.view === 'reports' && <Reports calc={state.calc} />}
        {state.view === 'live' && <Live url={state.live} onUrl={(live) => setState({ ...state, live })} />}
        </div>
      </main>
      <footer class="muted">Exact to the byte: the same code as the flink-memory command line runs in this page. Nothing leaves this machine except what the live view asks the cluster you name.</footer>
    </>
  );
}

/** Tabs per the ARIA pattern: arrow keys move between them, Home/End jump. */
function arrowKeys(e: KeyboardEvent, current: View, select: (v: View) => void): void {
  const i = VIEWS.indexOf(current);
  let next: number | undefined;
  if (e.key === 'ArrowRight') next = (i + 1) % VIEWS.length;
  else if (e.key === 'ArrowLeft') next = (i - 1 + VIEWS.length) % VIEWS.length;
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = VIEWS.length - 1;
  if (next === undefined) return;
  e.preventDefault();
  const view = VIEWS[next]!;
  select(view);
  document.getElementById(`tab-${view}`)?.focus();
}
