/**
 * Flink 1.x reads the pre-1.10 heap keys (`taskmanager.heap.size` / `.mb`, `jobmanager.heap.size` /
 * `.mb`) as a new option when that option is not set (Flink's MemoryBackwardsCompatibilityUtils).
 * The environment variables FLINK_TM_HEAP / FLINK_JM_HEAP are not modelled: a configuration file
 * cannot set them.
 */
import type { FlinkConfiguration } from './configuration.js';
import { illegalConfiguration } from './errors.js';
import type { ConfigOption } from './options.js';
import { readMemory } from './process-memory.js';

export function mapLegacyHeap(
  config: FlinkConfiguration,
  target: ConfigOption,
  heapSize: ConfigOption,
  heapMb: ConfigOption,
): FlinkConfiguration {
  if (config.contains(target)) return config;
  if (config.contains(heapSize)) {
    return config.withMemory(target, readMemory(config, heapSize).bytes, heapSize.key);
  }
  if (config.contains(heapMb)) {
    const mb = config.getInt(heapMb) ?? 0;
    if (mb < 0) {
      throw illegalConfiguration(`Configured total process memory size (${mb}MB) must not be less than 0.`, undefined, [heapMb.key]);
    }
    return config.withMemory(target, BigInt(mb) << 20n, heapMb.key);
  }
  return config;
}
