/**
 * Key-level checks against the option catalog of one Flink line: unknown keys (with the nearest
 * known key), values of the wrong type, deprecated spellings, keys the line does not read.
 */
import { CATALOG, catalogFor, inCompleteNamespace, inKnownNamespace, inOpenFamily, matchPattern, nearestKey } from '../catalog/catalog.js';
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
    const reporterByClass = reporterConfiguredByClass(key, value, line, present);
    if (reporterByClass !== undefined) {
      problems.push({ ...reporterByClass, key, ...place });
      continue;
    }
    const status = catalog.status(key);
    const templated = (status.kind === 'option' || status.kind === 'deprecated') && PLACEHOLDER.test(value);
    if (templated) {
      // A template (Helm, envsubst) fills it in before Flink reads it; Flink itself would read it literally.
      problems.push({
        code: 'config-warning',
        severity: 'info',
        key,
        ...place,
        message: `${key}: value '${value}' holds a placeholder, which Flink does not expand; its type is not checked`,
        suggestion: null,
      });
      if (status.kind === 'option') continue;
    }
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
          const reason = templated ? undefined : checkValue(status.option.type, value);
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
        if (LOGGING_KEY.test(key)) {
          problems.push({
            code: 'unknown-key',
            severity: 'warning',
            key,
            ...place,
            message: `${key} is a Log4j setting: Flink reads logging from conf/log4j*.properties (a FlinkDeployment from spec.logConfiguration), not from its configuration, so it has no effect here`,
            suggestion: 'move it to log4j-console.properties (spec.logConfiguration["log4j-console.properties"] for the operator)',
          });
          break;
        }
        const near = nearestKey(key, line);
        // Sure: a key outside every namespace Flink uses, or inside one the catalog lists completely.
        const sure = inCompleteNamespace(key) || !inKnownNamespace(key);
        if (near === undefined && !sure) {
          // A known key behind an extra prefix (`execution.restart-strategy.type`) is a misplaced option.
          // Or a known key with a few letters more (`taskmanager.hostname` for `taskmanager.host`); the longest of each wins.
          let misplaced: string | undefined;
          let lengthened: string | undefined;
          for (const k of catalog.options.keys()) {
            if (!k.includes('.')) continue;
            if (key.endsWith(`.${k}`) && k.length > (misplaced?.length ?? 0)) misplaced = k;
            if (key.startsWith(k) && /^[a-z]{1,4}$/i.test(key.slice(k.length)) && k.length > (lengthened?.length ?? 0)) lengthened = k;
          }
          if (misplaced === undefined && lengthened !== undefined) {
            problems.push({
              code: 'unknown-key',
              severity: 'warning',
              key,
              ...place,
              message: `unknown key ${key}: Flink ${line} reads ${lengthened}, not ${key}; this key it ignores`,
              suggestion: lengthened,
            });
            break;
          }
          if (misplaced !== undefined) {
            problems.push({
              code: 'unknown-key',
              severity: 'warning',
              key,
              ...place,
              message: `unknown key ${key}: Flink ${line} reads ${misplaced}, without the '${key.slice(0, key.length - misplaced.length - 1)}.' in front; this key it ignores`,
              suggestion: misplaced,
            });
            break;
          }
          // Neither documentation nor code held knows it; a plugin may still read it, so only a note.
          problems.push({
            code: 'unknown-key',
            severity: 'info',
            key,
            ...place,
            message: `unknown key ${key}: no option of Flink ${line}'s documentation or code has this name and no option is near it; unless a plugin or your job reads it, Flink ignores it`,
            suggestion: null,
          });
          break;
        }
        // The nearest key may be a spelling this line reads only as deprecated: name the option to write.
        const nearOption = near === undefined ? undefined : catalog.deprecatedKeys.get(near.key);
        const meant = near === undefined ? '' : nearOption === undefined ? near.key : `${near.key} (deprecated on Flink ${line}: ${nearOption.key})`;
        problems.push({
          code: 'unknown-key',
          // A near key in a namespace the catalog covers only in part may be an option the catalog lacks.
          severity: sure && (near !== undefined || inCompleteNamespace(key)) ? 'error' : 'warning',
          key,
          ...place,
          message:
            near !== undefined
              ? `unknown key ${key}: ${sure ? `Flink ${line} ignores it silently` : `not an option of Flink ${line}'s documentation, so Flink probably ignores it`}; did you mean ${meant}?`
              : `unknown key ${key}: no Flink ${line} option has this name, so Flink ignores it silently`,
          suggestion: nearOption?.key ?? near?.key ?? null,
        });
        break;
      }
    }
  }
  return problems;
}

/** Log4j 1 and 2 properties (`log4j.logger.x`, `logger.x.level`, `rootLogger.level`, `appender.x.type`). */
const LOGGING_KEY = /^(log4j2?|logger|loggers|rootLogger|appender|appenders)\./;

/** `${VAR}`, `$(VAR)`, `{{ .Values.x }}`: filled in by a template tool, not by Flink. */
const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|\{\{[^}]*\}\}/;

const FIRST_FACTORY_ONLY_LINE = '1.17';

/**
 * `metrics.reporter.<name>.class`: Flink 1.17 dropped reporters configured by class (FLINK-24235, 1.17
 * release notes); the reporter is not started, with only a log line to say so.
 */
function reporterConfiguredByClass(key: string, value: string, line: string, present: ReadonlySet<string>): Omit<LintProblem, 'key' | 'file' | 'line'> | undefined {
  const m = /^metrics\.reporter\.(.+)\.class$/.exec(key);
  if (m === null || m[1]!.endsWith('.factory') || CATALOG.lines.indexOf(line) < CATALOG.lines.indexOf(FIRST_FACTORY_ONLY_LINE)) return undefined;
  const factoryKey = `metrics.reporter.${m[1]!}.factory.class`;
  if (present.has(factoryKey)) {
    return { code: 'ignored-key', severity: 'info', message: `${key} is ignored since Flink 1.17 (reporters start from ${factoryKey}, which is set)`, suggestion: `remove ${key}` };
  }
  // Flink's reporters name their factory after themselves (PrometheusReporter -> PrometheusReporterFactory).
  const factory = /^org\.apache\.flink\.metrics\.[\w.]+Reporter$/.test(value.trim()) ? `${factoryKey}: ${value.trim()}Factory` : factoryKey;
  return {
    code: 'ignored-key',
    severity: 'warning',
    message: `${key}: Flink ${line} no longer starts reporters configured by class (only by factory, since 1.17), so reporter '${m[1]!}' reports nothing`,
    suggestion: factory,
  };
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
