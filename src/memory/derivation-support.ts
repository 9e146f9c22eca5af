/** Small pieces shared by the TaskManager and JobManager entry points. */
import type { FlatConfig } from './configuration.js';
import { FlinkError, illegalConfiguration } from './errors.js';
import { javaHashMapPermutation } from './java/java-hash-map.js';
import type { FlinkVersionBehaviour } from './versions.js';

/**
 * Runs `body`, prefixing any IllegalConfigurationException the way Flink's entry points do
 * (only that class is wrapped; parse failures and overflows pass through unchanged).
 */
export function withErrorPrefix<T>(prefix: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof FlinkError && e.error === 'IllegalConfigurationException') {
      throw illegalConfiguration(prefix + e.message, e, e.keys);
    }
    throw e;
  }
}

/** Keys set in the configuration that this Flink line no longer reads. */
export function ignoredKeyNotes(values: FlatConfig, version: FlinkVersionBehaviour): string[] {
  return version.ignoredKeys
    .filter((key) => Object.hasOwn(values, key))
    .map((key) => `'${key}' is ignored by Flink ${version.line} (removed legacy option); it has no effect on memory.`);
}

/**
 * Flink's assembleDynamicConfigsStr over a HashMap filled with `keys[i] = values[i]` in this
 * order: `-D key=value` joined by spaces, in the map's iteration order. Pass the same `keys`
 * array each time to reuse the computed order.
 */
export function assembleDynamicConfigs(keys: readonly string[], values: readonly string[]): string {
  let out = '';
  for (const i of javaHashMapPermutation(keys)) out += `${out.length === 0 ? '' : ' '}-D ${keys[i]}=${values[i]}`;
  return out;
}
