/** Small pieces shared by the TaskManager and JobManager entry points. */
import { FlinkConfiguration, type FlatConfig } from './configuration.js';
import { FlinkError, illegalConfiguration } from './errors.js';
import { javaHashMapPermutation } from './java/java-hash-map.js';
import type { ConfigOption } from './options.js';
import type { ProcessMemoryOptions } from './process-memory.js';
import type { DerivationResult, ProcessKind, ProcessSpec } from './spec.js';
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

/** Memoises a per-version value (derivations, key lists), built on first use. */
export function perVersion<T>(build: (version: FlinkVersionBehaviour) => T): (version: FlinkVersionBehaviour) => T {
  const cache = new WeakMap<FlinkVersionBehaviour, T>();
  return (version) => {
    let value = cache.get(version);
    if (value === undefined) {
      value = build(version);
      cache.set(version, value);
    }
    return value;
  };
}

/** The options every process kind names the same way. */
interface CommonProcessOptions {
  readonly totalFlink: ConfigOption;
  readonly totalProcess: ConfigOption;
  readonly jvmMetaspace: ConfigOption;
  readonly jvmOverheadMin: ConfigOption;
  readonly jvmOverheadMax: ConfigOption;
  readonly jvmOverheadFraction: ConfigOption;
}

export function processMemoryOptions(o: CommonProcessOptions, requiredFineGrained: readonly ConfigOption[]): ProcessMemoryOptions {
  const { totalFlink, totalProcess, jvmMetaspace, jvmOverheadMin, jvmOverheadMax, jvmOverheadFraction } = o;
  return { requiredFineGrained, totalFlink, totalProcess, jvmMetaspace, jvmOverheadMin, jvmOverheadMax, jvmOverheadFraction };
}

/** Runs a derivation, turning Flink's failures into a result value; anything else is a bug and propagates. */
export function runDerivation<S extends ProcessSpec>(
  process: ProcessKind,
  values: FlatConfig,
  version: FlinkVersionBehaviour,
  deriveOrThrow: (config: FlinkConfiguration, version: FlinkVersionBehaviour, notes: string[]) => S,
): DerivationResult<S> {
  const notes = ignoredKeyNotes(values, version);
  try {
    return { ok: true, spec: deriveOrThrow(new FlinkConfiguration(values), version, notes) };
  } catch (e) {
    if (!(e instanceof FlinkError)) throw e;
    return { ok: false, process, flinkVersion: version.line, error: e, notes };
  }
}
