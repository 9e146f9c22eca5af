/**
 * The kernel's OOM killer, from `dmesg`, `journalctl -k` or a syslog file. The messages are the
 * ones mm/oom_kill.c and mm/memcontrol.c print; a kill is reported as one block:
 *
 *   java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=968
 *   memory: usage 4194304kB, limit 4194304kB, failcnt 2084326          (memory cgroup only)
 *   oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=…,mems_allowed=0,oom_memcg=…,task_memcg=…,task=java,pid=1234,uid=9999
 *   Memory cgroup out of memory: Killed process 1234 (java) total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:…kB, UID:9999 pgtables:…kB oom_score_adj:968
 *
 * Kernels before 4.19 print "Memory cgroup out of memory: Kill process 1234 (java) score 0 or
 * sacrifice child" and then "Killed process 1234 (java) total-vm:…kB, anon-rss:…kB, file-rss:…kB[,
 * shmem-rss:…kB]". Each kill becomes one `container-killed` evidence on its "Killed process" line,
 * with what the block said before it: {pid, process, cgroup (a memory cgroup hit its limit, not the
 * whole machine), anonRssBytes and the other sizes (kB × 1024, exact), limitBytes/usedBytes (the
 * memory cgroup's, i.e. the container's limit), constraint, oomMemcg/taskMemcg, podUid and
 * containerId read from the cgroup path, invokedBy, oomScoreAdj, uptimeSeconds or host}.
 *
 * Line prefixes understood: "[12345.678901]" (uptime; no wall clock), dmesg -T "[Thu Dec  7
 * 00:05:15 2017]", ISO 8601 (journalctl -o short-iso[-precise], dmesg --time-format=iso), syslog
 * "Jul  9 00:15:25 host kernel:" (no year, so no epoch; the stated time is kept as a fact), and
 * bracketed ISO as Talos prints it. Times without a zone are taken as UTC.
 */
import { MAX_EVIDENCE_PER_KIND, type Detector, type Evidence, type EvidenceFacts } from '../evidence.js';

const MAX_TEXT = 500;
/** An OOM block is a few hundred lines at most (the task table); a "Killed" line further away belongs to another block. */
const BLOCK_LINES = 5000;
/**
 * With memory.oom.group one report kills several processes on consecutive lines; a kill further
 * from the previous one was reported without its header (the kernel rate-limits the header), so
 * the previous block's cgroup would be a guess.
 */
const GROUP_KILL_LINES = 5;

const MONTHS: Readonly<Record<string, number>> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

const PRIORITY = /^<\d{1,3}>/;
const TALOS = /^(?:\S+: )?kern:\s+\w+: \[(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d))\]: /;
const ISO = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?\s+(?:(\S+) kernel: )?/;
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d:\d\d:\d\d)(?:\.\d+)? (\S+) kernel: /;
const DMESG_T = /^\[(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?/;
const UPTIME = /^\[\s*(\d+\.\d+)\] ?/;
const RELATIVE = /^\[\s*\+\s*\d+\.\d+\] ?|^\[[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d\] ?/;

interface Prefix {
  readonly rest: string;
  readonly epochMs?: number;
  readonly uptimeSeconds?: number;
  readonly host?: string;
  readonly syslogTime?: string;
}

function isoToEpoch(date: string, time: string, fraction: string | undefined, zone: string | undefined): number | undefined {
  const ms = fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`;
  const z = zone === undefined || zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const epoch = Date.parse(`${date}T${time}${ms}${z}`);
  return Number.isNaN(epoch) ? undefined : epoch;
}

/** Splits a kernel log line into its message and what its prefixes state about time and host. */
export function stripKernelPrefix(line: string): Prefix {
  let rest = line.replace(PRIORITY, '');
  let epochMs: number | undefined;
  let host: string | undefined;
  let syslogTime: string | undefined;
  const talos = TALOS.exec(rest);
  if (talos !== null) {
    const t = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(talos[1]!);
    if (t !== null) epochMs = isoToEpoch(t[1]!, t[2]!, t[3], t[4] === '' ? undefined : t[4]);
    rest = rest.slice(talos[0].length);
  } else {
    const iso = ISO.exec(rest);
    const syslog = iso === null ? SYSLOG.exec(rest) : null;
    const dmesgT = iso === null && syslog === null ? DMESG_T.exec(rest) : null;
    if (iso !== null) {
      epochMs = isoToEpoch(iso[1]!, iso[2]!, iso[3], iso[4]);
      host = iso[5];
      rest = rest.slice(iso[0].length);
    } else if (syslog !== null) {
      syslogTime = `${syslog[1]} ${syslog[2]} ${syslog[3]}`;
      host = syslog[4];
      rest = rest.slice(syslog[0].length);
    } else if (dmesgT !== null) {
      const month = MONTHS[dmesgT[1]!];
      if (month !== undefined) {
        epochMs = Date.UTC(Number(dmesgT[6]), month, Number(dmesgT[2]), Number(dmesgT[3]), Number(dmesgT[4]), Number(dmesgT[5]));
      }
      rest = rest.slice(dmesgT[0].length);
    }
  }
  let uptimeSeconds: number | undefined;
  const uptime = UPTIME.exec(rest);
  if (uptime !== null) {
    uptimeSeconds = Number(uptime[1]);
    rest = rest.slice(uptime[0].length);
  } else {
    const relative = RELATIVE.exec(rest);
    if (relative !== null) rest = rest.slice(relative[0].length);
  }
  return {
    rest,
    ...(epochMs === undefined ? {} : { epochMs }),
    ...(uptimeSeconds === undefined ? {} : { uptimeSeconds }),
    ...(host === undefined ? {} : { host }),
    ...(syslogTime === undefined ? {} : { syslogTime }),
  };
}

const INVOKED = / invoked oom-killer: /;
const MEMCG_USAGE = /^memory: usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;
const TASK_IN = /^Task in (\S+) killed as a result of limit of (\S+)/;
const CONSTRAINT = /^oom-kill:constraint=(\w+)/;
const KILL_SELECT = /^(Out of memory|Memory cgroup out of memory)(?: \([^)]*\))?: Kill process (\d+) \((.*)\) score (\d+) or sacrifice child/;
const KILLED = /^(?:(Out of memory|Memory cgroup out of memory)(?: \([^)]*\))?: )?Killed process (\d+) \((.*?)\)(?= total-vm:|,|$)(.*)$/;
const MARKERS = [' invoked oom-killer: ', 'Out of memory: Kill', 'Memory cgroup out of memory: Kill', 'oom-kill:constraint=', 'Killed process ', 'oom_reaper: reaped process '];

/** Any syslog or journal line ("Jul  9 00:15:25 host sshd[812]: …", "2024-01-01T10:00:00+0000 host systemd[1]: …"). */
const SYSTEM_LOG = /^(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*) \S+ [^\s:[]+(?:\[\d+\])?: /;

/**
 * Whether the first lines of a file are kernel messages: an OOM report, or mostly dmesg lines or
 * system log lines (a whole syslog or journal may hold an OOM kill further down; the detector
 * only reads the kernel's lines).
 */
export function looksLikeKernel(firstLines: readonly string[]): boolean {
  let prefixed = 0;
  let nonEmpty = 0;
  for (const line of firstLines) {
    if (line.trim().length === 0) continue;
    nonEmpty++;
    const stripped = stripKernelPrefix(line);
    if (MARKERS.some((m) => line.includes(m))) {
      const rest = stripped.rest;
      if (INVOKED.test(rest) || CONSTRAINT.test(rest) || KILL_SELECT.test(rest) || KILLED.test(rest) || rest.startsWith('oom_reaper: ')) return true;
    }
    if (stripped.uptimeSeconds !== undefined || stripped.syslogTime !== undefined || stripped.host !== undefined || TALOS.test(line) || SYSTEM_LOG.test(line)) prefixed++;
  }
  return nonEmpty >= 3 && prefixed * 2 > nonEmpty;
}

function kb(text: string | undefined): string | undefined {
  return text === undefined ? undefined : (BigInt(text) * 1024n).toString();
}

/** "kubepods-burstable-pod84c5437e_9503_4b52.slice" or "/kubepods/burstable/pod84c5437e-9503-…" → the pod UID. */
function podUid(path: string): string | undefined {
  const m = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(path);
  return m === null ? undefined : m[1]!.replaceAll('_', '-');
}

/** The container runtime's id at the end of a cgroup path ("cri-containerd-<64 hex>.scope", "docker-…", "crio-…", or a bare id). */
function containerId(path: string): string | undefined {
  const m = /(?:^|[/-])([0-9a-f]{64})(?:\.scope)?$/.exec(path);
  return m === null ? undefined : m[1];
}

interface Block {
  readonly line: number;
  invokedBy?: string;
  usedBytes?: string;
  limitBytes?: string;
  constraint?: string;
  oomMemcg?: string;
  taskMemcg?: string;
  selected?: { cgroup: boolean; pid: number; score: number };
  killedAt?: number;
}

type Facts = EvidenceFacts;

export function createKernelDetector(file: string): Detector {
  const evidence: Evidence[] = [];
  let notShown = 0;
  let block: Block | undefined;

  const current = (n: number): Block => {
    if (block === undefined || n - block.line > BLOCK_LINES || block.killedAt !== undefined) block = { line: n };
    return block;
  };

  const kill = (text: string, n: number, prefix: Prefix, m: RegExpExecArray): void => {
    const open = block;
    const b = open !== undefined && n - open.line <= BLOCK_LINES && (open.killedAt === undefined || n - open.killedAt <= GROUP_KILL_LINES) ? open : undefined;
    if (b !== undefined) b.killedAt = n;
    else block = undefined;
    const pid = Number(m[2]);
    const process = m[3]!;
    const tail = m[4] ?? '';
    const num = (name: string): string | undefined => new RegExp(`(?:^|[ ,])${name}:(-?\\d+)`).exec(tail)?.[1];
    const message = m[1] ?? (b?.selected !== undefined ? (b.selected.cgroup ? 'Memory cgroup out of memory' : 'Out of memory') : undefined);
    const cgroup = message === 'Memory cgroup out of memory' || b?.constraint === 'CONSTRAINT_MEMCG' || b?.limitBytes !== undefined;
    const facts: Facts = { pid, process, cgroup };
    const anon = kb(num('anon-rss'));
    if (anon !== undefined) facts['anonRssBytes'] = anon;
    const totalVm = kb(num('total-vm'));
    if (totalVm !== undefined) facts['totalVmBytes'] = totalVm;
    const fileRss = kb(num('file-rss'));
    if (fileRss !== undefined) facts['fileRssBytes'] = fileRss;
    const shmem = kb(num('shmem-rss'));
    if (shmem !== undefined) facts['shmemRssBytes'] = shmem;
    const pgtables = kb(num('pgtables'));
    if (pgtables !== undefined) facts['pgtablesBytes'] = pgtables;
    const uid = num('UID');
    if (uid !== undefined) facts['uid'] = Number(uid);
    const adj = num('oom_score_adj');
    if (adj !== undefined) facts['oomScoreAdj'] = Number(adj);
    if (b !== undefined) {
      if (b.invokedBy !== undefined) facts['invokedBy'] = b.invokedBy;
      if (b.constraint !== undefined) facts['constraint'] = b.constraint;
      // The memory cgroup's limit and usage: for a container, its memory limit (as limitBytes is for a pod).
      if (b.limitBytes !== undefined) facts['limitBytes'] = b.limitBytes;
      if (b.usedBytes !== undefined) facts['usedBytes'] = b.usedBytes;
      if (b.oomMemcg !== undefined) facts['oomMemcg'] = b.oomMemcg;
      if (b.taskMemcg !== undefined) {
        facts['taskMemcg'] = b.taskMemcg;
        const uidOfPod = podUid(b.taskMemcg);
        if (uidOfPod !== undefined) facts['podUid'] = uidOfPod;
        const id = containerId(b.taskMemcg);
        if (id !== undefined) facts['containerId'] = id;
      }
      if (b.selected !== undefined) {
        facts['score'] = b.selected.score;
        // Old kernels pick a process and may kill one of its children instead.
        if (b.selected.pid !== pid) facts['selectedPid'] = b.selected.pid;
      }
    }
    if (prefix.uptimeSeconds !== undefined) facts['uptimeSeconds'] = prefix.uptimeSeconds;
    if (prefix.host !== undefined) facts['host'] = prefix.host;
    if (prefix.syslogTime !== undefined) facts['syslogTime'] = prefix.syslogTime;
    if (evidence.length >= MAX_EVIDENCE_PER_KIND) {
      notShown++;
      return;
    }
    const where = cgroup ? 'memory cgroup' : 'system';
    const limitKb = b?.limitBytes === undefined ? undefined : BigInt(b.limitBytes) / 1024n;
    const limit = limitKb === undefined ? '' : ` at its cgroup limit of ${limitKb}kB`;
    const anonKb = num('anon-rss');
    const rss = anonKb === undefined ? '' : `, anon-rss ${anonKb}kB`;
    evidence.push({
      kind: 'container-killed',
      at: { file, line: n, text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text },
      ...(prefix.epochMs === undefined ? {} : { epochMs: prefix.epochMs }),
      summary: `kernel OOM killer (${where} out of memory) killed ${process} (pid ${pid})${rss}${limit}`,
      facts,
    });
  };

  return {
    onLine(text: string, n: number): void {
      // Most kernel lines say nothing about OOM; one indexOf each keeps the regexes off them.
      if (!MARKERS.some((m) => text.includes(m)) && !text.includes('memory: usage ') && !text.includes('Task in ')) return;
      const prefix = stripKernelPrefix(text);
      const rest = prefix.rest;
      const invoked = INVOKED.exec(rest);
      if (invoked !== null) {
        block = { line: n, invokedBy: rest.slice(0, invoked.index) };
        return;
      }
      const usage = MEMCG_USAGE.exec(rest);
      if (usage !== null) {
        const b = current(n);
        b.usedBytes ??= kb(usage[1]);
        b.limitBytes ??= kb(usage[2]);
        return;
      }
      const taskIn = TASK_IN.exec(rest);
      if (taskIn !== null) {
        const b = current(n);
        b.taskMemcg ??= taskIn[1];
        b.oomMemcg ??= taskIn[2];
        return;
      }
      const constraint = CONSTRAINT.exec(rest);
      if (constraint !== null) {
        const b = current(n);
        b.constraint = constraint[1];
        for (const part of rest.slice('oom-kill:'.length).split(',')) {
          const eq = part.indexOf('=');
          if (eq === -1) continue;
          const key = part.slice(0, eq);
          const value = part.slice(eq + 1);
          if (key === 'oom_memcg') b.oomMemcg = value;
          else if (key === 'task_memcg') b.taskMemcg = value;
        }
        return;
      }
      const select = KILL_SELECT.exec(rest);
      if (select !== null) {
        current(n).selected = { cgroup: select[1] === 'Memory cgroup out of memory', pid: Number(select[2]), score: Number(select[4]) };
        return;
      }
      const killed = KILLED.exec(rest);
      if (killed !== null) kill(text, n, prefix, killed);
    },
    finish(): Evidence[] {
      if (notShown === 0 || evidence.length === 0) return evidence;
      const last = evidence[evidence.length - 1]!;
      return [...evidence.slice(0, -1), { ...last, facts: { ...last.facts, notShown } }];
    },
  };
}
