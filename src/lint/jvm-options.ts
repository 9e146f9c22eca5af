/**
 * JVM options in env.java.* that fight the memory flags Flink computes.
 *
 * Order on the command line, from Flink's own scripts (bin/config.sh, taskmanager.sh /
 * jobmanager.sh, flink-daemon.sh / flink-console.sh): `java $JVM_ARGS $FLINK_ENV_JAVA_OPTS ...`,
 * where JVM_ARGS ends with the `-Xmx -Xms -XX:MaxDirectMemorySize -XX:MaxMetaspaceSize` line that
 * BashJavaUtils derives, and FLINK_ENV_JAVA_OPTS is `env.java.default-opts.all`, then
 * `env.java.opts.all` (else the deprecated `env.java.opts`), then `env.java.default-opts.<process>`
 * and `env.java.opts.<process>`. The Kubernetes and YARN start command templates
 * (`%jvmmem% %jvmopts%`) keep the same order. HotSpot uses the last occurrence of a flag, so a
 * memory flag in any of these options replaces Flink's.
 *
 * The same options are checked for flags a Java release the Flink line runs on refuses to start
 * with (`Unrecognized VM option '...'`): the Java 8 GC logging flags, CMS, PermGen sizes, ...; the
 * facts live in removed-jvm-flags.ts.
 */
import type { ConfigEntry } from '../config/types.js';
import type { DerivationResult, ProcessKind } from '../memory/spec.js';
import { formatSize } from '../report/format.js';
import { flinkMemoryText } from '../report/flink-deployment-patch.js';
import { PROCESS_NAMES } from './memory.js';
import { placeOf, type LintProblem } from './problems.js';
import { JVM_REFUSAL_FOLLOW_UP, KNOWN_JAVA_VERSIONS, javaVersionsOfLine, removedJvmFlag, type RemovedJvmFlag } from './removed-jvm-flags.js';

type FlagKind = 'Xmx' | 'Xms' | 'MaxDirectMemorySize' | 'MaxMetaspaceSize' | 'RAMPercentage';

interface Flag {
  readonly kind: FlagKind;
  readonly text: string;
  /** Bytes for size flags; undefined for percentages or unreadable sizes. */
  readonly bytes: bigint | undefined;
  readonly key: string;
}

const LINES_WITH_DEFAULT_OPTS = new Set(['1.19', '1.20', '2.x']);

/** The env.java.* keys whose options reach a process, in command-line order. */
export function javaOptionKeys(process: ProcessKind, line: string, values: Readonly<Record<string, string>>): string[] {
  const keys: string[] = [];
  const defaults = LINES_WITH_DEFAULT_OPTS.has(line);
  if (defaults) keys.push('env.java.default-opts.all');
  keys.push(Object.hasOwn(values, 'env.java.opts.all') ? 'env.java.opts.all' : 'env.java.opts');
  if (defaults) keys.push(`env.java.default-opts.${process}`);
  keys.push(`env.java.opts.${process}`);
  return keys.filter((k) => Object.hasOwn(values, k));
}

/** JVM size syntax: digits and an optional k/m/g/t (either case); bytes without one. */
export function jvmSize(text: string): bigint | undefined {
  const match = /^(\d+)([kKmMgGtT]?)$/.exec(text);
  if (match === null) return undefined;
  const shift = { '': 0n, k: 10n, m: 20n, g: 30n, t: 40n }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return BigInt(match[1]!) << shift;
}

/** Splits an options value the way the start scripts do: outer quotes dropped, words split on blanks. */
export function splitJavaOptions(raw: string): string[] {
  let text = raw.trim().replace(/^"/, '').replace(/"$/, '');
  // A config.yaml list arrives in flow style ("[-Xmx1g, -Xss1m]").
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1).replace(/,/g, ' ');
  return text.split(/\s+/).filter((w) => w.length > 0);
}

function parseFlags(raw: string, key: string): Flag[] {
  const flags: Flag[] = [];
  for (const word of splitJavaOptions(raw)) {
    let m: RegExpExecArray | null;
    if ((m = /^-Xm([xs])(.+)$/.exec(word)) !== null) flags.push({ kind: m[1] === 'x' ? 'Xmx' : 'Xms', text: word, bytes: jvmSize(m[2]!), key });
    else if ((m = /^-XX:(MaxDirectMemorySize|MaxMetaspaceSize)=(.+)$/.exec(word)) !== null) {
      flags.push({ kind: m[1] as FlagKind, text: word, bytes: jvmSize(m[2]!), key });
    } else if (/^-XX:(Max|Min|Initial)RAMPercentage=/.test(word) || /^-XX:MaxRAM=/.test(word)) {
      flags.push({ kind: 'RAMPercentage', text: word, bytes: undefined, key });
    }
  }
  return flags;
}

/** Flink's own flags for the process, from the derived `jvmParams`. */
function flinkFlags(result: DerivationResult | undefined): Partial<Record<FlagKind, bigint>> {
  if (result === undefined || !result.ok) return {};
  const own: Partial<Record<FlagKind, bigint>> = {};
  for (const flag of parseFlags(result.spec.jvmParams, '')) if (flag.bytes !== undefined) own[flag.kind] = flag.bytes;
  return own;
}

export function checkJavaOptions(
  entries: ReadonlyMap<string, ConfigEntry>,
  values: Readonly<Record<string, string>>,
  line: string,
  results: Partial<Record<ProcessKind, DerivationResult>>,
): LintProblem[] {
  // Keyed by the flag's option and text, so a shared option (.all) gives one problem for both processes.
  const found = new Map<string, { flag: Flag; severity: LintProblem['severity']; parts: string[]; suggestion: string | null }>();
  for (const process of ['taskmanager', 'jobmanager'] as const) {
    const keys = javaOptionKeys(process, line, values);
    const flags = keys.flatMap((k) => parseFlags(values[k]!, k));
    if (flags.length === 0) continue;
    const own = flinkFlags(results[process]);
    const result = results[process];
    const name = PROCESS_NAMES[process];
    const last = (kind: FlagKind): Flag | undefined => flags.filter((f) => f.kind === kind).at(-1);
    const report = (flag: Flag, severity: LintProblem['severity'], part: string, suggestion: string | null): void => {
      const id = `${flag.key}\u0000${flag.text}`;
      const entry = found.get(id);
      if (entry === undefined) found.set(id, { flag, severity, parts: [part], suggestion });
      else {
        entry.parts.push(part);
        if (severity === 'error') entry.severity = 'error';
      }
    };
    const flinks = (kind: FlagKind): string => {
      const bytes = own[kind];
      return bytes === undefined ? `Flink's computed ${kind === 'Xmx' || kind === 'Xms' ? `-${kind}` : `-XX:${kind}`}` : `Flink's ${kind === 'Xmx' || kind === 'Xms' ? `-${kind}${bytes}` : `-XX:${kind}=${bytes}`} (${formatSize(bytes)})`;
    };
    const order = `the JVM uses the last occurrence, and Flink puts ${keys.join(', ')} after its own memory flags`;

    const xmx = last('Xmx');
    const xms = last('Xms');
    const effectiveXmx = xmx?.bytes ?? own.Xmx;
    if (xmx !== undefined) {
      const same = xmx.bytes !== undefined && xmx.bytes === own.Xmx;
      const planned = own.Xmx;
      const total = result?.ok === true ? result.spec.memory.totalProcessMemory.bytes : undefined;
      let detail = '';
      if (!same && xmx.bytes !== undefined && planned !== undefined) {
        detail =
          xmx.bytes > planned
            ? `: the heap may grow to ${formatSize(xmx.bytes)}, ${formatSize(xmx.bytes - planned)} more than Flink planned${total === undefined ? '' : `, while Flink still sizes the other components for a ${formatSize(total)} process`}, which is how a container gets OOMKilled`
            : `: the heap is ${formatSize(planned - xmx.bytes)} smaller than Flink planned, so the heap Flink gives to tasks does not fit (OutOfMemoryError: Java heap space)`;
      }
      const suggestion =
        xmx.bytes === undefined || same
          ? `remove ${xmx.text} from ${xmx.key}`
          : process === 'taskmanager' && result?.ok === true && result.spec.process === 'taskmanager'
            ? `remove ${xmx.text} from ${xmx.key}; for that heap set taskmanager.memory.task.heap.size: ${flinkMemoryText(xmx.bytes > result.spec.memory.frameworkHeap.bytes ? xmx.bytes - result.spec.memory.frameworkHeap.bytes : 0n)} (heap = framework heap + task heap)`
            : process === 'jobmanager'
              ? `remove ${xmx.text} from ${xmx.key}; for that heap set jobmanager.memory.heap.size: ${flinkMemoryText(xmx.bytes)}`
              : `remove ${xmx.text} from ${xmx.key} and size the heap with the memory options`;
      report(
        xmx,
        same ? 'info' : 'error',
        same
          ? `${name}: ${xmx.text} repeats ${flinks('Xmx')}; harmless today, wrong as soon as a memory option changes`
          : `${name}: ${xmx.text} replaces ${flinks('Xmx')} (${order})${detail}`,
        suggestion,
      );
    }
    if (xms !== undefined && xms.bytes !== undefined) {
      if (effectiveXmx !== undefined && xms.bytes > effectiveXmx) {
        report(xms, 'error', `${name}: ${xms.text} is larger than the maximum heap the JVM ends up with (${formatSize(effectiveXmx)}): the JVM does not start ("Initial heap size set to a larger value than the maximum heap size")`, `remove ${xms.text} from ${xms.key}`);
      } else if (effectiveXmx !== undefined && xms.bytes !== effectiveXmx) {
        report(xms, 'warning', `${name}: ${xms.text} replaces ${flinks('Xms')} (${order}); Flink sets the initial heap equal to the maximum, this starts it at ${formatSize(xms.bytes)} instead`, `remove ${xms.text} from ${xms.key}`);
      } else if (xmx === undefined && own.Xms !== undefined && xms.bytes === own.Xms) {
        report(xms, 'info', `${name}: ${xms.text} repeats ${flinks('Xms')}; harmless today, wrong as soon as a memory option changes`, `remove ${xms.text} from ${xms.key}`);
      }
    }
    for (const kind of ['MaxDirectMemorySize', 'MaxMetaspaceSize'] as const) {
      const flag = last(kind);
      if (flag === undefined) continue;
      const planned = own[kind];
      const option = kind === 'MaxMetaspaceSize' ? `${process}.memory.jvm-metaspace.size` : process === 'taskmanager' ? 'taskmanager.memory.task.off-heap.size' : 'jobmanager.memory.off-heap.size';
      if (planned === undefined && kind === 'MaxDirectMemorySize' && process === 'jobmanager' && result?.ok === true) {
        report(flag, 'info', `${name}: ${flag.text} limits direct memory, which Flink leaves unlimited unless jobmanager.memory.enable-jvm-direct-memory-limit is true (it would then pass jobmanager.memory.off-heap.size)`, 'jobmanager.memory.enable-jvm-direct-memory-limit: true');
        continue;
      }
      if (flag.bytes !== undefined && planned !== undefined && flag.bytes === planned) {
        report(flag, 'info', `${name}: ${flag.text} repeats ${flinks(kind)}; harmless today, wrong as soon as a memory option changes`, `remove ${flag.text} from ${flag.key}`);
        continue;
      }
      const what = kind === 'MaxMetaspaceSize' ? 'metaspace' : 'direct memory';
      const effect =
        flag.bytes === undefined || planned === undefined
          ? ''
          : flag.bytes < planned
            ? `: ${formatSize(planned - flag.bytes)} less ${what} than Flink reserved, so ${kind === 'MaxMetaspaceSize' ? '"OutOfMemoryError: Metaspace"' : '"OutOfMemoryError: Direct buffer memory" (network buffers and off-heap use)'} comes earlier`
            : `: ${formatSize(flag.bytes - planned)} more ${what} than Flink budgeted inside the process size`;
      report(flag, 'warning', `${name}: ${flag.text} replaces ${flinks(kind)} (${order})${effect}`, `remove ${flag.text} from ${flag.key} and set ${option}`);
    }
    for (const flag of flags.filter((f) => f.kind === 'RAMPercentage')) {
      report(flag, 'warning', `${name}: ${flag.text} has no effect on the heap: Flink always passes -Xmx, and an explicit -Xmx takes precedence over RAM percentages`, `remove ${flag.text} from ${flag.key}; size the process with ${process}.memory.process.size`);
    }
  }
  const conflicts = [...found.values()].map(({ flag, severity, parts, suggestion }) => ({
    code: 'jvm-option-conflict' as const,
    severity,
    key: flag.key,
    ...placeOf(entries.get(flag.key)?.source),
    message: `${flag.key} sets ${flag.text}. ${parts.join('. ')}`,
    suggestion,
  }));
  return [...conflicts, ...checkRemovedJvmFlags(entries, values, line), ...checkCollectorChoice(entries, values, line)];
}

/** The collector each -XX:+Use…GC flag selects; ParallelOld and ParNew pair with Parallel and CMS. */
const COLLECTOR_OF_FLAG: Readonly<Record<string, string>> = {
  UseSerialGC: 'Serial',
  UseParallelGC: 'Parallel',
  UseParallelOldGC: 'Parallel',
  UseConcMarkSweepGC: 'CMS',
  UseParNewGC: 'CMS',
  UseG1GC: 'G1',
  UseZGC: 'ZGC',
  UseShenandoahGC: 'Shenandoah',
  UseEpsilonGC: 'Epsilon',
};

/**
 * Two garbage collectors switched on for one JVM: HotSpot refuses to start ("Error occurred during
 * initialization of VM" / "Multiple garbage collectors selected" on Java 17, recorded in
 * test/fixtures/lint/jvm-flags/openjdk17.txt; Java 8 has its own "Conflicting collector combinations"
 * check). The last +/- of each flag counts, so `-XX:+UseG1GC -XX:-UseG1GC -XX:+UseParallelGC` is one.
 * Flink adds -XX:+UseG1GC itself only when no JVM options are set, so it never takes part.
 */
export function checkCollectorChoice(entries: ReadonlyMap<string, ConfigEntry>, values: Readonly<Record<string, string>>, line: string): LintProblem[] {
  const found = new Map<string, { key: string; words: string[]; processes: ProcessKind[]; keep: string }>();
  for (const process of ['taskmanager', 'jobmanager'] as const) {
    const on = new Map<string, { key: string; word: string }>();
    for (const key of javaOptionKeys(process, line, values)) {
      for (const word of splitJavaOptions(values[key]!)) {
        const m = /^-XX:([+-])(Use[A-Za-z0-9]+GC)$/.exec(word);
        if (m === null || COLLECTOR_OF_FLAG[m[2]!] === undefined) continue;
        if (m[1] === '+') on.set(m[2]!, { key, word });
        else on.delete(m[2]!);
      }
    }
    const collectors = new Set([...on.keys()].map((flag) => COLLECTOR_OF_FLAG[flag]!));
    if (collectors.size < 2) continue;
    const chosen = [...on.values()];
    const last = chosen.at(-1)!;
    // Flink's own choice when it picks one (G1), else the one written last.
    const keep = on.get('UseG1GC')?.word ?? last.word;
    const id = chosen.map((c) => `${c.key}\u0000${c.word}`).join('\u0001');
    const entry = found.get(id) ?? { key: last.key, words: chosen.map((c) => `${c.word} (${c.key})`), processes: [], keep };
    entry.processes.push(process);
    found.set(id, entry);
  }
  return [...found.values()].map(({ key, words, processes, keep }) => {
    const names = processes.map((p) => `the ${PROCESS_NAMES[p]}`).join(' and ');
    return {
      code: 'jvm-option-conflict' as const,
      severity: 'error' as const,
      key,
      ...placeOf(entries.get(key)?.source),
      message: `${words.length === 2 ? words.join(' and ') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`} select more than one garbage collector: the JVM refuses to start ("Error occurred during initialization of VM", "Multiple garbage collectors selected" on Java 17), so ${names} ${processes.length === 1 ? 'does' : 'do'} not start`,
      suggestion: `keep one collector: ${keep}, and remove the other Use…GC flags`,
    };
  });
}

/** "Java 11", "Java 11 and 17", "Java 11, 17 and 21". */
function javaList(versions: readonly number[]): string {
  const texts = versions.map(String);
  return `Java ${texts.length <= 1 ? texts.join('') : `${texts.slice(0, -1).join(', ')} and ${texts.at(-1)!}`}`;
}

/** The flag name HotSpot reports for a word: `-XX:+Name` / `-XX:-Name` / `-XX:Name=value` → `Name` / `Name=value`. */
function hotspotArgument(word: string): string {
  return word.replace(/^-XX:[+-]?/, '');
}

/**
 * HotSpot flags (removed-jvm-flags.ts) that a Java release the line runs on refuses to start with:
 * `error` when every Java of the line refuses the flag, `warning` when some do, `info` when only a
 * Java the line does not run on yet does, or when -XX:+IgnoreUnrecognizedVMOptions (the last
 * spelling of it among the process's options) makes the JVM skip unknown flags.
 */
export function checkRemovedJvmFlags(
  entries: ReadonlyMap<string, ConfigEntry>,
  values: Readonly<Record<string, string>>,
  line: string,
): LintProblem[] {
  const supported = javaVersionsOfLine(line);
  const newest = Math.max(...supported);
  const flinkLine = `Flink ${line}`;
  // One problem per option and word: a shared option (.all) reaches both processes.
  const found = new Map<string, { key: string; word: string; flag: RemovedJvmFlag; processes: ProcessKind[]; ignoredBy: Map<ProcessKind, string> }>();
  for (const process of ['taskmanager', 'jobmanager'] as const) {
    const keys = javaOptionKeys(process, line, values);
    let ignoreUnrecognized: string | undefined;
    const words: { key: string; word: string; flag: RemovedJvmFlag }[] = [];
    for (const key of keys) {
      for (const word of splitJavaOptions(values[key]!)) {
        const m = /^-XX:([+-]?)([A-Za-z][A-Za-z0-9_]*)(=.*)?$/.exec(word);
        if (m === null) continue;
        if (m[2] === 'IgnoreUnrecognizedVMOptions') {
          ignoreUnrecognized = m[1] === '+' ? key : undefined;
          continue;
        }
        const flag = removedJvmFlag(m[2]!);
        if (flag !== undefined) words.push({ key, word, flag });
      }
    }
    for (const { key, word, flag } of words) {
      const id = `${key}\u0000${word}`;
      const entry = found.get(id) ?? { key, word, flag, processes: [], ignoredBy: new Map<ProcessKind, string>() };
      found.set(id, entry);
      entry.processes.push(process);
      if (ignoreUnrecognized !== undefined) entry.ignoredBy.set(process, ignoreUnrecognized);
    }
  }

  const problems: LintProblem[] = [];
  const suggested = new Map<string, string>();
  for (const { key, word, flag, processes, ignoredBy } of found.values()) {
    const refusing = supported.filter((v) => v >= flag.refusedFrom);
    const accepting = supported.filter((v) => v < flag.refusedFrom);
    const later = KNOWN_JAVA_VERSIONS.filter((v) => v > newest && v >= flag.refusedFrom);
    if (refusing.length === 0 && later.length === 0) continue;
    const place = placeOf(entries.get(key)?.source);
    const where = place.line !== null ? `${key} (line ${place.line})` : place.file !== null ? `${key} (${place.file})` : key;
    const refusers = refusing.length > 0 ? refusing : later;
    const stopping = processes.filter((p) => !ignoredBy.has(p));
    const names = (ps: readonly ProcessKind[]): string => ps.map((p) => `the ${PROCESS_NAMES[p]}`).join(' and ');
    const off = word.startsWith('-XX:-') ? ', even switched off, as the JVM no longer knows the name' : '';
    const refusal = `the JVM stops with "Unrecognized VM option '${hotspotArgument(word)}'" and "${JVM_REFUSAL_FOLLOW_UP}"`;

    let severity: LintProblem['severity'];
    let effect: string;
    const notStart = (ps: readonly ProcessKind[]): string => `${names(ps)} ${ps.length === 1 ? 'does' : 'do'} not start`;
    if (refusing.length === 0) {
      severity = 'info';
      effect = `${flinkLine} runs on ${javaList(supported)}, which still accept the flag; on ${javaList(later)} ${names(stopping.length > 0 ? stopping : processes)} would not start`;
    } else if (refusing.length === supported.length) {
      severity = 'error';
      effect = `${flinkLine} runs on ${javaList(supported)}, every one of which refuses it${stopping.length > 0 ? `, so ${notStart(stopping)}` : ''}`;
    } else {
      severity = 'warning';
      effect = `${flinkLine} runs on ${javaList(supported)}; ${javaList(accepting)} still ${accepting.length === 1 ? 'accepts' : 'accept'} the flag${stopping.length > 0 ? `, on ${javaList(refusing)} ${notStart(stopping)}` : ''}`;
    }
    const ignored = [...new Set(ignoredBy.values())];
    let ignoredText = '';
    if (ignored.length > 0) {
      ignoredText = `. -XX:+IgnoreUnrecognizedVMOptions in ${ignored.join(', ')} makes the JVM of ${names([...ignoredBy.keys()])} skip options it does not know, so there the flag does nothing`;
      if (stopping.length === 0) severity = 'info';
    }
    const refuses = refusers.length === 1 ? 'refuses' : 'refuse';
    const why = flag.removal.charAt(0).toUpperCase() + flag.removal.slice(1);
    const message = `${where} sets ${word}. ${javaList(refusers)} ${refuses} it${off}: ${refusal}. ${effect}${ignoredText}. ${why}`;

    let suggestion: string;
    const replacement = flag.replacement;
    const switchedOff = word.startsWith('-XX:-');
    if (replacement === null || switchedOff || stopping.length === 0) {
      const advice = flag.advice?.replace(/\{process\}(\S*)/, (_, rest: string) => processes.map((p) => `${p}${rest}`).join(' and '));
      suggestion = `remove ${word} from ${key}${advice === undefined || switchedOff ? '' : `; ${advice}`}`;
    } else {
      // One replacement per option: written already, or suggested for an earlier flag of the same option.
      const inKey = splitJavaOptions(values[key]!);
      const short = replacement.text.startsWith('-Xlog:') ? '-Xlog' : replacement.text;
      const earlier = suggested.get(`${key}\u0000${replacement.text}`);
      const action = inKey.includes(replacement.text)
        ? `remove ${word} from ${key} (${replacement.text} is set already)`
        : earlier !== undefined
          ? `remove ${word} from ${key} (the ${short} suggested for ${earlier} covers it)`
          : `replace ${word} in ${key} with ${replacement.text}${replacement.note === undefined ? '' : ` (${replacement.note})`}`;
      if (earlier === undefined && !inKey.includes(replacement.text)) suggested.set(`${key}\u0000${replacement.text}`, word);
      const before = supported.filter((v) => v < replacement.since);
      suggestion =
        before.length === 0
          ? action
          : `where the processes run on ${javaList(supported.filter((v) => v >= replacement.since))}, ${action}; ${javaList(before)} does not accept ${short}, keep ${word} only there`;
    }
    problems.push({ code: 'jvm-option-conflict', severity, key, ...place, message, suggestion });
  }
  return problems;
}
