/**
 * HotSpot flags that a JVM of a Java release Flink runs on refuses to start with, and the Java
 * releases each Flink line runs on. Data only; `checkRemovedJvmFlags` (jvm-options.ts) uses it.
 *
 * A removed -XX flag goes through HotSpot's `special_jvm_flags` table (runtime/arguments.cpp):
 * "obsolete" releases still start and print `Ignoring option X; support was removed in N`,
 * "expired" releases print `Unrecognized VM option 'X'` and `Error: Could not create the Java
 * Virtual Machine.` and exit with 1. Some flags skipped the obsolete stage (the GC logging flags
 * that JDK 9 replaced with -Xlog). So `refusedFrom` (first release that will not start) is what
 * matters, not the release that took the function away (`removedIn`).
 *
 * Evidence: every flag with `refusedFrom <= 17` was run as `java <example> -version` on OpenJDK
 * 17.0.15 and refused (test/fixtures/lint/jvm-flags/openjdk17.txt, recorded by record.sh beside
 * it); `java17` is the first stderr line it printed. Java 11 and 21 are not on that machine: their
 * behaviour comes from the `special_jvm_flags` tables of openjdk/jdk11u, jdk14u, jdk17u and jdk21u
 * (an expired flag never returns, so whatever 17 refuses, 21 refuses), and from JEP 271 /
 * JDK-8145092 for the GC logging flags (removed in 9 without an obsolete stage; JDK 11's table does
 * not list them). temurin25.txt (Java 25) shows the post-17 expiries (UseBiasedLocking) happening.
 */

/**
 * The Java releases each Flink line runs on, from Flink's "Java compatibility" page: Java 8
 * (deprecated since 1.15) and 11 on every 1.x line, Java 17 from 1.18 (FLINK-15736), and on 2.x
 * Java 11, 17 (the default, and the Java of Flink's images) and 21 (experimental, FLINK-33163).
 */
export const FLINK_JAVA_VERSIONS: Readonly<Record<string, readonly number[]>> = {
  '1.16': [8, 11],
  '1.17': [8, 11],
  '1.18': [8, 11, 17],
  '1.19': [8, 11, 17],
  '1.20': [8, 11, 17],
  '2.x': [11, 17, 21],
};

/** Java releases lint knows the behaviour of: those of every line above. */
export const KNOWN_JAVA_VERSIONS: readonly number[] = [8, 11, 17, 21];

export function javaVersionsOfLine(line: string): readonly number[] {
  return FLINK_JAVA_VERSIONS[line] ?? (line.startsWith('1.') ? [8, 11, 17] : [11, 17, 21]);
}

/**
 * What OpenJDK 17.0.15 printed to stderr after `Unrecognized VM option '...'` (the end of the next
 * line: for a near name the JVM puts `Did you mean '(+/-)UseParallelGC'? ` before it).
 */
export const JVM_REFUSAL_FOLLOW_UP = 'Error: Could not create the Java Virtual Machine.';

/** What to write instead of a removed flag. */
export interface JvmFlagReplacement {
  /** The option(s) to write. */
  readonly text: string;
  /** The first Java release that accepts `text` (-Xlog: 9). */
  readonly since: number;
  /** A caveat that goes with it. */
  readonly note?: string;
}

export interface RemovedJvmFlag {
  /** HotSpot's name, as in -XX:+Name, -XX:-Name or -XX:Name=value. */
  readonly name: string;
  /** The spelling recorded on the real JVM (openjdk17.txt). */
  readonly example: string;
  /** The JDK release that took the function away. */
  readonly removedIn: number;
  /** The first JDK release that refuses to start with the flag. */
  readonly refusedFrom: number;
  /** What happened to it, for the message. */
  readonly removal: string;
  /** The first stderr line of `java <example> -version` on OpenJDK 17.0.15; null when 17 starts. */
  readonly java17: string | null;
  readonly replacement: JvmFlagReplacement | null;
  /**
   * Added to "remove <flag>" when there is no replacement; `{process}` stands for the processes
   * that read the option (`taskmanager`, `jobmanager`).
   */
  readonly advice?: string;
}

const GC_LOG = {
  removedIn: 9,
  refusedFrom: 9,
  removal: 'the Java 8 GC logging flags were removed in JDK 9, when GC logging moved to unified logging, -Xlog (JEP 158, JEP 271)',
} as const;

/** -Xlog into the log directory of Flink's images, with time stamps and rotation. */
export const XLOG_GC_FILE = '-Xlog:gc*:file=/opt/flink/log/gc.log:time,uptime:filecount=10,filesize=10M';
const XLOG_GC_FILE_NOTE = 'the directory must exist, or the JVM does not start either; /opt/flink/log is the log directory of Flink\'s images';

function xlog(text: string, note?: string): JvmFlagReplacement {
  return note === undefined ? { text, since: 9 } : { text, since: 9, note };
}

function gcLog(name: string, example: string, replacement: JvmFlagReplacement | null, advice?: string): RemovedJvmFlag {
  return { name, example, ...GC_LOG, java17: `Unrecognized VM option '${example.replace(/^-XX:[+-]?/, '')}'`, replacement, ...(advice === undefined ? {} : { advice }) };
}

const CMS = {
  removedIn: 14,
  // JDK 14's table: obsolete in 14, expired in 15. JDK 11 still has CMS (deprecated since 9).
  refusedFrom: 15,
  removal: 'the CMS collector was removed in JDK 14 (JEP 363)',
} as const;

function cms(name: string, example: string, replacement: JvmFlagReplacement | null, advice?: string): RemovedJvmFlag {
  return { name, example, ...CMS, java17: `Unrecognized VM option '${example.replace(/^-XX:[+-]?/, '')}'`, replacement, ...(advice === undefined ? {} : { advice }) };
}

const G1: JvmFlagReplacement = { text: '-XX:+UseG1GC', since: 8 };

export const REMOVED_JVM_FLAGS: readonly RemovedJvmFlag[] = [
  gcLog('PrintGCDateStamps', '-XX:+PrintGCDateStamps', xlog(XLOG_GC_FILE, XLOG_GC_FILE_NOTE)),
  gcLog('PrintGCTimeStamps', '-XX:+PrintGCTimeStamps', xlog(XLOG_GC_FILE, XLOG_GC_FILE_NOTE)),
  gcLog('UseGCLogFileRotation', '-XX:+UseGCLogFileRotation', xlog(XLOG_GC_FILE, XLOG_GC_FILE_NOTE)),
  gcLog('NumberOfGCLogFiles', '-XX:NumberOfGCLogFiles=5', xlog(XLOG_GC_FILE, XLOG_GC_FILE_NOTE)),
  gcLog('GCLogFileSize', '-XX:GCLogFileSize=10M', xlog(XLOG_GC_FILE, XLOG_GC_FILE_NOTE)),
  gcLog('PrintGCApplicationStoppedTime', '-XX:+PrintGCApplicationStoppedTime', xlog('-Xlog:safepoint')),
  gcLog('PrintGCApplicationConcurrentTime', '-XX:+PrintGCApplicationConcurrentTime', xlog('-Xlog:safepoint')),
  gcLog('PrintTenuringDistribution', '-XX:+PrintTenuringDistribution', xlog('-Xlog:gc+age*=debug')),
  gcLog('PrintHeapAtGC', '-XX:+PrintHeapAtGC', xlog('-Xlog:gc+heap=trace')),
  gcLog('PrintAdaptiveSizePolicy', '-XX:+PrintAdaptiveSizePolicy', xlog('-Xlog:gc+ergo*=debug')),
  gcLog('PrintGCCause', '-XX:+PrintGCCause', null, 'unified GC logging (-Xlog:gc) always logs the cause'),
  gcLog('PrintReferenceGC', '-XX:+PrintReferenceGC', xlog('-Xlog:gc+ref*=debug')),
  // Not gc+stringdedup*: OpenJDK 17.0.15 warns "No tag set matches selection: gc+stringdedup*".
  gcLog('PrintStringDeduplicationStatistics', '-XX:+PrintStringDeduplicationStatistics', xlog('-Xlog:stringdedup*=debug')),

  cms('UseConcMarkSweepGC', '-XX:+UseConcMarkSweepGC', G1),
  cms('CMSInitiatingOccupancyFraction', '-XX:CMSInitiatingOccupancyFraction=70', null, 'it tunes CMS only; the nearest G1 setting is -XX:InitiatingHeapOccupancyPercent'),
  cms('UseCMSInitiatingOccupancyOnly', '-XX:+UseCMSInitiatingOccupancyOnly', null, 'it tunes CMS only'),
  cms('CMSParallelRemarkEnabled', '-XX:+CMSParallelRemarkEnabled', null, 'it tunes CMS only'),
  cms('CMSClassUnloadingEnabled', '-XX:+CMSClassUnloadingEnabled', null, 'it tunes CMS only; G1 unloads classes by itself'),
  cms('CMSScavengeBeforeRemark', '-XX:+CMSScavengeBeforeRemark', null, 'it tunes CMS only'),
  cms('CMSParallelInitialMarkEnabled', '-XX:+CMSParallelInitialMarkEnabled', null, 'it tunes CMS only'),
  cms('CMSConcurrentMTEnabled', '-XX:+CMSConcurrentMTEnabled', null, 'it tunes CMS only'),
  cms('CMSMaxAbortablePrecleanTime', '-XX:CMSMaxAbortablePrecleanTime=5000', null, 'it tunes CMS only'),

  {
    name: 'UseParNewGC',
    example: '-XX:+UseParNewGC',
    removedIn: 10,
    // JDK 9's table: deprecated in 9, expired in 10.
    refusedFrom: 10,
    removal: 'ParNew, the young collector of CMS, was deprecated in JDK 9 and removed in JDK 10',
    java17: "Unrecognized VM option 'UseParNewGC'",
    replacement: G1,
  },
  {
    name: 'UseCGroupMemoryLimitForHeap',
    example: '-XX:+UseCGroupMemoryLimitForHeap',
    removedIn: 11,
    // JDK 10's table: deprecated in 10, expired in 11. Java 8 (8u131+) has it as experimental.
    refusedFrom: 11,
    removal: 'UseCGroupMemoryLimitForHeap, experimental in Java 8, was deprecated in JDK 10 and removed in JDK 11',
    java17: "Unrecognized VM option 'UseCGroupMemoryLimitForHeap'",
    replacement: null,
    advice: 'the JVM reads the container limit itself (-XX:+UseContainerSupport, on by default since Java 10 and 8u191), and Flink passes -Xmx anyway',
  },
  {
    name: 'UseFastAccessorMethods',
    example: '-XX:+UseFastAccessorMethods',
    removedIn: 9,
    // JDK 9's table: obsolete in 9, expired in 10.
    refusedFrom: 10,
    removal: 'UseFastAccessorMethods was removed in JDK 9',
    java17: "Unrecognized VM option 'UseFastAccessorMethods'",
    replacement: null,
  },
  {
    name: 'UseSplitVerifier',
    example: '-XX:+UseSplitVerifier',
    removedIn: 8,
    // JDK 8's obsolete_jvm_flags: obsolete in 8, accepted until 9.
    refusedFrom: 9,
    removal: 'UseSplitVerifier was removed in JDK 8',
    java17: "Unrecognized VM option 'UseSplitVerifier'",
    replacement: null,
  },
  {
    name: 'AggressiveOpts',
    example: '-XX:+AggressiveOpts',
    removedIn: 12,
    // JDK 11's table: deprecated in 11, obsolete in 12, expired in 13.
    refusedFrom: 13,
    removal: 'AggressiveOpts was deprecated in JDK 11 and removed in JDK 12',
    java17: "Unrecognized VM option 'AggressiveOpts'",
    replacement: null,
  },
  {
    name: 'UseParallelOldGC',
    example: '-XX:+UseParallelOldGC',
    removedIn: 15,
    // JDK 14's table: deprecated in 14, obsolete in 15, expired in 16.
    refusedFrom: 16,
    removal: 'UseParallelOldGC was deprecated in JDK 14 and removed in JDK 15',
    java17: "Unrecognized VM option 'UseParallelOldGC'",
    replacement: { text: '-XX:+UseParallelGC', since: 8, note: 'it collects the old generation in parallel too' },
  },
  {
    name: 'PermSize',
    example: '-XX:PermSize=128m',
    removedIn: 8,
    // Obsolete since 8 with no expiry in JDK 11's and 14's tables (Java 8 and 11 print "Ignoring
    // option PermSize; support was removed in 8.0"); gone from JDK 17's table, refused by 17.0.15.
    refusedFrom: 17,
    removal: 'PermGen was removed in JDK 8 (metaspace replaced it)',
    java17: "Unrecognized VM option 'PermSize=128m'",
    replacement: null,
    advice: 'Flink sizes metaspace with {process}.memory.jvm-metaspace.size',
  },
  {
    name: 'MaxPermSize',
    example: '-XX:MaxPermSize=256m',
    removedIn: 8,
    refusedFrom: 17,
    removal: 'PermGen was removed in JDK 8 (metaspace replaced it)',
    java17: "Unrecognized VM option 'MaxPermSize=256m'",
    replacement: null,
    advice: 'Flink sizes metaspace with {process}.memory.jvm-metaspace.size',
  },
  {
    name: 'UseBiasedLocking',
    example: '-XX:+UseBiasedLocking',
    removedIn: 18,
    // JDK 17's table: deprecated in 15, obsolete in 18, expired in 19. 17.0.15 starts with a
    // deprecation warning; Java 25 refuses it (temurin25.txt).
    refusedFrom: 19,
    removal: 'biased locking was deprecated in JDK 15 (JEP 374) and removed in JDK 18',
    java17: null,
    replacement: null,
  },
];

const BY_NAME = new Map(REMOVED_JVM_FLAGS.map((f) => [f.name, f]));

export function removedJvmFlag(name: string): RemovedJvmFlag | undefined {
  return BY_NAME.get(name);
}
