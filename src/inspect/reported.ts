/**
 * What a TaskManager's `memoryConfiguration` means, version by version. Flink builds that body from
 * the TaskManager's Configuration (TaskExecutorMemoryConfiguration.create), not from the sizes the
 * process was started with, and some versions therefore report a configured bound or nothing where
 * the running size belongs:
 *
 * - 1.12.0 and 1.12.1: `jvmOverhead` is taskmanager.memory.jvm-overhead.max as configured (1 GiB by
 *   default), because the start scripts did not yet pin jvm-overhead.min/max (FLINK-21158, fixed in
 *   1.12.2 and 1.13.0). The running overhead is totalProcessMemory - total Flink memory - metaspace.
 * - 1.12.0 to 1.12.4 and 1.13.0 to 1.13.1: `totalFlinkMemory` and `totalProcessMemory` are the
 *   configured options, null where they were not set (FLINK-22683, fixed in 1.12.5, 1.13.2, 1.14.0).
 * - A local MiniCluster (local execution) reports task heap and task off-heap as MemorySize.MAX_VALUE
 *   (Long.MAX_VALUE bytes): no process memory model applies.
 *
 * These are reporting quirks, not a TaskManager that runs with another configuration.
 */
import { formatSize } from '../report/format.js';
import type { ReportedMemory } from './collect.js';
import { isUnlimited } from './json.js';
import type { ReportQuirkJson } from './result.js';

export interface ReportedVersion {
  readonly major: number;
  readonly minor: number;
  /** Undefined for "1.12-SNAPSHOT" and the like. */
  readonly patch: number | undefined;
  readonly text: string;
}

/** "1.12.0", "v1.10", "1.12-SNAPSHOT", "1.13.5-custom": major, minor and patch; undefined when not a version. */
export function parseReportedVersion(text: string | undefined): ReportedVersion | undefined {
  const m = text === undefined ? null : /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? undefined : Number(m[3]), text: text!.trim() };
}

/** The version is older than major.minor.patch (a version without patch counts as x.y.0, as a snapshot precedes its releases). */
export function olderThan(v: ReportedVersion | undefined, major: number, minor: number, patch = 0): boolean {
  if (v === undefined) return false;
  if (v.major !== major) return v.major < major;
  if (v.minor !== minor) return v.minor < minor;
  return (v.patch ?? 0) < patch;
}

/** Versions whose jvmOverhead is the configured jvm-overhead.max (FLINK-21158). */
export const overheadIsConfiguredMax = (v: ReportedVersion | undefined): boolean => v !== undefined && v.major === 1 && v.minor === 12 && olderThan(v, 1, 12, 2);

export interface NormalisedReport {
  /** The reported components with the quirks corrected; a component left to the model is absent. */
  readonly memory: ReportedMemory;
  readonly quirks: ReportQuirkJson[];
  /** A local MiniCluster: some size is unlimited, no process memory model applies. */
  readonly local: boolean;
}

const FLINK_PARTS = ['frameworkHeap', 'taskHeap', 'frameworkOffHeap', 'taskOffHeap', 'networkMemory', 'managedMemory'] as const;

const sized = (b: bigint): string => `${formatSize(b)} (${b})`;

/** memoryConfiguration as the TaskManager runs with it, and which of its fields were known quirks. */
export function normaliseReported(reported: ReportedMemory, version: ReportedVersion | undefined): NormalisedReport {
  if (Object.values(reported).some((v) => isUnlimited(v))) return { memory: reported, quirks: [], local: true };
  const memory: ReportedMemory = { ...reported };
  const quirks: ReportQuirkJson[] = [];
  const parts = FLINK_PARTS.map((p) => reported[p]);
  const flink = parts.every((p) => p !== undefined) ? parts.reduce<bigint>((s, p) => s + p!, 0n) : undefined;

  if (flink !== undefined && reported.totalFlinkMemory !== undefined && reported.totalFlinkMemory !== flink) {
    quirks.push({
      component: 'totalFlinkMemory',
      reported: reported.totalFlinkMemory.toString(),
      taken: flink.toString(),
      why: `totalFlinkMemory ${sized(reported.totalFlinkMemory)} is not the sum of the reported Flink components, ${sized(flink)}${olderThan(version, 1, 13, 2) ? ' (before 1.12.5 and 1.13.2 Flink reports the configured taskmanager.memory.flink.size there, FLINK-22683)' : ''}`,
    });
    memory.totalFlinkMemory = flink;
  }

  const overhead = reported.jvmOverhead;
  const total = reported.totalProcessMemory;
  const metaspace = reported.jvmMetaspace;
  if (overhead !== undefined) {
    const implied = flink !== undefined && metaspace !== undefined && total !== undefined ? total - flink - metaspace : undefined;
    const configuredMax = overheadIsConfiguredMax(version);
    if (implied !== undefined && implied >= 0n && implied !== overhead) {
      quirks.push({
        component: 'jvmOverhead',
        reported: overhead.toString(),
        taken: implied.toString(),
        why: `${configuredMax ? `jvmOverhead of Flink 1.12.0 and 1.12.1 is the configured taskmanager.memory.jvm-overhead.max (FLINK-21158, fixed in 1.12.2)` : `the reported jvmOverhead does not add up with totalProcessMemory`}: the process runs with totalProcessMemory - total Flink memory - metaspace = ${sized(implied)}, not ${sized(overhead)}`,
      });
      memory.jvmOverhead = implied;
    } else if (implied === undefined && configuredMax) {
      quirks.push({
        component: 'jvmOverhead',
        reported: overhead.toString(),
        taken: null,
        why: `jvmOverhead of Flink 1.12.0 and 1.12.1 is the configured taskmanager.memory.jvm-overhead.max (FLINK-21158, fixed in 1.12.2): the overhead is derived from the reported Flink memory and the cluster's jvm-overhead options instead of ${sized(overhead)}`,
      });
      delete memory.jvmOverhead;
    }
  }
  return { memory, quirks, local: false };
}
