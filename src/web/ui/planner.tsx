/** The planner: container size and workload in, a configuration Flink accepts out, with the model's diagram. */
import type { FlatConfig } from '../../memory/configuration.js';
import { parseMemorySize } from '../../memory/memory-size.js';
import type { ProcessKind } from '../../memory/spec.js';
import { FLINK_VERSIONS } from '../../memory/versions.js';
import { plan, PlanError, type Plan, type PlanRequest } from '../../plan/plan.js';
import { renderPlanDynamic, renderPlanFlinkConf, renderPlanFlinkDeployment, renderPlanYaml } from '../../report/plan.js';
import type { ExportFormat } from '../exports.js';
import { versionByLine } from '../model.js';
import type { PlannerState } from '../state.js';
import { ExportsView } from './exports-view.js';
import { SpecView } from './results.js';

type Outcome = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly message: string };

function size(text: string, what: string): bigint | undefined {
  if (text.trim() === '') return undefined;
  try {
    return parseMemorySize(text);
  } catch {
    throw new PlanError('MISSING_INPUT', `${what} '${text}' is not a memory size (e.g. 4g, 4096m)`);
  }
}

export function runPlan(s: PlannerState): Outcome {
  try {
    const slots = s.slots.trim() === '' ? undefined : Number(s.slots);
    if (slots !== undefined && !Number.isSafeInteger(slots)) throw new PlanError('MISSING_INPUT', `slots '${s.slots}' is not a whole number`);
    const memory = size(s.memory, 'container memory');
    const taskHeap = size(s.taskHeap, 'task heap');
    const managed = size(s.managed, 'managed memory');
    const jvmHeap = size(s.jvmHeap, 'JVM heap');
    const request: PlanRequest = {
      process: s.process,
      version: versionByLine(s.version),
      ...(memory !== undefined ? { processMemory: memory } : {}),
      stateBackend: s.backend,
      mode: s.mode,
      ...(slots !== undefined ? { slots } : {}),
      components: { ...(taskHeap !== undefined ? { taskHeap } : {}), ...(managed !== undefined ? { managed } : {}), ...(jvmHeap !== undefined ? { jvmHeap } : {}) },
      userSettings: {},
    };
    return { ok: true, plan: plan(request) };
  } catch (e) {
    if (e instanceof PlanError) return { ok: false, message: e.message };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function renderPlanExport(p: Plan, format: ExportFormat): string {
  switch (format) {
    case 'config.yaml':
      return renderPlanYaml(p);
    case 'flink-conf.yaml':
      return renderPlanFlinkConf(p);
    case 'dynamic':
      return renderPlanDynamic(p);
    case 'flinkdeployment':
      return renderPlanFlinkDeployment(p);
  }
}

export function Planner(props: {
  readonly state: PlannerState;
  readonly onChange: (s: PlannerState) => void;
  readonly openInCalculator: (process: ProcessKind, version: string, config: FlatConfig) => void;
}) {
  const s = props.state;
  const outcome = runPlan(s);
  const set = (patch: Partial<PlannerState>): void => props.onChange({ ...s, ...patch });
  const text = (field: 'memory' | 'slots' | 'taskHeap' | 'managed' | 'jvmHeap', label: string, hint: string) => (
    <div class="field">
      <label for={`plan-${field}`}>{label}</label>
      <input id={`plan-${field}`} name={`plan-${field}`} type="text" autocomplete="off" value={s[field]} aria-describedby={`plan-${field}-hint`} onInput={(e) => set({ [field]: (e.currentTarget as HTMLInputElement).value })} />
      <small id={`plan-${field}-hint`} class="hint">
        {hint}
      </small>
    </div>
  );
  return (
    <div class="workspace planner">
      <form class="options" onSubmit={(e) => e.preventDefault()} aria-label="What to plan for">
        <fieldset>
          <legend>Process and Flink version</legend>
          <div class="field">
            <label for="plan-process">Process</label>
            <select id="plan-process" value={s.process} onChange={(e) => set({ process: (e.currentTarget as HTMLSelectElement).value as ProcessKind })}>
              <option value="taskmanager">TaskManager</option>
              <option value="jobmanager">JobManager</option>
            </select>
          </div>
          <div class="field">
            <label for="plan-version">Flink version</label>
            <select id="plan-version" value={s.version} onChange={(e) => set({ version: (e.currentTarget as HTMLSelectElement).value })}>
              {FLINK_VERSIONS.map((v) => (
                <option key={v.line} value={v.line}>
                  {v.line}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>Container and workload</legend>
          {text('memory', 'Container (pod) memory', 'The size Flink divides exactly; leave empty to size the container from the parts below.')}
          {s.process === 'taskmanager' && (
            <>
              <div class="field">
                <label for="plan-backend">State backend</label>
                <select id="plan-backend" value={s.backend} onChange={(e) => set({ backend: (e.currentTarget as HTMLSelectElement).value as PlannerState['backend'] })}>
                  <option value="hashmap">hashmap (heap)</option>
                  <option value="rocksdb">RocksDB</option>
                  <option value="forst">ForSt (2.x)</option>
                </select>
              </div>
              <div class="field">
                <label for="plan-mode">Execution mode</label>
                <select id="plan-mode" value={s.mode} onChange={(e) => set({ mode: (e.currentTarget as HTMLSelectElement).value as PlannerState['mode'] })}>
                  <option value="streaming">streaming</option>
                  <option value="batch">batch</option>
                </select>
              </div>
              {text('slots', 'Slots per TaskManager', 'Managed and network memory are shared by the slots.')}
              {text('taskHeap', 'Task heap (reverse sizing)', 'Optional: the task heap you want; with managed memory, sizes the container.')}
              {text('managed', 'Managed memory (reverse sizing)', 'Optional: the managed memory you want.')}
            </>
          )}
          {s.process === 'jobmanager' && text('jvmHeap', 'JVM heap (reverse sizing)', 'Optional: the JobManager heap you want.')}
        </fieldset>
      </form>
      <div class="result">
        {outcome.ok ? (
          <>
            <h3>Settings</h3>
            <ul class="settings" data-testid="plan-settings">
              {outcome.plan.settings.map((setting) => (
                <li key={setting.key} data-key={setting.key}>
                  <code>
                    {setting.key}: {setting.value}
                  </code>
                  <br />
                  <span class="muted">{setting.rationale}</span>
                </li>
              ))}
            </ul>
            {outcome.plan.notes.length > 0 && (
              <ul class="notes">
                {outcome.plan.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
            <button type="button" onClick={() => props.openInCalculator(outcome.plan.process, s.version, outcome.plan.config)}>
              Open in the calculator
            </button>
            <SpecView spec={outcome.plan.spec} config={outcome.plan.config} idPrefix="plan-" />
            <ExportsView idPrefix="plan-" render={(format) => renderPlanExport(outcome.plan, format)} />
          </>
        ) : (
          <div class="rejection" role="alert" data-testid="plan-error">
            <h3>No plan</h3>
            <p>{outcome.message}</p>
          </div>
        )}
      </div>
    </div>
  );
}
