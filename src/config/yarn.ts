/**
 * YARN containers for Flink processes. Flink asks YARN for a container of the process's Total
 * Process Memory in whole MiB (truncated, `MemorySize.getMebiBytes`); YARN's scheduler rounds the
 * request up to a multiple of `yarn.scheduler.minimum-allocation-mb`, and Flink refuses to deploy
 * when a request exceeds `yarn.scheduler.maximum-allocation-mb` (YarnClusterDescriptor's
 * resource check). The NodeManager kills a container whose process grows past its size.
 *
 * The scheduler settings live in the cluster's yarn-site.xml; Flink also copies every
 * `flink.yarn.*` option of its own configuration into the YARN configuration as `yarn.*`. Here
 * both spellings are read from the flat configuration (`flink.yarn.` wins, as in Flink), falling
 * back to Hadoop's defaults (1024 and 8192 MB).
 */
import { ConfigLoadError } from './errors.js';

const MiB = 1024n * 1024n;

export const YARN_MIN_ALLOCATION_KEY = 'yarn.scheduler.minimum-allocation-mb';
export const YARN_MAX_ALLOCATION_KEY = 'yarn.scheduler.maximum-allocation-mb';
/** Hadoop's defaults for the two scheduler settings. */
export const DEFAULT_YARN_MIN_ALLOCATION_MB = 1024n;
export const DEFAULT_YARN_MAX_ALLOCATION_MB = 8192n;

export interface YarnSchedulerSettings {
  readonly minAllocationMb: bigint;
  readonly maxAllocationMb: bigint;
  /** The key each value was read from, or `default`. */
  readonly minSource: string;
  readonly maxSource: string;
}

/** The container YARN grants for one Flink process. */
export interface YarnContainer {
  /** What Flink asks for: the process size in whole MiB, truncated. */
  readonly requestedMb: bigint;
  /** What YARN grants: the request rounded up to a multiple of the minimum allocation. */
  readonly allocatedMb: bigint;
  readonly allocatedBytes: bigint;
  /** Flink refuses to deploy: the request is larger than the maximum allocation. */
  readonly exceedsMaximum: boolean;
  readonly settings: YarnSchedulerSettings;
}

/**
 * Whether a configuration is meant for YARN: `execution.target` is a YARN target, or any option
 * is a YARN one (`yarn.*`, `flink.yarn.*`).
 */
export function usesYarn(config: Readonly<Record<string, string>>): boolean {
  const target = config['execution.target'];
  if (target !== undefined && target.trim().startsWith('yarn-')) return true;
  return Object.keys(config).some((key) => key.startsWith('yarn.') || key.startsWith('flink.yarn.'));
}

/** The scheduler's minimum and maximum allocation, from the configuration or Hadoop's defaults. */
export function yarnSchedulerSettings(config: Readonly<Record<string, string>>): YarnSchedulerSettings {
  const read = (key: string, fallback: bigint): readonly [bigint, string] => {
    for (const candidate of [`flink.${key}`, key]) {
      const raw = config[candidate];
      if (raw === undefined) continue;
      const text = raw.trim();
      // Hadoop reads these with Configuration.getInt: a plain int, no unit.
      if (!/^[+-]?[0-9]+$/.test(text) || BigInt(text) < 1n || BigInt(text) > 2147483647n) {
        throw new ConfigLoadError('UNSUPPORTED_VALUE', `${candidate}: expected a whole number of MB of at least 1, found '${raw}'`, { key: candidate });
      }
      return [BigInt(text), candidate];
    }
    return [fallback, 'default'];
  };
  const [minAllocationMb, minSource] = read(YARN_MIN_ALLOCATION_KEY, DEFAULT_YARN_MIN_ALLOCATION_MB);
  const [maxAllocationMb, maxSource] = read(YARN_MAX_ALLOCATION_KEY, DEFAULT_YARN_MAX_ALLOCATION_MB);
  return { minAllocationMb, maxAllocationMb, minSource, maxSource };
}

/**
 * The container YARN grants for a process of `processBytes`: ⌈MiB / min⌉ × min, at least one
 * minimum allocation (Flink's own rounding, which it logs as "YARN will allocate … MB").
 */
export function yarnContainerFor(processBytes: bigint, settings: YarnSchedulerSettings): YarnContainer {
  const requestedMb = processBytes / MiB;
  const min = settings.minAllocationMb;
  let allocatedMb = ((requestedMb + min - 1n) / min) * min;
  if (allocatedMb <= 0n) allocatedMb = min;
  return {
    requestedMb,
    allocatedMb,
    allocatedBytes: allocatedMb * MiB,
    exceedsMaximum: requestedMb > settings.maxAllocationMb,
    settings,
  };
}
