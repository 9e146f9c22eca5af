/**
 * The whole state of the web app as a URL hash, so that a link reproduces what the sender saw:
 * `#calc?v=1.20&p=taskmanager&taskmanager.memory.process.size=4g&B:taskmanager.memory.process.size=8g`.
 * Configuration keys are written as they are (URLSearchParams escapes them); the second
 * configuration of a comparison carries the `B:` prefix, which no Flink key has.
 */
import type { FlatConfig } from '../memory/configuration.js';
import type { ProcessKind } from '../memory/spec.js';

export const VIEWS = ['calc', 'plan', 'reports', 'live'] as const;
export type View = (typeof VIEWS)[number];

export interface CalculatorState {
  /** A Flink line as the version table names it ("2.x", "1.20"). */
  readonly version: string;
  readonly process: ProcessKind;
  readonly config: FlatConfig;
  /** The configuration compared with `config`, when comparing. */
  readonly compare: FlatConfig | undefined;
}

export interface PlannerState {
  readonly process: ProcessKind;
  readonly version: string;
  /** Container size as typed ("4g"); empty = reverse sizing from the parts. */
  readonly memory: string;
  readonly backend: 'hashmap' | 'rocksdb' | 'forst';
  readonly mode: 'streaming' | 'batch';
  readonly slots: string;
  readonly taskHeap: string;
  readonly managed: string;
  readonly jvmHeap: string;
}

export interface AppState {
  readonly view: View;
  readonly calc: CalculatorState;
  readonly plan: PlannerState;
  /** The Flink REST URL last used in the live view (the server keeps the allowed one). */
  readonly live: string;
}

/** Flink's shipped configuration: what `flink-memory explain` uses without --config. */
export const SHIPPED_TASK_MANAGER: FlatConfig = { 'taskmanager.memory.process.size': '1728m', 'taskmanager.numberOfTaskSlots': '1' };
export const SHIPPED_JOB_MANAGER: FlatConfig = { 'jobmanager.memory.process.size': '1600m' };

export const DEFAULT_PLANNER: PlannerState = {
  process: 'taskmanager',
  version: '2.x',
  memory: '4g',
  backend: 'rocksdb',
  mode: 'streaming',
  slots: '2',
  taskHeap: '',
  managed: '',
  jvmHeap: '',
};

export function defaultState(): AppState {
  return {
    view: 'calc',
    calc: { version: '2.x', process: 'taskmanager', config: SHIPPED_TASK_MANAGER, compare: undefined },
    plan: DEFAULT_PLANNER,
    live: '',
  };
}

const COMPARE_PREFIX = 'B:';
const RESERVED = new Set(['v', 'p', 'cmp']);
const PLAN_PREFIX = 'plan.';
const PLAN_FIELDS = ['process', 'version', 'memory', 'backend', 'mode', 'slots', 'taskHeap', 'managed', 'jvmHeap'] as const;

/** `#view?params`; the calculator's parameters are kept in every view so a link keeps them too. */
export function encodeState(state: AppState): string {
  const params = new URLSearchParams();
  params.set('v', state.calc.version);
  params.set('p', state.calc.process);
  for (const [key, value] of Object.entries(state.calc.config)) params.append(key, value);
  if (state.calc.compare !== undefined) {
    params.set('cmp', '1');
    for (const [key, value] of Object.entries(state.calc.compare)) params.append(`${COMPARE_PREFIX}${key}`, value);
  }
  if (state.view === 'plan') {
    for (const field of PLAN_FIELDS) {
      const value = state.plan[field];
      if (value !== DEFAULT_PLANNER[field]) params.set(`${PLAN_PREFIX}${field}`, value);
    }
  }
  if (state.view === 'live' && state.live !== '') params.set('live', state.live);
  return `#${state.view}?${params.toString()}`;
}

/** The inverse of `encodeState`; anything unknown or malformed falls back to the defaults. */
export function decodeState(hash: string): AppState {
  const base = defaultState();
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text === '') return base;
  const q = text.indexOf('?');
  const viewText = q === -1 ? text : text.slice(0, q);
  const view = (VIEWS as readonly string[]).includes(viewText) ? (viewText as View) : 'calc';
  if (q === -1) return { ...base, view };
  const params = new URLSearchParams(text.slice(q + 1));
  const process: ProcessKind = params.get('p') === 'jobmanager' ? 'jobmanager' : 'taskmanager';
  const config: Record<string, string> = {};
  const compare: Record<string, string> = {};
  const plan: Record<string, string> = {};
  let live = '';
  for (const [key, value] of params) {
    if (RESERVED.has(key)) continue;
    if (key === 'live') live = value;
    else if (key.startsWith(COMPARE_PREFIX)) compare[key.slice(COMPARE_PREFIX.length)] = value;
    else if (key.startsWith(PLAN_PREFIX)) {
      const field = key.slice(PLAN_PREFIX.length);
      if ((PLAN_FIELDS as readonly string[]).includes(field)) plan[field] = value;
    } else config[key] = value;
  }
  return {
    view,
    calc: {
      version: params.get('v') ?? base.calc.version,
      process,
      // No key at all in a hash that names the process: the user cleared everything, keep it so.
      config: params.has('p') ? config : base.calc.config,
      compare: params.get('cmp') === '1' ? compare : undefined,
    },
    plan: plannerFrom(plan),
    live,
  };
}

function plannerFrom(raw: Readonly<Record<string, string>>): PlannerState {
  const pick = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T =>
    (allowed as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
  const text = (field: (typeof PLAN_FIELDS)[number]): string => raw[field] ?? DEFAULT_PLANNER[field];
  return {
    process: pick(raw['process'], ['taskmanager', 'jobmanager'], DEFAULT_PLANNER.process),
    version: text('version'),
    memory: text('memory'),
    backend: pick(raw['backend'], ['hashmap', 'rocksdb', 'forst'], DEFAULT_PLANNER.backend),
    mode: pick(raw['mode'], ['streaming', 'batch'], DEFAULT_PLANNER.mode),
    slots: text('slots'),
    taskHeap: text('taskHeap'),
    managed: text('managed'),
    jvmHeap: text('jvmHeap'),
  };
}
