/**
 * `-D key=value` overrides, as given to Flink's CLI and entrypoints: split at the first `=`, key
 * trimmed, value kept verbatim (so `-D a=b=c` sets `a` to `b=c` and `-D key=` sets it to "").
 * Overrides win over the file; a later `-D` wins over an earlier one.
 */
import { ConfigLoadError } from './errors.js';
import type { ConfigEntry, LoadedConfig } from './types.js';

export function parseDynamicProperty(text: string, index: number): ConfigEntry {
  const separator = text.indexOf('=');
  if (separator === -1) {
    throw new ConfigLoadError('INVALID_DYNAMIC_PROPERTY', `-D ${text}: expected key=value`, { key: text.trim() });
  }
  const key = text.slice(0, separator).trim();
  if (key.length === 0) {
    throw new ConfigLoadError('INVALID_DYNAMIC_PROPERTY', `-D ${text}: the key before '=' is empty (expected key=value)`);
  }
  return { key, value: text.slice(separator + 1), source: { kind: 'dynamic', index } };
}

/** A copy of `base` with every override applied in order; `base` is left untouched. */
export function applyDynamicProperties(base: LoadedConfig, dynamic: readonly string[]): LoadedConfig {
  const entries = new Map(base.entries);
  dynamic.forEach((text, index) => {
    const entry = parseDynamicProperty(text, index);
    entries.set(entry.key, entry);
  });
  return { ...base, entries, warnings: [...base.warnings] };
}
