/**
 * The JobManager's Total Flink Memory split (Flink's JobManagerFlinkMemoryUtils): JVM heap and
 * off-heap memory, from the heap size or from a Total Flink Memory size.
 */
import type { FlinkConfiguration } from './configuration.js';
import { illegalConfiguration } from './errors.js';
import { addSizes, formatHumanReadable, subtractSizes } from './memory-size.js';
import { readMemory, type FlinkMemory, type FlinkMemoryStrategy, type SizedValue } from './process-memory.js';
import type { FlinkVersionBehaviour } from './versions.js';

export interface JobManagerFlinkMemory extends FlinkMemory {
  readonly jvmHeap: SizedValue;
  readonly offHeap: SizedValue;
}

const CONSISTENCY_HINT =
  'Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.';

export class JobManagerFlinkMemoryStrategy implements FlinkMemoryStrategy<JobManagerFlinkMemory> {
  constructor(private readonly version: FlinkVersionBehaviour) {}

  deriveFromRequiredFineGrainedOptions(config: FlinkConfiguration): JobManagerFlinkMemory {
    const o = this.version.jm;
    const jvmHeap = readMemory(config, o.jvmHeap);
    let offHeap = readMemory(config, o.offHeap);
    if (config.contains(o.totalFlink)) {
      const totalFlink = readMemory(config, o.totalFlink);
      if (config.contains(o.offHeap)) {
        if (addSizes(jvmHeap.bytes, offHeap.bytes) !== totalFlink.bytes) {
          throw illegalConfiguration(
            `Sum of the configured JVM Heap Memory (${h(jvmHeap)}) and the configured Off-heap Memory (${h(offHeap)}) does not match the configured Total Flink Memory (${h(totalFlink)}). ${CONSISTENCY_HINT}`,
            undefined,
            [o.jvmHeap.key, o.offHeap.key, o.totalFlink.key],
          );
        }
      } else {
        if (totalFlink.bytes < jvmHeap.bytes) {
          throw illegalConfiguration(
            `The configured JVM Heap Memory (${h(jvmHeap)}) exceeds the configured Total Flink Memory (${h(totalFlink)}). ${CONSISTENCY_HINT}`,
            undefined,
            [o.jvmHeap.key, o.totalFlink.key],
          );
        }
        offHeap = {
          bytes: subtractSizes(totalFlink.bytes, jvmHeap.bytes),
          provenance: { kind: 'remainder', total: 'Total Flink Memory', totalBytes: totalFlink.bytes, minus: ['JVM Heap'] },
        };
      }
    }
    return { jvmHeap, offHeap, totalFlinkMemory: addSizes(jvmHeap.bytes, offHeap.bytes) };
  }

  deriveFromTotalFlinkMemory(config: FlinkConfiguration, totalFlink: SizedValue): JobManagerFlinkMemory {
    const o = this.version.jm;
    const offHeap = readMemory(config, o.offHeap);
    if (totalFlink.bytes <= offHeap.bytes) {
      throw illegalConfiguration(
        `The configured Total Flink Memory (${h(totalFlink)}) is less than the configured Off-heap Memory (${h(offHeap)}).`,
        undefined,
        [o.totalFlink.key, o.offHeap.key],
      );
    }
    const jvmHeap: SizedValue = {
      bytes: subtractSizes(totalFlink.bytes, offHeap.bytes),
      provenance: { kind: 'remainder', total: 'Total Flink Memory', totalBytes: totalFlink.bytes, minus: ['Off-Heap'] },
    };
    return { jvmHeap, offHeap, totalFlinkMemory: addSizes(jvmHeap.bytes, offHeap.bytes) };
  }
}

const h = (v: SizedValue): string => formatHumanReadable(v.bytes);
