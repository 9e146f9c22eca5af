import { FlinkError, illegalArgument, numberFormat } from './errors.js';
import { parseMemorySize } from './memory-size.js';
import {
  JavaNumberFormatError,
  parseJavaDouble,
  parseJavaFloat,
  parseJavaInt,
  parseJavaLong,
} from './java/java-numbers.js';
import type { ConfigOption } from './options.js';

/** A flat configuration: option key -> raw string value, as Flink holds -D values and YAML leaves. */
export type FlatConfig = Readonly<Record<string, string>>;

/**
 * Reads options from a flat map with the semantics of Flink's Configuration: a key is present if
 * it or one of its fallback keys is set; values convert lazily and a malformed value fails with
 * Flink's "Could not parse value" error only when the option is read. Values set by the
 * derivation itself (the legacy heap mapping) are held as already-typed overrides.
 */
export class FlinkConfiguration {
  private readonly overrides = new Map<string, { bytes: bigint; via: string }>();

  constructor(private readonly values: FlatConfig) {}

  /**
   * A copy with a memory option set to exact bytes (Flink's `config.set(option, MemorySize)`),
   * remembering the key the value really came from (a legacy key mapped onto a new option).
   */
  withMemory(option: ConfigOption, bytes: bigint, via: string): FlinkConfiguration {
    const copy = new FlinkConfiguration(this.values);
    for (const [k, v] of this.overrides) copy.overrides.set(k, v);
    copy.overrides.set(option.key, { bytes, via });
    return copy;
  }

  /** The legacy key whose value was mapped onto `option`, if any. */
  mappedFrom(option: ConfigOption): string | undefined {
    return this.overrides.get(option.key)?.via;
  }

  /** The key actually holding the value (the option's own key first, then fallback keys in order). */
  sourceKey(option: ConfigOption): string | undefined {
    if (this.overrides.has(option.key)) return option.key;
    if (Object.hasOwn(this.values, option.key)) return option.key;
    for (const f of option.fallbackKeys) if (Object.hasOwn(this.values, f.key)) return f.key;
    return undefined;
  }

  contains(option: ConfigOption): boolean {
    return this.sourceKey(option) !== undefined;
  }

  containsKey(key: string): boolean {
    return Object.hasOwn(this.values, key);
  }

  raw(key: string): string | undefined {
    return Object.hasOwn(this.values, key) ? this.values[key] : undefined;
  }

  keys(): string[] {
    return Object.keys(this.values);
  }

  getMemory(option: ConfigOption): bigint | undefined {
    const override = this.overrides.get(option.key);
    if (override !== undefined) return override.bytes;
    return this.read(option, (raw) => parseMemorySize(raw)) ?? (option.defaultValue as bigint | undefined);
  }

  /** Float options come back widened to double, as Flink's `double fraction = config.get(floatOption)`. */
  getFloat(option: ConfigOption): number | undefined {
    return this.read(option, (raw) => parseJavaFloat(raw)) ?? (option.defaultValue as number | undefined);
  }

  getDouble(option: ConfigOption): number | undefined {
    return this.read(option, (raw) => parseJavaDouble(raw)) ?? (option.defaultValue as number | undefined);
  }

  getInt(option: ConfigOption): number | undefined {
    return this.read(option, (raw) => parseJavaInt(raw)) ?? (option.defaultValue as number | undefined);
  }

  getLong(key: string): bigint | undefined {
    const raw = this.raw(key);
    if (raw === undefined) return undefined;
    return convert(raw, key, (r) => parseJavaLong(r));
  }

  getBoolean(option: ConfigOption): boolean | undefined {
    return this.read(option, parseBoolean) ?? (option.defaultValue as boolean | undefined);
  }

  private read<T>(option: ConfigOption, parse: (raw: string) => T): T | undefined {
    const key = this.sourceKey(option);
    if (key === undefined) return undefined;
    return convert(this.values[key]!, option.key, parse);
  }
}

function parseBoolean(raw: string): boolean {
  const upper = raw.toUpperCase();
  if (upper === 'TRUE') return true;
  if (upper === 'FALSE') return false;
  throw illegalArgument(`Unrecognized option for boolean: ${raw}. Expected either true or false(case insensitive)`);
}

/** Flink wraps every conversion failure the same way, naming the option's own key. */
function convert<T>(raw: string, key: string, parse: (raw: string) => T): T {
  try {
    return parse(raw);
  } catch (e) {
    const cause = e instanceof FlinkError ? e : e instanceof JavaNumberFormatError ? numberFormat(e.message) : undefined;
    if (cause === undefined) throw e;
    throw illegalArgument(`Could not parse value '${raw}' for key '${key}'.`, cause, [key]);
  }
}
