import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCliCaptured } from './cli-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => join(here, '..', '..', '..', 'test', 'fixtures', 'deployments', name);
const dir = mkdtempSync(join(tmpdir(), 'flink-memory-explain-deployment-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

interface Warning {
  code: string;
  message: string;
}
interface Json {
  ok: boolean;
  flinkVersion: string;
  memory: Record<string, string>;
  cpuCores?: number;
  numSlots?: number;
  dynamicConfigs: string;
  configWarnings: string[];
  warnings: Warning[];
  container?: Record<string, string>;
  deployment?: Record<string, unknown>;
}

async function json(argv: string[]): Promise<{ code: number; json: Json; stderr: string }> {
  const run = await runCliCaptured([...argv, '--format', 'json']);
  return { code: run.code, json: JSON.parse(run.stdout) as Json, stderr: run.stderr };
}

test('explain --config deployment.yaml: the operator example, Flink 1.20 picked from spec.flinkVersion', async () => {
  const path = fixture('basic.yaml');
  const { code, json: out, stderr } = await json(['explain', '--config', path]);
  assert.equal(code, 0);
  assert.equal(stderr, '');
  assert.equal(out.flinkVersion, '1.20');
  assert.equal(out.memory['totalProcessMemory'], '2147483648'); // resource.memory 2048m
  assert.equal(out.numSlots, 2);
  assert.equal(out.cpuCores, 1); // kubernetes.taskmanager.cpu.amount 1.0 on native Kubernetes
  assert.deepStrictEqual(out.warnings, []);
  assert.deepStrictEqual(out.container, { source: 'kubernetes', limitBytes: '2147483648', requestBytes: '2147483648' });
  assert.deepStrictEqual(out.deployment, { kind: 'FlinkDeployment', file: path, line: 22, name: 'basic-example', flinkVersion: 'v1_20', mode: 'native' });

  const jm = await json(['explain', '--config', path, '--process', 'jobmanager']);
  assert.equal(jm.json.memory['totalProcessMemory'], '2147483648');

  const forced = await json(['explain', '--config', path, '--flink-version', '2.1']);
  assert.equal(forced.json.flinkVersion, '2.x');
  assert.deepStrictEqual(forced.json.warnings, [
    { code: 'flink-version-overridden', message: `${path}:27: spec.flinkVersion v1_20 is overridden by --flink-version: the rules of Flink 2.x apply` },
  ]);
  const same = await json(['explain', '--config', path, '--flink-version', '1.20.3']);
  assert.deepStrictEqual(same.json.warnings, []);
});

test('a nested operator-1.13 manifest: resource.memory wins, CPU from the pod, the pod template limit is replaced', async () => {
  const path = fixture('nested-config.yaml');
  const { code, json: out } = await json(['explain', '-c', path]);
  assert.equal(code, 0);
  assert.equal(out.flinkVersion, '2.x');
  // 4Gi with managed.fraction 0.6 (the 8g in flinkConfiguration is overridden): overhead 0.1f x 4 GiB
  // = 429496736, Flink = 4 GiB - 256 MiB - overhead = 3597035104, managed = 0.6f x Flink = 2158221148.
  assert.equal(out.memory['totalProcessMemory'], '4294967296');
  assert.equal(out.memory['jvmOverhead'], '429496736');
  assert.equal(out.memory['managed'], '2158221148');
  assert.equal(out.numSlots, 4);
  assert.equal(out.cpuCores, 2);
  assert.ok(out.dynamicConfigs.includes('-D taskmanager.cpu.cores=2.0'));
  assert.equal(out.configWarnings.length, 2);
  assert.deepStrictEqual(out.warnings, [
    {
      code: 'pod-template-memory-replaced',
      message: `${path}:29: spec.podTemplate.spec.containers[flink-main-container].resources.limits.memory '8Gi' does not take effect: Flink sets the memory limit of flink-main-container to 4096Mi from the process size; size the pod with spec.taskManager.resource.memory instead`,
    },
  ]);
  assert.deepStrictEqual(out.deployment, {
    kind: 'FlinkDeployment',
    file: path,
    line: 5,
    name: 'orders-enrichment',
    namespace: 'streaming',
    flinkVersion: 'v2_1',
    mode: 'native',
    taskManagerReplicas: 3,
    jobManagerReplicas: 1,
  });

  const text = await runCliCaptured(['explain', '-c', path]);
  assert.equal(text.code, 0);
  const flat = text.stdout.replace(/\s*\n[\s│]*/g, ' ');
  assert.ok(flat.includes(`set: taskmanager.memory.process.size = 4294967296 [${path}:38]`), flat.slice(0, 400));
  assert.equal(text.stderr, `flink-memory: warning: ${out.warnings[0]!.message}\n`);
});

test('standalone mode keeps CPU cores = slots; a process not a whole MiB outgrows its pod', async () => {
  const path = fixture('with-service-account.yaml');
  const tm = await json(['explain', '-c', path]);
  assert.equal(tm.json.flinkVersion, '1.16');
  assert.equal(tm.json.cpuCores, 2); // standalone: no Kubernetes CPU fallback, the two slots
  const jm = await json(['explain', '-c', path, '-p', 'jobmanager']);
  assert.equal(jm.code, 0);
  // "1e9" = 1000000000 bytes = 953.67 MiB; the pod gets 953Mi = 999292928 bytes: 707072 bytes short.
  assert.deepStrictEqual(jm.json.container, { source: 'kubernetes', limitBytes: '999292928', requestBytes: '999292928' });
  assert.deepStrictEqual(jm.json.warnings, [
    {
      code: 'container-exceeded',
      message:
        'Total Process Memory 953.7 MiB (1000000000 bytes) exceeds the pod memory limit of 953 MiB (999292928 bytes) by 690.5 KiB (707072 bytes) (Flink sets it to the process size in whole MiB, 953Mi, times kubernetes.jobmanager.memory.limit-factor, 1.0): the container is killed (OOMKilled) once the process uses its whole budget. Set jobmanager.memory.process.size to at most 953m, or raise the limit',
    },
  ]);
});

test('--container: too small is killed, much too large is waste, close enough is quiet', async () => {
  const big = await json(['explain', '-D', 'taskmanager.memory.process.size=4g', '--container', '3.5Gi']);
  assert.equal(big.code, 0);
  assert.deepStrictEqual(big.json.container, { source: 'option', limitBytes: '3758096384' });
  assert.deepStrictEqual(big.json.warnings, [
    {
      code: 'container-exceeded',
      message:
        'Total Process Memory 4 GiB (4294967296 bytes) exceeds the container limit given with --container of 3.5 GiB (3758096384 bytes) by 512 MiB (536870912 bytes): the container is killed (OOMKilled) once the process uses its whole budget. Set taskmanager.memory.process.size to at most 3584m, or raise the limit',
    },
  ]);
  const waste = await json(['explain', '-D', 'taskmanager.memory.process.size=4g', '--container', '8Gi']);
  assert.deepStrictEqual(waste.json.warnings.map((w) => w.code), ['container-underused']);
  assert.ok(waste.json.warnings[0]!.message.includes('leaves 4 GiB (4294967296 bytes), 50.0%, unused'));
  assert.ok(waste.json.warnings[0]!.message.endsWith('Set taskmanager.memory.process.size to 8g to give it all to Flink'));
  // 4400m - 4096m = 304 MiB, 6.9% of the container: below the 10% worth a warning.
  for (const limit of ['4Gi', '4096m', '4g', '4294967296', '4400m']) {
    const quiet = await json(['explain', '-D', 'taskmanager.memory.process.size=4g', '--container', limit]);
    assert.deepStrictEqual(quiet.json.warnings, [], limit);
  }
  const jm = await json(['explain', '-p', 'jobmanager', '--container', '1Gi']);
  assert.deepStrictEqual(jm.json.warnings.map((w) => w.code), ['container-exceeded']); // 1600m > 1024m

  const text = await runCliCaptured(['explain', '-D', 'taskmanager.memory.process.size=4g', '--container', '3.5Gi']);
  assert.equal(text.stderr, `flink-memory: warning: ${big.json.warnings[0]!.message}\n`);
  const jvm = await runCliCaptured(['explain', '--container', '2g', '--format', 'jvm-args']);
  assert.equal(jvm.stdout, '-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456\n');
  assert.match(jvm.stderr, /^flink-memory: warning: The container limit given with --container of 2 GiB \(2147483648 bytes\) leaves 320 MiB/); // 1728m: 15.6% unused
});

test('YARN: the container is the request rounded up to the minimum allocation', async () => {
  const yarn = await json(['explain', '-D', 'execution.target=yarn-per-job']);
  assert.deepStrictEqual(yarn.json.container, { source: 'yarn', limitBytes: '2147483648', requestBytes: '1811939328' });
  assert.deepStrictEqual(yarn.json.warnings, [
    {
      code: 'container-underused',
      message:
        "The YARN container of 2 GiB (2147483648 bytes) leaves 320 MiB (335544320 bytes), 15.6%, unused (Flink asks for 1728 MB and YARN rounds that up to a multiple of yarn.scheduler.minimum-allocation-mb, 1024, Hadoop's default): Total Process Memory is 1.69 GiB (1811939328 bytes). Set taskmanager.memory.process.size to 2g to give it all to Flink",
    },
  ]);
  const fine = await json(['explain', '-D', 'execution.target=yarn-per-job', '-D', 'yarn.scheduler.minimum-allocation-mb=128']);
  assert.deepStrictEqual(fine.json.container, { source: 'yarn', limitBytes: '1879048192', requestBytes: '1811939328' }); // 1792 MB
  assert.deepStrictEqual(fine.json.warnings, []);
  const jm = await json(['explain', '-p', 'jobmanager', '-D', 'yarn.application.queue=etl']);
  assert.ok(jm.json.warnings[0]!.message.includes('leaves 448 MiB (469762048 bytes), 21.8%, unused'), jm.json.warnings[0]!.message);
  const huge = await json(['explain', '-D', 'execution.target=yarn-application', '-D', 'taskmanager.memory.process.size=16g']);
  assert.deepStrictEqual(huge.json.warnings, [
    {
      code: 'yarn-maximum-exceeded',
      message:
        "Flink refuses to deploy on YARN: the TaskManagers ask for 16384 MB, more than the maximum allocation of 8192 MB (yarn.scheduler.maximum-allocation-mb, Hadoop's default); lower taskmanager.memory.process.size or raise the maximum",
    },
  ]);
  const given = await json(['explain', '-D', 'execution.target=yarn-per-job', '--container', '1728m']);
  assert.deepStrictEqual(given.json.container, { source: 'option', limitBytes: '1811939328' });
  assert.deepStrictEqual(given.json.warnings, []);
  const none = await json(['explain']);
  assert.deepStrictEqual(none.json.warnings, []);
  assert.equal(none.json.container, undefined);
});

test('a manifest the tool cannot use: one clear line, exit 2', async () => {
  const v115 = file('v115.yaml', 'apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nspec:\n  flinkVersion: v1_15\n  taskManager:\n    resource:\n      memory: 2g\n');
  const cases: Array<[string[], RegExp]> = [
    [['explain', '-c', fixture('no-deployment.yaml')], /^flink-memory: .*no-deployment\.yaml: no FlinkDeployment in this file \(it holds Deployment, Service\)/],
    [['explain', '-c', fixture('decimal-quantity.yaml')], /^flink-memory: .*decimal-quantity\.yaml:16: spec\.taskManager\.resource\.memory: '1\.5Gi': the operator refuses it/],
    [['explain', '-c', v115], /^flink-memory: explain: .*v115\.yaml:4: spec\.flinkVersion v1_15: Unsupported Flink version '1\.15'\. Supported: .* Pass --flink-version to choose the rules to apply\.\n$/],
    [['explain', '--container', '4.5G'], /^flink-memory: explain: --container '4\.5G' is not a memory size above zero \(examples: 4Gi, 4096m, 4g, 4294967296\)\n$/],
    [['explain', '--container', '0'], /^flink-memory: explain: --container '0' is not a memory size above zero/],
  ];
  for (const [argv, pattern] of cases) {
    const run = await runCliCaptured(argv);
    assert.equal(run.code, 2, argv.join(' '));
    assert.equal(run.stdout, '');
    assert.match(run.stderr, pattern);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
  const chosen = await json(['explain', '-c', v115, '--flink-version', '1.16']);
  assert.equal(chosen.code, 0);
  assert.equal(chosen.json.flinkVersion, '1.16');
});

test('Flink rejecting the manifest\'s configuration is exit 1, with no placement warnings', async () => {
  const path = file('no-tm.yaml', 'apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nspec:\n  flinkVersion: v1_20\n  jobManager:\n    resource:\n      memory: 1600m\n');
  const run = await json(['explain', '-c', path]);
  assert.equal(run.code, 1);
  assert.equal(run.json.ok, false);
  assert.deepStrictEqual(run.json.warnings, []);
  assert.equal(run.json.container, undefined);
  assert.equal((run.json.deployment as { name?: string }).name, undefined);
});
