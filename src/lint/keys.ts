/**
 * Key-level checks against the option catalog of one Flink line: unknown keys (with the nearest
 * known key), values of the wrong type, deprecated spellings, keys the line does not read.
 */
import { catalogFor, inCompleteNamespace, inKnownNamespace, inOpenFamily, matchPattern, nearestKey } from '../catalog/catalog.js';
import type { CatalogOptionType } from '../catalog/types.js';
import { checkValue } from '../catalog/values.js';
import type { ConfigEntry } from '../config/types.js';
import { placeOf, type LintProblem } from './problems.js';


export function checkKeys(entries: Iterable<ConfigEntry>, line: string): LintProblem[] {
  const catalog = catalogFor(line);
  const problems: LintProblem[] = [];
  const all = [...entries];
  const present = new Set(all.map((e) => e.key));
  for (const entry of all) {
    const { key, value } = entry;
    const place = placeOf(entry.source);
    const status = catalog.status(key);
    switch (status.kind) {
      case 'option': {
        const reason = checkValue(status.option.type, value);
        if (reason !== undefined) {
          problems.push({
            code: 'invalid-value',
            severity: 'error',
            key,
            ...place,
            message: `'${value}' is not a valid ${status.option.type} for ${key}: ${reason}`,
            suggestion: exampleOf(status.option.type, status.option.defaultText),
          });
        }
        break;
      }
      case 'deprecated': {
        const own = status.option.key;
        if (present.has(own)) {
          problems.push({
            code: 'shadowed-key',
            severity: 'warning',
            key,
            ...place,
            message: `${key} is a deprecated spelling of ${own}, which is set too: Flink reads ${own} and ignores this value`,
            suggestion: `remove ${key}`,
          });
        } else {
          const reason = checkValue(status.option.type, value);
          problems.push({
            code: reason === undefined ? 'deprecated-key' : 'invalid-value',
            severity: reason === undefined ? 'warning' : 'error',
            key,
            ...place,
            message:
              reason === undefined
                ? `${key} is deprecated on Flink ${line}; Flink still reads it as ${own}`
                : `'${value}' is not a valid ${status.option.type} for ${key} (read as ${own}): ${reason}`,
            suggestion: own,
          });
        }
        break;
      }
      case 'removed':
        problems.push({
          code: 'ignored-key',
          severity: 'warning',
          key,
          ...place,
          message: `${key} is not read by Flink ${line} (last read by ${status.lastLine})${status.record.replacement === undefined ? '' : `; use ${status.record.replacement}`}`,
          suggestion: status.record.replacement ?? `remove ${key}`,
        });
        break;
      case 'not-yet':
        problems.push({
          code: 'ignored-key',
          severity: 'warning',
          key,
          ...place,
          message: `${key} is read only from Flink ${status.firstLine} on; Flink ${line} ignores it`,
          suggestion: `remove ${key}, or lint with --flink-version ${status.firstLine} or newer if that is what runs`,
        });
        break;
      case 'unknown': {
        // A documented option with user-defined parts (`metrics.reporter.<name>.factory.class`).
        const pattern = matchPattern(key);
        if (pattern !== undefined) {
          const reason = checkValue(pattern.type, value);
          if (reason !== undefined) {
            problems.push({
              code: 'invalid-value',
              severity: 'error',
              key,
              ...place,
              message: `'${value}' is not a valid ${pattern.type} for ${key} (${pattern.pattern}): ${reason}`,
              suggestion: exampleOf(pattern.type, pattern.default),
            });
          }
          break;
        }
        if (inOpenFamily(key)) break; // user-defined names, or another component's options
        const near = nearestKey(key, line);
        // Sure: a key outside every namespace Flink uses, or inside one the catalog lists completely.
        const sure = inCompleteNamespace(key) || !inKnownNamespace(key);
        if (near === undefined && !sure) break; // the documentation tables held may miss an option here
        problems.push({
          code: 'unknown-key',
          // A near key in a namespace the catalog covers only in part may be an option the catalog lacks.
          severity: sure && (near !== undefined || inCompleteNamespace(key)) ? 'error' : 'warning',
          key,
          ...place,
          message:
            near !== undefined
              ? `unknown key ${key}: ${sure ? `Flink ${line} ignores it silently` : `not an option of Flink ${line}'s documentation, so Flink probably ignores it`}; did you mean ${near.key}?`
              : `unknown key ${key}: no Flink ${line} option has this name, so Flink ignores it silently`,
          suggestion: near?.key ?? null,
        });
        break;
      }
    }
  }
  return problems;
}

function exampleOf(type: CatalogOptionType, documented: string | null): string | null {
  // A default the documentation words in prose (`infinite`) is no example of a value.
  const defaultText = documented !== null && checkValue(type, documented) === undefined ? documented : null;
  switch (type) {
    case 'MemorySize':
      return `a size such as ${defaultText ?? '1024m'} (units: b, k/kb, m/mb, g/gb, t/tb)`;
    case 'Float':
    case 'Double':
      return `a number such as ${defaultText ?? '0.1'}`;
    case 'Integer':
    case 'Long':
      return `a whole number such as ${defaultText ?? '1'}`;
    case 'Boolean':
      return 'true or false';
    case 'Duration':
      return `a duration such as ${defaultText ?? '10 s'} (ms, s, min, h, d)`;
    default:
      return null;
  }
}
