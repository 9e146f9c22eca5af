import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { configMapOf } from '../../src/config/config-map.js';
import { deploymentOf, loadConfigFile, looksLikeKubernetesManifest, parseFlinkDeploymentManifest, toFlatMap } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { runCliCaptured } from '../cli/cli-harness.js';
import { fixture, rejection, temporaryFiles } from './fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const configMap = (name: string): string => fixture('configmap', name);
const STREAMFORGE = configMap('kaanguner__streamforge__flink-deployment.yaml');
const ESPA = configMap('delftdata__espa-autoscaling__flink-configuration-configmap.yaml');
const BOTH = configMap('both-data-keys.yaml');
const TWO = configMap('two-configmaps.yaml');
const NEITHER = configMap('no-flink-config.yaml');
const DEPLOYMENT_AND_CONFIGMAP = configMap('deployment-and-configmap.yaml');

const manifest = temporaryFiles('flink-memory-configmap-', 'manifest.yaml');

/** key -> manifest line of every entry, in order. */
function lines(config: LoadedConfig): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, entry] of config.entries) out[key] = entry.source.kind === 'file' ? entry.source.line : -1;
  return out;
}

test('kaanguner/streamforge: flink-conf.yaml in a ConfigMap among a Namespace, Deployments, Services and a ServiceAccount', async () => {
  const config = await loadConfigFile(STREAMFORGE);
  assert.equal(config.file, STREAMFORGE);
  assert.equal(config.format, 'flink-conf.yaml');
  assert.deepStrictEqual(config.warnings, []);
  assert.deepStrictEqual(toFlatMap(config), {
    'jobmanager.rpc.address': 'flink-jobmanager',
    'jobmanager.rpc.port': '6123',
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.memory.process.size': '2048m',
    'taskmanager.numberOfTaskSlots': '4',
    'parallelism.default': '2',
    'state.backend': 'rocksdb',
    'state.checkpoints.dir': 'gs://trendstream-data-2026/checkpoints',
    'state.savepoints.dir': 'gs://trendstream-data-2026/savepoints',
    'execution.checkpointing.interval': '60000',
    'web.upload.dir': '/opt/flink/uploads',
  });
  // `flink-conf.yaml: |` is on manifest line 22 (line 1 is the fixture's source comment).
  assert.deepStrictEqual(Object.values(lines(config)), [23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]);
  assert.deepStrictEqual(config.entries.get('taskmanager.memory.process.size')?.source, { kind: 'file', file: STREAMFORGE, line: 26 });
  assert.deepStrictEqual(configMapOf(config), {
    file: STREAMFORGE,
    line: 17,
    name: 'flink-config',
    namespace: 'flink',
    dataKey: 'flink-conf.yaml',
    dataLine: 22,
  });
  assert.equal(deploymentOf(config), undefined);
});

test('delftdata/espa-autoscaling: a `|+` block, values read by the legacy parser (trailing blanks trimmed)', async () => {
  const config = await loadConfigFile(ESPA);
  assert.equal(config.format, 'flink-conf.yaml');
  assert.deepStrictEqual(config.warnings, []);
  assert.deepStrictEqual(toFlatMap(config), {
    'jobmanager.rpc.address': 'flink-jobmanager',
    'taskmanager.numberOfTaskSlots': '2',
    'blob.server.port': '6124',
    'jobmanager.rpc.port': '6123',
    'taskmanager.rpc.port': '6122',
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.memory.process.size': '1728m',
    'restart-strategy': 'fixeddelay',
    'restart-strategy.fixed-delay.attempts': '100000',
    'scheduler-mode': 'reactive',
    'metrics.reporter.prom.class': 'org.apache.flink.metrics.prometheus.PrometheusReporter',
    'heartbeat.timeout': '8000',
    'heartbeat.interval': '5000',
    'rest.flamegraph.enabled': 'true',
    'classloader.resolve-order': 'parent-first',
    'state.savepoints.dir': 'file:///opt/flink/savepoints/save',
  });
  const at = lines(config);
  assert.equal(at['jobmanager.rpc.address'], 10);
  assert.equal(at['taskmanager.memory.process.size'], 16);
  assert.equal(at['state.savepoints.dir'], 25);
  assert.deepStrictEqual(configMapOf(config), { file: ESPA, line: 3, name: 'flink-config', dataKey: 'flink-conf.yaml', dataLine: 9 });
});

test('config.yaml and flink-conf.yaml in one ConfigMap: config.yaml (nested YAML) is read, with a warning', async () => {
  const config = await loadConfigFile(BOTH);
  assert.equal(config.format, 'config.yaml');
  assert.deepStrictEqual(toFlatMap(config), {
    'jobmanager.rpc.address': 'flink-jobmanager',
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.numberOfTaskSlots': '4',
    'taskmanager.memory.process.size': '4096m',
    'taskmanager.memory.managed.fraction': '0.25',
    'env.java.opts.taskmanager': "['-XX:+UseG1GC']",
  });
  assert.deepStrictEqual(lines(config), {
    'jobmanager.rpc.address': 17,
    'jobmanager.memory.process.size': 19,
    'taskmanager.numberOfTaskSlots': 21,
    'taskmanager.memory.process.size': 24,
    'taskmanager.memory.managed.fraction': 25,
    'env.java.opts.taskmanager': 26,
  });
  assert.deepStrictEqual(config.warnings, [
    {
      file: BOTH,
      line: 9,
      message: 'ignored: config.yaml in the same ConfigMap takes precedence (as in Flink 1.19+; Flink 1.18 and older read only flink-conf.yaml)',
    },
  ]);
  assert.deepStrictEqual(configMapOf(config), { file: BOTH, line: 4, name: 'flink-config', namespace: 'streaming', dataKey: 'config.yaml', dataLine: 14 });
});

test('several ConfigMaps with a Flink configuration: the first is read, the others named in a warning', async () => {
  const config = await loadConfigFile(TWO);
  assert.equal(config.format, 'flink-conf.yaml');
  assert.deepStrictEqual(toFlatMap(config), { 'taskmanager.memory.process.size': '2g', 'taskmanager.numberOfTaskSlots': '3' });
  assert.deepStrictEqual(lines(config), { 'taskmanager.memory.process.size': 18, 'taskmanager.numberOfTaskSlots': 20 });
  assert.deepStrictEqual(config.warnings, [
    {
      file: TWO,
      line: 27,
      message: "ignored: ConfigMap 'flink-config-green' (line 23) also holds a Flink configuration (config.yaml); only the first in the file, ConfigMap 'flink-config-blue' (line 12), is read",
    },
    // The legacy parser's own warning, its line numbers those of the manifest.
    { file: TWO, line: 20, message: "'taskmanager.numberOfTaskSlots' is also set on line 19; this later value wins, as in Flink" },
  ]);
  assert.equal(configMapOf(config)?.name, 'flink-config-blue');
});

test('a FlinkDeployment in the file is read as before, even beside a ConfigMap with flink-conf.yaml', async () => {
  const config = await loadConfigFile(DEPLOYMENT_AND_CONFIGMAP);
  const direct = parseFlinkDeploymentManifest(await readFile(DEPLOYMENT_AND_CONFIGMAP, 'utf8'), DEPLOYMENT_AND_CONFIGMAP);
  assert.deepStrictEqual(config, direct);
  assert.equal(configMapOf(config), undefined);
  assert.equal(deploymentOf(config)?.name, 'basic-example');
  assert.deepStrictEqual(toFlatMap(config), {
    'taskmanager.numberOfTaskSlots': '2',
    'jobmanager.memory.process.size': '2 gb',
    'kubernetes.jobmanager.cpu.amount': '1.0',
    'taskmanager.memory.process.size': '2 gb',
    'kubernetes.taskmanager.cpu.amount': '1.0',
  });
  assert.deepStrictEqual(config.entries.get('taskmanager.memory.process.size')?.source, { kind: 'file', file: DEPLOYMENT_AND_CONFIGMAP, line: 27 });

  // The operator example on its own: identical to what the FlinkDeployment reader returns.
  const basic = join(repoRoot, 'test', 'fixtures', 'deployments', 'basic.yaml');
  assert.deepStrictEqual(await loadConfigFile(basic), parseFlinkDeploymentManifest(await readFile(basic, 'utf8'), basic));
});

test('neither a FlinkDeployment nor a ConfigMap with a Flink configuration: one line naming the file', async () => {
  const e = await rejection(loadConfigFile(NEITHER));
  assert.equal(e.code, 'NO_FLINK_CONFIGURATION');
  assert.equal(e.file, NEITHER);
  assert.equal(e.line, undefined);
  assert.equal(
    e.message,
    `${NEITHER}: no FlinkDeployment in this file (it holds ConfigMap, Service), nor a ConfigMap whose data holds config.yaml or flink-conf.yaml; expected a Flink configuration file, one FlinkDeployment manifest or a ConfigMap holding Flink's configuration`,
  );

  const bare = await manifest('apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Service\n');
  assert.equal(
    (await rejection(loadConfigFile(bare))).message,
    `${bare}: no FlinkDeployment in this file (it holds Service), nor a ConfigMap whose data holds config.yaml or flink-conf.yaml; expected a Flink configuration file, one FlinkDeployment manifest or a ConfigMap holding Flink's configuration`,
  );

  // YAML that does not parse is still reported by the FlinkDeployment reader, as before.
  const broken = await manifest('apiVersion: v1\nkind: ConfigMap\ndata:\n  flink-conf.yaml: [unclosed\n');
  const e2 = await rejection(loadConfigFile(broken));
  assert.equal(e2.code, 'INVALID_YAML');
  assert.match(e2.message, /manifest\.yaml:\d+: invalid YAML: /);
  assert.equal(e2.message.split('\n').length, 1);
});

test('block headers: a comment after `|+`, leading empty lines, `|` on a line of its own, `|-`', async () => {
  const path = await manifest(
    [
      'apiVersion: v1', // 1
      'kind: ConfigMap', // 2
      'data:', // 3
      '  flink-conf.yaml: |+ # legacy', // 4
      '', // 5
      '    a.one: 1', // 6
      '    # comment', // 7
      '    a.two: 2', // 8
      '', // 9
      '  other: x', // 10
    ].join('\n'),
  );
  assert.deepStrictEqual(lines(await loadConfigFile(path)), { 'a.one': 6, 'a.two': 8 });

  const own = await manifest(['apiVersion: v1', 'kind: ConfigMap', 'data:', '  config.yaml:', '    |-', '      b:', '        one: 1', '      b.two: 2'].join('\n'));
  const config = await loadConfigFile(own);
  assert.deepStrictEqual(toFlatMap(config), { 'b.one': '1', 'b.two': '2' });
  assert.deepStrictEqual(lines(config), { 'b.one': 7, 'b.two': 8 });
});

test('errors inside the embedded file point at manifest lines', async () => {
  const invalid = await manifest('apiVersion: v1\nkind: ConfigMap\ndata:\n  config.yaml: |\n    a: 1\n    b: [unclosed\n');
  const e1 = await rejection(loadConfigFile(invalid));
  assert.equal(e1.code, 'INVALID_YAML');
  assert.equal(e1.line, 7);
  assert.equal(e1.message, `${invalid}:7: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`);

  const duplicate = await manifest('apiVersion: v1\nkind: ConfigMap\ndata:\n  config.yaml: |\n    a: 1\n    b: 2\n    a: 3\n');
  const e2 = await rejection(loadConfigFile(duplicate));
  assert.equal(e2.line, 7);
  assert.equal(e2.message, `${duplicate}:7: invalid YAML: duplicate key 'a' (first written on line 5)`);

  const mapping = await manifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flink-config\ndata:\n  config.yaml:\n    a: 1\n');
  const e3 = await rejection(loadConfigFile(mapping));
  assert.equal(e3.code, 'UNSUPPORTED_VALUE');
  assert.equal(e3.line, 6);
  assert.equal(
    e3.message,
    `${mapping}:6: data.config.yaml of ConfigMap 'flink-config' must be a string holding the file (a block scalar, 'config.yaml: |'); Kubernetes refuses other ConfigMap data values`,
  );

  const empty = await manifest('apiVersion: v1\nkind: ConfigMap\ndata:\n  flink-conf.yaml:\n');
  const config = await loadConfigFile(empty);
  assert.equal(config.entries.size, 0);
  assert.deepStrictEqual(config.warnings, [{ file: empty, line: 4, message: 'data.flink-conf.yaml of a ConfigMap without a name is empty, so the configuration is empty' }]);
});

test('kubectl -o json: a quoted value has no lines of its own, so everything points at its data key', async () => {
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fc' }, data: { 'flink-conf.yaml': 'a: 1\nb: 2\na: 3\nnoseparator\n' } }, null, 2);
  assert.equal(looksLikeKubernetesManifest('{"apiVersion": "v1", "kind": "ConfigMap"}'), true);
  const path = await manifest(json, 'configmap.json');
  const config = await loadConfigFile(path);
  assert.deepStrictEqual(toFlatMap(config), { a: '3', b: '2' });
  // Line 8 of the pretty-printed JSON: `"flink-conf.yaml": "a: 1\nb: 2..."`.
  assert.deepStrictEqual(lines(config), { a: 8, b: 8 });
  assert.deepStrictEqual(config.warnings, [
    { file: path, line: 8, message: "'a' is also set on line 8; this later value wins, as in Flink" },
    { file: path, line: 8, message: 'line skipped, no ": " between key and value: "noseparator" (Flink: Error while trying to split key and value)' },
  ]);
});

test('load.ts keeps the YAML parser and the manifest readers out of its static imports', async () => {
  const compiled = await readFile(join(repoRoot, 'dist', 'src', 'config', 'load.js'), 'utf8');
  const staticImports = [...compiled.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
  assert.deepStrictEqual(staticImports, ['node:path', './errors.js', './flink-conf-legacy.js', './read-file.js']);
  assert.match(compiled, /await import\('\.\/config-map\.js'\)/);
});

test('CLI: explain --format json and lint read a ConfigMap manifest', async () => {
  const explain = await runCliCaptured(['explain', '--config', STREAMFORGE, '--format', 'json']);
  assert.equal(explain.code, 0);
  assert.equal(explain.stderr, '');
  const out = JSON.parse(explain.stdout) as { ok: boolean; memory: Record<string, string>; numSlots: number; configWarnings: string[] };
  assert.equal(out.ok, true);
  assert.equal(out.memory['totalProcessMemory'], '2147483648');
  assert.equal(out.numSlots, 4);
  assert.deepStrictEqual(out.configWarnings, []);

  const two = JSON.parse((await runCliCaptured(['explain', '--config', TWO, '--format', 'json'])).stdout) as typeof out;
  assert.equal(two.memory['totalProcessMemory'], '2147483648');
  assert.equal(two.numSlots, 3);
  assert.deepStrictEqual(two.configWarnings, [
    `${TWO}:27: ignored: ConfigMap 'flink-config-green' (line 23) also holds a Flink configuration (config.yaml); only the first in the file, ConfigMap 'flink-config-blue' (line 12), is read`,
    `${TWO}:20: 'taskmanager.numberOfTaskSlots' is also set on line 19; this later value wins, as in Flink`,
  ]);

  const lint = await runCliCaptured(['lint', '--config', BOTH, '--format', 'json', '--flink-version', '1.20']);
  assert.equal(lint.code, 1);
  assert.deepStrictEqual(JSON.parse(lint.stdout), {
    flinkVersion: '1.20',
    problems: [
      {
        code: 'config-warning',
        severity: 'warning',
        key: null,
        file: BOTH,
        line: 9,
        message: 'ignored: config.yaml in the same ConfigMap takes precedence (as in Flink 1.19+; Flink 1.18 and older read only flink-conf.yaml)',
        suggestion: null,
      },
    ],
  });

  // Problems on a real manifest point into its ConfigMap's flink-conf.yaml block (lines 23-33).
  const real = await runCliCaptured(['lint', '--config', STREAMFORGE, '--format', 'json', '--flink-version', '1.18']);
  const problems = (JSON.parse(real.stdout) as { problems: { file: string; line: number }[] }).problems;
  assert.ok(problems.length > 0);
  for (const p of problems) {
    assert.equal(p.file, STREAMFORGE);
    assert.ok(p.line >= 23 && p.line <= 33, `line ${p.line}`);
  }
});

test('the real bin: explain --config <ConfigMap manifest> --format json', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'bin', 'flink-memory.js'), 'explain', '--config', ESPA, '--format', 'json']);
  const out = JSON.parse(stdout) as { ok: boolean; memory: Record<string, string>; numSlots: number };
  assert.equal(out.ok, true);
  assert.equal(out.memory['totalProcessMemory'], String(1728 * 1024 * 1024));
  assert.equal(out.numSlots, 2);
});

test('a legacy file under another name (prod-flink-conf.yaml) is read with the legacy parser', async () => {
  // Strict YAML refuses `a: b: c`; Flink's line parser splits at the first ': '.
  const file = await manifest('env.java.opts.all: -Dkey: value\ntaskmanager.memory.process.size: 2g\n', 'prod-flink-conf.yaml');
  const config = await loadConfigFile(file);
  assert.equal(config.format, 'flink-conf.yaml');
  assert.equal(config.entries.get('env.java.opts.all')?.value, '-Dkey: value');
});
