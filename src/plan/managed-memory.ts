/**
 * How a TaskManager's managed memory reaches its consumers, the way Flink computes it:
 *
 * 1. Each slot gets `managed / numberOfTaskSlots` bytes (MemorySize.divide: integer division; the
 *    remainder belongs to no slot). That is the budget of the slot's MemoryManager.
 * 2. The kinds of consumers a slot holds (OPERATOR for batch algorithms, STATE_BACKEND for
 *    RocksDB/ForSt, PYTHON for Python workers) share that budget by the weights of
 *    `taskmanager.memory.managed.consumer-weights`, regardless of how many consumers of each kind
 *    there are. A kind's share is weight / (sum of the weights of the kinds present), cut to 16
 *    decimal places (ManagedMemoryUtils.getFractionRoundedDown) and held as a double.
 *    STATE_BACKEND counts only when the job's state backend uses managed memory (RocksDB and
 *    ForSt always declare that they do, whatever `state.backend.rocksdb.memory.managed` says).
 * 3. A slot-scoped consumer then reserves `(long) Math.floor(slotBudget * fraction)` bytes
 *    (MemoryManager.computeMemorySize); a fraction of exactly 0 makes that call fail.
 *
 * Pure: no I/O. Flink's arithmetic is reproduced with bigint and IEEE doubles (which JavaScript
 * numbers are), so every byte matches.
 */
import type { FlatConfig } from '../memory/configuration.js';
import { javaTrim } from '../memory/java/java-text.js';
import { FlinkError, illegalArgument, illegalConfiguration, numberFormat } from '../memory/errors.js';
import { JavaNumberFormatError, parseJavaInt } from '../memory/java/java-numbers.js';
import type { TaskManagerSpec } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { constructScalar, resolveImplicit, ScalarConstructionError } from '../config/yaml-scalars.js';
import { renderValue } from '../config/yaml-render.js';

export const MANAGED_MEMORY_CONSUMERS = ['OPERATOR', 'STATE_BACKEND', 'PYTHON'] as const;
export type ManagedMemoryConsumer = (typeof MANAGED_MEMORY_CONSUMERS)[number];

export const CONSUMER_WEIGHTS_KEY = 'taskmanager.memory.managed.consumer-weights';

/** TaskManagerOptions.MANAGED_MEMORY_CONSUMER_WEIGHTS' default, the same in every supported line (1.16-2.x). */
export const DEFAULT_CONSUMER_WEIGHTS: Readonly<Record<string, string>> = { OPERATOR: '70', STATE_BACKEND: '70', PYTHON: '30' };

/**
 * The names Flink looks up for each kind, in order: the pre-1.13 name DATAPROC still counts for
 * OPERATOR and STATE_BACKEND when their own name is absent.
 */
const CONSUMER_NAMES: Readonly<Record<ManagedMemoryConsumer, readonly string[]>> = {
  OPERATOR: ['OPERATOR', 'DATAPROC'],
  STATE_BACKEND: ['STATE_BACKEND', 'DATAPROC'],
  PYTHON: ['PYTHON'],
};

export interface ConsumerWeights {
  /** The map Flink reads (name -> raw weight text), after parsing the option. */
  readonly configured: Readonly<Record<string, string>>;
  /** Where the map came from: Flink's default, the option's value, or `key.NAME` entries. */
  readonly source: 'default' | 'value' | 'prefixed-keys';
  /** Effective weight per kind; a kind Flink finds no weight for is absent (it counts as 0). */
  readonly weights: Readonly<Partial<Record<ManagedMemoryConsumer, number>>>;
  /** The name each effective weight was found under ('DATAPROC' for the legacy fallback). */
  readonly names: Readonly<Partial<Record<ManagedMemoryConsumer, string>>>;
}

/**
 * Reads `taskmanager.memory.managed.consumer-weights` as Flink does. Throws a FlinkError with
 * Flink's message for what Flink rejects: a value that is not a map, a weight that is not a Java
 * int, a negative weight.
 *
 * `standardYaml`: the configuration is a standard-YAML `config.yaml` (always in 2.x), where Flink
 * first tries to read the value as a YAML mapping (`{OPERATOR: 70, PYTHON: 30}`) and falls back
 * to the `NAME:weight,NAME:weight` pattern.
 */
export function readConsumerWeights(values: FlatConfig, standardYaml = true): ConsumerWeights {
  const { configured, source } = configuredWeights(values, standardYaml);
  const weights: Partial<Record<ManagedMemoryConsumer, number>> = {};
  const names: Partial<Record<ManagedMemoryConsumer, string>> = {};
  for (const consumer of MANAGED_MEMORY_CONSUMERS) {
    for (const name of CONSUMER_NAMES[consumer]) {
      if (!Object.hasOwn(configured, name)) continue;
      const text = configured[name]!;
      let weight: number;
      try {
        weight = parseJavaInt(text);
      } catch (e) {
        // Flink parses the weights unguarded, so the bare NumberFormatException reaches the user.
        if (e instanceof JavaNumberFormatError) throw withKeys(numberFormat(e.message), [CONSUMER_WEIGHTS_KEY]);
        throw e;
      }
      if (weight < 0) {
        throw illegalConfiguration(
          `Managed memory weight should not be negative. Configured weight for ${consumer} is ${weight}.`,
          undefined,
          [CONSUMER_WEIGHTS_KEY],
        );
      }
      weights[consumer] = weight;
      names[consumer] = name;
      break;
    }
  }
  return { configured, source, weights, names };
}

const withKeys = (e: FlinkError, keys: readonly string[]): FlinkError => new FlinkError(e.error, e.message, e.cause, keys);

function configuredWeights(values: FlatConfig, standardYaml: boolean): Pick<ConsumerWeights, 'configured' | 'source'> {
  if (Object.hasOwn(values, CONSUMER_WEIGHTS_KEY)) {
    const raw = values[CONSUMER_WEIGHTS_KEY]!;
    try {
      return { configured: parseMapValue(raw, standardYaml), source: 'value' };
    } catch (e) {
      if (!(e instanceof FlinkError)) throw e;
      throw illegalArgument(`Could not parse value '${raw}' for key '${CONSUMER_WEIGHTS_KEY}'.`, e, [CONSUMER_WEIGHTS_KEY]);
    }
  }
  // A nested mapping in config.yaml arrives as `consumer-weights.NAME` keys; Flink reads a map
  // option from such prefixed keys when the option itself is not set.
  const prefix = `${CONSUMER_WEIGHTS_KEY}.`;
  const prefixed: Record<string, string> = {};
  let found = false;
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith(prefix) && key.length > prefix.length) {
      prefixed[key.slice(prefix.length)] = value;
      found = true;
    }
  }
  if (found) return { configured: prefixed, source: 'prefixed-keys' };
  return { configured: DEFAULT_CONSUMER_WEIGHTS, source: 'default' };
}

function parseMapValue(raw: string, standardYaml: boolean): Record<string, string> {
  if (standardYaml) {
    const yaml = flowMapping(raw);
    if (yaml !== undefined) return yaml;
  }
  const map: Record<string, string> = {};
  for (const item of splitEscaped(raw, ',')) {
    const pair = splitEscaped(item, ':');
    if (pair.length !== 2) throw illegalArgument("Map item is not a key-value pair (missing ':'?)");
    const [key, value] = pair as [string, string];
    // Collectors.toMap refuses duplicates (an IllegalStateException in Flink, reported with this text).
    if (Object.hasOwn(map, key)) throw illegalArgument(`Duplicate key ${key} (attempted merging values ${map[key]} and ${value})`);
    map[key] = value;
  }
  return map;
}

/**
 * A one-line YAML mapping of plain scalars (`{OPERATOR: 70, PYTHON: 30}` or `OPERATOR: 70`), the
 * shape Flink's YAML reading accepts; values are rendered as Flink renders them as strings
 * (`070` is the octal int 56 -> "56"). Anything else (quoted or nested values, keys without
 * `: `) is left to the legacy pattern, which is where Flink falls back to as well; the rare
 * inputs where SnakeYAML would build a different mapping are not modelled.
 */
function flowMapping(raw: string): Record<string, string> | undefined {
  const text = raw.trim();
  const body = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1).trim() : text;
  if (body === '' || !body.includes(': ')) return text === '{}' ? {} : undefined;
  const map: Record<string, string> = {};
  for (const entry of body.split(',')) {
    const at = entry.indexOf(': ');
    if (at < 0) return undefined;
    const key = entry.slice(0, at).trim();
    const value = entry.slice(at + 2).trim();
    if (key === '' || value === '' || /['"{}[\]:#&*!|>%@`]/.test(key + value)) return undefined;
    try {
      map[key] = renderValue(constructScalar(resolveImplicit(value), value));
    } catch (e) {
      if (e instanceof ScalarConstructionError) return undefined;
      throw e;
    }
  }
  return map;
}

/**
 * Flink's StructuredOptionsSplitter.splitEscaped (1.12+): tokens are delimiters, quoted strings
 * (single or double quotes, a doubled quote stands for one) and unquoted runs (Java-trimmed);
 * whitespace between tokens is skipped. Empty items appear only between two delimiters, so a
 * leading or trailing delimiter adds nothing. A quote inside an unquoted run, or anything but a
 * delimiter right after a quoted string, is an error.
 */
function splitEscaped(text: string, delimiter: string): string[] {
  type Token = { readonly kind: 'quoted' | 'unquoted' | 'delimiter'; readonly text: string; readonly at: number };
  const tokens: Token[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const c = text[cursor]!;
    if (c === "'" || c === '"') {
      let value = '';
      let i = cursor + 1;
      let end = -1;
      for (; i < text.length; i++) {
        if (text[i] !== c) value += text[i];
        else if (text[i + 1] === c) {
          value += c;
          i++;
        } else {
          end = i + 1;
          break;
        }
      }
      if (end < 0) throw illegalArgument('Could not split string. Quoting was not closed properly.');
      tokens.push({ kind: 'quoted', text: value, at: cursor });
      cursor = end;
    } else if (c === delimiter) {
      tokens.push({ kind: 'delimiter', text: c, at: cursor });
      cursor++;
    } else if (!isJavaWhitespace(c)) {
      let i = cursor;
      for (; i < text.length && text[i] !== delimiter; i++) {
        if (text[i] === "'" || text[i] === '"') throw illegalArgument(`Could not split string. Illegal quoting at position: ${i}`);
      }
      tokens.push({ kind: 'unquoted', text: javaTrim(text.slice(cursor, i)), at: cursor });
      cursor = i;
    } else {
      cursor++;
    }
  }
  const parts: string[] = [];
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.kind === 'quoted' && next !== undefined && next.kind !== 'delimiter') {
      throw illegalArgument(`Could not split string. Illegal quoting at position: ${next.at - 1}`);
    }
    if (token.kind !== 'delimiter') parts.push(token.text);
    else if (next?.kind === 'delimiter') parts.push('');
  });
  return parts;
}

/** Character.isWhitespace for a UTF-16 unit: Unicode space separators except no-break spaces, and the ASCII controls Java counts. */
function isJavaWhitespace(c: string): boolean {
  const code = c.charCodeAt(0);
  if ((code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20)) return true;
  if (code === 0xa0 || code === 0x2007 || code === 0x202f) return false;
  return /[\p{Zs}\u2028\u2029]/u.test(c);
}

// ---------------------------------------------------------------------------------------------

export type StateBackendKind = 'hashmap' | 'rocksdb' | 'forst' | 'custom';

export interface StateBackendChoice {
  readonly kind: StateBackendKind;
  /** The value as written (`rocksdb`, a factory class name), or `hashmap` when nothing is set. */
  readonly name: string;
  /** The key holding it (`state.backend.type`, or the deprecated `state.backend`); undefined = default. */
  readonly key: string | undefined;
  /** StateBackend.useManagedMemory() of what Flink would load; true when Flink cannot tell. */
  readonly usesManagedMemory: boolean;
}

const STATE_BACKEND_KEYS = ['state.backend.type', 'state.backend'] as const;

/**
 * The state backend the configuration selects (StateBackendLoader), and whether it reserves
 * managed memory. A job can still choose another backend in code; callers may override.
 */
export function stateBackendOf(values: FlatConfig, version: FlinkVersionBehaviour): StateBackendChoice {
  const key = STATE_BACKEND_KEYS.find((k) => Object.hasOwn(values, k));
  if (key === undefined) return { kind: 'hashmap', name: 'hashmap', key: undefined, usesManagedMemory: false };
  const name = values[key]!;
  switch (name.toLowerCase()) {
    case 'hashmap':
      return { kind: 'hashmap', name, key, usesManagedMemory: false };
    case 'jobmanager':
    case 'filesystem':
      // Deprecated heap backends in 1.x; in 2.x the names are gone and read as class names.
      if (version.line !== '2.x') return { kind: 'hashmap', name, key, usesManagedMemory: false };
      break;
    case 'rocksdb':
      return { kind: 'rocksdb', name, key, usesManagedMemory: true };
    case 'forst':
      if (version.line === '2.x') return { kind: 'forst', name, key, usesManagedMemory: true };
      break;
  }
  // A factory class Flink has to load: if it cannot, it "reserves managed memory by default".
  return { kind: 'custom', name, key, usesManagedMemory: true };
}

// ---------------------------------------------------------------------------------------------

export interface ConsumerShare {
  readonly consumer: ManagedMemoryConsumer;
  /** Effective weight; undefined = not configured (counts as 0). */
  readonly weight: number | undefined;
  /** The job has consumers of this kind in the slot. */
  readonly present: boolean;
  /** Its weight is part of the total (present, and for STATE_BACKEND: the backend uses managed memory). */
  readonly counted: boolean;
  /** Share of the slot's managed memory, as the double Flink computes; 0 when not present. */
  readonly fraction: number;
  /** (long) floor(slot budget x fraction): what the kind may reserve per slot. */
  readonly bytesPerSlot: bigint;
}

export interface SplitWarning {
  /** The consumer kind concerned; undefined for the TaskManager as a whole. */
  readonly consumer: ManagedMemoryConsumer | undefined;
  /** 'zero-fraction': Flink fails the consumer; 'heap-backend': STATE_BACKEND is left out; 'idle': nothing uses managed memory. */
  readonly code: 'zero-fraction' | 'heap-backend' | 'idle';
  readonly message: string;
}

export interface ManagedMemorySplit {
  readonly managed: bigint;
  readonly numSlots: number;
  /** managed / numSlots, integer division: one slot's MemoryManager budget. */
  readonly perSlot: bigint;
  /** managed - perSlot x numSlots: bytes no slot can use. */
  readonly unassigned: bigint;
  readonly weights: ConsumerWeights;
  readonly stateBackendUsesManagedMemory: boolean;
  /** Sum of the counted weights (a Java int sum). */
  readonly totalWeight: number;
  readonly shares: readonly ConsumerShare[];
  /** Things that make a consumer fail or waste memory, one line each. */
  readonly warnings: readonly SplitWarning[];
}

export interface SplitOptions {
  /** Kinds of managed-memory consumers the job has in a slot (default: only STATE_BACKEND). */
  readonly consumers?: readonly ManagedMemoryConsumer[];
  /** Override what the configured state backend says (e.g. the job sets RocksDB in code). */
  readonly stateBackendUsesManagedMemory?: boolean;
  /** See readConsumerWeights (default: true for 2.x, false for 1.x). */
  readonly standardYaml?: boolean;
}

/**
 * Splits a derived TaskManager's managed memory into per-slot budgets and per-kind shares.
 * Throws a FlinkError when Flink would reject the weights or the slot count.
 */
export function splitManagedMemory(
  spec: TaskManagerSpec,
  values: FlatConfig,
  version: FlinkVersionBehaviour,
  options: SplitOptions = {},
): ManagedMemorySplit {
  const weights = readConsumerWeights(values, options.standardYaml ?? version.line === '2.x');
  const present = new Set<ManagedMemoryConsumer>(options.consumers ?? ['STATE_BACKEND']);
  const sbUses = options.stateBackendUsesManagedMemory ?? stateBackendOf(values, version).usesManagedMemory;
  const managed = spec.memory.managed.bytes;
  const numSlots = spec.numSlots;
  if (numSlots <= 0) {
    throw illegalConfiguration(`The number of task slots must be positive, was ${numSlots}.`, undefined, ['taskmanager.numberOfTaskSlots']);
  }
  const perSlot = managed / BigInt(numSlots);
  const counted = (c: ManagedMemoryConsumer): boolean => present.has(c) && (c !== 'STATE_BACKEND' || sbUses);
  // IntStream.sum(): a Java int, wrapping on overflow.
  let totalWeight = 0;
  for (const c of MANAGED_MEMORY_CONSUMERS) if (counted(c)) totalWeight = (totalWeight + (weights.weights[c] ?? 0)) | 0;

  const warnings: SplitWarning[] = [];
  const shares = MANAGED_MEMORY_CONSUMERS.map((consumer): ConsumerShare => {
    const weight = weights.weights[consumer];
    const isCounted = counted(consumer);
    const fraction = isCounted && totalWeight > 0 ? fractionRoundedDown(weight ?? 0, totalWeight) : 0;
    const bytesPerSlot = fraction === 0 ? 0n : javaDoubleToLong(Math.floor(Number(perSlot) * fraction));
    if (present.has(consumer) && isCounted && fraction === 0) {
      warnings.push({
        consumer,
        code: 'zero-fraction',
        message:
          `${consumer} consumers get no managed memory (weight ${weight ?? 'not configured'} of ${totalWeight}): Flink fails them with ` +
          `"The fraction of memory to allocate should not be 0. Please make sure that all types of managed memory consumers ` +
          `contained in the job are configured with a non-negative weight via \`${CONSUMER_WEIGHTS_KEY}\`."`,
      });
    }
    return { consumer, weight, present: present.has(consumer), counted: isCounted, fraction, bytesPerSlot };
  });
  if (present.has('STATE_BACKEND') && !sbUses) {
    warnings.push({
      consumer: 'STATE_BACKEND',
      code: 'heap-backend',
      message: 'The state backend keeps state on the JVM heap: STATE_BACKEND takes no managed memory (its weight is left out).',
    });
  }
  const used = shares.reduce((sum, s) => sum + s.bytesPerSlot, 0n);
  if (present.size > 0 && used === 0n && managed > 0n) {
    warnings.push({ consumer: undefined, code: 'idle', message: `No consumer of this job uses managed memory: ${managed} bytes per TaskManager stay idle.` });
  }
  return {
    managed,
    numSlots,
    perSlot,
    unassigned: managed - perSlot * BigInt(numSlots),
    weights,
    stateBackendUsesManagedMemory: sbUses,
    totalWeight,
    shares,
    warnings,
  };
}

/**
 * ManagedMemoryUtils.getFractionRoundedDown: BigDecimal dividend / divisor to 16 decimal places,
 * rounded down, then BigDecimal.doubleValue() (correctly rounded, as Number() of the decimal is).
 */
export function fractionRoundedDown(dividend: number, divisor: number): number {
  const scaled = (BigInt(dividend) * 10n ** 16n) / BigInt(divisor);
  return Number(`${scaled}e-16`);
}

/** Java's (long) cast of a double: truncation toward zero, NaN to 0, saturating at the long range. */
export function javaDoubleToLong(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 9223372036854775807) return 9223372036854775807n;
  if (x <= -9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(x));
}
