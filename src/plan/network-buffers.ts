/**
 * The network buffers one task needs, exactly as Flink's JobMaster announces them
 * (`NettyShuffleMaster#computeShuffleMemorySizeForTask`): per input gate, per result partition and
 * in total, with Flink's exceptions and messages for bad configurations.
 *
 * Every count is a Java `int` in Flink, and overflow changes the outcome (a huge gate wraps to a
 * negative target and fails "Require at least 1 buffer per gate."), so the arithmetic below is
 * 32-bit two's complement on purpose; only the final byte count is a 64-bit `long`.
 */
import { FlinkConfiguration, type FlatConfig } from '../memory/configuration.js';
import { FlinkError, illegalArgument, type FlinkErrorClass } from '../memory/errors.js';
import type { ConfigOption } from '../memory/options.js';
import { pageSize } from '../memory/taskmanager-flink-memory.js';
import { DEFAULT_FLINK_VERSION, type FlinkVersionBehaviour } from '../memory/versions.js';

export const RESULT_PARTITION_TYPES = [
  'PIPELINED',
  'PIPELINED_BOUNDED',
  'PIPELINED_APPROXIMATE',
  'BLOCKING',
  'BLOCKING_PERSISTENT',
  'HYBRID_FULL',
  'HYBRID_SELECTIVE',
] as const;
export type ResultPartitionType = (typeof RESULT_PARTITION_TYPES)[number];

export const BATCH_SHUFFLE_MODES = [
  'ALL_EXCHANGES_PIPELINED',
  'ALL_EXCHANGES_BLOCKING',
  'ALL_EXCHANGES_HYBRID_FULL',
  'ALL_EXCHANGES_HYBRID_SELECTIVE',
] as const;
export type BatchShuffleMode = (typeof BATCH_SHUFFLE_MODES)[number];

/** What Flink's ResultPartitionType enum says about each type, as far as buffers are concerned. */
interface TypeTraits {
  /** The pool has a fixed upper limit (`isBounded`). */
  readonly bounded: boolean;
  /** Downstream may consume while upstream runs, so floating buffers can be held back by back pressure. */
  readonly pipelinedConsumable: boolean;
  readonly blocking: boolean;
  readonly hybrid: boolean;
  /** PIPELINED or PIPELINED_BOUNDED: the streaming default of "no cap on required buffers". */
  readonly streaming: boolean;
}

const TRAITS: { readonly [T in ResultPartitionType]: TypeTraits } = {
  PIPELINED: { bounded: false, pipelinedConsumable: true, blocking: false, hybrid: false, streaming: true },
  PIPELINED_BOUNDED: { bounded: true, pipelinedConsumable: true, blocking: false, hybrid: false, streaming: true },
  // Not in the streaming group: unset, its gates cap required buffers at the batch default 1000.
  PIPELINED_APPROXIMATE: { bounded: true, pipelinedConsumable: true, blocking: false, hybrid: false, streaming: false },
  BLOCKING: { bounded: false, pipelinedConsumable: false, blocking: true, hybrid: false, streaming: false },
  BLOCKING_PERSISTENT: { bounded: false, pipelinedConsumable: false, blocking: true, hybrid: false, streaming: false },
  HYBRID_FULL: { bounded: false, pipelinedConsumable: true, blocking: false, hybrid: true, streaming: false },
  HYBRID_SELECTIVE: { bounded: false, pipelinedConsumable: true, blocking: false, hybrid: true, streaming: false },
};

export const partitionTypeTraits = (type: ResultPartitionType): TypeTraits => TRAITS[type];

export const INT_MAX = 2147483647;
/** InputGateSpecUtils' cap on required buffers per gate for batch (blocking) inputs when the option is unset. */
export const DEFAULT_MAX_REQUIRED_BUFFERS_PER_GATE_FOR_BATCH = 1000;

/** One input gate of a task: one consumed data set. */
export interface GateInput {
  readonly channels: number;
  readonly partitionType: ResultPartitionType;
  /** How often the task consumes this data set; the gate's announced buffers are multiplied by it. */
  readonly reuseCount?: number;
}

/** One result partition a task produces. */
export interface PartitionOutput {
  readonly subpartitions: number;
  readonly partitionType: ResultPartitionType;
}

/** The values NettyShuffleMaster works with after reading the configuration. */
export interface NetworkSettings {
  readonly flinkVersion: string;
  readonly buffersPerChannel: number;
  readonly floatingBuffersPerGate: number;
  /** `taskmanager.network.memory.read-buffer.required-per-gate.max`, null when unset. */
  readonly maxRequiredBuffersPerGate: number | null;
  readonly sortShuffleMinParallelism: number;
  readonly sortShuffleMinBuffers: number;
  readonly segmentSize: number;
  /** NettyShuffleUtils.getMinMaxFloatingBuffersPerInputGate: at least one floating buffer for recovery. */
  readonly floatingPoolMinMax: readonly [number, number];
  readonly batchShuffleMode: BatchShuffleMode;
  /** Where each effective value came from, for people: "fixed in 2.x", "default", "set". */
  readonly sources: { readonly [K in SettingName]: SettingSource };
}

export type SettingName =
  | 'buffersPerChannel'
  | 'floatingBuffersPerGate'
  | 'maxRequiredBuffersPerGate'
  | 'sortShuffleMinParallelism'
  | 'sortShuffleMinBuffers'
  | 'segmentSize';

export interface SettingSource {
  readonly key: string;
  readonly kind: 'set' | 'default' | 'fixed';
}

export interface GateBuffers {
  readonly channels: number;
  readonly partitionType: ResultPartitionType;
  readonly reuseCount: number;
  /** The cap on required buffers that applied (configured, or the default for the type). */
  readonly maxRequiredThreshold: number;
  /** exclusivePerChannel × channels + requiredFloatingBuffers: what the gate cannot start without. */
  readonly requiredBuffers: number;
  /** channels × buffers-per-channel + floating-buffers-per-gate (GateBuffersSpec target). */
  readonly totalBuffers: number;
  readonly exclusivePerChannel: number;
  readonly requiredFloatingBuffers: number;
  readonly totalFloatingBuffers: number;
  /** totalBuffers × reuseCount: the gate's share of the task's announced figure. */
  readonly announcedBuffers: number;
}

export interface PartitionBuffers {
  readonly subpartitions: number;
  readonly partitionType: ResultPartitionType;
  /** The pool's minimum: what the partition cannot start without. */
  readonly minBuffers: number;
  /** The pool's maximum (2147483647 = unbounded). */
  readonly maxBuffers: number;
  /** Sort-based blocking shuffle (a blocking type with at least sort-shuffle min-parallelism subpartitions). */
  readonly sortShuffle: boolean;
  /** maxBuffers when the type can be consumed while produced, else minBuffers; undefined when unbounded. */
  readonly announcedBuffers: number | undefined;
}

export type NetworkErrorClass = FlinkErrorClass | 'IllegalStateException';

/** A failure as Flink reports it: exception class, exact message, cause chain, keys involved. */
export interface NetworkFailure {
  readonly error: NetworkErrorClass;
  readonly message: string;
  readonly causes: readonly { readonly error: string; readonly message: string }[];
  readonly keys: readonly string[];
}

export interface TaskNetworkSuccess {
  readonly ok: true;
  readonly settings: NetworkSettings;
  readonly gates: readonly GateBuffers[];
  readonly partitions: readonly PartitionBuffers[];
  /** Sum of announced buffers (a Java int: it wraps like Flink's). */
  readonly networkBuffers: number;
  /** networkBuffers × segment size, as Flink's MemorySize. */
  readonly networkMemoryBytes: bigint;
}

export type TaskNetworkResult = TaskNetworkSuccess | { readonly ok: false; readonly error: NetworkFailure };

/** Preconditions.checkState: Flink's IllegalStateException, kept apart from FlinkError's classes. */
class IllegalState extends Error {}

const KEY = {
  buffersPerChannel: 'taskmanager.network.memory.buffers-per-channel',
  floatingBuffersPerGate: 'taskmanager.network.memory.floating-buffers-per-gate',
  maxRequiredBuffersPerGate: 'taskmanager.network.memory.read-buffer.required-per-gate.max',
  sortShuffleMinParallelism: 'taskmanager.network.sort-shuffle.min-parallelism',
  sortShuffleMinBuffers: 'taskmanager.network.sort-shuffle.min-buffers',
  segmentSize: 'taskmanager.memory.segment-size',
  batchShuffleMode: 'execution.batch-shuffle-mode',
  hybridNewMode: 'taskmanager.network.hybrid-shuffle.enable-new-mode',
  jobRecovery: 'execution.batch.job-recovery.enabled',
} as const;

const intOption = (key: string, defaultValue: number | undefined, description: string): ConfigOption => ({
  key,
  type: 'int',
  defaultValue,
  defaultText: defaultValue === undefined ? 'null' : String(defaultValue),
  fallbackKeys: [],
  description,
});

const OPTIONS = {
  buffersPerChannel: intOption(KEY.buffersPerChannel, 2, 'Exclusive buffers per input channel / per subpartition.'),
  floatingBuffersPerGate: intOption(KEY.floatingBuffersPerGate, 8, 'Floating buffers shared by the channels of a gate.'),
  maxRequiredBuffersPerGate: intOption(KEY.maxRequiredBuffersPerGate, undefined, 'Cap on the required buffers of one input gate.'),
  sortShuffleMinParallelism: intOption(KEY.sortShuffleMinParallelism, 1, 'Subpartitions from which blocking shuffles are sort-based.'),
  sortShuffleMinBuffers: intOption(KEY.sortShuffleMinBuffers, 512, 'Minimum buffers of a sort-based blocking result partition.'),
  hybridNewMode: {
    key: KEY.hybridNewMode,
    type: 'boolean',
    defaultValue: true,
    defaultText: 'true',
    fallbackKeys: [],
    description: 'Hybrid shuffle on tiered storage (1.x).',
  },
  jobRecovery: {
    key: KEY.jobRecovery,
    type: 'boolean',
    defaultValue: false,
    defaultText: 'false',
    fallbackKeys: [],
    description: 'Batch job recovery after a JobMaster failover (2.x).',
  },
} as const satisfies Record<string, ConfigOption>;

/** The option keys this model reads, for reports that list them. */
export const NETWORK_OPTION_KEYS = KEY;

/**
 * 2.x removed the buffers-per-channel, floating-buffers and sort-shuffle min-parallelism options and
 * NettyShuffleMaster hard-codes their old defaults; 1.x reads them. The removed keys are then not
 * read at all, so even an unparsable value is harmless in 2.x.
 */
const readsRemovedOptions = (version: FlinkVersionBehaviour): boolean => version.line !== '2.x';

/**
 * Reads the configuration the way NettyShuffleMaster's constructor does: same options, same order,
 * same checks, so the first failure is Flink's first failure. Throws FlinkError or IllegalState.
 */
function readSettingsOrThrow(values: FlatConfig, version: FlinkVersionBehaviour): NetworkSettings {
  const config = new FlinkConfiguration(values);
  const legacy = readsRemovedOptions(version);
  const source = (option: ConfigOption): SettingSource => ({ key: option.key, kind: config.contains(option) ? 'set' : 'default' });
  const fixed = (key: string): SettingSource => ({ key, kind: 'fixed' });

  const buffersPerChannel = legacy ? config.getInt(OPTIONS.buffersPerChannel)! : 2;
  const floatingBuffersPerGate = legacy ? config.getInt(OPTIONS.floatingBuffersPerGate)! : 8;
  const maxRequired = config.getInt(OPTIONS.maxRequiredBuffersPerGate);
  const sortShuffleMinParallelism = legacy ? config.getInt(OPTIONS.sortShuffleMinParallelism)! : 1;
  const sortShuffleMinBuffers = config.getInt(OPTIONS.sortShuffleMinBuffers)!;
  const segmentSize = Number(pageSize(config, version));
  const batchShuffleMode = readBatchShuffleMode(config);
  const hybrid = batchShuffleMode === 'ALL_EXCHANGES_HYBRID_FULL' || batchShuffleMode === 'ALL_EXCHANGES_HYBRID_SELECTIVE';
  // 1.x asks whether hybrid shuffle runs in the new (tiered) mode only when the mode is hybrid.
  if (legacy && hybrid) config.getBoolean(OPTIONS.hybridNewMode);
  // 2.x reads the job-recovery flag unconditionally, after the shuffle mode.
  if (!legacy) config.getBoolean(OPTIONS.jobRecovery);

  if (maxRequired !== undefined && maxRequired < 1) {
    throw illegalArgument(
      `At least one buffer is required for each gate, please increase the value of ${KEY.maxRequiredBuffersPerGate}.`,
      undefined,
      [KEY.maxRequiredBuffersPerGate],
    );
  }
  if (floatingBuffersPerGate < 1) {
    throw illegalArgument(
      `The configured floating buffer should be at least 1, please increase the value of ${KEY.floatingBuffersPerGate}.`,
      undefined,
      [KEY.floatingBuffersPerGate],
    );
  }
  return {
    flinkVersion: version.line,
    buffersPerChannel,
    floatingBuffersPerGate,
    maxRequiredBuffersPerGate: maxRequired ?? null,
    sortShuffleMinParallelism,
    sortShuffleMinBuffers,
    segmentSize,
    floatingPoolMinMax: [1, floatingBuffersPerGate],
    batchShuffleMode,
    sources: {
      buffersPerChannel: legacy ? source(OPTIONS.buffersPerChannel) : fixed(KEY.buffersPerChannel),
      floatingBuffersPerGate: legacy ? source(OPTIONS.floatingBuffersPerGate) : fixed(KEY.floatingBuffersPerGate),
      maxRequiredBuffersPerGate: source(OPTIONS.maxRequiredBuffersPerGate),
      sortShuffleMinParallelism: legacy ? source(OPTIONS.sortShuffleMinParallelism) : fixed(KEY.sortShuffleMinParallelism),
      sortShuffleMinBuffers: source(OPTIONS.sortShuffleMinBuffers),
      segmentSize: { key: KEY.segmentSize, kind: config.containsKey(KEY.segmentSize) ? 'set' : 'default' },
    },
  };
}

/** Flink's enum conversion: case-insensitive name match, otherwise its "Could not parse value" pair. */
function readBatchShuffleMode(config: FlinkConfiguration): BatchShuffleMode {
  const raw = config.raw(KEY.batchShuffleMode);
  if (raw === undefined) return 'ALL_EXCHANGES_BLOCKING';
  const upper = raw.toUpperCase();
  const found = BATCH_SHUFFLE_MODES.find((m) => m === upper);
  if (found !== undefined) return found;
  const cause = illegalArgument(
    `Could not parse value for enum class org.apache.flink.api.common.BatchShuffleMode. Expected one of: [[${BATCH_SHUFFLE_MODES.join(', ')}]]`,
  );
  throw illegalArgument(`Could not parse value '${raw}' for key '${KEY.batchShuffleMode}'.`, cause, [KEY.batchShuffleMode]);
}

/** InputGateSpecUtils.createGateBuffersSpec on the announcing path (tiered storage off). */
function gateOrThrow(s: NetworkSettings, gate: GateInput): GateBuffers {
  const { channels, partitionType } = gate;
  const reuseCount = gate.reuseCount ?? 1;
  const traits = TRAITS[partitionType];
  const maxRequiredThreshold =
    s.maxRequiredBuffersPerGate ?? (traits.streaming || traits.hybrid ? INT_MAX : DEFAULT_MAX_REQUIRED_BUFFERS_PER_GATE_FOR_BATCH);
  const exclusiveTarget = Math.imul(channels, s.buffersPerChannel);
  const targetRequired = (exclusiveTarget + 1) | 0;
  const totalBuffers = (exclusiveTarget + s.floatingBuffersPerGate) | 0;
  const requiredBuffers = Math.min(maxRequiredThreshold, targetRequired);
  if (!(channels > 0)) throw illegalArgument('Must be positive.');
  if (requiredBuffers < 1) throw illegalArgument('Require at least 1 buffer per gate.');
  // Keep at least one required buffer floating, and never more exclusive buffers than configured.
  const exclusivePerChannel = Math.min(s.buffersPerChannel, Math.trunc((requiredBuffers - 1) / channels));
  const exclusivePerGate = Math.imul(exclusivePerChannel, channels);
  const requiredFloatingBuffers = (requiredBuffers - exclusivePerGate) | 0;
  const totalFloatingBuffers = (totalBuffers - exclusivePerGate) | 0;
  if (!(requiredFloatingBuffers > 0)) throw new IllegalState('Must be positive.');
  if (!(requiredFloatingBuffers <= totalFloatingBuffers)) throw new IllegalState('Wrong number of floating buffers.');
  return {
    channels,
    partitionType,
    reuseCount,
    maxRequiredThreshold,
    requiredBuffers: (exclusivePerGate + requiredFloatingBuffers) | 0,
    totalBuffers,
    exclusivePerChannel,
    requiredFloatingBuffers,
    totalFloatingBuffers,
    announcedBuffers: Math.imul(totalBuffers, reuseCount),
  };
}

/** NettyShuffleUtils.getMinMaxNetworkBuffersPerResultPartition on the announcing path (tiered storage off). */
function partitionOf(s: NetworkSettings, out: PartitionOutput): PartitionBuffers {
  const { subpartitions, partitionType } = out;
  const traits = TRAITS[partitionType];
  const sortShuffle = traits.blocking && subpartitions >= s.sortShuffleMinParallelism;
  const minBuffers = sortShuffle ? s.sortShuffleMinBuffers : (subpartitions + 1) | 0;
  const rawMax = traits.bounded
    ? (Math.imul(subpartitions, s.buffersPerChannel) + s.floatingBuffersPerGate) | 0
    : sortShuffle
      ? Math.max(minBuffers, Math.imul(4, subpartitions))
      : INT_MAX;
  const maxBuffers = Math.max(minBuffers, rawMax);
  // Pipelined consumption can hold floating buffers back under back pressure, so all are announced;
  // a blocking partition recycles them promptly and its minimum is enough (FLINK-12852).
  const announced = traits.pipelinedConsumable ? maxBuffers : minBuffers;
  return { subpartitions, partitionType, minBuffers, maxBuffers, sortShuffle, announcedBuffers: announced === INT_MAX ? undefined : announced };
}

/**
 * Reads the settings NettyShuffleMaster would use, or Flink's failure for this configuration.
 * `values` is the flat configuration (-D on top of the file); other options have their defaults.
 */
export function readNetworkSettings(
  values: FlatConfig,
  version: FlinkVersionBehaviour = DEFAULT_FLINK_VERSION,
): { readonly ok: true; readonly settings: NetworkSettings } | { readonly ok: false; readonly error: NetworkFailure } {
  try {
    return { ok: true, settings: readSettingsOrThrow(values, version) };
  } catch (e) {
    return { ok: false, error: toFailure(e) };
  }
}

/** One gate's buffers, or Flink's failure for it. */
export function computeGateBuffers(settings: NetworkSettings, gate: GateInput): { ok: true; gate: GateBuffers } | { ok: false; error: NetworkFailure } {
  try {
    return { ok: true, gate: gateOrThrow(settings, gate) };
  } catch (e) {
    return { ok: false, error: toFailure(e) };
  }
}

/** One result partition's pool (never fails; announcing an unbounded pool is what fails). */
export function computePartitionBuffers(settings: NetworkSettings, out: PartitionOutput): PartitionBuffers {
  return partitionOf(settings, out);
}

/**
 * The network memory Flink announces for one task: NettyShuffleMaster#computeShuffleMemorySizeForTask
 * with the task's input gates (in order) and result partitions (in order). The first failure wins,
 * as in Flink: configuration first, then gates, then partitions.
 */
export function computeTaskNetwork(
  values: FlatConfig,
  inputs: readonly GateInput[],
  outputs: readonly PartitionOutput[],
  version: FlinkVersionBehaviour = DEFAULT_FLINK_VERSION,
): TaskNetworkResult {
  try {
    const settings = readSettingsOrThrow(values, version);
    let total = 0;
    const gates = inputs.map((input) => {
      const gate = gateOrThrow(settings, input);
      total = (total + gate.announcedBuffers) | 0;
      return gate;
    });
    const partitions = outputs.map((output) => {
      const partition = partitionOf(settings, output);
      if (partition.announcedBuffers === undefined) {
        throw illegalArgument(`Illegal to announce network memory requirement as Integer.MAX_VALUE, partition type: ${output.partitionType}`);
      }
      total = (total + partition.announcedBuffers) | 0;
      return partition;
    });
    // `(long) networkBufferSize * numRequiredNetworkBuffers` into MemorySize, which rejects negatives.
    const bytes = BigInt(settings.segmentSize) * BigInt(total);
    if (bytes < 0n) throw illegalArgument('bytes must be >= 0');
    return { ok: true, settings, gates, partitions, networkBuffers: total, networkMemoryBytes: bytes };
  } catch (e) {
    return { ok: false, error: toFailure(e) };
  }
}

function toFailure(e: unknown): NetworkFailure {
  if (e instanceof IllegalState) return { error: 'IllegalStateException', message: e.message, causes: [], keys: [] };
  if (e instanceof FlinkError) {
    return {
      error: e.error,
      message: e.message,
      causes: e.causes().map((c) => ({ error: c.error, message: c.message })),
      keys: e.keys,
    };
  }
  throw e;
}

export function isResultPartitionType(text: string): text is ResultPartitionType {
  return (RESULT_PARTITION_TYPES as readonly string[]).includes(text);
}
