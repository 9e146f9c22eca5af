/** Flink's shipped default configuration (conf/config.yaml of the distribution), memory-relevant part. */
import type { ConfigEntry, LoadedConfig } from './types.js';

const SHIPPED: readonly (readonly [string, string])[] = [
  ['jobmanager.memory.process.size', '1600m'],
  ['taskmanager.memory.process.size', '1728m'],
  ['taskmanager.numberOfTaskSlots', '1'],
  ['parallelism.default', '1'],
];

/** What a fresh Flink distribution runs with; the CLI uses it only when no `--config` is given. */
export function shippedDefaultConfig(): LoadedConfig {
  const entries = new Map<string, ConfigEntry>();
  for (const [key, value] of SHIPPED) entries.set(key, { key, value, source: { kind: 'default-config' } });
  return { entries, warnings: [] };
}
