/**
 * The derivation shared by every Flink process (Flink's ProcessMemoryUtils): choose how the
 * process is configured, derive Total Flink Memory through a per-process strategy, and derive
 * JVM metaspace and overhead around it. Order of reads and checks follows Flink exactly, because
 * the first failing check decides which error a user sees.
 */
import type { FlinkConfiguration } from './configuration.js';
import { FlinkError, illegalArgument, illegalConfiguration } from './errors.js';
import { javaDoubleToString as javaDouble } from './java/java-numbers.js';
import { addSizes, formatHumanReadable, multiplySize, subtractSizes } from './memory-size.js';
import { describeOption, type ConfigOption } from './options.js';
import type { Provenance } from './provenance.js';

export interface SizedValue {
  readonly bytes: bigint;
  readonly provenance: Provenance;
}

export interface RangeFraction {
  readonly min: bigint;
  readonly max: bigint;
  readonly fraction: number;
  readonly fractionOption: ConfigOption;
  readonly fractionExplicit: boolean;
}

export interface ProcessMemoryOptions {
  readonly requiredFineGrained: readonly ConfigOption[];
  readonly totalFlink: ConfigOption;
  readonly totalProcess: ConfigOption;
  readonly jvmMetaspace: ConfigOption;
  readonly jvmOverheadMin: ConfigOption;
  readonly jvmOverheadMax: ConfigOption;
  readonly jvmOverheadFraction: ConfigOption;
}

/** The Flink-memory part of a process, as a strategy derives it. */
export interface FlinkMemory {
  readonly totalFlinkMemory: bigint;
}

/** One strategy per process kind (Flink's FlinkMemoryUtils). */
export interface FlinkMemoryStrategy<FM extends FlinkMemory> {
  deriveFromRequiredFineGrainedOptions(config: FlinkConfiguration): FM;
  deriveFromTotalFlinkMemory(config: FlinkConfiguration, totalFlinkMemory: SizedValue): FM;
}

export type ConfigurationMode = 'fine-grained' | 'total-flink' | 'total-process';

export interface JvmMetaspaceAndOverhead {
  readonly metaspace: SizedValue;
  readonly overhead: SizedValue;
}

export interface ProcessMemory<FM extends FlinkMemory> {
  readonly mode: ConfigurationMode;
  readonly flinkMemory: FM;
  readonly totalFlinkMemory: SizedValue;
  readonly jvm: JvmMetaspaceAndOverhead;
  readonly totalProcessMemory: SizedValue;
}

/** Reads a memory option, wrapping any failure as Flink's getMemorySizeFromConfig does. */
export function readMemory(config: FlinkConfiguration, option: ConfigOption): SizedValue {
  let bytes: bigint | undefined;
  try {
    bytes = config.getMemory(option);
    if (bytes === undefined) throw new FlinkError('NullPointerException', 'The memory option is not set and has no default value.');
  } catch (e) {
    if (!(e instanceof FlinkError)) throw e;
    throw illegalConfiguration(`Cannot read memory size from config option '${option.key}'.`, e, [option.key]);
  }
  return { bytes, provenance: provenanceOf(config, option) };
}

export function provenanceOf(config: FlinkConfiguration, option: ConfigOption): Provenance {
  const legacyKey = config.mappedFrom(option);
  if (legacyKey !== undefined) return { kind: 'legacy', option: option.key, key: legacyKey };
  const key = config.sourceKey(option);
  return key === undefined ? { kind: 'default', option: option.key } : { kind: 'explicit', option: option.key, key };
}

/** Flink's getRangeFraction: min <= max and 0 <= fraction < 1, or a descriptive failure. */
export function readRangeFraction(
  config: FlinkConfiguration,
  min: bigint,
  max: bigint,
  fractionOption: ConfigOption,
): RangeFraction {
  const fraction = config.getFloat(fractionOption) ?? Number.NaN;
  let problem: string | undefined;
  if (min > max) problem = 'min value must be less or equal to max value';
  else if (!(fraction >= 0 && fraction < 1)) problem = 'fraction must be in range [0, 1)';
  if (problem !== undefined) {
    throw illegalConfiguration(
      `Inconsistently configured ${describeOption(fractionOption)} (${javaDouble(fraction)}) and its min (${formatHumanReadable(min)}), max (${formatHumanReadable(max)}) value`,
      illegalArgument(problem),
      [fractionOption.key],
    );
  }
  return { min, max, fraction, fractionOption, fractionExplicit: config.contains(fractionOption) };
}

export function deriveWithFraction(base: SizedValue, baseName: string, range: RangeFraction): SizedValue {
  return capToMinMax(multiplySize(base.bytes, range.fraction), base, baseName, range, false);
}

export function deriveWithInverseFraction(base: SizedValue, baseName: string, range: RangeFraction): SizedValue {
  const factor = range.fraction / (1 - range.fraction);
  return capToMinMax(multiplySize(base.bytes, factor), base, baseName, range, true);
}

function capToMinMax(
  relative: bigint,
  base: SizedValue,
  baseName: string,
  range: RangeFraction,
  inverse: boolean,
): SizedValue {
  let bytes = relative;
  let capped: 'min' | 'max' | undefined;
  if (relative > range.max) {
    bytes = range.max;
    capped = 'max';
  } else if (relative < range.min) {
    bytes = range.min;
    capped = 'min';
  }
  return {
    bytes,
    provenance: {
      kind: 'fraction',
      fractionOption: range.fractionOption.key,
      fractionExplicit: range.fractionExplicit,
      fraction: range.fraction,
      inverse,
      base: baseName,
      baseBytes: base.bytes,
      uncapped: relative,
      min: range.min,
      max: range.max,
      capped,
    },
  };
}

/** Generic process derivation, parameterised by the per-process options and strategy. */
export class ProcessMemoryDerivation<FM extends FlinkMemory> {
  constructor(
    private readonly options: ProcessMemoryOptions,
    private readonly strategy: FlinkMemoryStrategy<FM>,
  ) {}

  derive(config: FlinkConfiguration): ProcessMemory<FM> {
    const o = this.options;
    if (o.requiredFineGrained.every((opt) => config.contains(opt))) {
      const flinkMemory = this.strategy.deriveFromRequiredFineGrainedOptions(config);
      const totalFlink: SizedValue = { bytes: flinkMemory.totalFlinkMemory, provenance: { kind: 'sum', parts: ['flink memory components'] } };
      const jvm = this.deriveJvmFromTotalFlink(config, totalFlink);
      return this.assemble('fine-grained', flinkMemory, totalFlink, jvm, config);
    }
    if (config.contains(o.totalFlink)) {
      const totalFlink = readMemory(config, o.totalFlink);
      const flinkMemory = this.strategy.deriveFromTotalFlinkMemory(config, totalFlink);
      const jvm = this.deriveJvmFromTotalFlink(config, totalFlink);
      return this.assemble('total-flink', flinkMemory, totalFlink, jvm, config);
    }
    if (config.contains(o.totalProcess)) {
      const totalProcess = readMemory(config, o.totalProcess);
      const jvm = this.deriveJvmFromTotalProcess(config, totalProcess);
      const totalFlink: SizedValue = {
        bytes: subtractSizes(totalProcess.bytes, addSizes(jvm.metaspace.bytes, jvm.overhead.bytes)),
        provenance: { kind: 'remainder', total: 'Total Process Memory', totalBytes: totalProcess.bytes, minus: ['JVM Metaspace', 'JVM Overhead'] },
      };
      const flinkMemory = this.strategy.deriveFromTotalFlinkMemory(config, totalFlink);
      return { mode: 'total-process', flinkMemory, totalFlinkMemory: totalFlink, jvm, totalProcessMemory: totalProcess };
    }
    const fineGrained = o.requiredFineGrained.map((opt) => opt.key).join(' and ');
    throw illegalConfiguration(
      `Either required fine-grained memory (${fineGrained}), or Total Flink Memory size (${describeOption(o.totalFlink)}), or Total Process Memory size (${describeOption(o.totalProcess)}) need to be configured explicitly.`,
      undefined,
      [...o.requiredFineGrained.map((opt) => opt.key), o.totalFlink.key, o.totalProcess.key],
    );
  }

  private assemble(
    mode: ConfigurationMode,
    flinkMemory: FM,
    totalFlink: SizedValue,
    jvm: JvmMetaspaceAndOverhead,
    config: FlinkConfiguration,
  ): ProcessMemory<FM> {
    const total = addSizes(flinkMemory.totalFlinkMemory, jvm.metaspace.bytes, jvm.overhead.bytes);
    const totalProcess: SizedValue = config.contains(this.options.totalProcess)
      ? { bytes: total, provenance: provenanceOf(config, this.options.totalProcess) }
      : { bytes: total, provenance: { kind: 'sum', parts: ['Total Flink Memory', 'JVM Metaspace', 'JVM Overhead'] } };
    return { mode, flinkMemory, totalFlinkMemory: totalFlink, jvm, totalProcessMemory: totalProcess };
  }

  private jvmOverheadRange(config: FlinkConfiguration): RangeFraction {
    const min = readMemory(config, this.options.jvmOverheadMin).bytes;
    const max = readMemory(config, this.options.jvmOverheadMax).bytes;
    return readRangeFraction(config, min, max, this.options.jvmOverheadFraction);
  }

  private deriveJvmFromTotalProcess(config: FlinkConfiguration, totalProcess: SizedValue): JvmMetaspaceAndOverhead {
    const metaspace = readMemory(config, this.options.jvmMetaspace);
    const overhead = deriveWithFraction(totalProcess, 'Total Process Memory', this.jvmOverheadRange(config));
    if (addSizes(metaspace.bytes, overhead.bytes) > totalProcess.bytes) {
      throw illegalConfiguration(
        `Sum of configured JVM Metaspace (${formatHumanReadable(metaspace.bytes)}) and JVM Overhead (${formatHumanReadable(overhead.bytes)}) exceed configured Total Process Memory (${formatHumanReadable(totalProcess.bytes)}).`,
        undefined,
        [this.options.jvmMetaspace.key, this.options.jvmOverheadFraction.key, this.options.totalProcess.key],
      );
    }
    return { metaspace, overhead };
  }

  private deriveJvmFromTotalFlink(config: FlinkConfiguration, totalFlink: SizedValue): JvmMetaspaceAndOverhead {
    const o = this.options;
    const metaspace = readMemory(config, o.jvmMetaspace);
    const flinkAndMetaspace = addSizes(totalFlink.bytes, metaspace.bytes);
    if (config.contains(o.totalProcess)) {
      const totalProcess = readMemory(config, o.totalProcess);
      const metaspaceAgain = readMemory(config, o.jvmMetaspace);
      const needed = addSizes(totalFlink.bytes, metaspaceAgain.bytes);
      if (totalProcess.bytes < needed) {
        throw illegalConfiguration(
          `The configured Total Process Memory size (${formatHumanReadable(totalProcess.bytes)}) is less than the sum of the derived Total Flink Memory size (${formatHumanReadable(totalFlink.bytes)}) and the configured or default JVM Metaspace size  (${formatHumanReadable(metaspaceAgain.bytes)}).`,
          undefined,
          [o.totalProcess.key, o.totalFlink.key, o.jvmMetaspace.key],
        );
      }
      const overheadBytes = subtractSizes(totalProcess.bytes, needed);
      const range = this.jvmOverheadRange(config);
      if (overheadBytes > range.max || overheadBytes < range.min) {
        throw illegalConfiguration(
          `Derived JVM Overhead size (${formatHumanReadable(overheadBytes)}) is not in configured JVM Overhead range [${formatHumanReadable(range.min)}, ${formatHumanReadable(range.max)}].`,
          undefined,
          [o.jvmOverheadMin.key, o.jvmOverheadMax.key, o.totalProcess.key],
        );
      }
      const overhead: SizedValue = {
        bytes: overheadBytes,
        provenance: { kind: 'remainder', total: 'Total Process Memory', totalBytes: totalProcess.bytes, minus: ['Total Flink Memory', 'JVM Metaspace'] },
      };
      return { metaspace, overhead };
    }
    const base: SizedValue = { bytes: flinkAndMetaspace, provenance: { kind: 'sum', parts: ['Total Flink Memory', 'JVM Metaspace'] } };
    const overhead = deriveWithInverseFraction(base, 'Total Flink Memory + JVM Metaspace', this.jvmOverheadRange(config));
    return { metaspace, overhead };
  }
}
