/**
 * Kubernetes evidence of a killed or exited container, from three sources:
 *
 * - `kubectl describe pod` text, laid out by kubectl's describe.go (tabwriter, two-space levels):
 *   `Name:`/`Namespace:` at level 0, containers at level 1 under `Containers:`, their `State:`,
 *   `Last State:`, `Restart Count:`, `Limits:`/`Requests:` at level 2 and the details of a state
 *   (`Reason:`, `Exit Code:`, `Started:`, `Finished:` in RFC 1123 with a numeric zone) at level 3,
 *   then the `Events:` table (Type, Reason, Age, From, Message; ages are relative, so events have
 *   no wall-clock time).
 * - `kubectl get pod -o yaml` / `-o json` (one pod, several documents or a `kind: List`):
 *   `status.containerStatuses[].state|lastState.terminated` and `spec.containers[].resources`.
 * - Flink's own account in a JobManager log when it runs natively on Kubernetes: the resource
 *   manager logs "Worker <pod> is terminated. Diagnostics: Pod terminated, container termination
 *   statuses: [<container>(exitCode=137, reason=OOMKilled, message=null)], pod status:
 *   Failed(reason=null, message=null)" (KubernetesPod#getTerminatedDiagnostics through
 *   ActiveResourceManager#onWorkerTerminated). Any input that is neither describe nor a manifest is
 *   scanned for these lines (the Flink log detector reads them too: give a log to one of the two).
 *
 * Memory quantities are converted to bytes exactly (Kubernetes resource.Quantity semantics).
 *
 * Evidence: an OOMKilled container or an evicted pod is `container-killed`, any other terminated
 * container (and kubelet's "Killing" of one) is `process-exit`, with {pod, namespace, container,
 * reason, exitCode, limitBytes (the container's memory limit), requestBytes, restartCount,
 * backOffCount, state (current or last), startedEpochMs/finishedEpochMs, source}; epochMs is the
 * time the container finished.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { MAX_EVIDENCE_PER_KIND, type Detector, type Evidence, type EvidenceKind, type EvidenceFacts } from '../evidence.js';

export type KubernetesFormat = 'describe' | 'pod-yaml' | 'pod-json';

/** How many first non-empty lines decide the format (the same window sniffing uses). */
const FORMAT_LINES = 50;
/** Manifests are parsed whole; a pod (or a list of a few hundred) is far below this. */
const MAX_MANIFEST_CHARS = 32 * 1024 * 1024;
const MAX_CONTAINERS_PER_POD = 100;
const MAX_EVENTS_PER_POD = 1000;
const MAX_TEXT = 500;
/** A Flink log repeats one pod's termination (worker terminated, connection closed, disconnect). */
const FLINK_REPEAT_WINDOW_MS = 60_000;
const FLINK_REPEAT_WINDOW_LINES = 100;

const DESCRIBE_POD_KEYS = /^(Containers|Start Time|Node|Controlled By|QoS Class|IPs?|Priority|Service Account):/;

/** Which Kubernetes text the first lines are, if any. */
export function kubernetesFormat(firstLines: readonly string[]): KubernetesFormat | undefined {
  let name = false;
  let namespace = false;
  let podKey = false;
  let seen = 0;
  for (const line of firstLines) {
    if (line.trim().length === 0) continue;
    if (++seen > FORMAT_LINES) break;
    if (/^\s*"kind"\s*:\s*"Pod"/.test(line) || /[{,]\s*"kind"\s*:\s*"Pod"\s*[,}]/.test(line)) return 'pod-json';
    if (/^(?:- |  )?kind:\s*["']?Pod["']?\s*$/.test(line)) return 'pod-yaml';
    if (line.startsWith('Name:')) name = true;
    else if (line.startsWith('Namespace:')) namespace = true;
    else if (DESCRIBE_POD_KEYS.test(line)) podKey = true;
  }
  return name && namespace && podKey ? 'describe' : undefined;
}

export const looksLikeKubernetes = (firstLines: readonly string[]): boolean => kubernetesFormat(firstLines) !== undefined;

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|m|k|M|G|T|P|E)?$/;
const BINARY_SHIFT: Readonly<Record<string, bigint>> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * A Kubernetes quantity ("4Gi", "4096Mi", "4G", "1.5Gi", "129e6", "4294967296") as a whole
 * number of bytes in decimal digits, exact at any size. A fraction of a byte rounds up, as
 * Quantity.Value() does. Negative or malformed quantities give undefined.
 */
export function parseKubernetesQuantity(text: string): string | undefined {
  const m = QUANTITY.exec(text.trim());
  if (m === null || m[1] === '-') return undefined;
  const [whole = '', fraction = ''] = m[2]!.split('.');
  let numerator = BigInt((whole + fraction).replace(/^0+(?=\d)/, '') || '0');
  let denominator = 10n ** BigInt(fraction.length);
  const suffix = m[3] ?? '';
  const shift = BINARY_SHIFT[suffix];
  if (shift !== undefined) {
    numerator <<= shift;
  } else {
    const decimalExponent = suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E');
    const exponent = decimalExponent ? Number(suffix.slice(1)) : (DECIMAL_EXPONENT[suffix] ?? 0);
    // Beyond this no memory size is meant; refusing keeps BigInt work bounded.
    if (Math.abs(exponent) > 40) return undefined;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  return ((numerator + denominator - 1n) / denominator).toString();
}

const MONTHS: Readonly<Record<string, number>> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const RFC1123 = /^(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (?:([+-])(\d\d)(\d\d)|UTC|GMT|Z)$/;

/** "Mon, 01 Jan 2024 10:00:00 +0000" (Go's RFC1123Z, what describe prints; also RFC1123 with UTC/GMT) to epoch ms. */
export function parseRfc1123(text: string): number | undefined {
  const m = RFC1123.exec(text.trim());
  if (m === null) return undefined;
  const month = MONTHS[m[2]!];
  if (month === undefined) return undefined;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offsetMinutes = m[7] === undefined ? 0 : (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const day = new Date(utc).getUTCDate();
  return day === Number(m[1]) ? utc - offsetMinutes * 60_000 : undefined;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

function parseRfc3339(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

type Facts = EvidenceFacts;

interface Draft {
  readonly kind: EvidenceKind;
  readonly line: number;
  readonly text: string;
  readonly epochMs: number | undefined;
  readonly summary: string;
  readonly facts: Facts;
}

/** Keeps at most MAX_EVIDENCE_PER_KIND per kind; the rest is counted on the last kept one. */
class Collected {
  private readonly drafts: Draft[] = [];
  private readonly kept = new Map<EvidenceKind, number>();
  private readonly dropped = new Map<EvidenceKind, number>();

  constructor(private readonly file: string) {}

  add(draft: Draft): void {
    const kept = this.kept.get(draft.kind) ?? 0;
    if (kept >= MAX_EVIDENCE_PER_KIND) {
      this.dropped.set(draft.kind, (this.dropped.get(draft.kind) ?? 0) + 1);
      return;
    }
    this.kept.set(draft.kind, kept + 1);
    this.drafts.push(draft);
  }

  evidence(): Evidence[] {
    // A pod's status is read before its events but written after its containers: report in file order.
    const drafts = [...this.drafts].sort((a, b) => a.line - b.line);
    const lastOfKind = new Map<EvidenceKind, number>();
    drafts.forEach((d, i) => lastOfKind.set(d.kind, i));
    return drafts.map((d, i) => {
      const dropped = lastOfKind.get(d.kind) === i ? this.dropped.get(d.kind) : undefined;
      const facts: Facts = dropped === undefined ? d.facts : { ...d.facts, notShown: dropped };
      return {
        kind: d.kind,
        at: { file: this.file, line: d.line, text: d.text.length > MAX_TEXT ? d.text.slice(0, MAX_TEXT) : d.text },
        ...(d.epochMs === undefined ? {} : { epochMs: d.epochMs }),
        summary: d.summary,
        facts,
      };
    });
  }
}

/** One terminated container state, wherever it was read from. */
interface Termination {
  readonly pod: string | undefined;
  readonly namespace: string | undefined;
  readonly container: string;
  readonly which: 'state' | 'lastState';
  readonly reason: string | undefined;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  readonly message: string | undefined;
  readonly startedMs: number | undefined;
  readonly finishedMs: number | undefined;
  readonly limitText: string | undefined;
  readonly requestText: string | undefined;
  readonly restartCount: number | undefined;
  readonly backOffCount: number | undefined;
  readonly init: boolean;
  readonly source: 'describe' | 'manifest' | 'flink-log';
}

function terminationDraft(t: Termination, line: number, text: string): Draft {
  const facts: Facts = { container: t.container, source: t.source, state: t.which };
  if (t.pod !== undefined) facts['pod'] = t.pod;
  if (t.namespace !== undefined) facts['namespace'] = t.namespace;
  if (t.reason !== undefined) facts['reason'] = t.reason;
  if (t.exitCode !== undefined) facts['exitCode'] = t.exitCode;
  if (t.signal !== undefined) facts['signal'] = t.signal;
  if (t.message !== undefined) facts['message'] = t.message;
  if (t.startedMs !== undefined) facts['startedEpochMs'] = t.startedMs;
  if (t.finishedMs !== undefined) facts['finishedEpochMs'] = t.finishedMs;
  const limitBytes = t.limitText === undefined ? undefined : parseKubernetesQuantity(t.limitText);
  if (t.limitText !== undefined) facts['limit'] = t.limitText;
  if (limitBytes !== undefined) facts['limitBytes'] = limitBytes;
  const requestBytes = t.requestText === undefined ? undefined : parseKubernetesQuantity(t.requestText);
  if (requestBytes !== undefined) facts['requestBytes'] = requestBytes;
  if (t.restartCount !== undefined) facts['restartCount'] = t.restartCount;
  if (t.backOffCount !== undefined) facts['backOffCount'] = t.backOffCount;
  if (t.init) facts['initContainer'] = true;
  const oom = t.reason === 'OOMKilled';
  const who = `${t.pod === undefined ? '' : `pod ${t.pod}: `}container ${t.container}`;
  const code = t.exitCode === undefined ? '' : ` (exit code ${t.exitCode}${t.exitCode === 137 ? ', SIGKILL' : t.exitCode === 143 ? ', SIGTERM' : ''})`;
  const limit = t.limitText === undefined ? '' : `; memory limit ${t.limitText}`;
  const restarts = t.restartCount === undefined ? '' : `, restart count ${t.restartCount}`;
  const summary = oom
    ? `${who} was OOMKilled${code}${limit}${restarts}`
    : `${who} terminated${t.reason === undefined ? '' : `: ${t.reason}`}${code}${limit}${restarts}`;
  return { kind: oom ? 'container-killed' : 'process-exit', line, text, epochMs: t.finishedMs, summary, facts };
}

// ---------------------------------------------------------------- kubectl describe pod

interface StateDraft {
  readonly which: 'state' | 'lastState';
  readonly value: string;
  readonly line: number;
  readonly text: string;
  reasonLine?: number;
  reasonText?: string;
  reason?: string;
  exitCode?: number;
  signal?: number;
  message?: string;
  started?: number;
  finished?: number;
}

interface ContainerDraft {
  readonly name: string;
  readonly init: boolean;
  readonly states: StateDraft[];
  restartCount?: number;
  limit?: string;
  request?: string;
  block?: 'state' | 'limits' | 'requests' | 'other';
}

interface EventRow {
  readonly type: string;
  readonly reason: string;
  readonly age: string;
  readonly message: string;
  readonly line: number;
  readonly text: string;
}

interface PodDraft {
  readonly name: string;
  namespace?: string;
  status?: string;
  reason?: string;
  reasonLine?: number;
  reasonText?: string;
  message?: string;
  section: 'top' | 'containers' | 'init' | 'events' | 'other';
  readonly containers: ContainerDraft[];
  readonly events: EventRow[];
}

const KEY_VALUE = /^ *([A-Za-z0-9][A-Za-z0-9 ._/-]*):(?:\s+(.*?))?\s*$/;

class DescribeParser {
  private pod: PodDraft | undefined;

  constructor(private readonly out: Collected) {}

  line(text: string, n: number): void {
    if (text.trim().length === 0) return;
    const indent = leadingSpaces(text);
    if (indent === 0) {
      this.topLevel(text, n);
      return;
    }
    const pod = this.pod;
    if (pod === undefined) return;
    if (pod.section === 'events') {
      this.eventRow(pod, text, n);
      return;
    }
    if (pod.section !== 'containers' && pod.section !== 'init') return;
    const kv = KEY_VALUE.exec(text);
    if (indent === 2) {
      if (kv !== null && kv[2] === undefined && pod.containers.length < MAX_CONTAINERS_PER_POD) {
        pod.containers.push({ name: kv[1]!, init: pod.section === 'init', states: [] });
      }
      return;
    }
    const container = pod.containers.at(-1);
    if (container === undefined || kv === null) return;
    const key = kv[1]!;
    const value = kv[2] ?? '';
    if (indent === 4) {
      if (key === 'State' || key === 'Last State') {
        container.states.push({ which: key === 'State' ? 'state' : 'lastState', value, line: n, text });
        container.block = 'state';
      } else if (key === 'Restart Count') {
        const count = /^\d+$/.test(value) ? Number(value) : undefined;
        if (count !== undefined) container.restartCount = count;
        container.block = 'other';
      } else if (key === 'Limits') container.block = 'limits';
      else if (key === 'Requests') container.block = 'requests';
      else container.block = 'other';
      return;
    }
    if (indent !== 6) return;
    if (container.block === 'limits' && key === 'memory') container.limit = value;
    else if (container.block === 'requests' && key === 'memory') container.request = value;
    else if (container.block === 'state') {
      const state = container.states.at(-1);
      if (state === undefined) return;
      if (key === 'Reason') {
        state.reason = value;
        state.reasonLine = n;
        state.reasonText = text;
      } else if (key === 'Exit Code' && /^-?\d+$/.test(value)) state.exitCode = Number(value);
      else if (key === 'Signal' && /^\d+$/.test(value)) state.signal = Number(value);
      else if (key === 'Message') state.message = value;
      else if (key === 'Started') {
        const ms = parseRfc1123(value);
        if (ms !== undefined) state.started = ms;
      } else if (key === 'Finished') {
        const ms = parseRfc1123(value);
        if (ms !== undefined) state.finished = ms;
      }
    }
  }

  finish(): void {
    this.flush();
  }

  private topLevel(text: string, n: number): void {
    const kv = KEY_VALUE.exec(text);
    if (kv === null) return;
    const key = kv[1]!;
    const value = kv[2] ?? '';
    if (key === 'Name') {
      this.flush();
      this.pod = { name: value, section: 'top', containers: [], events: [] };
      return;
    }
    const pod = this.pod;
    if (pod === undefined) return;
    switch (key) {
      case 'Namespace':
        pod.namespace = value;
        pod.section = 'top';
        return;
      case 'Status':
        pod.status = value;
        return;
      case 'Reason':
        pod.reason = value;
        pod.reasonLine = n;
        pod.reasonText = text;
        return;
      case 'Message':
        pod.message = value;
        return;
      case 'Containers':
      case 'Ephemeral Containers':
        pod.section = 'containers';
        return;
      case 'Init Containers':
        pod.section = 'init';
        return;
      case 'Events':
        pod.section = 'events';
        return;
      default:
        pod.section = 'other';
    }
  }

  private eventRow(pod: PodDraft, text: string, n: number): void {
    const cells = text.trim().split(/\s{2,}/);
    if (cells.length < 5 || cells[0] === 'Type' || cells[0]!.startsWith('----')) return;
    if (pod.events.length >= MAX_EVENTS_PER_POD) return;
    const [type, reason, age, , ...message] = cells;
    pod.events.push({ type: type!, reason: reason!, age: age!, message: message.join('  '), line: n, text });
  }

  private flush(): void {
    const pod = this.pod;
    this.pod = undefined;
    if (pod === undefined) return;
    const backOff = new Map<string, number>();
    for (const event of pod.events) {
      if (event.reason !== 'BackOff') continue;
      const container = /restarting failed container (\S+)/.exec(event.message)?.[1] ?? '*';
      const times = /\(x(\d+) over /.exec(event.age);
      backOff.set(container, (backOff.get(container) ?? 0) + (times === null ? 1 : Number(times[1])));
    }
    for (const c of pod.containers) {
      for (const s of c.states) {
        if (s.value !== 'Terminated') continue;
        const backOffCount = backOff.get(c.name) ?? backOff.get('*');
        const t: Termination = {
          pod: pod.name,
          namespace: pod.namespace,
          container: c.name,
          which: s.which,
          reason: s.reason,
          exitCode: s.exitCode,
          signal: s.signal,
          message: s.message,
          startedMs: s.started,
          finishedMs: s.finished,
          limitText: c.limit,
          requestText: c.request,
          restartCount: c.restartCount,
          backOffCount,
          init: c.init,
          source: 'describe',
        };
        this.out.add(terminationDraft(t, s.reasonLine ?? s.line, s.reasonText ?? s.text));
      }
    }
    const evictedByStatus = pod.reason === 'Evicted' && pod.reasonLine !== undefined;
    if (evictedByStatus) {
      this.out.add(evictionDraft(pod.name, pod.namespace, pod.message ?? '', pod.reasonLine!, pod.reasonText!, 'status'));
    }
    for (const event of pod.events) {
      const draft = eventDraft(pod, event, evictedByStatus);
      if (draft !== undefined) this.out.add(draft);
    }
  }
}

function leadingSpaces(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

/** "Container flink-main-container was using 3Gi, which exceeds its request of 2Gi." (kubelet eviction message). */
const EVICTION_USAGE = /Container (\S+) was using (\S+), which exceeds its request of (\S+?)\.?(?:\s|$)/;

function evictionDraft(pod: string, namespace: string | undefined, message: string, line: number, text: string, source: string): Draft {
  const facts: Facts = { pod, reason: 'Evicted', source };
  if (namespace !== undefined) facts['namespace'] = namespace;
  if (message.length > 0) facts['message'] = message;
  const memory = /low on resource: memory/.test(message);
  facts['nodeMemoryPressure'] = memory;
  const usage = EVICTION_USAGE.exec(message);
  if (usage !== null) {
    facts['container'] = usage[1]!;
    const used = parseKubernetesQuantity(usage[2]!);
    const request = parseKubernetesQuantity(usage[3]!);
    if (used !== undefined) facts['usedBytes'] = used;
    if (request !== undefined) facts['requestBytes'] = request;
  }
  const why = memory ? ' because the node was low on memory' : '';
  return { kind: 'container-killed', line, text, epochMs: undefined, summary: `pod ${pod} was evicted${why}`, facts };
}

function eventDraft(pod: PodDraft, event: EventRow, evictedByStatus: boolean): Draft | undefined {
  const base: Facts = { pod: pod.name, event: event.reason, eventType: event.type, message: event.message, source: 'event' };
  if (pod.namespace !== undefined) base['namespace'] = pod.namespace;
  switch (event.reason) {
    case 'OOMKilling':
    case 'SystemOOM': {
      // node-problem-detector: "Memory cgroup out of memory: Killed process 1234 (java) ..."; kubelet: "System OOM encountered, victim process: java, pid: 1234".
      const facts: Facts = { ...base, reason: event.reason };
      const killed = /Killed process (\d+) \((.+?)\)/.exec(event.message);
      const victim = /victim process: ([^,]+), pid: (\d+)/.exec(event.message);
      if (killed !== null) {
        facts['pid'] = Number(killed[1]);
        facts['process'] = killed[2]!;
      } else if (victim !== null) {
        facts['process'] = victim[1]!;
        facts['pid'] = Number(victim[2]);
      }
      const anon = /anon-rss:(\d+)kB/.exec(event.message);
      if (anon !== null) facts['anonRssBytes'] = (BigInt(anon[1]!) * 1024n).toString();
      return { kind: 'container-killed', line: event.line, text: event.text, epochMs: undefined, summary: `pod ${pod.name}: ${event.reason} event: ${event.message}`, facts };
    }
    case 'Evicted':
      return evictedByStatus ? undefined : evictionDraft(pod.name, pod.namespace, event.message, event.line, event.text, 'event');
    case 'Killing': {
      const container = /(?:Stopping container|Container|container with id \S*?:\/\/)\s*([\w.-]+)/.exec(event.message)?.[1];
      const facts: Facts = { ...base, reason: 'Killing' };
      if (container !== undefined) facts['container'] = container;
      if (/failed liveness probe/.test(event.message)) facts['livenessProbe'] = true;
      if (/failed startup probe/.test(event.message)) facts['startupProbe'] = true;
      return { kind: 'process-exit', line: event.line, text: event.text, epochMs: undefined, summary: `pod ${pod.name}: kubelet is killing ${container === undefined ? 'a container' : `container ${container}`}: ${event.message}`, facts };
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- pod manifests (YAML or JSON)

function field(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && pair.key.value === key) return (pair.value ?? undefined) as Node | undefined;
  }
  return undefined;
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : undefined;
}

function scalarInt(node: unknown): number | undefined {
  const text = scalarText(node);
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

class ManifestParser {
  private readonly lines: string[] = [];
  private chars = 0;
  private overflow = false;

  constructor(private readonly out: Collected) {}

  line(text: string): void {
    if (this.overflow) return;
    this.chars += text.length + 1;
    if (this.chars > MAX_MANIFEST_CHARS) {
      this.overflow = true;
      this.lines.length = 0;
      return;
    }
    this.lines.push(text);
  }

  finish(): void {
    if (this.overflow || this.lines.length === 0) return;
    const lineCounter = new LineCounter();
    let docs: ReturnType<typeof parseAllDocuments>;
    try {
      docs = parseAllDocuments(this.lines.join('\n'), { lineCounter, uniqueKeys: false });
    } catch {
      return;
    }
    if (!Array.isArray(docs)) return;
    const lineOf = (node: unknown, fallback: number): number => {
      const range = (node as { range?: [number, number, number] | null } | undefined)?.range;
      return range === undefined || range === null ? fallback : lineCounter.linePos(range[0]).line;
    };
    for (const doc of docs) {
      if (doc.errors.length > 0) continue;
      this.visit(doc.contents, lineOf, 0);
    }
  }

  private visit(node: unknown, lineOf: (node: unknown, fallback: number) => number, depth: number): void {
    if (depth > 4) return;
    const kind = scalarText(field(node, 'kind'));
    if (kind === 'Pod') {
      this.pod(node, lineOf);
      return;
    }
    for (const item of items(field(node, 'items'))) this.visit(item, lineOf, depth + 1);
  }

  private pod(pod: unknown, lineOf: (node: unknown, fallback: number) => number): void {
    const metadata = field(pod, 'metadata');
    const name = scalarText(field(metadata, 'name'));
    const namespace = scalarText(field(metadata, 'namespace'));
    const spec = field(pod, 'spec');
    const status = field(pod, 'status');
    const podLine = lineOf(field(pod, 'kind'), 1);
    const resources = new Map<string, { limit?: string; request?: string }>();
    for (const list of ['containers', 'initContainers']) {
      for (const c of items(field(spec, list))) {
        const cname = scalarText(field(c, 'name'));
        if (cname === undefined) continue;
        const res = field(c, 'resources');
        const limit = scalarText(field(field(res, 'limits'), 'memory'));
        const request = scalarText(field(field(res, 'requests'), 'memory'));
        resources.set(cname, { ...(limit === undefined ? {} : { limit }), ...(request === undefined ? {} : { request }) });
      }
    }
    for (const list of ['containerStatuses', 'initContainerStatuses']) {
      for (const cs of items(field(status, list))) {
        const cname = scalarText(field(cs, 'name'));
        if (cname === undefined) continue;
        const restartCount = scalarInt(field(cs, 'restartCount'));
        for (const which of ['state', 'lastState'] as const) {
          const terminated = field(field(cs, which), 'terminated');
          if (!isMap(terminated)) continue;
          const reasonNode = field(terminated, 'reason');
          const finished = scalarText(field(terminated, 'finishedAt'));
          const started = scalarText(field(terminated, 'startedAt'));
          const t: Termination = {
            pod: name,
            namespace,
            container: cname,
            which,
            reason: scalarText(reasonNode),
            exitCode: scalarInt(field(terminated, 'exitCode')),
            signal: scalarInt(field(terminated, 'signal')),
            message: scalarText(field(terminated, 'message')),
            startedMs: started === undefined ? undefined : parseRfc3339(started),
            finishedMs: finished === undefined ? undefined : parseRfc3339(finished),
            limitText: resources.get(cname)?.limit,
            requestText: resources.get(cname)?.request,
            restartCount,
            backOffCount: undefined,
            init: list === 'initContainerStatuses',
            source: 'manifest',
          };
          const line = lineOf(reasonNode ?? terminated, podLine);
          this.out.add(terminationDraft(t, line, this.lines[line - 1] ?? ''));
        }
      }
    }
    const reasonNode = field(status, 'reason');
    if (scalarText(reasonNode) === 'Evicted' && name !== undefined) {
      const line = lineOf(reasonNode, podLine);
      this.out.add(evictionDraft(name, namespace, scalarText(field(status, 'message')) ?? '', line, this.lines[line - 1] ?? '', 'manifest'));
    }
  }
}

// ---------------------------------------------------------------- Flink's log of a terminated pod

const POD_TERMINATED = 'Pod terminated, container termination statuses: [';
const LOG4J_TIME = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)[,.](\d{3})/;
const WORKER = /(?:Worker|TaskExecutor connection|TaskManager with id) (\S+?)(?:\([^)]*\))? (?:is terminated|because|timed out|has been)/;
const STATUS_ITEM = /([\w.-]+)\(exitCode=(-?\d+), reason=([^,)]*), message=/g;
const POD_STATUS = /\], pod status: (\w+)\(reason=([^,]*), message=(.*)\)\s*$/;

function log4jTime(text: string): number | undefined {
  const m = LOG4J_TIME.exec(text);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
  return Number.isNaN(ms) ? undefined : ms;
}

class FlinkLogScanner {
  private readonly lastSeen = new Map<string, { line: number; epochMs: number | undefined }>();

  constructor(private readonly out: Collected) {}

  line(text: string, n: number): void {
    const at = text.indexOf(POD_TERMINATED);
    if (at === -1) return;
    const epochMs = log4jTime(text);
    const pod = WORKER.exec(text)?.[1];
    const statuses = text.slice(at + POD_TERMINATED.length);
    STATUS_ITEM.lastIndex = 0;
    for (let m = STATUS_ITEM.exec(statuses); m !== null; m = STATUS_ITEM.exec(statuses)) {
      const reason = m[3] === 'null' ? undefined : m[3];
      const key = `${pod ?? ''}|${m[1]}|${m[2]}|${reason ?? ''}`;
      if (this.repeated(key, n, epochMs)) continue;
      const t: Termination = {
        pod,
        namespace: undefined,
        container: m[1]!,
        which: 'state',
        reason,
        exitCode: Number(m[2]),
        signal: undefined,
        message: undefined,
        startedMs: undefined,
        finishedMs: undefined,
        limitText: undefined,
        requestText: undefined,
        restartCount: undefined,
        backOffCount: undefined,
        init: false,
        source: 'flink-log',
      };
      const draft = terminationDraft(t, n, text);
      this.out.add({ ...draft, epochMs });
    }
    const podStatus = POD_STATUS.exec(statuses);
    if (podStatus !== null && podStatus[2] === 'Evicted' && pod !== undefined && !this.repeated(`${pod}|Evicted`, n, epochMs)) {
      const message = podStatus[3] === 'null' ? '' : podStatus[3]!.trim();
      this.out.add({ ...evictionDraft(pod, undefined, message, n, text, 'flink-log'), epochMs });
    }
  }

  private repeated(key: string, n: number, epochMs: number | undefined): boolean {
    const last = this.lastSeen.get(key);
    this.lastSeen.set(key, { line: n, epochMs });
    if (last === undefined) return false;
    if (epochMs !== undefined && last.epochMs !== undefined) return Math.abs(epochMs - last.epochMs) <= FLINK_REPEAT_WINDOW_MS;
    return n - last.line <= FLINK_REPEAT_WINDOW_LINES;
  }
}

// ---------------------------------------------------------------- the detector

export function createKubernetesDetector(file: string): Detector {
  const out = new Collected(file);
  const pending: Array<[string, number]> = [];
  let nonEmpty = 0;
  let sink: { line(text: string, n: number): void; finish?(): void } | undefined;

  const decide = (): void => {
    const format = kubernetesFormat(pending.map(([text]) => text));
    sink = format === 'describe' ? new DescribeParser(out) : format === undefined ? new FlinkLogScanner(out) : new ManifestParser(out);
    for (const [text, n] of pending) sink.line(text, n);
    pending.length = 0;
  };

  return {
    onLine(text: string, line: number): void {
      if (sink !== undefined) {
        sink.line(text, line);
        return;
      }
      pending.push([text, line]);
      if (text.trim().length > 0) nonEmpty++;
      // Blank lines count too, so a file of blank lines cannot grow the buffer without bound.
      if (nonEmpty >= FORMAT_LINES || pending.length >= FORMAT_LINES * 20) decide();
    },
    finish(): Evidence[] {
      if (sink === undefined) decide();
      sink?.finish?.();
      return out.evidence();
    },
  };
}
