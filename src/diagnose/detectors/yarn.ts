/**
 * YARN container kills, from a NodeManager log, `yarn application`/`yarn logs` diagnostics, or a
 * Flink JobManager log (Flink logs YARN's diagnostics of every completed TaskManager container).
 *
 * The NodeManager's ContainersMonitorImpl writes, Hadoop 2.x:
 *   Container [pid=8296,containerID=container_e07_…_000002] is running beyond physical memory limits.
 *   Current usage: 4.1 GB of 4 GB physical memory used; 6.2 GB of 8.4 GB virtual memory used. Killing container.
 * and Hadoop 3.x:
 *   Container [pid=…,containerID=…] is running 123731968B beyond the 'PHYSICAL' memory limit. Current usage: …
 * then, in the diagnostics, "[2023-08-01 18:17:56.141]Container killed on request. Exit code is 143"
 * and "Container exited with a non-zero exit code 143.". Flink (ActiveResourceManager with
 * YarnResourceManagerDriver#getContainerCompletedCause) logs it over several lines:
 *   … - Worker container_… is terminated. Diagnostics: Container container_… marked as failed.
 *    Exit code:-104.
 *    Diagnostics:[2023-…]Container [pid=…] is running beyond physical memory limits. …
 * where -104 is ContainerExitStatus.KILLED_EXCEEDED_PMEM and -103 KILLED_EXCEEDED_VMEM.
 *
 * Sizes: Hadoop prints them with StringUtils.TraditionalBinaryPrefix.long2String(n, "", 1), i.e.
 * binary prefixes (1 GB = 2^30 bytes) with one decimal. A value printed without a fraction ("4 GB")
 * divided exactly and is exact; one with a fraction ("4.1 GB") is rounded, so its bytes are an
 * estimate (within half a unit of the last digit). Hadoop 3 also states the excess in exact bytes.
 *
 * Evidence: `container-killed` with {containerId, pid, kind: physical|virtual, usedBytes/limitBytes
 * (physical, the container's size, whichever limit was crossed), virtualUsedBytes/virtualLimitBytes,
 * each with its stated text and an `…Exact` flag, overLimitBytes (Hadoop 3), exitStatus (YARN's
 * -104/-103), exitCode (143/137), reports (how often the file repeats it)}; a container that ended
 * otherwise (preempted, released, exit code only) is a `process-exit` with {containerId, outcome,
 * exitStatus, exitCode}.
 */
import { MAX_EVIDENCE_PER_KIND, type Detector, type Evidence, type EvidenceKind, type EvidenceFacts } from '../evidence.js';

const MAX_TEXT = 500;
const SIZE = String.raw`\d+(?:\.\d+)? ?[KMGTPE]?B`;
const KILL = new RegExp(
  String.raw`Container \[pid=(\d+),containerID=(container_\w+)\] is running (?:(-?\d+)B )?beyond (?:the '(PHYSICAL|VIRTUAL)' memory limit|(physical|virtual) memory limits)\.` +
    String.raw` Current usage: (${SIZE}) of (${SIZE}) physical memory used; (${SIZE}) of (${SIZE}) virtual memory used`,
);
const DIAGNOSTICS_TIME = /\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\]Container \[pid=/;
const LOG4J_TIME = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)[,.](\d{3})/;
const WORKER_TERMINATED = /Worker (container_\w+)(?:\([^)]*\))? is terminated\. Diagnostics: ?(.*)$/;
const CONTAINER_OUTCOME =
  /Container (container_\w+) (marked as failed|was preempted by yarn|killed by YARN|exited normally|is failed because threshold number|was invalid|completed successfully with diagnostics)/;
const OLD_FLINK = /Diagnostics for container (container_\w+) in state (\w+) : exitStatus=(.*?) diagnostics=/;
const EXIT_STATUS = /^ ?Exit code:(-?\d+)\.?\s*$/;
const KILLED_ON_REQUEST = /Container killed on request\. Exit code is (-?\d+)/;
const NON_ZERO_EXIT = /Container exited with a non-zero exit code (-?\d+)/;
/** NodeManager's ContainerLaunch / ContainerExecutor. */
const LAUNCH_EXIT = /(?:Exit code from container (container_\w+) is : |Exception from container-launch with container ID: (container_\w+) and exit code: )(-?\d+)/;
const CONTAINER_ID = /container_\w+/;

const PMEM_EXCEEDED = -104;
const VMEM_EXCEEDED = -103;

/** Whether the first lines of a file are YARN container diagnostics or a NodeManager log. */
export function looksLikeYarn(firstLines: readonly string[]): boolean {
  return firstLines.some(
    (line) =>
      KILL.test(line) ||
      / is running (?:-?\d+B )?beyond (?:the '(?:PHYSICAL|VIRTUAL)' memory limit|(?:physical|virtual) memory limits)/.test(line) ||
      KILLED_ON_REQUEST.test(line) ||
      NON_ZERO_EXIT.test(line) ||
      /\[pid=\d+,containerID=container_\w+\]/.test(line) ||
      / org\.apache\.hadoop\.yarn\.server\.nodemanager\.[\w.$]+: /.test(line),
  );
}

const PREFIX_SHIFT: Readonly<Record<string, bigint>> = { '': 0n, K: 10n, M: 20n, G: 30n, T: 40n, P: 50n, E: 60n };

/** A size as Hadoop prints it ("4.1 GB", "4 GB", "517.7 MB", "512B") in bytes, and whether that is exact. */
export function parseYarnSize(text: string): { bytes: string; exact: boolean } | undefined {
  const m = /^(\d+)(?:\.(\d+))? ?([KMGTPE]?)B$/.exec(text);
  if (m === null) return undefined;
  const shift = PREFIX_SHIFT[m[3]!]!;
  const fraction = m[2] ?? '';
  if (fraction.length === 0) return { bytes: (BigInt(m[1]!) << shift).toString(), exact: true };
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(m[1]! + fraction) << shift;
  return { bytes: ((scaled * 2n + scale) / (2n * scale)).toString(), exact: false };
}

function utc(m: RegExpExecArray | null): number | undefined {
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
  return Number.isNaN(ms) ? undefined : ms;
}

type Facts = EvidenceFacts;

interface Draft {
  readonly kind: EvidenceKind;
  readonly line: number;
  readonly text: string;
  readonly epochMs: number | undefined;
  readonly summary: string;
  /** Exit details arrive on later lines and are filled in. */
  readonly facts: Facts;
  reports: number;
}

/** What Flink (or YARN) said about one completed container, kept until its diagnostics end. */
interface Completion {
  readonly containerId: string;
  readonly line: number;
  readonly text: string;
  readonly epochMs: number | undefined;
  readonly outcome: string;
  exitStatus?: number;
  exitCode?: number;
  killed: boolean;
}

export function createYarnDetector(file: string): Detector {
  const drafts: Draft[] = [];
  const byKey = new Map<string, Draft>();
  const kept = new Map<EvidenceKind, number>();
  const dropped = new Map<EvidenceKind, number>();
  let record: Completion | undefined;
  let lastContainer: string | undefined;

  const add = (draft: Draft, key: string): Draft | undefined => {
    const existing = byKey.get(key);
    if (existing !== undefined) {
      existing.reports++;
      return existing;
    }
    const count = kept.get(draft.kind) ?? 0;
    if (count >= MAX_EVIDENCE_PER_KIND) {
      dropped.set(draft.kind, (dropped.get(draft.kind) ?? 0) + 1);
      return undefined;
    }
    kept.set(draft.kind, count + 1);
    drafts.push(draft);
    byKey.set(key, draft);
    return draft;
  };

  const setExit = (draft: Draft, exitCode: number | undefined, exitStatus: number | undefined): void => {
    if (exitCode !== undefined && draft.facts['exitCode'] === undefined) draft.facts['exitCode'] = exitCode;
    if (exitStatus !== undefined && draft.facts['exitStatus'] === undefined) draft.facts['exitStatus'] = exitStatus;
  };

  const closeRecord = (): void => {
    const r = record;
    record = undefined;
    if (r === undefined || r.killed) return;
    const memory = r.exitStatus === PMEM_EXCEEDED ? 'physical' : r.exitStatus === VMEM_EXCEEDED ? 'virtual' : undefined;
    const facts: Facts = { containerId: r.containerId, outcome: r.outcome };
    if (r.exitStatus !== undefined) facts['exitStatus'] = r.exitStatus;
    if (r.exitCode !== undefined) facts['exitCode'] = r.exitCode;
    if (memory !== undefined) {
      facts['kind'] = memory;
      add(
        { kind: 'container-killed', line: r.line, text: r.text, epochMs: r.epochMs, summary: `YARN killed container ${r.containerId} for exceeding its ${memory} memory limit`, facts, reports: 1 },
        `kill|${r.containerId}|${memory}`,
      );
      return;
    }
    add(
      { kind: 'process-exit', line: r.line, text: r.text, epochMs: r.epochMs, summary: `YARN container ${r.containerId} ${r.outcome}`, facts, reports: 1 },
      `exit|${r.containerId}`,
    );
  };

  const onKill = (text: string, n: number, m: RegExpExecArray): void => {
    const containerId = m[2]!;
    const kind = m[4] !== undefined ? (m[4] === 'PHYSICAL' ? 'physical' : 'virtual') : (m[5] as 'physical' | 'virtual');
    const physicalUsed = m[6]!;
    const physicalLimit = m[7]!;
    const virtualUsed = m[8]!;
    const virtualLimit = m[9]!;
    // usedBytes/limitBytes are the physical figures whatever was exceeded: the physical limit is
    // the container's size, the one a Flink process size must fit (as limitBytes is for a pod).
    const facts: Facts = { containerId, pid: Number(m[1]), kind, usedText: physicalUsed, limitText: physicalLimit, virtualUsedText: virtualUsed, virtualLimitText: virtualLimit };
    const excess = m[3];
    if (excess !== undefined) facts['overLimitBytes'] = excess;
    const sizes: Array<[string, string, boolean]> = [
      ['used', physicalUsed, kind === 'physical'],
      ['limit', physicalLimit, false],
      ['virtualUsed', virtualUsed, kind === 'virtual'],
      ['virtualLimit', virtualLimit, false],
    ];
    const limitOf = { physical: parseYarnSize(physicalLimit), virtual: parseYarnSize(virtualLimit) }[kind];
    for (const [name, text, exceeded] of sizes) {
      let size = parseYarnSize(text);
      // Hadoop 3 states the excess exactly: used = limit + excess, exact when the limit is.
      if (exceeded && excess !== undefined && limitOf?.exact === true) size = { bytes: (BigInt(limitOf.bytes) + BigInt(excess)).toString(), exact: true };
      if (size === undefined) continue;
      facts[`${name}Bytes`] = size.bytes;
      facts[`${name}Exact`] = size.exact;
    }
    const usedText = kind === 'physical' ? physicalUsed : virtualUsed;
    const limitText = kind === 'physical' ? physicalLimit : virtualLimit;
    const sameRecord = record !== undefined && record.containerId === containerId ? record : undefined;
    if (sameRecord !== undefined) sameRecord.killed = true;
    const epochMs = utc(DIAGNOSTICS_TIME.exec(text)) ?? utc(LOG4J_TIME.exec(text)) ?? sameRecord?.epochMs;
    const draft = add(
      {
        kind: 'container-killed',
        line: n,
        text,
        epochMs,
        summary: `YARN killed container ${containerId} (pid ${m[1]}): ${usedText} of ${limitText} ${kind} memory used`,
        facts,
        reports: 1,
      },
      `kill|${containerId}|${kind}`,
    );
    if (draft !== undefined && sameRecord !== undefined) setExit(draft, sameRecord.exitCode, sameRecord.exitStatus);
  };

  const onExitCode = (text: string, n: number, exitCode: number, how: string): void => {
    const containerId = CONTAINER_ID.exec(text)?.[0] ?? lastContainer;
    if (record !== undefined && record.containerId === containerId && !record.killed) {
      record.exitCode ??= exitCode;
      return;
    }
    const kill = containerId === undefined ? undefined : (byKey.get(`kill|${containerId}|physical`) ?? byKey.get(`kill|${containerId}|virtual`));
    if (kill !== undefined) {
      setExit(kill, exitCode, undefined);
      return;
    }
    const facts: Facts = { exitCode, outcome: how };
    if (containerId !== undefined) facts['containerId'] = containerId;
    const draft = add(
      { kind: 'process-exit', line: n, text, epochMs: utc(LOG4J_TIME.exec(text)), summary: `YARN container ${containerId ?? '(unnamed)'} ${how}`, facts, reports: 1 },
      `exit|${containerId ?? `line ${n}`}`,
    );
    if (draft !== undefined) setExit(draft, exitCode, undefined);
  };

  return {
    onLine(text: string, n: number): void {
      // Every line this detector reads names a container or a container's exit; most log lines do neither.
      if (!text.includes('ontainer') && !text.includes('Exit code:')) return;
      const worker = WORKER_TERMINATED.exec(text);
      const outcome = CONTAINER_OUTCOME.exec(text);
      const old = OLD_FLINK.exec(text);
      const header = worker !== null || outcome !== null || old !== null;
      if (header) {
        const containerId = (worker?.[1] ?? outcome?.[1] ?? old?.[1])!;
        if (record === undefined || record.containerId !== containerId || worker !== null || old !== null) {
          closeRecord();
          const described = outcome?.[2] === 'is failed because threshold number' ? 'failed on bad disks' : (outcome?.[2] ?? (old === null ? 'terminated' : `completed in state ${old[2]}`));
          record = { containerId, line: n, text, epochMs: utc(LOG4J_TIME.exec(text)), outcome: described, killed: false };
          if (old !== null) {
            const status = /\((-?\d+)\)\s*$|^(-?\d+)$/.exec(old[3]!.trim());
            if (status !== null) record.exitStatus = Number(status[1] ?? status[2]);
          }
        }
        lastContainer = containerId;
      }
      // Old Flink versions put the kill on the header line itself.
      const kill = text.includes('[pid=') ? KILL.exec(text) : null;
      if (kill !== null) {
        onKill(text, n, kill);
        lastContainer = kill[2];
        return;
      }
      if (header) {
        // Flink's message carries the first lines of the diagnostics on the same line.
        const rest = worker?.[2] ?? '';
        const onLine = KILLED_ON_REQUEST.exec(rest) ?? NON_ZERO_EXIT.exec(rest);
        if (onLine !== null && record !== undefined) record.exitCode ??= Number(onLine[1]);
        return;
      }
      const status = EXIT_STATUS.exec(text);
      if (status !== null) {
        if (record !== undefined) record.exitStatus ??= Number(status[1]);
        return;
      }
      const onRequest = KILLED_ON_REQUEST.exec(text);
      if (onRequest !== null) {
        onExitCode(text, n, Number(onRequest[1]), 'killed on request');
        return;
      }
      const nonZero = NON_ZERO_EXIT.exec(text);
      if (nonZero !== null) {
        onExitCode(text, n, Number(nonZero[1]), 'exited with a non-zero exit code');
        return;
      }
      const launch = LAUNCH_EXIT.exec(text);
      if (launch !== null) {
        lastContainer = launch[1] ?? launch[2];
        onExitCode(text, n, Number(launch[3]), 'exited with a non-zero exit code');
        return;
      }
      const mentioned = CONTAINER_ID.exec(text);
      if (mentioned !== null) lastContainer = mentioned[0];
    },
    finish(): Evidence[] {
      closeRecord();
      const lastOfKind = new Map<EvidenceKind, number>();
      drafts.forEach((d, i) => lastOfKind.set(d.kind, i));
      return drafts.map((d, i) => {
        const notShown = lastOfKind.get(d.kind) === i ? dropped.get(d.kind) : undefined;
        const facts: Facts = { ...d.facts, ...(d.reports > 1 ? { reports: d.reports } : {}), ...(notShown === undefined ? {} : { notShown }) };
        const exits = [
          ...(facts['exitStatus'] === undefined ? [] : [`exit status ${facts['exitStatus']}`]),
          ...(facts['exitCode'] === undefined ? [] : [`exit code ${facts['exitCode']}`]),
        ];
        const summary = exits.length === 0 ? d.summary : `${d.summary} (${exits.join(', ')})`;
        return {
          kind: d.kind,
          at: { file, line: d.line, text: d.text.length > MAX_TEXT ? d.text.slice(0, MAX_TEXT) : d.text },
          ...(d.epochMs === undefined ? {} : { epochMs: d.epochMs }),
          summary,
          facts,
        };
      });
    },
  };
}
