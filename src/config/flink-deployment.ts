/**
 * Flink Kubernetes Operator `FlinkDeployment` manifests, turned into the Flink configuration the
 * operator deploys, the way its FlinkConfigBuilder does it (modelled on operator 1.13 and the
 * main branch after it; see the README section "FlinkDeployment manifests, pods and YARN containers"):
 *
 * - `spec.flinkConfiguration` first: a map of strings (every operator) or nested YAML (operator
 *   1.13+, FLINK-37406), flattened like the operator's ConfigObjectNode: mappings join with `.`,
 *   a list becomes its items joined with `;` (Flink's list syntax), a scalar becomes its text as
 *   the API server hands it to the operator (so `2` is `2`, `0.25` is `0.25`, `1.0` is `1`).
 * - then `spec.jobManager` and `spec.taskManager`, which win over flinkConfiguration:
 *   `resource.memory` -> `jobmanager.memory.process.size` / `taskmanager.memory.process.size`
 *   (Flink MemorySize syntax first, `2048m` = 2048 MiB and `2G` = 2 GiB; only what Flink cannot
 *   parse is read as a Kubernetes quantity, `2Gi`, `1e9`), `resource.cpu` ->
 *   `kubernetes.jobmanager.cpu.amount` / `kubernetes.taskmanager.cpu.amount` (the pre-1.17 keys
 *   `kubernetes.*.cpu` instead for `flinkVersion` < v1_17, as the operator's FlinkConfigBuilder
 *   does), `jobManager.replicas` -> `kubernetes.jobmanager.replicas`;
 *   the newer `resources` (requests/limits) field, when it holds anything, replaces `resource`.
 * - `spec.flinkVersion` (`v1_20`, `v2_1`) is kept as metadata so `explain` can pick the rules of
 *   that Flink line; `taskManager.replicas`, the mode and the memory a pod template asks for are
 *   metadata too.
 *
 * The operator's own default configuration (Helm `defaultConfiguration`) is not part of a
 * manifest and so not included; pass what matters with `-D`.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { FlinkError } from '../memory/errors.js';
import { parseJavaDouble } from '../memory/java/java-numbers.js';
import { javaTrim } from '../memory/java/java-text.js';
import { parseMemorySize } from '../memory/memory-size.js';
import { at, ConfigLoadError } from './errors.js';
import { javaDoubleToString } from './java-text.js';
import type { ConfigEntry, ConfigWarning, LoadedConfig } from './types.js';
import { renderKey } from './yaml-render.js';
import { constructScalar, resolveImplicit, ScalarConstructionError, type ImplicitTag, type YamlValue } from './yaml-scalars.js';

export const FLINK_DEPLOYMENT_KIND = 'FlinkDeployment';
/** The container Flink puts its process in; pod templates address it by this name. */
export const MAIN_CONTAINER_NAME = 'flink-main-container';

export type DeploymentProcess = 'taskmanager' | 'jobmanager';

/** A value read from the manifest with the 1-based line it is written on. */
export interface ManifestValue<T> {
  readonly value: T;
  readonly line: number;
}

/** `resource.memory` (or `resources.requests/limits.memory`) and what the operator makes of it. */
export interface ResourceMemory {
  /** Where it is written, e.g. `spec.taskManager.resource.memory`. */
  readonly field: string;
  /** As written in the manifest. */
  readonly text: string;
  readonly line: number;
  /** `flink`: read by Flink's MemorySize (`2048m`, `2g`); `kubernetes`: read as a Kubernetes quantity (`2Gi`). */
  readonly syntax: 'flink' | 'kubernetes';
  /** The string the operator writes into `*.memory.process.size`, e.g. `2 gb` or `2147483648`. */
  readonly processSize: string;
  readonly bytes: bigint;
}

/** A memory request or limit of `flink-main-container` in a pod template, in Kubernetes units. */
export interface PodTemplateMemory {
  readonly field: string;
  readonly text: string;
  readonly line: number;
  /** Bytes as Kubernetes counts them (`2Gi`, `2G` = 2e9, `2048m` = 2.048 bytes, rounded up); undefined if not a quantity. */
  readonly bytes: bigint | undefined;
}

export interface DeploymentProcessResources {
  readonly memory?: ResourceMemory;
  readonly cpu?: ManifestValue<number>;
  readonly replicas?: ManifestValue<number>;
  /** From `resources.limits.memory` / `resources.requests.memory` (the newer field). */
  readonly memoryLimitFactor?: ManifestValue<number>;
  readonly podTemplateMemoryLimit?: PodTemplateMemory;
  readonly podTemplateMemoryRequest?: PodTemplateMemory;
}

export interface FlinkDeploymentInfo {
  readonly file: string;
  /** Line of the `kind: FlinkDeployment` the configuration came from. */
  readonly line: number;
  readonly apiVersion?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** `spec.flinkVersion` as written (`v1_20`) and the release it names (`1.20`), if it has that form. */
  readonly flinkVersion?: ManifestValue<string> & { readonly release: string | undefined };
  readonly mode: 'native' | 'standalone';
  readonly taskManager: DeploymentProcessResources;
  readonly jobManager: DeploymentProcessResources;
}

/** A configuration loaded from a FlinkDeployment manifest: the flat map plus where it came from. */
export interface LoadedDeploymentConfig extends LoadedConfig {
  readonly deployment: FlinkDeploymentInfo;
}

/** The manifest behind a loaded configuration, if it came from one (survives `-D` overrides). */
export function deploymentOf(config: LoadedConfig): FlinkDeploymentInfo | undefined {
  const candidate = (config as Partial<LoadedDeploymentConfig>).deployment;
  return candidate !== undefined && typeof candidate === 'object' ? candidate : undefined;
}

// ---------------------------------------------------------------------------------------------
// Memory strings as the operator reads them
// ---------------------------------------------------------------------------------------------

const MiB = 1024n * 1024n;

/** A memory string the operator would refuse; `message` is the operator's reason, one line. */
export class OperatorMemoryError extends Error {
  override readonly name = 'OperatorMemoryError';
}

/**
 * The operator's `parseResourceMemoryString`: Flink's MemorySize when it parses (then
 * `MemorySize.toString()`, e.g. `2048m` -> `2 gb`), otherwise a Kubernetes quantity after
 * removing whitespace, upper-casing, dropping a trailing `B` and writing a trailing `I` as `i`
 * (`2gib` -> `2Gi`), whose exact decimal value (Java `BigDecimal.toString`) becomes the size.
 * The operator's validator then requires that text to parse as a MemorySize, so `1.5Gi`
 * (`1610612736.0`) is refused. Throws OperatorMemoryError for a string the operator refuses.
 */
export function operatorMemorySize(memory: string, component: 'TaskManager' | 'JobManager'): Omit<ResourceMemory, 'field' | 'text' | 'line'> {
  try {
    const bytes = parseMemorySize(memory);
    return { syntax: 'flink', processSize: memorySizeToString(bytes), bytes };
  } catch (e) {
    if (!(e instanceof FlinkError)) throw e;
  }
  const refused = (reason: string): OperatorMemoryError => new OperatorMemoryError(`${component} resource memory parse error: ${reason}`);
  const quantity = fabric8NumericalAmount(kubernetesFormat(memory));
  if (typeof quantity === 'string') throw refused(quantity);
  const text = bigDecimalToString(quantity);
  try {
    return { syntax: 'kubernetes', processSize: text, bytes: parseMemorySize(text) };
  } catch (e) {
    if (e instanceof FlinkError) throw refused(e.message);
    throw e;
  }
}

/** Flink's `MemorySize.toString()`: the largest unit that divides the size, `"%d %s"`. */
export function memorySizeToString(bytes: bigint): string {
  const units: ReadonlyArray<readonly [bigint, string]> = [
    [1n, 'bytes'],
    [1024n, 'kb'],
    [MiB, 'mb'],
    [1024n * MiB, 'gb'],
    [1024n * 1024n * MiB, 'tb'],
  ];
  const firstNotDividing = units.findIndex(([multiplier]) => bytes % multiplier !== 0n);
  // Divisible by every unit (0, or whole TiB) falls back to bytes, as Flink's orElse(BYTES) does.
  const [multiplier, name] = firstNotDividing <= 0 ? units[0]! : units[firstNotDividing - 1]!;
  return `${bytes / multiplier} ${name}`;
}

/** The operator's formatMemoryStringForK8sSpec. */
function kubernetesFormat(memory: string): string {
  let q = javaTrim(memory).replace(/[ \t\n\x0B\f\r]/g, '').toUpperCase();
  if (q.endsWith('B')) q = q.slice(0, -1);
  if (q.endsWith('I')) q = `${q.slice(0, -1)}i`;
  return q;
}

/** A java.math.BigDecimal: unscaled value × 10^-scale. */
interface Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

/** fabric8 `Quantity.parse(q).getNumericalAmount()`, or the reason it throws. */
function fabric8NumericalAmount(q: string): Decimal | string {
  if (q.length === 0) return 'Invalid quantity string format passed.';
  // getAmountInBytes puts a 0 before a leading decimal point.
  const value = q.startsWith('.') ? `0${q}` : q;
  const unitAt = value.search(/[eEinumkKMGTP]/);
  const amount = unitAt === -1 ? value : value.slice(0, unitAt);
  const format = unitAt === -1 ? '' : value.slice(unitAt);
  if (/[0-9]/.test(format) && /\p{L}$/u.test(format)) return 'Invalid quantity string format passed';
  const digit = parseBigDecimal(amount);
  if (digit === undefined) return `'${amount}' is not a decimal number (Kubernetes quantity '${q}')`;
  const multiple = fabric8Multiple(format);
  if (typeof multiple === 'string') return multiple;
  return { unscaled: digit.unscaled * multiple.unscaled, scale: digit.scale + multiple.scale };
}

/** `new BigDecimal(text)` for the texts that can reach it here (no exponent: `e`/`E` is a unit). */
function parseBigDecimal(text: string): Decimal | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(text);
  if (m === null || (m[2] ?? '') + (m[3] ?? '') === '') return undefined;
  const fraction = m[3] ?? '';
  const unscaled = BigInt(`${m[1] === '-' ? '-' : ''}${(m[2] ?? '') + fraction || '0'}`);
  return { unscaled, scale: fraction.length };
}

/** fabric8 Quantity.getMultiple: powers computed with MathContext.DECIMAL64 (16 digits, half-even). */
function fabric8Multiple(format: string): Decimal | string {
  if (/[0-9]/.test(format) && format.length > 1) {
    const exponentText = format.slice(1);
    if (!/^[+-]?[0-9]+$/.test(exponentText)) return `For input string: "${exponentText}"`;
    const exponent = Number(exponentText);
    // Anything past 10^±1000 is refused further on anyway (not a whole number of bytes in a long).
    if (Math.abs(exponent) > 1000) return `the exponent ${exponentText} is out of range`;
    return exponent >= 0 ? roundDecimal64(10n ** BigInt(exponent)) : { unscaled: 1n, scale: -exponent };
  }
  const binary: Readonly<Record<string, bigint>> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
  const decimal: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  const power = binary[format];
  if (power !== undefined) return roundDecimal64(2n ** power);
  const exponent = decimal[format];
  if (exponent === undefined) return 'Invalid quantity format passed to parse';
  return exponent >= 0 ? roundDecimal64(10n ** BigInt(exponent)) : { unscaled: 1n, scale: -exponent };
}

/** An exact non-negative integer rounded to 16 significant digits, half-even, as BigDecimal keeps it. */
function roundDecimal64(value: bigint): Decimal {
  const digits = value.toString().length;
  if (digits <= 16) return { unscaled: value, scale: 0 };
  const drop = digits - 16;
  const divisor = 10n ** BigInt(drop);
  let quotient = value / divisor;
  const remainder = value % divisor;
  const twice = remainder * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  // A carry to 17 digits (9999... rounding up) keeps one more zero, as BigDecimal re-rounds.
  if (quotient.toString().length > 16) return { unscaled: quotient / 10n, scale: -(drop + 1) };
  return { unscaled: quotient, scale: -drop };
}

/** Java `BigDecimal.toString()`: plain unless the scale is negative or the exponent below -6. */
function bigDecimalToString(d: Decimal): string {
  const sign = d.unscaled < 0n ? '-' : '';
  const coefficient = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString();
  if (d.scale === 0) return sign + coefficient;
  const adjusted = -d.scale + (coefficient.length - 1);
  if (d.scale > 0 && adjusted >= -6) {
    if (coefficient.length > d.scale) {
      return `${sign}${coefficient.slice(0, coefficient.length - d.scale)}.${coefficient.slice(coefficient.length - d.scale)}`;
    }
    return `${sign}0.${'0'.repeat(d.scale - coefficient.length)}${coefficient}`;
  }
  const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/**
 * Bytes of a Kubernetes memory quantity as Kubernetes counts them: binary (`Ki` … `Ei`), decimal
 * (`k`, `M`, `G`, `T`, `P`, `E`, and `m` = milli), exponent (`1e9`); a fraction of a byte rounds
 * up. Undefined for text that is not a quantity.
 */
/** Equal as text, or as the memory size both spell (`2048m` and the operator's `2147483648`). */
function sameSetting(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return parseMemorySize(a) === parseMemorySize(b);
  } catch {
    return false;
  }
}

export function kubernetesQuantityBytes(text: string): bigint | undefined {
  const m = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/.exec(text.trim());
  if (m === null) return undefined;
  const [whole = '', fraction = ''] = (m[2] ?? '').split('.');
  let numerator = BigInt(whole + fraction || '0');
  let denominator = 10n ** BigInt(fraction.length);
  const suffix = m[3] ?? '';
  const binary: Readonly<Record<string, bigint>> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
  const decimal: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  let exponent = 0;
  if (binary[suffix] !== undefined) numerator *= 2n ** binary[suffix]!;
  else if (decimal[suffix] !== undefined) exponent = decimal[suffix]!;
  else if (suffix !== '') exponent = Number(suffix.slice(1));
  if (Math.abs(exponent) > 1000) return undefined;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  if (m[1] === '-') numerator = -numerator;
  const quotient = numerator / denominator;
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}

/**
 * The memory request and limit Flink gives the pod of a process (native Kubernetes, and the
 * operator's standalone mode alike): the process size in whole MiB, truncated, and that times
 * `kubernetes.<process>.memory.limit-factor`, truncated to an int. Whatever a pod template
 * says about the main container's memory is replaced by these.
 */
export function kubernetesPodMemory(processBytes: bigint, limitFactor: number): { readonly requestBytes: bigint; readonly limitBytes: bigint } {
  const mebibytes = BigInt.asIntN(32, processBytes >> 20n);
  const product = Number(mebibytes) * limitFactor;
  // Java's (int) cast of a double: toward zero, saturating.
  const limitMebibytes = Number.isNaN(product) ? 0n : BigInt(Math.max(-2147483648, Math.min(2147483647, Math.trunc(product))));
  return { requestBytes: mebibytes * MiB, limitBytes: limitMebibytes * MiB };
}

/** The option that scales a process's pod memory limit over its request. */
export function memoryLimitFactorKey(process: DeploymentProcess): string {
  return `kubernetes.${process}.memory.limit-factor`;
}

/** `v1_20` -> `1.20`, `v2_1` -> `2.1`; undefined for anything else. */
export function flinkDeploymentRelease(flinkVersion: string): string | undefined {
  const m = /^v(\d+)_(\d+)$/.exec(flinkVersion);
  return m === null ? undefined : `${Number(m[1])}.${Number(m[2])}`;
}

// ---------------------------------------------------------------------------------------------
// Reading the manifest
// ---------------------------------------------------------------------------------------------

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
const SCALAR_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'timestamp']);

/**
 * Loads the FlinkDeployment from a manifest (one document, or several separated by `---`, of
 * which exactly one is a FlinkDeployment). Failures are ConfigLoadError naming file and line.
 */
export function parseFlinkDeploymentManifest(text: string, file: string): LoadedDeploymentConfig {
  const lineCounter = new LineCounter();
  let parsed;
  try {
    parsed = parseAllDocuments(text, { schema: 'failsafe', lineCounter, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new ConfigLoadError('INVALID_YAML', `${at(file)}invalid YAML: ${firstLine(e)}`, { file, cause: e });
  }
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const doc of documents) {
    const error = doc.errors[0];
    if (error === undefined) continue;
    const line = error.linePos?.[0].line;
    const message = firstLine(error).replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigLoadError('INVALID_YAML', `${at(file, line)}invalid YAML: ${message}`, { file, ...(line === undefined ? {} : { line }), cause: error });
  }
  const found: { doc: Document.Parsed; root: YAMLMap; kindLine: number }[] = [];
  const otherKinds: string[] = [];
  for (const doc of documents) {
    const reader = new ManifestReader(doc, file, lineCounter);
    const root = doc.contents === null ? undefined : reader.deref(doc.contents as Node);
    if (root === undefined || !isMap(root)) continue;
    const kind = reader.child(root, 'kind');
    const kindText = kind === undefined ? undefined : reader.text(kind, 'kind');
    if (kindText === FLINK_DEPLOYMENT_KIND) found.push({ doc, root, kindLine: reader.lineOf(kind) });
    else if (kindText !== undefined) otherKinds.push(kindText);
  }
  if (found.length === 0) {
    const holds = otherKinds.length > 0 ? ` (it holds ${[...new Set(otherKinds)].join(', ')})` : '';
    throw new ConfigLoadError('NO_FLINK_CONFIGURATION', `${at(file)}no FlinkDeployment in this file${holds}; expected a Flink configuration file or one FlinkDeployment manifest`, { file });
  }
  if (found.length > 1) {
    const lines = found.map((f) => f.kindLine).join(', ');
    throw new ConfigLoadError('NO_FLINK_CONFIGURATION', `${at(file)}${found.length} FlinkDeployments in this file (lines ${lines}); put the one to read in a file of its own`, { file });
  }
  const { doc, root, kindLine } = found[0]!;
  return new ManifestReader(doc, file, lineCounter).load(root, kindLine);
}

type Resources = {
  memory?: ResourceMemory;
  cpu?: ManifestValue<number>;
  replicas?: ManifestValue<number>;
  memoryLimitFactor?: ManifestValue<number>;
  podTemplateMemoryLimit?: PodTemplateMemory;
  podTemplateMemoryRequest?: PodTemplateMemory;
};

class ManifestReader {
  private readonly entries = new Map<string, ConfigEntry>();
  private readonly warnings: ConfigWarning[] = [];
  private depth = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  load(root: YAMLMap, kindLine: number): LoadedDeploymentConfig {
    const apiVersion = this.optionalText(root, 'apiVersion', 'apiVersion');
    if (apiVersion !== undefined && !apiVersion.value.startsWith('flink.apache.org/')) {
      this.warn(apiVersion.line, `apiVersion '${apiVersion.value}' is not the operator's (flink.apache.org/v1beta1); read as a FlinkDeployment anyway`);
    }
    const metadata = this.optionalMap(root, 'metadata', 'metadata');
    const name = metadata === undefined ? undefined : this.optionalText(metadata, 'name', 'metadata.name');
    const namespace = metadata === undefined ? undefined : this.optionalText(metadata, 'namespace', 'metadata.namespace');
    const spec = this.optionalMap(root, 'spec', 'spec');
    if (spec === undefined) throw this.error(kindLine, 'spec', 'a FlinkDeployment needs a spec');

    const versionText = this.optionalText(spec, 'flinkVersion', 'spec.flinkVersion');
    const flinkVersion = versionText === undefined ? undefined : { ...versionText, release: flinkDeploymentRelease(versionText.value) };
    if (versionText === undefined) this.warn(kindLine, 'spec.flinkVersion is not set; the operator refuses such a deployment (its validator requires it)');
    else if (flinkVersion?.release === undefined) this.warn(versionText.line, `spec.flinkVersion '${versionText.value}' is not of the form v1_20 / v2_1`);
    const modeText = this.optionalText(spec, 'mode', 'spec.mode');
    if (modeText !== undefined && modeText.value !== 'native' && modeText.value !== 'standalone') {
      throw this.error(modeText.line, 'spec.mode', `'${modeText.value}' is not a deployment mode (native or standalone)`);
    }
    const mode = modeText?.value === 'standalone' ? 'standalone' : 'native';
    // The operator writes the pre-1.17 CPU keys only for images older than Flink 1.17.
    const release = flinkVersion?.release;
    const before117 = release !== undefined && Number(release.split('.')[0]) === 1 && Number(release.split('.')[1]) < 17;

    const configuration = spec.items.find((p) => this.keyText(p) === 'flinkConfiguration');
    if (configuration !== undefined && configuration.value !== null && configuration.value !== undefined) {
      this.flinkConfiguration(this.deref(configuration.value as Node), this.lineOf(configuration.key));
    }

    const commonTemplate = this.optionalMap(spec, 'podTemplate', 'spec.podTemplate');
    const jobManager = this.process(spec, 'jobManager', 'jobmanager', commonTemplate, before117);
    const taskManager = this.process(spec, 'taskManager', 'taskmanager', commonTemplate, before117);

    const deployment: FlinkDeploymentInfo = {
      file: this.file,
      line: kindLine,
      ...(apiVersion === undefined ? {} : { apiVersion: apiVersion.value }),
      ...(name === undefined ? {} : { name: name.value }),
      ...(namespace === undefined ? {} : { namespace: namespace.value }),
      ...(flinkVersion === undefined ? {} : { flinkVersion }),
      mode,
      taskManager,
      jobManager,
    };
    return { entries: this.entries, file: this.file, warnings: this.warnings, deployment };
  }

  // --- spec.flinkConfiguration ------------------------------------------------------------

  private flinkConfiguration(node: Node, line: number): void {
    if (isScalar(node) && this.scalar(node, 'spec.flinkConfiguration').type === 'null') return;
    if (!isMap(node)) throw this.error(line, 'spec.flinkConfiguration', 'must be a mapping of Flink options to values');
    let structured = false;
    const visit = (map: YAMLMap, prefix: string): void => {
      this.enter(map);
      for (const pair of map.items as Pair<unknown, unknown>[]) {
        const keyLine = this.lineOf(pair.key ?? pair.value ?? map);
        const key = prefix + this.flatKey(pair.key, keyLine, prefix);
        const value = pair.value === null || pair.value === undefined ? null : this.deref(pair.value as Node);
        if (value !== null && isMap(value)) {
          structured = true;
          visit(value, `${key}.`);
          continue;
        }
        if (value !== null && isSeq(value)) {
          structured = true;
          // ConfigObjectNode joins a list's items with ';', Flink's separator for list options.
          const items = (value.items as unknown[]).map((item) => {
            const itemNode = item === null || item === undefined ? null : this.deref(item as Node);
            return itemNode !== null && isScalar(itemNode) ? (this.apiText(this.scalar(itemNode, key), key, keyLine) ?? 'null') : '';
          });
          this.setOption(key, items.join(';'), keyLine, 'spec.flinkConfiguration');
          continue;
        }
        const scalar: YamlValue = value === null ? { type: 'null' } : this.scalar(value, key);
        const text = this.apiText(scalar, key, keyLine);
        if (text === undefined) {
          this.warn(keyLine, `'${key}' has no value (null) and is ignored, as Kubernetes drops null values`);
          continue;
        }
        if (scalar.type !== 'str') structured = true;
        this.setOption(key, text, keyLine, 'spec.flinkConfiguration');
      }
      this.depth--;
    };
    visit(node, '');
    if (structured) {
      this.warn(line, 'spec.flinkConfiguration uses nested YAML or values that are not strings: this needs operator 1.13+ (FLINK-37406); older operators accept only a map of strings');
    }
  }

  private flatKey(keyNode: unknown, line: number, prefix: string): string {
    const node = keyNode === null || keyNode === undefined ? null : this.deref(keyNode as Node);
    if (node === null || !isScalar(node)) throw this.error(line, `spec.flinkConfiguration.${prefix}`, 'keys must be plain text');
    const key = renderKey(this.scalar(node, prefix));
    if (key === undefined) throw this.error(line, `spec.flinkConfiguration.${prefix}`, 'keys must be plain text');
    return key;
  }

  /**
   * A scalar as the operator receives it: the manifest goes to the API server as JSON and the
   * operator reads each value's text (Jackson `asText`), so a whole-number float loses its
   * `.0` and other floats print as Java doubles. Undefined for null.
   */
  private apiText(value: YamlValue, key: string, line: number): string | undefined {
    switch (value.type) {
      case 'null':
        return undefined;
      case 'str':
      case 'timestamp':
        return value.value;
      case 'int':
        return value.value.toString();
      case 'bool':
        return String(value.value);
      case 'float':
        if (!Number.isFinite(value.value)) throw this.error(line, key, `${value.value} cannot be sent to Kubernetes (JSON has no such number)`);
        if (Number.isInteger(value.value) && Math.abs(value.value) < 1e21) return BigInt(value.value).toString();
        return javaDoubleToString(value.value);
      case 'seq':
      case 'map':
        return '';
    }
  }

  // --- spec.jobManager / spec.taskManager ---------------------------------------------------

  private process(spec: YAMLMap, field: 'jobManager' | 'taskManager', process: DeploymentProcess, commonTemplate: YAMLMap | undefined, before117: boolean): DeploymentProcessResources {
    const component = process === 'taskmanager' ? 'TaskManager' : 'JobManager';
    const path = `spec.${field}`;
    const section = this.optionalMap(spec, field, path);
    const result: Resources = {};
    const ownTemplate = section === undefined ? undefined : this.optionalMap(section, 'podTemplate', `${path}.podTemplate`);
    this.podTemplateMemory(result, [
      [ownTemplate, `${path}.podTemplate`],
      [commonTemplate, 'spec.podTemplate'],
    ]);
    if (section === undefined) return result;

    const resources = this.optionalMap(section, 'resources', `${path}.resources`);
    const requests = resources === undefined ? undefined : this.optionalMap(resources, 'requests', `${path}.resources.requests`);
    const limits = resources === undefined ? undefined : this.optionalMap(resources, 'limits', `${path}.resources.limits`);
    const hasRequirements = (requests?.items.length ?? 0) > 0 || (limits?.items.length ?? 0) > 0;
    if (hasRequirements) {
      this.resourceRequirements(result, process, component, path, requests, limits, before117);
      const legacy = this.optionalMap(section, 'resource', `${path}.resource`);
      if (legacy !== undefined) this.warn(this.lineOf(legacy), `${path}.resource is ignored: ${path}.resources takes precedence, as in the operator`);
    } else {
      const resource = this.optionalMap(section, 'resource', `${path}.resource`);
      if (resource !== undefined) {
        const memory = this.optionalText(resource, 'memory', `${path}.resource.memory`);
        if (memory !== undefined) result.memory = this.processSize(process, component, `${path}.resource.memory`, memory);
        const cpu = this.optionalNumber(resource, 'cpu', `${path}.resource.cpu`);
        if (cpu !== undefined) {
          result.cpu = cpu;
          this.setCpu(process, cpu, before117, `${path}.resource.cpu`);
        }
      }
    }

    const replicas = this.optionalNumber(section, 'replicas', `${path}.replicas`, true);
    if (replicas !== undefined) {
      result.replicas = replicas;
      if (process === 'jobmanager' && replicas.value > 0) this.setOption('kubernetes.jobmanager.replicas', String(replicas.value), replicas.line, `${path}.replicas`);
      if (process === 'taskmanager' && replicas.value < 1) this.warn(replicas.line, `${path}.replicas ${replicas.value}: the operator refuses fewer than one TaskManager replica`);
    }
    return result;
  }

  /** The newer `resources` field (Kubernetes ResourceRequirements): requests first, then limits. */
  private resourceRequirements(
    result: Resources,
    process: DeploymentProcess,
    component: 'TaskManager' | 'JobManager',
    path: string,
    requests: YAMLMap | undefined,
    limits: YAMLMap | undefined,
    before117: boolean,
  ): void {
    const quantity = (map: YAMLMap | undefined, key: string, where: string): ManifestValue<string> | undefined =>
      map === undefined ? undefined : this.optionalQuantity(map, key, where);
    const requestMemory = quantity(requests, 'memory', `${path}.resources.requests.memory`);
    const limitMemory = quantity(limits, 'memory', `${path}.resources.limits.memory`);
    const memory = requestMemory ?? limitMemory;
    if (memory !== undefined) {
      const field = requestMemory !== undefined ? `${path}.resources.requests.memory` : `${path}.resources.limits.memory`;
      result.memory = this.processSize(process, component, field, memory);
    }
    const requestCpu = quantity(requests, 'cpu', `${path}.resources.requests.cpu`);
    const limitCpu = quantity(limits, 'cpu', `${path}.resources.limits.cpu`);
    const cpuText = requestCpu ?? limitCpu;
    if (cpuText !== undefined) {
      const cpu = operatorCpu(cpuText.value);
      if (cpu === undefined) this.warn(cpuText.line, `cpu '${cpuText.value}' cannot be read as a number of cores; the operator ignores it`);
      else {
        result.cpu = { value: cpu, line: cpuText.line };
        this.setCpu(process, result.cpu, before117, requestCpu !== undefined ? `${path}.resources.requests.cpu` : `${path}.resources.limits.cpu`);
      }
    }
    const factor = (request: ManifestValue<string> | undefined, limit: ManifestValue<string> | undefined): number | undefined => {
      if (request === undefined || limit === undefined) return undefined;
      const r = kubernetesQuantityNumber(request.value);
      const l = kubernetesQuantityNumber(limit.value);
      return r === undefined || l === undefined || r <= 0 ? undefined : l / r;
    };
    const cpuFactor = factor(requestCpu, limitCpu);
    if (cpuFactor !== undefined) this.setOption(`kubernetes.${process}.cpu.limit-factor`, javaDoubleToString(cpuFactor), limitCpu!.line, `${path}.resources.limits.cpu`);
    const memoryFactor = factor(requestMemory, limitMemory);
    if (memoryFactor !== undefined) {
      result.memoryLimitFactor = { value: memoryFactor, line: limitMemory!.line };
      this.setOption(memoryLimitFactorKey(process), javaDoubleToString(memoryFactor), limitMemory!.line, `${path}.resources.limits.memory`);
    }
  }

  private processSize(process: DeploymentProcess, component: 'TaskManager' | 'JobManager', field: string, memory: ManifestValue<string>): ResourceMemory {
    let mapped;
    try {
      mapped = operatorMemorySize(memory.value, component);
    } catch (e) {
      if (!(e instanceof OperatorMemoryError)) throw e;
      const bytes = kubernetesQuantityBytes(memory.value);
      const hint = bytes !== undefined && bytes > 0n ? `; write ${bytes % MiB === 0n ? `'${bytes / MiB}Mi' or '${bytes / MiB}m'` : `'${bytes}'`} for the same size` : '';
      throw this.error(memory.line, field, `'${memory.value}': the operator refuses it (${e.message})${hint}`);
    }
    this.setOption(`${process}.memory.process.size`, mapped.processSize, memory.line, field);
    return { field, text: memory.value, line: memory.line, ...mapped };
  }

  private setCpu(process: DeploymentProcess, cpu: ManifestValue<number>, before117: boolean, field: string): void {
    // The operator's FlinkConfigBuilder writes one key: `.cpu.amount` from v1_17, the older `.cpu` before.
    this.setOption(before117 ? `kubernetes.${process}.cpu` : `kubernetes.${process}.cpu.amount`, javaDoubleToString(cpu.value), cpu.line, field);
  }

  private podTemplateMemory(result: Resources, templates: ReadonlyArray<readonly [YAMLMap | undefined, string]>): void {
    for (const [template, where] of templates) {
      if (template === undefined) continue;
      const podSpec = this.optionalMap(template, 'spec', `${where}.spec`);
      const containers = podSpec === undefined ? undefined : this.child(podSpec, 'containers');
      if (containers === undefined || !isSeq(containers)) continue;
      for (const item of containers.items as unknown[]) {
        const container = item === null || item === undefined ? undefined : this.deref(item as Node);
        if (container === undefined || !isMap(container)) continue;
        const name = this.optionalText(container, 'name', `${where}.spec.containers.name`);
        if (name?.value !== MAIN_CONTAINER_NAME) continue;
        const resources = this.optionalMap(container, 'resources', `${where}.spec.containers[${MAIN_CONTAINER_NAME}].resources`);
        if (resources === undefined) continue;
        const read = (kind: 'limits' | 'requests'): PodTemplateMemory | undefined => {
          const field = `${where}.spec.containers[${MAIN_CONTAINER_NAME}].resources.${kind}.memory`;
          const map = this.optionalMap(resources, kind, field.replace(/\.memory$/, ''));
          const memory = map === undefined ? undefined : this.optionalQuantity(map, 'memory', field);
          return memory === undefined ? undefined : { field, text: memory.value, line: memory.line, bytes: kubernetesQuantityBytes(memory.value) };
        };
        // The process's own template is merged over the common one, so its values win.
        result.podTemplateMemoryLimit ??= read('limits');
        result.podTemplateMemoryRequest ??= read('requests');
      }
    }
  }

  // --- entries and messages ----------------------------------------------------------------

  private setOption(key: string, value: string, line: number, from: string): void {
    const previous = this.entries.get(key);
    // The same value twice (resource.memory repeating flinkConfiguration's 2048m) deploys the same: nothing to say.
    if (previous !== undefined && previous.source.kind === 'file' && !sameSetting(previous.value, value)) {
      const what = from === 'spec.flinkConfiguration' ? 'this later value wins' : `${from} wins over spec.flinkConfiguration, as in the operator`;
      this.warn(line, `'${key}' is also set on line ${previous.source.line}; ${what}`);
    }
    this.entries.set(key, { key, value, source: { kind: 'file', file: this.file, line } });
  }

  private warn(line: number, message: string): void {
    this.warnings.push({ file: this.file, line, message });
  }

  private error(line: number, field: string, message: string): ConfigLoadError {
    return new ConfigLoadError('UNSUPPORTED_VALUE', `${at(this.file, line)}${field}: ${message}`, { file: this.file, line, key: field });
  }

  // --- YAML access -------------------------------------------------------------------------

  child(map: YAMLMap, key: string): Node | undefined {
    const pair = map.items.find((p) => this.keyText(p) === key);
    if (pair === undefined || pair.value === null || pair.value === undefined) return undefined;
    return this.deref(pair.value as Node);
  }

  private keyText(pair: Pair<unknown, unknown>): string | undefined {
    const key = pair.key === null || pair.key === undefined ? undefined : this.deref(pair.key as Node);
    return key !== undefined && isScalar(key) ? String(key.value) : undefined;
  }

  private optionalMap(map: YAMLMap, key: string, field: string): YAMLMap | undefined {
    const node = this.child(map, key);
    if (node === undefined || (isScalar(node) && this.scalar(node, field).type === 'null')) return undefined;
    if (!isMap(node)) throw this.error(this.lineOf(node), field, 'must be a mapping');
    return node;
  }

  private optionalText(map: YAMLMap, key: string, field: string): ManifestValue<string> | undefined {
    const node = this.child(map, key);
    if (node === undefined) return undefined;
    const line = this.lineOf(node);
    const text = this.text(node, field);
    return text === undefined ? undefined : { value: text, line };
  }

  /** A string field of the CRD: Kubernetes refuses a number or boolean there. */
  text(node: Node, field: string): string | undefined {
    if (!isScalar(node)) throw this.error(this.lineOf(node), field, 'must be a string');
    const value = this.scalar(node, field);
    if (value.type === 'null') return undefined;
    if (value.type !== 'str') {
      throw this.error(this.lineOf(node), field, `must be a string, found the ${value.type === 'int' ? 'integer' : value.type === 'float' ? 'number' : value.type} ${String(node.value)} (quote it: Kubernetes refuses other types here)`);
    }
    return value.value;
  }

  /** A Kubernetes quantity: a string or a number, read as text. */
  private optionalQuantity(map: YAMLMap, key: string, field: string): ManifestValue<string> | undefined {
    const node = this.child(map, key);
    if (node === undefined) return undefined;
    if (!isScalar(node)) throw this.error(this.lineOf(node), field, 'must be a quantity such as 2Gi');
    const value = this.scalar(node, field);
    if (value.type === 'null') return undefined;
    if (value.type === 'int') return { value: value.value.toString(), line: this.lineOf(node) };
    if (value.type === 'float' && Number.isFinite(value.value)) return { value: this.apiText(value, field, this.lineOf(node))!, line: this.lineOf(node) };
    if (value.type !== 'str') throw this.error(this.lineOf(node), field, `must be a quantity such as 2Gi, found ${String(node.value)}`);
    return { value: value.value, line: this.lineOf(node) };
  }

  private optionalNumber(map: YAMLMap, key: string, field: string, integer = false): ManifestValue<number> | undefined {
    const node = this.child(map, key);
    if (node === undefined) return undefined;
    if (!isScalar(node)) throw this.error(this.lineOf(node), field, 'must be a number');
    const value = this.scalar(node, field);
    if (value.type === 'null') return undefined;
    const line = this.lineOf(node);
    if (value.type === 'int' && (!integer || (value.value >= -2147483648n && value.value <= 2147483647n))) return { value: Number(value.value), line };
    if (value.type === 'float' && !integer && Number.isFinite(value.value)) return { value: value.value, line };
    throw this.error(line, field, `must be ${integer ? 'a whole number' : 'a number'}, found ${value.type === 'str' ? `the string '${value.value}'` : String(node.value)}`);
  }

  /** A scalar typed the way YAML 1.1 parsers (SnakeYAML, and kubectl's) type plain scalars. */
  scalar(node: Node, field: string): YamlValue {
    if (!isScalar(node)) throw this.error(this.lineOf(node), field, 'must be a single value');
    const text = node.value === null || node.value === undefined ? '' : String(node.value);
    const tag = node.tag;
    let implicit: ImplicitTag;
    if (tag === undefined) implicit = node.type === 'PLAIN' ? resolveImplicit(text) : 'str';
    else if (tag === '!') implicit = 'str';
    else if (tag.startsWith(YAML_TAG_PREFIX) && SCALAR_TAGS.has(tag.slice(YAML_TAG_PREFIX.length))) implicit = tag.slice(YAML_TAG_PREFIX.length) as ImplicitTag;
    else throw this.error(this.lineOf(node), field, `the YAML tag ${tag} is not supported`);
    try {
      return constructScalar(implicit === 'merge' || implicit === 'value' ? 'str' : implicit, text);
    } catch (e) {
      if (e instanceof ScalarConstructionError) throw this.error(this.lineOf(node), field, e.message);
      throw e;
    }
  }

  deref(node: Node): Node {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    if (target === undefined) throw this.error(this.lineOf(node), 'alias', `unknown alias *${node.source}`);
    return target;
  }

  private enter(map: YAMLMap): void {
    // An alias can point back at its own mapping; a manifest never needs more than a few levels.
    if (++this.depth > 64) throw this.error(this.lineOf(map), 'spec.flinkConfiguration', 'nested too deeply (an alias that contains itself?)');
  }

  lineOf(node: unknown): number {
    const range = (node as { range?: readonly number[] | null } | null)?.range;
    const offset = range?.[0];
    return offset === undefined ? 0 : this.lineCounter.linePos(offset).line;
  }
}

/** The operator's parseCpuValue: `500m` is half a core, anything else a Java double. */
function operatorCpu(text: string): number | undefined {
  const trimmed = javaTrim(text);
  try {
    if (trimmed.endsWith('m')) return parseJavaDouble(trimmed.slice(0, -1)) / 1000.0;
    return parseJavaDouble(trimmed);
  } catch {
    return undefined;
  }
}

/** A quantity's value as a double (fabric8 `getNumericalAmount().doubleValue()`), for limit factors. */
function kubernetesQuantityNumber(text: string): number | undefined {
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/.exec(text.trim());
  if (m === null) return undefined;
  const value = Number(m[1]);
  const suffix = m[2] ?? '';
  const binary: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
  const decimal: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  if (binary[suffix] !== undefined) return value * 2 ** binary[suffix]!;
  if (decimal[suffix] !== undefined) return value * 10 ** decimal[suffix]!;
  return suffix === '' ? value : value * 10 ** Number(suffix.slice(1));
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}

/**
 * The CPU cores a TaskManager gets on native Kubernetes when `taskmanager.cpu.cores` is not set:
 * Flink's Kubernetes resource manager falls back to `kubernetes.taskmanager.cpu.amount` (formerly
 * `kubernetes.taskmanager.cpu`) when that is positive, and only then to the number of slots.
 * Returns the value to use as `taskmanager.cpu.cores`, or undefined when nothing changes.
 */
export function nativeKubernetesTaskManagerCpu(config: Readonly<Record<string, string>>): string | undefined {
  if (config['taskmanager.cpu.cores'] !== undefined) return undefined;
  const raw = config['kubernetes.taskmanager.cpu.amount'] ?? config['kubernetes.taskmanager.cpu'];
  if (raw === undefined) return undefined;
  try {
    return parseJavaDouble(raw) > 0 ? raw : undefined;
  } catch {
    return undefined;
  }
}
