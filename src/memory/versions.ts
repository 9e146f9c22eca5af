import { illegalArgument } from './errors.js';
import { BASE_OPTIONS, memoryOptionsFor, type JobManagerOptions, type TaskManagerOptions } from './options.js';

/**
 * Everything that differs between Flink lines for the memory model, in one table.
 * Each line was checked against vectors produced by that line's own code (see test/fixtures/vectors).
 */
export interface FlinkVersionBehaviour {
  /** The line name users see ("1.20", "2.x"). */
  readonly line: string;
  /** Release numbers a user may type that map to this line ("1.20", "2.1", ...). */
  readonly accepts: readonly string[];
  readonly tm: TaskManagerOptions;
  readonly jm: JobManagerOptions;
  /** taskmanager.heap.size/.mb and jobmanager.heap.size/.mb are mapped to the new options (removed in 2.0). */
  readonly legacyHeapKeys: boolean;
  /** taskmanager.network.numberOfBuffers sizes network memory when no network option is set (removed in 2.0). */
  readonly legacyNetworkBuffers: boolean;
  /** JobManager failures carry the "JobManager memory configuration failed: " prefix (1.x launcher path). */
  readonly jobManagerErrorPrefix: boolean;
  /** Keys this line ignores although older lines read them: shown as warnings by `explain`. */
  readonly ignoredKeys: readonly string[];
}

const REMOVED_IN_2: readonly string[] = [
  BASE_OPTIONS.tm.legacyHeapSize.key,
  BASE_OPTIONS.tm.legacyHeapMb.key,
  BASE_OPTIONS.tm.legacyNetworkBuffers.key,
  BASE_OPTIONS.jm.legacyHeapSize.key,
  BASE_OPTIONS.jm.legacyHeapMb.key,
];

const LINE_2X: FlinkVersionBehaviour = {
  line: '2.x',
  accepts: ['2', '2.0', '2.1', '2.2', '2.3', '2.4'],
  tm: BASE_OPTIONS.tm,
  jm: BASE_OPTIONS.jm,
  legacyHeapKeys: false,
  legacyNetworkBuffers: false,
  jobManagerErrorPrefix: false,
  ignoredKeys: REMOVED_IN_2,
};

function line1(minor: number): FlinkVersionBehaviour {
  const line = `1.${minor}`;
  // Defaults per line come from the catalog (e.g. FLINK-30472: 1.16 caps network memory at 1 GiB).
  const options = memoryOptionsFor(line);
  return {
    line,
    accepts: [line],
    tm: options.tm,
    jm: options.jm,
    legacyHeapKeys: true,
    legacyNetworkBuffers: true,
    jobManagerErrorPrefix: true,
    ignoredKeys: [],
  };
}

export const FLINK_VERSIONS: readonly FlinkVersionBehaviour[] = [
  LINE_2X,
  line1(20),
  line1(19),
  line1(18),
  line1(17),
  line1(16),
];

export const DEFAULT_FLINK_VERSION = LINE_2X;

export const SUPPORTED_VERSIONS_TEXT = '2.0-2.4 (2.x), 1.20, 1.19, 1.18, 1.17, 1.16';

/**
 * Maps any release number a user would type ("1.20", "1.20.4", "2.1", "2.0.0", "2") to its line.
 * Throws a clear IllegalArgumentException listing the supported lines otherwise.
 */
export function resolveFlinkVersion(text: string): FlinkVersionBehaviour {
  const trimmed = text.trim().replace(/^v/i, '');
  const match = /^(\d+)(?:\.(\d+))?(?:\.\d+)?(?:[-.][0-9A-Za-z.-]+)?$/.exec(trimmed);
  if (match !== null) {
    const majorMinor = match[2] === undefined ? match[1]! : `${Number(match[1])}.${Number(match[2])}`;
    const found = FLINK_VERSIONS.find((v) => v.accepts.includes(majorMinor));
    if (found !== undefined) return found;
    if (trimmed.toLowerCase() === '2.x') return LINE_2X;
  } else if (trimmed.toLowerCase() === '2.x') {
    return LINE_2X;
  }
  throw illegalArgument(`Unsupported Flink version '${text}'. Supported: ${SUPPORTED_VERSIONS_TEXT}.`);
}
