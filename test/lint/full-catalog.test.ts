import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCliCaptured } from '../cli/cli-harness.js';

interface Problem { code: string; severity: string; key: string | null; suggestion: string | null; message: string }
const lint = async (...args: string[]): Promise<Problem[]> =>
  (JSON.parse((await runCliCaptured(['lint', '--format', 'json', '-D', 'taskmanager.memory.process.size=2g', ...args])).stdout) as { problems: Problem[] }).problems;

test('typos outside the memory options are found with the nearest documented key', async () => {
  const problems = await lint('-D', 'state.checkpoints.dri=s3://b/c', '-D', 'rest.flamegraph.enable=true', '-D', 'jobmanager.rpc.adress=jm');
  assert.deepEqual(
    problems.map((p) => [p.code, p.key, p.suggestion, p.severity]),
    [
      // The near key is a spelling 2.x reads only as deprecated: the suggestion is the option to write.
      ['unknown-key', 'state.checkpoints.dri', 'execution.checkpointing.dir', 'warning'],
      // rest. is complete (documentation tables and RestOptions): surely a key Flink ignores.
      ['unknown-key', 'rest.flamegraph.enable', 'rest.flamegraph.enabled', 'error'],
      ['unknown-key', 'jobmanager.rpc.adress', 'jobmanager.rpc.address', 'warning'],
    ],
  );
});

test('documented options, placeholder keys and open families are not flagged; typed values are checked', async () => {
  const clean = await lint(
    '-D', 'metrics.reporter.prom.factory.class=org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
    '-D', 'metrics.reporter.prom.port=9250-9260',
    '-D', 'metrics.reporter.my.reporter.interval=30 s',
    '-D', 'external-resource.gpu.amount=1',
    '-D', 'external-resource.gpu.kubernetes.config-key=nvidia.com/gpu',
    '-D', 'kubernetes.jobmanager.annotations=a:b',
    '-D', 'kubernetes.taskmanager.annotations=a:b',
    '-D', 'high-availability.zookeeper.quorum=zk:2181',
    '-D', 'table.exec.mini-batch.enabled=true',
    '-D', 'security.delegation.token.provider.hbase.enabled=false',
    // The operator's autoscaler (AutoScalerOptions) and Stateful Functions read their keys from the same file.
    '-D', 'job.autoscaler.enabled=true',
    '-D', 'statefun.flink-job-name=greeter',
    '-D', 'rest.flamegraph.enabled=true',
    '-D', 'pipeline.max-parallelism=128',
    // In no documentation table: options Flink's code reads but hides from the documentation.
    '-D', 'security.ssl.keystore=/etc/flink/ssl/keystore.jks',
    '-D', 'execution.sorted-inputs.enabled=true',
  );
  assert.deepEqual(clean, []);
  // Documented only by 1.x tables; the 2.x code reads it as a deprecated key of RestOptions.BIND_PORT.
  assert.deepEqual((await lint('-D', 'jobmanager.web.port=8081')).map((p) => [p.code, p.key, p.suggestion, p.severity]), [
    ['deprecated-key', 'jobmanager.web.port', 'rest.bind-port', 'warning'],
  ]);
  assert.deepEqual(await lint('--flink-version', '1.20', '-D', 'jobmanager.web.port=8081'), []);
  const bad = await lint('-D', 'metrics.reporter.prom.interval=often', '-D', 'rest.port=eighty');
  assert.deepEqual(bad.map((p) => [p.code, p.key, p.severity]), [
    ['invalid-value', 'metrics.reporter.prom.interval', 'error'],
    ['invalid-value', 'rest.port', 'error'],
  ]);
});

test('per-line: cpu.amount is ignored before 1.17, the pre-1.17 key is deprecated after', async () => {
  const v116 = await lint('--flink-version', '1.16', '-D', 'kubernetes.taskmanager.cpu.amount=2');
  assert.deepEqual(v116.map((p) => [p.code, p.key]), [['ignored-key', 'kubernetes.taskmanager.cpu.amount']]);
  const v120 = await lint('--flink-version', '1.20', '-D', 'kubernetes.taskmanager.cpu=2');
  assert.deepEqual(v120.map((p) => [p.code, p.suggestion]), [['deprecated-key', 'kubernetes.taskmanager.cpu.amount']]);
});

test('namespaces whose tables are all held: a misspelled key is an error with the nearest key', async () => {
  const problems = await lint(
    '-D', 'yarn.application.queu=prod',
    '-D', 'heartbeat.timout=60 s',
    '-D', 'restart-strategy.fixed-delay.attempt=3',
    '-D', 'pekko.ask.timeot=20 s',
    // Complete through Flink's code: WebOptions and CheckpointingOptions name every deprecated key.
    '-D', 'web.submit.enabled=false',
    '-D', 'execution.checkpointing.intervall=1 min',
    // A Hadoop YARN key written without the flink.yarn. prefix: Flink does not pass it on.
    '-D', 'yarn.resourcemanager.am.max-attempts=4',
  );
  assert.deepEqual(
    problems.map((p) => [p.code, p.key, p.suggestion, p.severity]),
    [
      ['unknown-key', 'yarn.application.queu', 'yarn.application.queue', 'error'],
      ['unknown-key', 'heartbeat.timout', 'heartbeat.timeout', 'error'],
      ['unknown-key', 'restart-strategy.fixed-delay.attempt', 'restart-strategy.fixed-delay.attempts', 'error'],
      ['unknown-key', 'pekko.ask.timeot', 'pekko.ask.timeout', 'error'],
      ['unknown-key', 'web.submit.enabled', 'web.submit.enable', 'error'],
      ['unknown-key', 'execution.checkpointing.intervall', 'execution.checkpointing.interval', 'error'],
      ['unknown-key', 'yarn.resourcemanager.am.max-attempts', null, 'error'],
    ],
  );
});

test('options of the added tables are known and their values typed', async () => {
  const clean = await lint(
    '-D', 'yarn.application.queue=prod',
    '-D', 'yarn.classpath.include-user-jar=FIRST',
    '-D', 'restart-strategy.type=fixed-delay',
    '-D', 'restart-strategy.fixed-delay.attempts=3',
    '-D', 'restart-strategy.fixed-delay.delay=10 s',
    '-D', 'heartbeat.timeout=60000',
    '-D', 'historyserver.web.port=8082',
    '-D', 'blob.server.port=6124',
    '-D', 'cluster.registration.initial-timeout=100',
    '-D', 'flink.yarn.resourcemanager.am.max-attempts=4',
    '-D', 'external-resource.gpu.param.discovery-script.path=/opt/gpu.sh',
  );
  assert.deepEqual(clean, []);
  const bad = await lint('-D', 'restart-strategy.fixed-delay.attempts=three', '-D', 'jobstore.max-capacity=lots');
  assert.deepEqual(bad.map((p) => [p.code, p.key, p.severity]), [
    ['invalid-value', 'restart-strategy.fixed-delay.attempts', 'error'],
    ['invalid-value', 'jobstore.max-capacity', 'error'],
  ]);
  // The table words jobstore.max-capacity's default as `infinite`: no example is made of it.
  assert.equal(bad[1]!.suggestion, 'a whole number such as 1');
});

test('types per line: the timeouts 1.20 made Durations (FLINK-35359) are milliseconds before', async () => {
  const settings = ['-D', 'metrics.latency.interval=10s', '-D', 'heartbeat.timeout=60s', '-D', 'web.timeout=600000', '-D', 'pekko.tcp.timeout=20 s'];
  const on119 = await lint('--flink-version', '1.19', ...settings);
  assert.deepEqual(on119.map((p) => [p.code, p.key, p.severity]), [
    ['invalid-value', 'metrics.latency.interval', 'error'],
    ['invalid-value', 'heartbeat.timeout', 'error'],
  ]);
  assert.match(on119[0]!.message, /Long/);
  assert.deepEqual(await lint('--flink-version', '1.20', ...settings), []);
  assert.deepEqual(await lint('--flink-version', '2.0', ...settings), []);
});

test('reporters configured by class report nothing from 1.17 on (FLINK-24235); the factory is named', async () => {
  const settings = ['-D', 'metrics.reporter.prom.class=org.apache.flink.metrics.prometheus.PrometheusReporter', '-D', 'metrics.reporter.prom.port=9249'];
  assert.deepEqual(await lint('--flink-version', '1.16', ...settings), []);
  const on118 = await lint('--flink-version', '1.18', ...settings);
  assert.deepEqual(on118.map((p) => [p.code, p.severity, p.key, p.suggestion]), [
    ['ignored-key', 'warning', 'metrics.reporter.prom.class', 'metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory'],
  ]);
  // Next to its factory the class is merely ignored.
  const both = await lint('--flink-version', '2.0', ...settings, '-D', 'metrics.reporter.prom.factory.class=org.apache.flink.metrics.prometheus.PrometheusReporterFactory');
  assert.deepEqual(both.map((p) => [p.code, p.severity, p.key]), [['ignored-key', 'info', 'metrics.reporter.prom.class']]);
});

test('keys no documentation or code knows: a misplaced prefix is named, the rest is a note; placeholders are not type-checked', async () => {
  const problems = await lint(
    '--flink-version', '1.18',
    '-D', 'execution.restart-strategy.type=fixed-delay',
    // A real public config's `taskmanager.hostname`: taskmanager.host with letters appended.
    '-D', 'taskmanager.hostname=tm-0',
    '-D', 'taskmanager.rpc.compression=true',
    '-D', 'execution.checkpointing.timeout=${CP_TIMEOUT}',
  );
  assert.deepEqual(problems.map((p) => [p.code, p.severity, p.key, p.suggestion]), [
    ['unknown-key', 'warning', 'execution.restart-strategy.type', 'restart-strategy.type'],
    ['unknown-key', 'warning', 'taskmanager.hostname', 'taskmanager.host'],
    ['unknown-key', 'info', 'taskmanager.rpc.compression', null],
    ['config-warning', 'info', 'execution.checkpointing.timeout', null],
  ]);
  // Notes alone keep the exit code at 0.
  const run = await runCliCaptured(['lint', '-D', 'taskmanager.memory.process.size=2g', '-D', 'taskmanager.rpc.compression=true']);
  assert.equal(run.code, 0);
});

test('Log4j properties in the Flink configuration are named as such; a placeholder keeps the deprecation, not the type check', async () => {
  const problems = await lint(
    '-D', 'log4j.logger.org.apache.kafka=WARN',
    '-D', 'rootLogger.level=INFO',
    '-D', 'execution.checkpointing.unaligned=${UNALIGNED}',
    // Another component's family (S3 plugin): neither checked nor noted, placeholder or not.
    '-D', 'fs.s3a.access.key=${S3_ACCESS_KEY}',
  );
  assert.deepEqual(problems.map((p) => [p.code, p.severity, p.key]), [
    ['unknown-key', 'warning', 'log4j.logger.org.apache.kafka'],
    ['unknown-key', 'warning', 'rootLogger.level'],
    ['deprecated-key', 'warning', 'execution.checkpointing.unaligned'],
    ['config-warning', 'info', 'execution.checkpointing.unaligned'],
  ]);
  assert.match(problems[0]!.suggestion ?? '', /log4j-console\.properties/);
});
