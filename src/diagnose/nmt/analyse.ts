/**
 * NMT figures against the Flink memory budget of the process that produced them.
 *
 * Each NMT category draws on one part of Flink's model:
 *   Java Heap                      -> JVM heap (framework + task heap; -Xmx)
 *   Class, Metaspace               -> JVM metaspace (-XX:MaxMetaspaceSize)
 *   Other (JDK 9+) / Internal (8)  -> JVM direct memory (framework + task off-heap + network;
 *                                     -XX:MaxDirectMemorySize): NIO direct buffers and
 *                                     Unsafe.allocateMemory land here
 *   every other category           -> JVM overhead (thread stacks, code cache, GC, symbols, …)
 * Managed memory used by RocksDB is malloc'd by a native library NMT cannot see, so it only shows
 * as process RSS above NMT's total; given an RSS, that untracked part is checked against managed
 * memory plus whatever JVM overhead the tracked categories leave unused.
 *
 * Pure: no I/O, exact bigint bytes. NMT rounds each figure to its scale (± half a KB by default),
 * which `precisionBytes` states; comparisons use the figures as printed.
 */
import type { ProcessSpec } from '../../memory/spec.js';
import type { NmtCategory, NmtReservation, NmtSnapshot } from './parse.js';

export type NmtBudgetName = 'jvmHeap' | 'jvmMetaspace' | 'jvmDirect' | 'jvmOverhead' | 'untracked';

export interface NmtAnalyseOptions {
  /** Resident set size of the process when the snapshot was taken (e.g. VmRSS from /proc/<pid>/status). */
  readonly rssBytes?: bigint;
  /** An earlier snapshot of the same process; a `summary.diff` snapshot carries its own baseline. */
  readonly baseline?: NmtSnapshot;
  /** RSS when the baseline was taken: with `rssBytes`, gives the growth of untracked native memory. */
  readonly baselineRssBytes?: bigint;
  /**
   * How the job's managed memory is allocated. `native` (default): by RocksDB, outside NMT.
   * `unsafe`: by Flink's MemoryManager through Unsafe.allocateMemory (batch operators, Python),
   * which NMT files with direct memory.
   */
  readonly managedMemory?: 'native' | 'unsafe';
  /** Overrides the JDK line read from the text (decides where direct memory is filed). */
  readonly generation?: 'jdk8' | 'jdk9+';
}

export interface NmtCategoryUse {
  readonly category: string;
  readonly committedBytes: bigint;
  readonly reservedBytes: bigint;
  /** committed / NMT's total committed, 0..1 (4 decimals). */
  readonly share: number;
  readonly budgetName: NmtBudgetName;
  /** The whole budget this category draws on (shared with the other categories of that budget). */
  readonly budgetBytes: bigint;
  /** Whether that budget, all its categories together, is exceeded. */
  readonly over: boolean;
  /** Change of committed since the baseline, when there is one. */
  readonly growthBytes?: bigint;
}

export interface NmtBudgetUse {
  readonly budgetName: NmtBudgetName;
  /** For people: "direct memory budget (framework off-heap + task off-heap + network, -XX:MaxDirectMemorySize)". */
  readonly label: string;
  readonly budgetBytes: bigint;
  readonly committedBytes: bigint;
  readonly categories: readonly string[];
  readonly over: boolean;
  /** committed - budget when over, else 0. */
  readonly excessBytes: bigint;
  /** budget - committed when within, else 0. */
  readonly headroomBytes: bigint;
  /** committed / budget (4 decimals); Infinity for a zero budget holding something. */
  readonly share: number;
  /** The configuration options that size this budget, the ones a fix would change. */
  readonly options: readonly string[];
  readonly growthBytes?: bigint;
}

export type NmtFindingKind =
  /** A budget holds more than Flink gave it. */
  | 'over-budget'
  /** Growth since the baseline that leaves a budget exceeded: memory no budget explains (the seed's connector case). */
  | 'unexplained-growth'
  /** Growth since the baseline of at least a tenth of the budget, still within it. */
  | 'native-growth'
  /** More native memory outside NMT than managed memory covers, still within what JVM overhead leaves. */
  | 'untracked-native'
  /** The whole process holds more than its configured total process memory. */
  | 'process-over-budget'
  /** NMT's heap reservation is not the -Xmx the configuration gives: the snapshot is from a process started otherwise. */
  | 'heap-size-mismatch';

export interface NmtFinding {
  readonly kind: NmtFindingKind;
  readonly severity: 'critical' | 'warning';
  /** One line for people. */
  readonly summary: string;
  readonly budgetName?: NmtBudgetName;
  readonly categories: readonly string[];
  /** The figures the summary states, in bytes. */
  readonly figures: Readonly<Record<string, bigint>>;
}

export interface NmtAnalysis {
  readonly file: string;
  readonly line: number;
  readonly pid?: number;
  readonly generation: 'jdk8' | 'jdk9+';
  /** The NMT category holding NIO direct memory on this JDK line. */
  readonly directCategory: 'Other' | 'Internal';
  readonly totalCommittedBytes: bigint;
  readonly totalReservedBytes: bigint;
  /** Flink's total process memory: what a container limit is set to. */
  readonly processBudgetBytes: bigint;
  readonly rssBytes?: bigint;
  /** RSS minus NMT's total committed (0 when RSS is below it). */
  readonly untrackedBytes?: bigint;
  /** How much of NMT's committed memory is not resident, when RSS is below the total committed. */
  readonly nonResidentCommittedBytes?: bigint;
  readonly categories: readonly NmtCategoryUse[];
  readonly budgets: readonly NmtBudgetUse[];
  /** Critical first, then by size. */
  readonly findings: readonly NmtFinding[];
  /** Each NMT figure is exact to ± this many bytes (half the scale unit). */
  readonly precisionBytes: bigint;
  /** Where the baseline came from, when growth was computed. */
  readonly baseline?: 'snapshot' | 'summary-diff';
  readonly notes: readonly string[];
}

/** Committed memory of each category and budget against `spec`, with what stands out. */
export function analyseNmt(snapshot: NmtSnapshot, spec: ProcessSpec, options: NmtAnalyseOptions = {}): NmtAnalysis {
  const notes: string[] = [];
  const generation = options.generation ?? (snapshot.generation === 'jdk8' ? 'jdk8' : 'jdk9+');
  if (options.generation === undefined && snapshot.generation === 'unknown') {
    notes.push(
      `the ${snapshot.scale}-scaled report omits the small categories that tell JDK 8 from 9+; read as JDK 9+ (direct memory under "Other"), as Flink 2.x needs Java 11 or later`,
    );
  }
  const directCategory = generation === 'jdk8' ? 'Internal' : 'Other';
  const stack = snapshot.categories.find((c) => c.name === 'Thread')?.stack;
  if (generation === 'jdk8' && stack !== undefined && stack.committedBytes > 0n && stack.committedBytes === stack.reservedBytes) {
    notes.push(
      `JDK 8's NMT counts thread stacks as committed in full (JDK-8191369): ${s(stack.committedBytes)} here, of which only the touched pages are resident, so JVM overhead reads high`,
    );
  }
  const managedUnsafe = options.managedMemory === 'unsafe';
  const sizes = budgetSizes(spec, managedUnsafe);

  const baselineSource = options.baseline !== undefined ? 'snapshot' : snapshot.kind === 'diff' ? 'summary-diff' : undefined;
  const baseline = options.baseline ?? (snapshot.kind === 'diff' ? nmtBaselineOf(snapshot) : undefined);
  const baseCommitted = new Map(baseline?.categories.map((c) => [c.name, c.committedBytes]) ?? []);
  const growthOf = (c: NmtCategory): bigint | undefined => (baseline === undefined ? undefined : c.committedBytes - (baseCommitted.get(c.name) ?? 0n));

  const budgetOf = (name: string): NmtBudgetName =>
    name === 'Java Heap' ? 'jvmHeap' : name === 'Class' || name === 'Metaspace' ? 'jvmMetaspace' : name === directCategory ? 'jvmDirect' : 'jvmOverhead';

  const tracked: Exclude<NmtBudgetName, 'untracked'>[] = ['jvmHeap', 'jvmMetaspace', 'jvmDirect', 'jvmOverhead'];
  const budgets = new Map<NmtBudgetName, NmtBudgetUse>();
  for (const name of tracked) {
    const members = snapshot.categories.filter((c) => budgetOf(c.name) === name);
    const committed = members.reduce((s, c) => s + c.committedBytes, 0n);
    const growth = baseline === undefined ? undefined : members.reduce((s, c) => s + (growthOf(c) ?? 0n), 0n) - goneFrom(baseline, members, budgetOf, name);
    budgets.set(name, budgetUse(sizes, name, sizes[name], committed, members.map((c) => c.name), growth));
  }

  const total = snapshot.total.committedBytes;
  let untrackedBytes: bigint | undefined;
  let nonResident: bigint | undefined;
  if (options.rssBytes !== undefined) {
    const gap = options.rssBytes - total;
    untrackedBytes = gap > 0n ? gap : 0n;
    if (gap < 0n) {
      nonResident = -gap;
      notes.push(
        `RSS ${s(options.rssBytes)} is below NMT's committed ${s(total)}: ${s(-gap)} of committed memory is not resident yet (untouched heap or reservations), so untracked native memory cannot be told from this snapshot alone`,
      );
    }
    const overhead = budgets.get('jvmOverhead')!;
    const untrackedBudget = sizes.untrackedManaged + overhead.headroomBytes;
    let growth: bigint | undefined;
    if (baseline !== undefined && options.baselineRssBytes !== undefined) {
      growth = options.rssBytes - total - (options.baselineRssBytes - baseline.total.committedBytes);
    }
    budgets.set('untracked', budgetUse(sizes, 'untracked', untrackedBudget, untrackedBytes, [], growth));
  }

  const categories: NmtCategoryUse[] = snapshot.categories.map((c) => {
    const budget = budgets.get(budgetOf(c.name))!;
    const growth = growthOf(c);
    return {
      category: c.name,
      committedBytes: c.committedBytes,
      reservedBytes: c.reservedBytes,
      share: ratio(c.committedBytes, total),
      budgetName: budget.budgetName,
      budgetBytes: budget.budgetBytes,
      over: budget.over,
      ...(growth !== undefined ? { growthBytes: growth } : {}),
    };
  });

  const findings: NmtFinding[] = [];
  const context: FindingContext = { snapshot, sizes, directCategory, managedUnsafe, baseline };
  for (const b of budgets.values()) findings.push(...budgetFindings(b, context));
  findings.push(...untrackedFindings(budgets.get('untracked'), context));
  findings.push(...processFindings(total, options.rssBytes, context));
  findings.push(...heapFindings(snapshot, sizes.jvmHeap));
  findings.sort((a, b) => severityRank(a) - severityRank(b) || compareBig(sizeOf(b), sizeOf(a)));

  return {
    file: snapshot.file,
    line: snapshot.line,
    ...(snapshot.pid !== undefined ? { pid: snapshot.pid } : {}),
    generation,
    directCategory,
    totalCommittedBytes: total,
    totalReservedBytes: snapshot.total.reservedBytes,
    processBudgetBytes: sizes.process,
    ...(options.rssBytes !== undefined ? { rssBytes: options.rssBytes } : {}),
    ...(untrackedBytes !== undefined ? { untrackedBytes } : {}),
    ...(nonResident !== undefined ? { nonResidentCommittedBytes: nonResident } : {}),
    categories,
    budgets: [...budgets.values()],
    findings,
    precisionBytes: snapshot.scaleBytes / 2n,
    ...(baselineSource !== undefined ? { baseline: baselineSource } : {}),
    notes,
  };
}

export interface NmtCategoryDiff {
  readonly category: string;
  readonly beforeCommittedBytes: bigint;
  readonly afterCommittedBytes: bigint;
  readonly committedDeltaBytes: bigint;
  readonly reservedDeltaBytes: bigint;
  /** Change of the category's malloc'd bytes (0 when neither snapshot prints one). */
  readonly mallocDeltaBytes: bigint;
  /** Thread category: change of the thread count. */
  readonly threadsDelta?: number;
  /** Class category: change of the loaded class count. */
  readonly classesDelta?: number;
}

export interface NmtDiff {
  readonly committedDeltaBytes: bigint;
  readonly reservedDeltaBytes: bigint;
  /** Every category of either snapshot, in the order of `after` then those only in `before`. */
  readonly categories: readonly NmtCategoryDiff[];
  /** Both snapshots name a pid and they differ: the figures belong to two processes. */
  readonly differentProcess: boolean;
}

/** What changed from `before` to `after`, category by category (a category missing from one counts as 0 there). */
export function nmtDiff(before: NmtSnapshot, after: NmtSnapshot): NmtDiff {
  const earlier = new Map(before.categories.map((c) => [c.name, c]));
  const names = [...after.categories.map((c) => c.name), ...before.categories.map((c) => c.name).filter((n) => !after.categories.some((c) => c.name === n))];
  const later = new Map(after.categories.map((c) => [c.name, c]));
  const categories = names.map((name): NmtCategoryDiff => {
    const a = earlier.get(name);
    const b = later.get(name);
    const threads = b?.threads !== undefined || a?.threads !== undefined ? (b?.threads?.count ?? 0) - (a?.threads?.count ?? 0) : undefined;
    const classes = b?.classes !== undefined || a?.classes !== undefined ? (b?.classes?.count ?? 0) - (a?.classes?.count ?? 0) : undefined;
    return {
      category: name,
      beforeCommittedBytes: a?.committedBytes ?? 0n,
      afterCommittedBytes: b?.committedBytes ?? 0n,
      committedDeltaBytes: (b?.committedBytes ?? 0n) - (a?.committedBytes ?? 0n),
      reservedDeltaBytes: (b?.reservedBytes ?? 0n) - (a?.reservedBytes ?? 0n),
      mallocDeltaBytes: (b?.malloc?.bytes ?? 0n) - (a?.malloc?.bytes ?? 0n),
      ...(threads !== undefined ? { threadsDelta: threads } : {}),
      ...(classes !== undefined ? { classesDelta: classes } : {}),
    };
  });
  return {
    committedDeltaBytes: after.total.committedBytes - before.total.committedBytes,
    reservedDeltaBytes: after.total.reservedBytes - before.total.reservedBytes,
    categories,
    differentProcess: before.pid !== undefined && after.pid !== undefined && before.pid !== after.pid,
  };
}

/**
 * The baseline a `summary.diff` was taken against: every figure minus its printed change. A
 * category that shrank to nothing is printed with its change, so it comes back too.
 */
export function nmtBaselineOf(diff: NmtSnapshot): NmtSnapshot {
  const back = <R extends NmtReservation>(r: R): NmtReservation => ({
    reservedBytes: r.reservedBytes - r.reservedDeltaBytes,
    committedBytes: r.committedBytes - r.committedDeltaBytes,
    reservedDeltaBytes: 0n,
    committedDeltaBytes: 0n,
  });
  // The diff's wall-clock time is when it was taken, not when the baseline was.
  const { epochMs: _diffTime, ...current } = diff;
  return {
    ...current,
    kind: 'summary',
    total: { ...back(diff.total), line: diff.total.line, text: diff.total.text },
    categories: diff.categories.map((c) => {
      const { malloc, mmap, arena, stack, threads, classes, ...rest } = c;
      return {
        ...rest,
        ...back(c),
        ...(malloc !== undefined ? { malloc: { bytes: malloc.bytes - malloc.deltaBytes, deltaBytes: 0n, ...countBack(malloc.count, malloc.countDelta) } } : {}),
        ...(arena !== undefined ? { arena: { bytes: arena.bytes - arena.deltaBytes, deltaBytes: 0n, ...countBack(arena.count, arena.countDelta) } } : {}),
        ...(mmap !== undefined ? { mmap: back(mmap) } : {}),
        ...(stack !== undefined ? { stack: back(stack) } : {}),
        ...(threads !== undefined ? { threads: { count: threads.count - threads.delta, delta: 0 } } : {}),
        ...(classes !== undefined ? { classes: { count: classes.count - classes.delta, delta: 0 } } : {}),
      };
    }),
  };
}

function countBack(count: number | undefined, delta: number | undefined): { count?: number; countDelta?: number } {
  return count === undefined ? {} : { count: count - (delta ?? 0), countDelta: 0 };
}

interface BudgetSizes {
  readonly jvmHeap: bigint;
  readonly jvmMetaspace: bigint;
  readonly jvmDirect: bigint;
  readonly jvmOverhead: bigint;
  /** Managed memory NMT cannot see (RocksDB); 0 when Flink allocates it through Unsafe. */
  readonly untrackedManaged: bigint;
  readonly managed: bigint;
  readonly process: bigint;
  readonly labels: Readonly<Record<NmtBudgetName, string>>;
  readonly options: Readonly<Record<NmtBudgetName, readonly string[]>>;
}

function budgetSizes(spec: ProcessSpec, managedUnsafe: boolean): BudgetSizes {
  if (spec.process === 'taskmanager') {
    const m = spec.memory;
    const managed = m.managed.bytes;
    return {
      jvmHeap: m.jvmHeap.bytes,
      jvmMetaspace: m.jvmMetaspace.bytes,
      jvmDirect: m.jvmDirect.bytes + (managedUnsafe ? managed : 0n),
      jvmOverhead: m.jvmOverhead.bytes,
      untrackedManaged: managedUnsafe ? 0n : managed,
      managed,
      process: m.totalProcessMemory.bytes,
      labels: {
        jvmHeap: 'JVM heap budget (framework heap + task heap, -Xmx)',
        jvmMetaspace: 'JVM metaspace budget (-XX:MaxMetaspaceSize)',
        jvmDirect: managedUnsafe
          ? 'direct memory budget (framework off-heap + task off-heap + network + managed)'
          : 'direct memory budget (framework off-heap + task off-heap + network, -XX:MaxDirectMemorySize)',
        jvmOverhead: 'JVM overhead budget',
        untracked: managedUnsafe
          ? 'budget for native memory outside NMT (JVM overhead left unused)'
          : 'budget for native memory outside NMT (managed memory + JVM overhead left unused)',
      },
      options: {
        jvmHeap: ['taskmanager.memory.task.heap.size', 'taskmanager.memory.framework.heap.size'],
        jvmMetaspace: ['taskmanager.memory.jvm-metaspace.size'],
        jvmDirect: ['taskmanager.memory.task.off-heap.size', 'taskmanager.memory.framework.off-heap.size'],
        jvmOverhead: ['taskmanager.memory.jvm-overhead.min', 'taskmanager.memory.jvm-overhead.max', 'taskmanager.memory.jvm-overhead.fraction'],
        untracked: ['taskmanager.memory.managed.size', 'taskmanager.memory.managed.fraction', 'taskmanager.memory.jvm-overhead.max'],
      },
    };
  }
  const m = spec.memory;
  return {
    jvmHeap: m.jvmHeap.bytes,
    jvmMetaspace: m.jvmMetaspace.bytes,
    jvmDirect: m.offHeap.bytes,
    jvmOverhead: m.jvmOverhead.bytes,
    untrackedManaged: 0n,
    managed: 0n,
    process: m.totalProcessMemory.bytes,
    labels: {
      jvmHeap: 'JVM heap budget (-Xmx)',
      jvmMetaspace: 'JVM metaspace budget (-XX:MaxMetaspaceSize)',
      jvmDirect: 'off-heap memory budget (-XX:MaxDirectMemorySize)',
      jvmOverhead: 'JVM overhead budget',
      untracked: 'budget for native memory outside NMT (JVM overhead left unused)',
    },
    options: {
      jvmHeap: ['jobmanager.memory.heap.size'],
      jvmMetaspace: ['jobmanager.memory.jvm-metaspace.size'],
      jvmDirect: ['jobmanager.memory.off-heap.size'],
      jvmOverhead: ['jobmanager.memory.jvm-overhead.min', 'jobmanager.memory.jvm-overhead.max', 'jobmanager.memory.jvm-overhead.fraction'],
      untracked: ['jobmanager.memory.jvm-overhead.max'],
    },
  };
}

function budgetUse(
  sizes: BudgetSizes,
  name: NmtBudgetName,
  budget: bigint,
  committed: bigint,
  categories: string[],
  growth: bigint | undefined,
): NmtBudgetUse {
  return {
    budgetName: name,
    label: sizes.labels[name],
    budgetBytes: budget,
    committedBytes: committed,
    categories,
    over: committed > budget,
    excessBytes: committed > budget ? committed - budget : 0n,
    headroomBytes: committed > budget ? 0n : budget - committed,
    share: budget === 0n ? (committed === 0n ? 0 : Number.POSITIVE_INFINITY) : ratio(committed, budget),
    options: sizes.options[name],
    ...(growth !== undefined ? { growthBytes: growth } : {}),
  };
}

/** Committed bytes of this budget's categories that the baseline had and the snapshot no longer prints. */
function goneFrom(baseline: NmtSnapshot, members: readonly NmtCategory[], budgetOf: (n: string) => NmtBudgetName, name: NmtBudgetName): bigint {
  return baseline.categories
    .filter((c) => budgetOf(c.name) === name && !members.some((m) => m.name === c.name))
    .reduce((s, c) => s + c.committedBytes, 0n);
}

interface FindingContext {
  readonly snapshot: NmtSnapshot;
  readonly sizes: BudgetSizes;
  readonly directCategory: 'Other' | 'Internal';
  readonly managedUnsafe: boolean;
  readonly baseline: NmtSnapshot | undefined;
}

/** Sizes for people: whole units when exact ("32mb"), else two decimals of the largest unit ("270.66mb"). */
function s(bytes: bigint): string {
  const negative = bytes < 0n;
  const abs = negative ? -bytes : bytes;
  const units: [bigint, string][] = [[1024n ** 3n, 'gb'], [1024n ** 2n, 'mb'], [1024n, 'kb']];
  const sign = negative ? '-' : '';
  for (const [size, name] of units) {
    if (abs < size) continue;
    if (abs % size === 0n) return `${sign}${abs / size}${name}`;
    // Display only: two decimals of a bigint quotient, exact to the rounding shown.
    const hundredths = (abs * 100n + size / 2n) / size;
    return `${sign}${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}${name}`;
  }
  return `${sign}${abs}b`;
}

function budgetFindings(b: NmtBudgetUse, ctx: FindingContext): NmtFinding[] {
  // Untracked memory above managed memory but within the budget has its own finding.
  if (b.budgetName === 'untracked' && !b.over && b.committedBytes > ctx.sizes.untrackedManaged) return [];
  const growth = b.growthBytes ?? 0n;
  // A tenth of a budget between two snapshots is far above NMT's rounding and, repeated, a leak.
  const significant = ctx.baseline !== undefined && growth > 0n && growth * 10n >= b.budgetBytes;
  const grown = growingCategories(b, ctx);
  const grownText = b.budgetName === 'untracked' ? 'native memory outside NMT' : namesOf(grown);
  if (b.over) {
    // Growth explains nothing when the budget was already exceeded before it and the growth is small.
    const crossed = ctx.baseline !== undefined && growth > 0n && b.committedBytes - growth <= b.budgetBytes;
    const grew = significant || crossed;
    const severity = b.budgetName === 'jvmHeap' || b.budgetName === 'jvmMetaspace' ? 'warning' : 'critical';
    const holders = b.budgetName === 'untracked' ? ['native memory outside NMT'] : largestFirst(b, ctx);
    const summary = grew
      ? `${grownText} grew by ${s(growth)} to ${s(b.committedBytes)} since the baseline, ${s(b.excessBytes)} beyond the ${s(b.budgetBytes)} ${b.label}${growthDetail(b, ctx)}: ${why(b, ctx)}`
      : `${namesOf(holders)} ${holders.length === 1 ? 'holds' : 'hold'} ${s(b.committedBytes)}, ${s(b.excessBytes)} beyond the ${s(b.budgetBytes)} ${b.label}: ${why(b, ctx)}`;
    return [
      {
        kind: grew ? 'unexplained-growth' : 'over-budget',
        severity,
        summary,
        budgetName: b.budgetName,
        categories: grew ? grown : b.categories,
        figures: {
          committedBytes: b.committedBytes,
          budgetBytes: b.budgetBytes,
          excessBytes: b.excessBytes,
          ...(b.growthBytes !== undefined ? { growthBytes: b.growthBytes } : {}),
        },
      },
    ];
  }
  if (significant && b.budgetName !== 'jvmHeap') {
    return [
      {
        kind: 'native-growth',
        severity: 'warning',
        summary: `${grownText} grew by ${s(growth)} since the baseline to ${s(b.committedBytes)}, ${ratioText(b.committedBytes, b.budgetBytes)} of the ${s(b.budgetBytes)} ${b.label}, ${s(b.headroomBytes)} left${growthDetail(b, ctx)}`,
        budgetName: b.budgetName,
        categories: grown,
        figures: { committedBytes: b.committedBytes, budgetBytes: b.budgetBytes, growthBytes: growth, headroomBytes: b.headroomBytes },
      },
    ];
  }
  return [];
}

/** "Other", "GC + Code", "GC + Code + Thread and 11 more categories". */
function namesOf(names: readonly string[]): string {
  if (names.length <= 3) return names.join(' + ');
  return `${names.slice(0, 3).join(' + ')} and ${names.length - 3} more categories`;
}

/** The categories of a budget, largest committed first. */
function largestFirst(b: NmtBudgetUse, ctx: FindingContext): string[] {
  return ctx.snapshot.categories
    .filter((c) => b.categories.includes(c.name))
    .sort((x, y) => compareBig(y.committedBytes, x.committedBytes))
    .map((c) => c.name);
}

/** The categories of a budget that grew since the baseline, largest growth first. */
function growingCategories(b: NmtBudgetUse, ctx: FindingContext): string[] {
  if (ctx.baseline === undefined) return [];
  const before = new Map(ctx.baseline.categories.map((c) => [c.name, c.committedBytes]));
  return ctx.snapshot.categories
    .filter((c) => b.categories.includes(c.name))
    .map((c) => ({ name: c.name, growth: c.committedBytes - (before.get(c.name) ?? 0n) }))
    .filter((c) => c.growth > 0n)
    .sort((x, y) => compareBig(y.growth, x.growth))
    .map((c) => c.name);
}

function growthDetail(b: NmtBudgetUse, ctx: FindingContext): string {
  if (ctx.baseline === undefined) return '';
  const find = (snap: NmtSnapshot, name: string): NmtCategory | undefined => snap.categories.find((c) => c.name === name);
  if (b.budgetName === 'jvmMetaspace') {
    const now = find(ctx.snapshot, 'Class')?.classes?.count;
    const then = find(ctx.baseline, 'Class')?.classes?.count;
    if (now !== undefined && then !== undefined && now !== then) return `; ${now - then > 0 ? '+' : ''}${now - then} classes: a class loader leak if it keeps growing`;
  }
  if (b.budgetName === 'jvmOverhead') {
    const now = find(ctx.snapshot, 'Thread')?.threads?.count;
    const then = find(ctx.baseline, 'Thread')?.threads?.count;
    if (now !== undefined && then !== undefined && now !== then) return `; ${now - then > 0 ? '+' : ''}${now - then} threads`;
  }
  return '';
}

function why(b: NmtBudgetUse, ctx: FindingContext): string {
  switch (b.budgetName) {
    case 'jvmHeap':
      return 'the JVM caps the heap at -Xmx, so this process was started with a larger heap than this configuration gives';
    case 'jvmMetaspace':
      return 'the JVM caps metaspace at -XX:MaxMetaspaceSize; the rest is class-loading malloc, or the process was started with other flags';
    case 'jvmDirect': {
      const managedHint =
        !ctx.managedUnsafe && ctx.sizes.managed > 0n && b.excessBytes <= ctx.sizes.managed
          ? ` (if this job's managed memory is allocated by Flink for batch operators or Python rather than by RocksDB, up to ${s(ctx.sizes.managed)} of it lands here too)`
          : '';
      const rest =
        ctx.directCategory === 'Internal'
          ? 'Unsafe.allocateMemory by a library or connector, or the JVM\'s own internal allocations, which JDK 8 files under "Internal" too'
          : 'Unsafe.allocateMemory or JNI malloc filed under "Other" by a library or connector that no JVM limit holds';
      return `-XX:MaxDirectMemorySize stops ByteBuffer.allocateDirect at ${s(ctx.sizes.jvmDirect)}, so the rest is ${rest}${managedHint}`;
    }
    case 'jvmOverhead':
      return 'no JVM flag caps these (thread stacks, code cache, GC structures, symbols, …): raise JVM overhead or find the category that grows';
    case 'untracked':
      return ctx.managedUnsafe || ctx.sizes.untrackedManaged === 0n
        ? 'native libraries (JNI malloc, glibc arenas) use more than JVM overhead leaves'
        : "RocksDB or other native libraries use more than managed memory and JVM overhead's unused part together";
  }
}

function untrackedFindings(b: NmtBudgetUse | undefined, ctx: FindingContext): NmtFinding[] {
  if (b === undefined || b.over || ctx.sizes.untrackedManaged === 0n) return [];
  const managed = ctx.sizes.untrackedManaged;
  if (b.committedBytes <= managed) return [];
  return [
    {
      kind: 'untracked-native',
      severity: 'warning',
      summary:
        `${s(b.committedBytes)} of the process is native memory NMT does not track, ${s(b.committedBytes - managed)} more than managed memory's ${s(managed)}: ` +
        `RocksDB or another native library reaches into JVM overhead (${s(b.budgetBytes - b.committedBytes)} left)` +
        (b.growthBytes !== undefined && b.growthBytes > 0n ? `; it grew by ${s(b.growthBytes)} since the baseline` : ''),
      budgetName: 'untracked',
      categories: [],
      figures: { untrackedBytes: b.committedBytes, managedBytes: managed, budgetBytes: b.budgetBytes, ...(b.growthBytes !== undefined ? { growthBytes: b.growthBytes } : {}) },
    },
  ];
}

function processFindings(total: bigint, rss: bigint | undefined, ctx: FindingContext): NmtFinding[] {
  const limit = ctx.sizes.process;
  if (rss !== undefined) {
    if (rss <= limit) return [];
    return [
      {
        kind: 'process-over-budget',
        severity: 'critical',
        summary: `the process is resident at ${s(rss)}, ${s(rss - limit)} above its ${s(limit)} total process memory: a container sized to it gets killed (OOMKilled, exit 137)`,
        categories: [],
        figures: { rssBytes: rss, processBytes: limit, excessBytes: rss - limit },
      },
    ];
  }
  const expected = total + ctx.sizes.untrackedManaged;
  if (expected <= limit) return [];
  return [
    {
      kind: 'process-over-budget',
      severity: 'critical',
      summary:
        ctx.sizes.untrackedManaged > 0n
          ? `NMT's committed ${s(total)} plus the ${s(ctx.sizes.untrackedManaged)} of managed memory RocksDB fills outside NMT come to ${s(expected)}, ${s(expected - limit)} above the ${s(limit)} total process memory`
          : `NMT's committed ${s(total)} is ${s(expected - limit)} above the ${s(limit)} total process memory`,
      categories: [],
      figures: { committedBytes: total, managedBytes: ctx.sizes.untrackedManaged, processBytes: limit, excessBytes: expected - limit },
    },
  ];
}

// HotSpot rounds the heap reservation up to its alignment: the G1 region size (at most 32 MiB on
// JDK 17 for heaps up to 32 GiB; larger heaps get larger regions) or the card/page alignment of
// the other collectors.
const HEAP_ALIGNMENT_SLACK = 32n * 1024n * 1024n;

function heapFindings(snapshot: NmtSnapshot, xmx: bigint): NmtFinding[] {
  const heap = snapshot.categories.find((c) => c.name === 'Java Heap');
  if (heap === undefined) return [];
  const reserved = heap.reservedBytes;
  const half = snapshot.scaleBytes / 2n;
  const slack = xmx / 1024n > HEAP_ALIGNMENT_SLACK ? xmx / 1024n : HEAP_ALIGNMENT_SLACK;
  if (reserved + half >= xmx && reserved - half <= xmx + slack) return [];
  return [
    {
      kind: 'heap-size-mismatch',
      severity: 'warning',
      summary: `NMT's Java Heap is reserved at ${s(reserved)}, but this configuration gives -Xmx ${s(xmx)}: the snapshot comes from a process started with other memory settings`,
      budgetName: 'jvmHeap',
      categories: ['Java Heap'],
      figures: { heapReservedBytes: reserved, jvmHeapBytes: xmx },
    },
  ];
}

function ratio(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Number((part * 10000n) / whole) / 10000;
}

function ratioText(part: bigint, whole: bigint): string {
  return whole === 0n ? 'all' : `${Number((part * 1000n) / whole) / 10}%`;
}

function severityRank(f: NmtFinding): number {
  return f.severity === 'critical' ? 0 : 1;
}

function sizeOf(f: NmtFinding): bigint {
  return f.figures['excessBytes'] ?? f.figures['growthBytes'] ?? 0n;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
