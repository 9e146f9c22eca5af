import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseConfigYaml } from '../../src/config/config-yaml.js';
import { parseFlinkConfLegacy } from '../../src/config/flink-conf-legacy.js';
import { equivalentValues, migrateFlinkConf, typeOf } from '../../src/migrate/migrate.js';
import { runCliCaptured } from '../cli/cli-harness.js';

const SHIPPED = ['test/fixtures/lint/shipped/early-1.x/flink-conf.yaml', 'test/fixtures/lint/shipped/1.1x/flink-conf.yaml', 'test/fixtures/lint/public/litone01-1.15/flink-conf.yaml'];

/** Both files load (src/config) to the same configuration: same keys, values equal for Flink. */
function assertRoundTrip(legacyText: string, standardText: string): void {
  const legacy = parseFlinkConfLegacy(legacyText, 'flink-conf.yaml').entries;
  const standard = parseConfigYaml(standardText, 'config.yaml').entries;
  assert.deepEqual([...standard.keys()].sort(), [...legacy.keys()].sort());
  for (const [key, entry] of legacy) assert.ok(equivalentValues(typeOf(key), entry.value, standard.get(key)!.value), `${key}: ${entry.value} vs ${standard.get(key)!.value}`);
}

for (const file of SHIPPED) {
  test(`round trip: ${file}`, () => {
    const text = readFileSync(file, 'utf8');
    const migrated = migrateFlinkConf(text, file);
    assertRoundTrip(text, migrated.text);
    assert.deepEqual(migrated.notes, []);
  });
}

test('nesting, typed values, lists, comments where they belong', () => {
  const legacy = [
    '# Common',
    '',
    '# the RPC address',
    'jobmanager.rpc.address: localhost',
    'taskmanager.memory.process.size: 1728m  # the whole TM',
    'taskmanager.memory.managed.fraction: 0.40',
    'jobmanager.rpc.port: 6123',
    'state.backend: rocksdb',
    'state.backend.incremental: true',
    'env.java.opts: "-XX:+UseG1GC -Dfoo=bar"',
    'external-resources: gpu;fpga',
    'high-availability.zookeeper.quorum: zk1:2181,zk2:2181',
    'web.submit.enable: yes',
    'broken line',
    '# trailing',
    '',
  ].join('\n');
  const { text, notes } = migrateFlinkConf(legacy, 'flink-conf.yaml');
  assert.equal(
    text,
    [
      '# Common',
      '',
      '# the RPC address',
      'jobmanager:',
      '  rpc:',
      '    address: localhost',
      '    port: 6123',
      'taskmanager:',
      '  memory:',
      '    process:',
      '      size: 1728m  # the whole TM',
      '    managed:',
      '      fraction: 0.4',
      'state:',
      '  backend: rocksdb',
      '  backend.incremental: true',
      'env:',
      '  java:',
      "    opts: '-XX:+UseG1GC -Dfoo=bar'",
      'external-resources: [gpu, fpga]',
      'high-availability:',
      '  zookeeper:',
      '    quorum: zk1:2181,zk2:2181',
      'web:',
      '  submit:',
      "    enable: 'yes'",
      '# not read by Flink (line 14 of flink-conf.yaml): broken line',
      '# trailing',
      '',
    ].join('\n'),
  );
  assert.equal(notes.length, 2);
  assertRoundTrip(legacy, text);
});

test('the CLI prints the config.yaml and reports bad input in one line', async () => {
  const ok = await runCliCaptured(['migrate', SHIPPED[1]!]);
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /^taskmanager:\n {2}memory:\n {4}process:\n {6}size: 1728m$/m);
  const missing = await runCliCaptured(['migrate', 'no-such-file.yaml']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.split('\n').length, 2);
  assert.equal((await runCliCaptured(['migrate'])).code, 2);
});
