/**
 * Whether a raw value parses as its option's type the way Flink converts it. Returns the reason
 * when it does not (Flink's own message where the memory model reproduces it), else undefined.
 */
import { FlinkError } from '../memory/errors.js';
import { JavaNumberFormatError, parseJavaDouble, parseJavaFloat, parseJavaInt, parseJavaLong } from '../memory/java/java-numbers.js';
import { parseMemorySize } from '../memory/memory-size.js';
import type { CatalogOptionType } from './types.js';

// Flink's TimeUtils.parseDuration: a whole number and an optional unit (milliseconds without one).
const DURATION_UNITS = [
  'd', 'day', 'days', 'h', 'hour', 'hours', 'min', 'm', 'minute', 'minutes', 's', 'sec', 'secs', 'second', 'seconds',
  'ms', 'milli', 'millis', 'millisecond', 'milliseconds', 'µs', 'micro', 'micros', 'microsecond', 'microseconds',
  'ns', 'nano', 'nanos', 'nanosecond', 'nanoseconds',
];

export function checkValue(type: CatalogOptionType, raw: string): string | undefined {
  const attempt = (parse: () => unknown): string | undefined => {
    try {
      parse();
      return undefined;
    } catch (e) {
      if (e instanceof FlinkError || e instanceof JavaNumberFormatError) return e.message;
      throw e;
    }
  };
  switch (type) {
    case 'MemorySize':
      return attempt(() => parseMemorySize(raw));
    case 'Float':
      return attempt(() => parseJavaFloat(raw));
    case 'Double':
      return attempt(() => parseJavaDouble(raw));
    case 'Integer':
      return attempt(() => parseJavaInt(raw));
    case 'Long':
      return attempt(() => parseJavaLong(raw));
    case 'Boolean':
      return /^(true|false)$/i.test(raw.trim()) ? undefined : `Unrecognized option for boolean: ${raw}. Expected either true or false(case insensitive)`;
    case 'Duration': {
      const match = /^\s*(\d+)\s*([^\d\s]*)\s*$/.exec(raw);
      if (match === null) return `Invalid duration '${raw}': expected a whole number and an optional unit (ms, s, min, h, d)`;
      const unit = match[2]!.toLowerCase();
      return unit === '' || DURATION_UNITS.includes(unit) ? undefined : `Time interval unit label '${unit}' does not match any of the recognized units: ${DURATION_UNITS.join(', ')}`;
    }
    case 'String':
    case 'Map':
    case 'Enum':
    case 'List<String>':
    case 'List<Enum>':
    case 'List<Map>':
      return undefined;
  }
}
