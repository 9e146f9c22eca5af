import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  deploymentOf,
  flinkDeploymentRelease,
  kubernetesPodMemory,
  kubernetesQuantityBytes,
  loadConfigFile,
  looksLikeKubernetesManifest,
  memorySizeToString,
  nativeKubernetesTaskManagerCpu,
  OperatorMemoryError,
  operatorMemorySize,
  parseFlinkDeploymentManifest,
  toFlatMap,
} from '../../src/config/index.js';
import { rejection, temporaryFiles } from './fixtures.js';
import { flinkMemoryText, renderFlinkDeploymentPatch } from '../../src/report/flink-deployment-patch.js';

const here = dirname(fileURLToPath(import.meta.url));
const deployments = join(here, '..', '..', '..', 'test', 'fixtures', 'deployments');
const fixture = (name: string): string => join(deployments, name);

const manifest = temporaryFiles('flink-memory-deployment-', 'deployment.yaml');


const GiB = 1024n ** 3n;
const MiB = 1024n ** 2n;

test('resource.memory: Flink syntax first, MemorySize.toString() is what the operator writes', () => {
  // [written, process size string, bytes]: m/g are MiB/GiB whatever their case, as Flink reads them.
  const cases: Array<[string, string, bigint]> = [
    ['2048m', '2 gb', 2n * GiB],
    ['1728m', '1728 mb', 1728n * MiB],
    ['2G', '2 gb', 2n * GiB], // Kubernetes would read 2e9; Flink's parser comes first
    ['2048M', '2 gb', 2n * GiB],
    ['512Mb', '512 mb', 512n * MiB],
    ['1 gb', '1 gb', GiB],
    ['1536k', '1536 kb', 1536n * 1024n], // 1.5 MiB: kb is the largest unit that divides it
    ['2K', '2 kb', 2048n],
    ['0', '0 bytes', 0n],
    ['1t', '1099511627776 bytes', 1024n * GiB], // divisible by every unit: Flink falls back to bytes
  ];
  for (const [text, processSize, bytes] of cases) {
    assert.deepEqual(operatorMemorySize(text, 'TaskManager'), { syntax: 'flink', processSize, bytes }, text);
  }
});

test('resource.memory: what Flink cannot parse is a Kubernetes quantity, its exact decimal value', () => {
  const cases: Array<[string, string]> = [
    ['2Gi', '2147483648'],
    ['1536Mi', '1610612736'], // 1536 x 2^20
    ['2gib', '2147483648'], // upper-cased, trailing B dropped, trailing I written as i: 2Gi
    [' 4 Gi ', '4294967296'], // whitespace removed
    ['1e9', '1000000000'], // exponent: 1 x 10^9
    ['1.Gi', '1073741824'], // BigDecimal("1.") has scale 0, so no decimal point comes out
    ['1Pi', '1125899906842624'], // 2^50 has 16 digits: exact under DECIMAL64
  ];
  for (const [text, processSize] of cases) {
    assert.deepEqual(operatorMemorySize(text, 'TaskManager'), { syntax: 'kubernetes', processSize, bytes: BigInt(processSize) }, text);
  }
});

test('resource.memory the operator refuses: its validator needs a MemorySize after the mapping', () => {
  const units = '(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)';
  const cases: Array<[string, string]> = [
    // 1.5 (scale 1) x 1073741824 = 1610612736.0: the decimal point stays.
    ['1.5Gi', `TaskManager resource memory parse error: Memory size unit '.0' does not match any of the recognized units: ${units}`],
    ['1.5G', `TaskManager resource memory parse error: Memory size unit '.0' does not match any of the recognized units: ${units}`],
    // 10^18 has 19 digits; DECIMAL64 keeps 16, so 2E is 2.000000000000000E+18.
    ['2E', `TaskManager resource memory parse error: Memory size unit '.000000000000000e+18' does not match any of the recognized units: ${units}`],
    // 2^60 = 1152921504606846976 rounds (half-even) to 1.152921504606847E+18.
    ['1Ei', `TaskManager resource memory parse error: Memory size unit '.152921504606847e+18' does not match any of the recognized units: ${units}`],
    ['-1Gi', 'TaskManager resource memory parse error: text does not start with a number'],
    ['', 'TaskManager resource memory parse error: Invalid quantity string format passed.'],
    ['2.5K', 'TaskManager resource memory parse error: Invalid quantity format passed to parse'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => operatorMemorySize(text, 'TaskManager'), (e: unknown) => e instanceof OperatorMemoryError && e.message === message, text);
  }
  assert.throws(() => operatorMemorySize('100U', 'JobManager'), /^OperatorMemoryError: JobManager resource memory parse error: '100U' is not a decimal number/);
});

test('MemorySize.toString and Kubernetes quantities as Kubernetes counts them', () => {
  assert.equal(memorySizeToString(1811939328n), '1728 mb');
  assert.equal(memorySizeToString(1000000000n), '1000000000 bytes'); // not a multiple of 1024
  assert.equal(memorySizeToString(3n * 1024n), '3 kb');
  const cases: Array<[string, bigint | undefined]> = [
    ['2Gi', 2n * GiB],
    ['2G', 2000000000n],
    ['123Mi', 128974848n],
    ['129e6', 129000000n],
    ['1.5Gi', 1610612736n],
    ['1E', 10n ** 18n],
    ['2048m', 3n], // milli-bytes: 2.048 bytes, rounded up
    ['128974848', 128974848n],
    ['4 g', undefined],
    ['abc', undefined],
  ];
  for (const [text, bytes] of cases) assert.equal(kubernetesQuantityBytes(text), bytes, text);
});

test('the pod memory Flink sets: whole MiB of the process, times the limit factor, truncated', () => {
  assert.deepEqual(kubernetesPodMemory(4n * GiB, 1.0), { requestBytes: 4n * GiB, limitBytes: 4n * GiB });
  // 1e9 bytes is 953.67 MiB: the pod gets 953Mi = 999292928 bytes, 707072 bytes less than the process.
  assert.deepEqual(kubernetesPodMemory(1000000000n, 1.0), { requestBytes: 999292928n, limitBytes: 999292928n });
  assert.deepEqual(kubernetesPodMemory(2n * GiB, 1.5), { requestBytes: 2n * GiB, limitBytes: 3072n * MiB });
  // (int) (999 x 1.1) = (int) 1098.9 = 1098
  assert.deepEqual(kubernetesPodMemory(999n * MiB, 1.1), { requestBytes: 999n * MiB, limitBytes: 1098n * MiB });
});

test('spec.flinkVersion names a Flink release', () => {
  assert.equal(flinkDeploymentRelease('v1_20'), '1.20');
  assert.equal(flinkDeploymentRelease('v2_0'), '2.0');
  assert.equal(flinkDeploymentRelease('v1_16'), '1.16');
  assert.equal(flinkDeploymentRelease('1.20'), undefined);
});

test('detection: a manifest has a top-level kind and apiVersion; a config.yaml does not', () => {
  assert.equal(looksLikeKubernetesManifest('apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\n'), true);
  assert.equal(looksLikeKubernetesManifest('{"apiVersion": "flink.apache.org/v1beta1", "kind": "FlinkDeployment"}'), true);
  assert.equal(looksLikeKubernetesManifest('taskmanager:\n  memory:\n    process.size: 4g\n'), false);
  assert.equal(looksLikeKubernetesManifest('kind: x\n'), false);
});

test('the operator example basic.yaml: process sizes from resource.memory, cpu keys, version', async () => {
  const file = fixture('basic.yaml');
  const config = await loadConfigFile(file);
  assert.deepStrictEqual(toFlatMap(config), {
    'taskmanager.numberOfTaskSlots': '2',
    'jobmanager.memory.process.size': '2 gb',
    'kubernetes.jobmanager.cpu.amount': '1.0',
    'taskmanager.memory.process.size': '2 gb',
    'kubernetes.taskmanager.cpu.amount': '1.0',
  });
  assert.deepStrictEqual(config.entries.get('taskmanager.memory.process.size')?.source, { kind: 'file', file, line: 37 });
  assert.deepStrictEqual(config.warnings, []);
  assert.equal(config.format, undefined);
  const d = deploymentOf(config);
  assert.ok(d !== undefined);
  assert.equal(d.name, 'basic-example');
  assert.equal(d.line, 22);
  assert.deepStrictEqual(d.flinkVersion, { value: 'v1_20', line: 27, release: '1.20' });
  assert.equal(d.mode, 'native');
  assert.deepStrictEqual(d.taskManager.memory, {
    field: 'spec.taskManager.resource.memory',
    text: '2048m',
    line: 37,
    syntax: 'flink',
    processSize: '2 gb',
    bytes: 2n * GiB,
  });
  assert.deepStrictEqual(d.taskManager.cpu, { value: 1, line: 38 });
});

test('nested flinkConfiguration (operator 1.13+): flattened, numbers as the API server passes them, resource wins', async () => {
  const file = fixture('nested-config.yaml');
  const config = await loadConfigFile(file);
  assert.deepStrictEqual(toFlatMap(config), {
    'taskmanager.numberOfTaskSlots': '4',
    'taskmanager.memory.managed.fraction': '0.6',
    'taskmanager.memory.process.size': '4294967296', // 4Gi from spec.taskManager.resource, not the 8g above it
    'state.backend.type': 'rocksdb',
    'execution.checkpointing.interval': '60 s',
    'kubernetes.taskmanager.memory.limit-factor': '1', // 1.0 travels as the JSON number 1
    'jobmanager.memory.process.size': '2147483648',
    'kubernetes.jobmanager.cpu.amount': '1.0',
    'kubernetes.jobmanager.replicas': '1',
    'kubernetes.taskmanager.cpu.amount': '2.0',
  });
  assert.deepStrictEqual(config.warnings, [
    { file, line: 12, message: 'spec.flinkConfiguration uses nested YAML or values that are not strings: this needs operator 1.13+ (FLINK-37406); older operators accept only a map of strings' },
    { file, line: 38, message: "'taskmanager.memory.process.size' is also set on line 18; spec.taskManager.resource.memory wins over spec.flinkConfiguration, as in the operator" },
  ]);
  const d = deploymentOf(config)!;
  assert.equal(d.namespace, 'streaming');
  assert.deepStrictEqual(d.flinkVersion, { value: 'v2_1', line: 11, release: '2.1' });
  assert.deepStrictEqual(d.taskManager.replicas, { value: 3, line: 36 });
  const limit = { field: 'spec.podTemplate.spec.containers[flink-main-container].resources.limits.memory', text: '8Gi', line: 29, bytes: 8n * GiB };
  assert.deepStrictEqual(d.taskManager.podTemplateMemoryLimit, limit);
  assert.deepStrictEqual(d.jobManager.podTemplateMemoryLimit, limit);
  assert.equal(d.taskManager.podTemplateMemoryRequest, undefined);
  assert.equal(nativeKubernetesTaskManagerCpu(toFlatMap(config)), '2.0');
});

test('several documents: the FlinkDeployment is picked; Flink 1.16 gets the pre-1.17 CPU keys, as the operator writes them', async () => {
  const config = await loadConfigFile(fixture('with-service-account.yaml'));
  assert.deepStrictEqual(toFlatMap(config), {
    'taskmanager.numberOfTaskSlots': '2',
    'taskmanager.memory.network.fraction': '0.2',
    'jobmanager.memory.process.size': '1000000000', // "1e9": Kubernetes exponent syntax
    'kubernetes.jobmanager.cpu': '0.5',
    'taskmanager.memory.process.size': '8589934592', // "8GiB" -> 8Gi
    'kubernetes.taskmanager.cpu': '1.5',
  });
  const d = deploymentOf(config)!;
  assert.equal(d.mode, 'standalone');
  assert.equal(d.taskManager.memory?.syntax, 'kubernetes');
});

test('no FlinkDeployment, two of them, or a size the operator refuses: one line with file and line', async () => {
  const none = fixture('no-deployment.yaml');
  const e1 = await rejection(loadConfigFile(none));
  assert.equal(
    e1.message,
    `${none}: no FlinkDeployment in this file (it holds Deployment, Service), nor a ConfigMap whose data holds config.yaml or flink-conf.yaml; expected a Flink configuration file, one FlinkDeployment manifest or a ConfigMap holding Flink's configuration`,
  );

  const two = await manifest('apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nspec: {}\n---\napiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nspec: {}\n');
  assert.equal((await rejection(loadConfigFile(two))).message, `${two}: 2 FlinkDeployments in this file (lines 2, 6); put the one to read in a file of its own`);

  const decimal = fixture('decimal-quantity.yaml');
  const e3 = await rejection(loadConfigFile(decimal));
  assert.equal(e3.line, 16);
  assert.match(e3.message, new RegExp(`^${decimal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:16: spec\\.taskManager\\.resource\\.memory: '1\\.5Gi': the operator refuses it \\(TaskManager resource memory parse error: Memory size unit '\\.0' does not match`));
  assert.ok(e3.message.endsWith("; write '1536Mi' or '1536m' for the same size"), e3.message);

  const number = await manifest('apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nspec:\n  taskManager:\n    resource:\n      memory: 2048\n');
  assert.equal(
    (await rejection(loadConfigFile(number))).message,
    `${number}:6: spec.taskManager.resource.memory: must be a string, found the integer 2048 (quote it: Kubernetes refuses other types here)`,
  );

  const broken = await manifest('apiVersion: v1\nkind: FlinkDeployment\nspec:\n  taskManager: [unclosed\n');
  const e5 = await rejection(loadConfigFile(broken));
  assert.equal(e5.code, 'INVALID_YAML');
  assert.match(e5.message, /^.*deployment\.yaml:\d+: invalid YAML: /);
  assert.equal(e5.message.split('\n').length, 1);
});

test('flinkConfiguration scalars and lists, as the operator reads them from the API server', async () => {
  const path = await manifest(
    [
      'apiVersion: flink.apache.org/v1beta1',
      'kind: FlinkDeployment',
      'spec:',
      '  flinkVersion: v1_20',
      '  flinkConfiguration:',
      '    a.int: 010', // YAML 1.1 octal, as kubectl reads it: 8
      '    a.quoted: "010"',
      '    a.bool: yes',
      '    a.small: 1.0e-4', // Jackson prints the double as Java does
      '    a.list:',
      '      - x',
      '      - 2',
      '    a.null:',
      '    a:',
      '      nested: value',
    ].join('\n'),
  );
  const config = await loadConfigFile(path);
  assert.deepStrictEqual(toFlatMap(config), {
    'a.int': '8',
    'a.quoted': '010',
    'a.bool': 'true',
    'a.small': '1.0E-4',
    'a.list': 'x;2',
    'a.nested': 'value',
  });
  assert.ok(config.warnings.some((w) => w.line === 13 && w.message === "'a.null' has no value (null) and is ignored, as Kubernetes drops null values"));
});

test('the newer resources field: requests first, limits for the limit factors; it replaces resource', async () => {
  const path = await manifest(
    [
      'apiVersion: flink.apache.org/v1beta1',
      'kind: FlinkDeployment',
      'spec:',
      '  flinkVersion: v2_0',
      '  taskManager:',
      '    resource:',
      '      memory: 1g',
      '    resources:',
      '      requests:',
      '        memory: 2Gi',
      '        cpu: 500m',
      '      limits:',
      '        memory: 3Gi',
      '        cpu: 1',
      '  jobManager:',
      '    resources:',
      '      limits:',
      '        memory: 1600Mi',
    ].join('\n'),
  );
  const config = await loadConfigFile(path);
  assert.deepStrictEqual(toFlatMap(config), {
    'jobmanager.memory.process.size': '1677721600', // only a limit: it sizes the process
    'taskmanager.memory.process.size': '2147483648',
    'kubernetes.taskmanager.cpu.amount': '0.5',
    'kubernetes.taskmanager.cpu.limit-factor': '2.0',
    'kubernetes.taskmanager.memory.limit-factor': '1.5', // 3Gi / 2Gi
  });
  assert.deepStrictEqual(config.warnings, [{ file: path, line: 7, message: 'spec.taskManager.resource is ignored: spec.taskManager.resources takes precedence, as in the operator' }]);
  assert.deepStrictEqual(deploymentOf(config)!.taskManager.memoryLimitFactor, { value: 1.5, line: 13 });
});

test('a JSON manifest (kubectl get -o json) is read the same way', async () => {
  const path = await manifest(
    JSON.stringify({ apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', metadata: { name: 'j' }, spec: { flinkVersion: 'v1_19', taskManager: { resource: { memory: '4g', cpu: 2 } } } }, null, 2),
    'deployment.json',
  );
  const config = await loadConfigFile(path);
  assert.deepStrictEqual(toFlatMap(config), { 'taskmanager.memory.process.size': '4 gb', 'kubernetes.taskmanager.cpu.amount': '2.0' });
  assert.equal(deploymentOf(config)?.flinkVersion?.release, '1.19');
});

test('the plan patch: resource.memory in Flink syntax, options as strings, and it reads back to the same bytes', () => {
  assert.equal(flinkMemoryText(4n * GiB), '4g');
  assert.equal(flinkMemoryText(1728n * MiB), '1728m');
  assert.equal(flinkMemoryText(1536n * 1024n), '1536k');
  assert.equal(flinkMemoryText(1000000000n), '1000000000');
  const patch = renderFlinkDeploymentPatch({
    name: 'orders-enrichment',
    namespace: 'streaming',
    config: {
      'taskmanager.memory.process.size': '3g', // replaced by taskManager.processSize
      'taskmanager.memory.managed.fraction': '0.6',
      'taskmanager.numberOfTaskSlots': '4',
    },
    taskManager: { processSize: 4n * GiB, cpu: 2, replicas: 3 },
    jobManager: { processSize: 1600n * MiB },
    remove: ['taskmanager.memory.managed.size'],
    comments: { 'taskmanager.memory.managed.fraction': 'RocksDB keeps its state in managed memory' },
    header: ['flink-memory plan --memory 4g --state-backend rocksdb'],
  });
  assert.equal(
    patch,
    [
      '# flink-memory plan --memory 4g --state-backend rocksdb',
      '# Apply with: kubectl patch flinkdeployment orders-enrichment --type merge --patch-file FILE',
      'apiVersion: flink.apache.org/v1beta1',
      'kind: FlinkDeployment',
      'metadata:',
      '  name: "orders-enrichment"',
      '  namespace: "streaming"',
      'spec:',
      '  flinkConfiguration:',
      '    # RocksDB keeps its state in managed memory',
      '    taskmanager.memory.managed.fraction: "0.6"',
      '    taskmanager.numberOfTaskSlots: "4"',
      '    taskmanager.memory.managed.size: null',
      '  jobManager:',
      '    resource:',
      '      memory: "1600m"',
      '  taskManager:',
      '    replicas: 3',
      '    resource:',
      '      memory: "4g"',
      '      cpu: 2',
      '',
    ].join('\n'),
  );
  // Read back as the operator would: the same process sizes to the byte and the same options.
  const back = parseFlinkDeploymentManifest(patch, 'patch.yaml');
  assert.deepStrictEqual(toFlatMap(back), {
    'taskmanager.memory.managed.fraction': '0.6',
    'taskmanager.numberOfTaskSlots': '4',
    'jobmanager.memory.process.size': '1600 mb',
    'taskmanager.memory.process.size': '4 gb',
    'kubernetes.taskmanager.cpu.amount': '2.0',
  });
  assert.equal(back.deployment.taskManager.memory?.bytes, 4n * GiB);
  assert.equal(back.deployment.jobManager.memory?.bytes, 1600n * MiB);
});

test('a public manifest (YoonRyeol/bitcoin-realtime-streaming-job) repeating resource.memory in flinkConfiguration: same bytes, no warning', async () => {
  const file = fixture('same-memory-twice.yaml');
  const config = await loadConfigFile(file);
  assert.deepStrictEqual(config.warnings, []);
  const flat = toFlatMap(config);
  // The operator's value (resource.memory, as the operator renders it) is the one deployed.
  assert.equal(flat['taskmanager.memory.process.size'], '1400 mb');
  assert.equal(flat['jobmanager.memory.process.size'], '768 mb');
});
