/**
 * Loading a configuration file or directory.
 *
 * Format by file name: a file whose name holds `flink-conf.yaml` (`prod-flink-conf.yaml`, `flink-conf.yaml.tmpl`)
 * is read with Flink's legacy line-based parser; any other name (`config.yaml`, `my-conf.yaml`, ...)
 * as standard YAML.
 *
 * A directory (like FLINK_CONF_DIR) must hold `config.yaml` (preferred, as Flink 1.19+ does) or
 * `flink-conf.yaml`; when it holds both, config.yaml is used and a warning says so.
 *
 * A YAML file that is a Kubernetes manifest (top-level `kind:` and `apiVersion:`, or JSON with
 * `"kind": "FlinkDeployment"` / `"kind": "ConfigMap"`), one document or several:
 * - if a document is a FlinkDeployment, the file is read as a Flink Kubernetes Operator
 *   FlinkDeployment (flink-deployment.ts): the configuration the operator would deploy, plus the
 *   manifest's metadata;
 * - otherwise, if a document is a ConfigMap whose `data` holds `config.yaml` and/or
 *   `flink-conf.yaml` (the standalone-Kubernetes layout, config-map.ts), that embedded file is
 *   read: config.yaml as standard YAML, flink-conf.yaml with the legacy parser; config.yaml wins
 *   with a warning when both are there, as in a directory, and only the first such ConfigMap is
 *   read (a warning names the others). Entries, warnings and errors point at lines of the
 *   manifest, where the keys are written, not at lines of the embedded text;
 * - otherwise the load fails: neither a FlinkDeployment nor such a ConfigMap.
 */
import { basename, join } from 'node:path';
import { ConfigLoadError } from './errors.js';
import { parseFlinkConfLegacy } from './flink-conf-legacy.js';
import { isRegularFile, readConfigBytes, statPath } from './read-file.js';
import type { LoadedConfig } from './types.js';

export const STANDARD_FILE_NAME = 'config.yaml';
export const LEGACY_FILE_NAME = 'flink-conf.yaml';

/**
 * A file whose name says flink-conf (`flink-conf.yaml`, a copy such as `prod-flink-conf.yaml` or
 * `flink-conf.yaml.tmpl`): Flink's legacy format, which strict YAML would misread (`key: a: b`).
 */
export function isLegacyFileName(path: string): boolean {
  return /flink-conf\.ya?ml/.test(basename(path));
}

export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  const info = await statPath(path);
  return info.isDirectory() ? loadConfigDirectory(path) : loadFile(path);
}

async function loadConfigDirectory(dir: string): Promise<LoadedConfig> {
  const standard = join(dir, STANDARD_FILE_NAME);
  const legacy = join(dir, LEGACY_FILE_NAME);
  const [hasStandard, hasLegacy] = await Promise.all([isRegularFile(standard), isRegularFile(legacy)]);
  if (hasStandard) {
    const loaded = await loadFile(standard);
    if (!hasLegacy) return loaded;
    const warning = {
      file: legacy,
      line: 0,
      message: `ignored: ${STANDARD_FILE_NAME} in the same directory takes precedence (as in Flink 1.19+; Flink 1.18 and older read only ${LEGACY_FILE_NAME})`,
    };
    return { ...loaded, warnings: [warning, ...loaded.warnings] };
  }
  if (hasLegacy) return loadFile(legacy);
  throw new ConfigLoadError('NOT_A_CONFIG_DIR', `${dir}: neither ${STANDARD_FILE_NAME} nor ${LEGACY_FILE_NAME} found in this directory`, { file: dir });
}

/**
 * Whether a YAML file is a Kubernetes manifest rather than a Flink config.yaml: a top-level
 * `kind:` and `apiVersion:` in block style, or a JSON `"kind": "FlinkDeployment"` or
 * `"kind": "ConfigMap"` (`kubectl get ... -o json`). Neither is a Flink option, so no real
 * config.yaml is mistaken for a manifest. Kept here, not in flink-deployment.ts, so that deciding
 * does not load the YAML parser.
 */
export function looksLikeKubernetesManifest(text: string): boolean {
  if (/^kind[ \t]*:/m.test(text) && /^apiVersion[ \t]*:/m.test(text)) return true;
  return /"kind"\s*:\s*"(?:FlinkDeployment|ConfigMap)"/.test(text);
}

async function loadFile(path: string): Promise<LoadedConfig> {
  const bytes = await readConfigBytes(path);
  if (isLegacyFileName(path)) {
    // Java's reader: malformed UTF-8 becomes U+FFFD and a byte order mark is kept as a character.
    return parseFlinkConfLegacy(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), path);
  }
  let text: string;
  try {
    // SnakeYAML drops a byte order mark and rejects malformed input.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ConfigLoadError('INVALID_YAML', `${path}: invalid YAML: the file is not valid UTF-8`, { file: path, cause: e });
  }
  // Loaded on demand: the YAML parser is most of the start-up time of a run that needs no file.
  if (looksLikeKubernetesManifest(text)) return loadManifest(text, path);
  const { parseConfigYaml } = await import('./config-yaml.js');
  return parseConfigYaml(text, path);
}

/** A Kubernetes manifest: its FlinkDeployment, else the Flink configuration in its ConfigMap. */
async function loadManifest(text: string, path: string): Promise<LoadedConfig> {
  const { loadFlinkConfigMap, readManifest } = await import('./config-map.js');
  const contents = readManifest(text);
  switch (contents.kind) {
    case 'flink-deployment': {
      // Also YAML that does not parse: the FlinkDeployment reader reports it, as it always has.
      const { parseFlinkDeploymentManifest } = await import('./flink-deployment.js');
      return parseFlinkDeploymentManifest(text, path);
    }
    case 'config-maps':
      return loadFlinkConfigMap(contents.configMaps, path);
    case 'none': {
      const holds = contents.kinds.length > 0 ? ` (it holds ${contents.kinds.join(', ')})` : '';
      // A session job runs in the session cluster of its FlinkDeployment, which holds the memory settings.
      const sessionJob = contents.kinds.includes('FlinkSessionJob') ? '; a FlinkSessionJob runs on the session cluster of its spec.deploymentName, whose FlinkDeployment holds the memory configuration' : '';
      throw new ConfigLoadError(
        'NO_FLINK_CONFIGURATION',
        `${path}: no FlinkDeployment in this file${holds}, nor a ConfigMap whose data holds ${STANDARD_FILE_NAME} or ${LEGACY_FILE_NAME}; expected a Flink configuration file, one FlinkDeployment manifest or a ConfigMap holding Flink's configuration${sessionJob}`,
        { file: path },
      );
    }
  }
}
