/**
 * The TaskManager's Total Flink Memory split (Flink's TaskExecutorFlinkMemoryUtils): framework
 * heap/off-heap, task heap/off-heap, managed and network memory, derived either from the
 * fine-grained options (task heap + managed) or from a Total Flink Memory size.
 */
import type { FlinkConfiguration } from './configuration.js';
import { FlinkError, illegalArgument, illegalConfiguration } from './errors.js';
import { addSizes, checkNonNegative, formatHumanReadable, subtractSizes } from './memory-size.js';
import {
  deriveWithFraction,
  deriveWithInverseFraction,
  readMemory,
  readRangeFraction,
  type FlinkMemory,
  type FlinkMemoryStrategy,
  type RangeFraction,
  type SizedValue,
} from './process-memory.js';
import type { FlinkVersionBehaviour } from './versions.js';

export interface TaskManagerFlinkMemory extends FlinkMemory {
  readonly frameworkHeap: SizedValue;
  readonly frameworkOffHeap: SizedValue;
  readonly taskHeap: SizedValue;
  readonly taskOffHeap: SizedValue;
  readonly network: SizedValue;
  readonly managed: SizedValue;
}

const MIN_PAGE_SIZE = 4096n;
const INT_MAX = 2147483647n;

export class TaskManagerFlinkMemoryStrategy implements FlinkMemoryStrategy<TaskManagerFlinkMemory> {
  constructor(private readonly version: FlinkVersionBehaviour) {}

  private get o() {
    return this.version.tm;
  }

  deriveFromRequiredFineGrainedOptions(config: FlinkConfiguration): TaskManagerFlinkMemory {
    const taskHeap = readMemory(config, this.o.taskHeap);
    const managed = readMemory(config, this.o.managedSize);
    const frameworkHeap = readMemory(config, this.o.frameworkHeap);
    const frameworkOffHeap = readMemory(config, this.o.frameworkOffHeap);
    const taskOffHeap = readMemory(config, this.o.taskOffHeap);
    const excludingNetwork = addSizes(frameworkHeap.bytes, frameworkOffHeap.bytes, taskHeap.bytes, taskOffHeap.bytes, managed.bytes);

    let network: SizedValue;
    if (config.contains(this.o.totalFlink)) {
      const totalFlink = readMemory(config, this.o.totalFlink);
      if (excludingNetwork > totalFlink.bytes) {
        throw this.sumWithTaskHeapExceeds(frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, managed, totalFlink);
      }
      network = this.networkAsRemainder(config, totalFlink, excludingNetwork);
    } else if (this.usesLegacyNetworkBuffers(config)) {
      network = this.legacyNetworkMemory(config);
    } else {
      const base: SizedValue = { bytes: excludingNetwork, provenance: { kind: 'sum', parts: ['Framework Heap', 'Framework Off-Heap', 'Task Heap', 'Task Off-Heap', 'Managed Memory'] } };
      network = deriveWithInverseFraction(base, 'Total Flink Memory excluding Network Memory', this.networkRange(config));
    }
    return this.assemble(config, frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, network, managed);
  }

  deriveFromTotalFlinkMemory(config: FlinkConfiguration, totalFlink: SizedValue): TaskManagerFlinkMemory {
    const frameworkHeap = readMemory(config, this.o.frameworkHeap);
    const frameworkOffHeap = readMemory(config, this.o.frameworkOffHeap);
    const taskOffHeap = readMemory(config, this.o.taskOffHeap);

    if (config.contains(this.o.taskHeap)) {
      const taskHeap = readMemory(config, this.o.taskHeap);
      const managed = this.managedMemory(config, totalFlink);
      const excludingNetwork = addSizes(frameworkHeap.bytes, frameworkOffHeap.bytes, taskHeap.bytes, taskOffHeap.bytes, managed.bytes);
      if (excludingNetwork > totalFlink.bytes) {
        throw this.sumWithTaskHeapExceeds(frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, managed, totalFlink);
      }
      const network = this.networkAsRemainder(config, totalFlink, excludingNetwork);
      return this.assemble(config, frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, network, managed);
    }

    const managed = this.managedMemory(config, totalFlink);
    const network = this.usesLegacyNetworkBuffers(config)
      ? this.legacyNetworkMemory(config)
      : deriveWithFraction(totalFlink, 'Total Flink Memory', this.networkRange(config));
    const excludingTaskHeap = addSizes(frameworkHeap.bytes, frameworkOffHeap.bytes, taskOffHeap.bytes, managed.bytes, network.bytes);
    if (excludingTaskHeap > totalFlink.bytes) {
      throw illegalConfiguration(
        `Sum of configured Framework Heap Memory (${h(frameworkHeap)}), Framework Off-Heap Memory (${h(frameworkOffHeap)}), Task Off-Heap Memory (${h(taskOffHeap)}), Managed Memory (${h(managed)}) and Network Memory (${h(network)}) exceed configured Total Flink Memory (${h(totalFlink)}).`,
        undefined,
        [this.o.frameworkHeap.key, this.o.frameworkOffHeap.key, this.o.taskOffHeap.key, this.o.managedSize.key, this.o.managedFraction.key, this.o.networkFraction.key, this.o.totalFlink.key],
      );
    }
    const taskHeap: SizedValue = {
      bytes: subtractSizes(totalFlink.bytes, excludingTaskHeap),
      provenance: { kind: 'remainder', total: 'Total Flink Memory', totalBytes: totalFlink.bytes, minus: ['Framework Heap', 'Framework Off-Heap', 'Task Off-Heap', 'Managed Memory', 'Network Memory'] },
    };
    return this.assemble(config, frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, network, managed);
  }

  private assemble(
    config: FlinkConfiguration,
    frameworkHeap: SizedValue,
    frameworkOffHeap: SizedValue,
    taskHeap: SizedValue,
    taskOffHeap: SizedValue,
    network: SizedValue,
    managed: SizedValue,
  ): TaskManagerFlinkMemory {
    const totalFlinkMemory = addSizes(frameworkHeap.bytes, frameworkOffHeap.bytes, taskHeap.bytes, taskOffHeap.bytes, network.bytes, managed.bytes);
    if (config.contains(this.o.totalFlink)) {
      const configured = readMemory(config, this.o.totalFlink).bytes;
      if (configured !== totalFlinkMemory) {
        throw illegalConfiguration(
          `Configured and Derived Flink internal memory sizes (total ${formatHumanReadable(totalFlinkMemory)}) do not add up to the configured Total Flink Memory size (${formatHumanReadable(configured)}). Configured and Derived Flink internal memory sizes are: Framework Heap Memory (${h(frameworkHeap)}), Framework Off-Heap Memory (${h(frameworkOffHeap)}), Task Heap Memory (${h(taskHeap)}), Task Off-Heap Memory (${h(taskOffHeap)}), Network Memory (${h(network)}), Managed Memory (${h(managed)}).`,
        );
      }
    }
    return { frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, network, managed, totalFlinkMemory };
  }

  private sumWithTaskHeapExceeds(
    frameworkHeap: SizedValue,
    frameworkOffHeap: SizedValue,
    taskHeap: SizedValue,
    taskOffHeap: SizedValue,
    managed: SizedValue,
    totalFlink: SizedValue,
  ) {
    return illegalConfiguration(
      `Sum of configured Framework Heap Memory (${h(frameworkHeap)}), Framework Off-Heap Memory (${h(frameworkOffHeap)}), Task Heap Memory (${h(taskHeap)}), Task Off-Heap Memory (${h(taskOffHeap)}) and Managed Memory (${h(managed)}) exceed configured Total Flink Memory (${h(totalFlink)}).`,
      undefined,
      [this.o.frameworkHeap.key, this.o.frameworkOffHeap.key, this.o.taskHeap.key, this.o.taskOffHeap.key, this.o.managedSize.key, this.o.totalFlink.key],
    );
  }

  private managedMemory(config: FlinkConfiguration, totalFlink: SizedValue): SizedValue {
    if (config.contains(this.o.managedSize)) return readMemory(config, this.o.managedSize);
    const range = readRangeFraction(config, 0n, 9223372036854775807n, this.o.managedFraction);
    return deriveWithFraction(totalFlink, 'Total Flink Memory', range);
  }

  private networkRange(config: FlinkConfiguration): RangeFraction {
    const min = readMemory(config, this.o.networkMin).bytes;
    const max = readMemory(config, this.o.networkMax).bytes;
    return readRangeFraction(config, min, max, this.o.networkFraction);
  }

  /**
   * When the Total Flink Memory and the task heap and/or managed memory are all fixed, network
   * memory is what is left, and must still fit its own configuration.
   */
  private networkAsRemainder(config: FlinkConfiguration, totalFlink: SizedValue, excludingNetwork: bigint): SizedValue {
    const bytes = subtractSizes(totalFlink.bytes, excludingNetwork);
    try {
      if (this.usesLegacyNetworkBuffers(config)) {
        const configured = this.legacyNetworkMemory(config).bytes;
        if (configured !== bytes) {
          throw illegalConfiguration(
            `Derived Network Memory size (${formatHumanReadable(bytes)}) does not match configured Network Memory size (${formatHumanReadable(configured)}).`,
            undefined,
            [this.o.legacyNetworkBuffers.key],
          );
        }
      } else {
        const range = this.networkRange(config);
        if (bytes > range.max || bytes < range.min) {
          throw illegalConfiguration(
            `Derived Network Memory size (${formatHumanReadable(bytes)}) is not in configured Network Memory range [${formatHumanReadable(range.min)}, ${formatHumanReadable(range.max)}].`,
            undefined,
            [this.o.networkMin.key, this.o.networkMax.key],
          );
        }
      }
    } catch (e) {
      if (e instanceof FlinkError && e.error === 'IllegalConfigurationException') {
        throw illegalConfiguration(
          'If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration.',
          e,
          [this.o.totalFlink.key, this.o.taskHeap.key, this.o.managedSize.key, this.o.networkMin.key, this.o.networkMax.key],
        );
      }
      throw e;
    }
    return {
      bytes,
      provenance: { kind: 'remainder', total: 'Total Flink Memory', totalBytes: totalFlink.bytes, minus: ['Framework Heap', 'Framework Off-Heap', 'Task Heap', 'Task Off-Heap', 'Managed Memory'] },
    };
  }

  /** The pre-1.10 sizing by buffer count is used only if no network memory option is set at all. */
  private usesLegacyNetworkBuffers(config: FlinkConfiguration): boolean {
    if (!this.version.legacyNetworkBuffers) return false;
    const anyNetworkOption = config.contains(this.o.networkMin) || config.contains(this.o.networkMax) || config.contains(this.o.networkFraction);
    return !anyNetworkOption && config.contains(this.o.legacyNetworkBuffers);
  }

  private legacyNetworkMemory(config: FlinkConfiguration): SizedValue {
    const buffers = BigInt(config.getInt(this.o.legacyNetworkBuffers) ?? 0);
    const segmentSize = pageSize(config, this.version);
    return {
      bytes: checkNonNegative(buffers * segmentSize),
      provenance: { kind: 'buffers', buffersKey: this.o.legacyNetworkBuffers.key, buffers, segmentSize },
    };
  }
}

/** Flink's ConfigurationParserUtils.getPageSize: an int, at least 4 KiB, a power of two. */
export function pageSize(config: FlinkConfiguration, version: FlinkVersionBehaviour): bigint {
  const option = version.tm.segmentSize;
  const bytes = config.getMemory(option) ?? 32768n;
  if (bytes > INT_MAX) throw illegalArgument(`Cannot downcast long value ${bytes} to integer.`);
  const invalid = (reason: string) =>
    illegalConfiguration(`Invalid configuration value for ${option.key} : ${bytes} - ${reason}`, undefined, [option.key]);
  if (bytes < MIN_PAGE_SIZE) throw invalid(`Minimum memory segment size is ${MIN_PAGE_SIZE}`);
  if ((bytes & (bytes - 1n)) !== 0n) throw invalid('Memory segment size must be a power of 2.');
  return bytes;
}

const h = (v: SizedValue): string => formatHumanReadable(v.bytes);
