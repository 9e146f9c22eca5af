/** Where the clusters of a fleet are: a file of URLs, or `kubectl get flinkdeployments -A -o json`. */
import { readFile } from 'node:fs/promises';
import { toFlatMap } from '../config/flat-map.js';
import { parseFlinkDeploymentManifest } from '../config/flink-deployment.js';
import { ConfigLoadError } from '../config/errors.js';
import { arr, obj, str, type Json } from './json.js';
import type { InspectTarget } from './inspect.js';

/** A fleet source that cannot be read: one line, exit code 2. */
export class FleetError extends Error {}

/** The operator's REST service: `<name>-rest` in the deployment's namespace, port 8081. */
export const DEFAULT_URL_TEMPLATE = 'http://{name}-rest.{namespace}:8081';

/** One URL per line; `#` starts a comment; an optional name before the URL (`prod-a http://...`). */
export async function targetsFromRestFile(path: string): Promise<InspectTarget[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new FleetError(`--rest-file: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const targets: InspectTarget[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const parts = line.split(/\s+/);
    const url = parts[parts.length - 1]!;
    if (!/^https?:\/\//i.test(url)) throw new FleetError(`${path}:${i + 1}: '${url}' is not an http(s) URL`);
    targets.push(parts.length > 1 ? { url, name: parts[0]! } : { url });
  });
  if (targets.length === 0) throw new FleetError(`${path}: no URLs`);
  return targets;
}

/** The FlinkDeployments of `kubectl get flinkdeployments -A -o json`, each read like `explain --config` reads a manifest. */
export async function targetsFromKubectl(path: string, urlTemplate = DEFAULT_URL_TEMPLATE): Promise<InspectTarget[]> {
  let body: Json;
  try {
    body = JSON.parse(await readFile(path, 'utf8')) as Json;
  } catch (e) {
    throw new FleetError(`--fleet: ${path}: ${(e as NodeJS.ErrnoException).code ?? `not JSON (${(e as Error).message.split('\n')[0]})`}`);
  }
  const root = obj(body);
  const items = root?.['kind'] === 'FlinkDeployment' ? [body] : arr(root?.['items']);
  if (items.length === 0) throw new FleetError(`--fleet: ${path}: no FlinkDeployment items (expected the JSON of kubectl get flinkdeployments -A -o json)`);
  return items.map((item, i) => {
    const source = `${path}#items[${i}]`;
    const meta = obj(obj(item)?.['metadata']);
    const name = str(meta?.['name']);
    const namespace = str(meta?.['namespace']) ?? 'default';
    if (name === undefined) throw new FleetError(`${source}: no metadata.name`);
    let loaded;
    try {
      loaded = parseFlinkDeploymentManifest(JSON.stringify(item), source);
    } catch (e) {
      if (e instanceof ConfigLoadError) throw new FleetError(e.message);
      throw e;
    }
    const url = urlTemplate.replaceAll('{name}', name).replaceAll('{namespace}', namespace);
    const d = loaded.deployment;
    return {
      url,
      name: `${namespace}/${name}`,
      declared: {
        name,
        namespace,
        config: toFlatMap(loaded),
        flinkRelease: d.flinkVersion?.release,
        taskManagerReplicas: d.taskManager.replicas?.value,
        source,
      },
    };
  });
}
