/** The calculator: options in, the exact model out, recomputed on every keystroke; optionally compared with a second configuration. */
import type { FlatConfig } from '../../memory/configuration.js';
import type { ProcessKind } from '../../memory/spec.js';
import { FLINK_VERSIONS } from '../../memory/versions.js';
import { diffConfigurations } from '../../plan/diff.js';
import { COMPONENT_LABELS } from '../../plan/diff.js';
import { renderExport } from '../exports.js';
import { derive, errorKeys, human, versionByLine } from '../model.js';
import { optionGroups } from '../options-catalog.js';
import { SHIPPED_JOB_MANAGER, SHIPPED_TASK_MANAGER, type CalculatorState } from '../state.js';
import { ExportsView } from './exports-view.js';
import { OptionsForm } from './options-form.js';
import { lintByKey, lintForPage } from '../lint-model.js';
import { Rejection, SpecView } from './results.js';

export function Calculator(props: { readonly state: CalculatorState; readonly onChange: (s: CalculatorState) => void }) {
  const { state } = props;
  const version = versionByLine(state.version);
  const groups = optionGroups(state.process, version);
  const started = performance.now();
  const result = derive(state.process, state.config, version);
  const other = state.compare === undefined ? undefined : derive(state.process, state.compare, version);
  const elapsed = performance.now() - started;
  // `flink-memory lint`'s pure checks, shown beside the options they concern.
  const lint = lintByKey(lintForPage(state.config, version));
  const otherLint = state.compare === undefined ? new Map() : lintByKey(lintForPage(state.compare, version));
  const keys = result.ok ? new Set<string>() : errorKeys(result.error);
  const otherKeys = other === undefined || other.ok ? new Set<string>() : errorKeys(other.error);

  const setProcess = (process: ProcessKind): void => {
    const shipped = process === 'taskmanager' ? SHIPPED_TASK_MANAGER : SHIPPED_JOB_MANAGER;
    props.onChange({ ...state, process, config: shipped, compare: state.compare === undefined ? undefined : shipped });
  };

  return (
    <div class="calculator" data-recompute-ms={elapsed.toFixed(3)}>
      <section class="controls" aria-label="Process and Flink version">
        <label for="flink-version">Flink version</label>
        <select id="flink-version" name="flink-version" value={state.version} onChange={(e) => props.onChange({ ...state, version: (e.currentTarget as HTMLSelectElement).value })}>
          {FLINK_VERSIONS.map((v) => (
            <option key={v.line} value={v.line}>
              {v.line === '2.x' ? '2.x (2.0–2.4)' : v.line}
            </option>
          ))}
        </select>
        <fieldset class="inline">
          <legend>Process</legend>
          {(['taskmanager', 'jobmanager'] as const).map((p) => (
            <label key={p}>
              <input type="radio" name="process" value={p} checked={state.process === p} onChange={() => setProcess(p)} /> {p === 'taskmanager' ? 'TaskManager' : 'JobManager'}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => props.onChange({ ...state, config: {} })}>
          Clear all options
        </button>{' '}
        <button type="button" onClick={() => props.onChange({ ...state, config: state.process === 'taskmanager' ? SHIPPED_TASK_MANAGER : SHIPPED_JOB_MANAGER })}>
          Flink's shipped configuration
        </button>{' '}
        <label class="inline">
          <input
            type="checkbox"
            name="compare"
            checked={state.compare !== undefined}
            onChange={(e) => props.onChange({ ...state, compare: (e.currentTarget as HTMLInputElement).checked ? { ...state.config } : undefined })}
          />{' '}
          Compare with a second configuration
        </label>
      </section>
      <div class={state.compare !== undefined ? 'columns two' : 'columns'}>
        <section class="side" aria-label={state.compare !== undefined ? 'Configuration A' : 'Configuration'}>
          {state.compare !== undefined && <h2>A</h2>}
          <div class="workspace">
            <OptionsForm
              idPrefix="a-"
              groups={groups}
              config={state.config}
              onChange={(config) => props.onChange({ ...state, config })}
              errorKeys={keys}
              errorMessage={result.ok ? undefined : result.error.message}
              lint={lint}
            />
            <div class="result" data-side="a">
              {result.ok ? (
                <>
                  <SpecView spec={result.spec} config={state.config} idPrefix="a-" />
                  <ExportsView idPrefix="a-" render={(format) => renderExport(format, state.config, result.spec, version)} />
                </>
              ) : (
                <Rejection result={result} />
              )}
            </div>
          </div>
        </section>
        {state.compare !== undefined && other !== undefined && (
          <section class="side" aria-label="Configuration B">
            <h2>B</h2>
            <Comparison a={{ config: state.config, result }} b={{ config: state.compare, result: other }} />
            <div class="workspace">
              <OptionsForm
                idPrefix="b-"
                groups={groups}
                config={state.compare}
                onChange={(compare) => props.onChange({ ...state, compare })}
                errorKeys={otherKeys}
                errorMessage={other.ok ? undefined : other.error.message}
                lint={otherLint}
              />
              <div class="result" data-side="b">
                {other.ok ? <SpecView spec={other.spec} config={state.compare} idPrefix="b-" /> : <Rejection result={other} />}
              </div>
            </div>
          </section>
        )}
      </div>
    </div>
  );
}

function Comparison(props: { readonly a: { config: FlatConfig; result: ReturnType<typeof derive> }; readonly b: { config: FlatConfig; result: ReturnType<typeof derive> } }) {
  const diff = diffConfigurations(props.a, props.b);
  return (
    <div class="comparison" data-testid="comparison">
      {diff.components.length === 0 ? (
        <p class="muted">Both sides must be accepted by Flink to compare components.</p>
      ) : (
        <table>
          <caption>A compared with B</caption>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">A</th>
              <th scope="col">B</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {diff.components.map((c) => (
              <tr key={c.component} class={c.changed ? 'changed' : undefined} data-compare={c.component} data-a={c.a.toString()} data-b={c.b.toString()}>
                <th scope="row">{COMPONENT_LABELS[c.component] ?? c.component}</th>
                <td>{human(c.a)}</td>
                <td>{human(c.b)}</td>
                <td>{c.delta === 0n ? '=' : `${c.delta > 0n ? '+' : '−'}${human(c.delta > 0n ? c.delta : -c.delta)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {diff.options.length > 0 && (
        <>
          <h4>Options that differ</h4>
          <ul>
            {diff.options.map((o) => (
              <li key={o.key}>
                <code>{o.key}</code>: {o.a ?? '(not set)'} → {o.b ?? '(not set)'}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.jvmParamsChanged && <p>The JVM parameters differ.</p>}
    </div>
  );
}
