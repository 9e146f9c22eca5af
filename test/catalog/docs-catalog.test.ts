import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CATALOG, catalogFor, inOpenFamily, matchPattern, nearestKey } from '../../src/catalog/catalog.js';
import type { DocsCatalogData } from '../../src/catalog/types.js';
import { DOCS_JSON_PATH } from '../../tools/catalog/build-catalog.js';
import { parseTable } from '../../tools/catalog/extract-docs.js';

// A table in the shape of Flink's generated documentation (written for this test).
const SAMPLE = `<!-- apache/flink docs/layouts/shortcodes/generated/sample_configuration.html ${'a'.repeat(40)} -->
<table class="configuration table table-bordered">
    <tbody>
        <tr>
            <td><h5>sample.port</h5></td>
            <td style="word-wrap: break-word;">"8081"</td>
            <td>String</td>
            <td>Some text with <code>code</code>.</td>
        </tr>
        <tr>
            <td><h5>sample.list</h5></td>
            <td style="word-wrap: break-word;">"a";<wbr>"b"</td>
            <td>List&lt;String&gt;</td>
            <td></td>
        </tr>
        <tr>
            <td><h5>sample.mode</h5></td>
            <td style="word-wrap: break-word;">(none)</td>
            <td><p>Enum</p></td>
            <td>Possible values: <ul><li>"A"</li></ul></td>
        </tr>
        <tr>
            <td><h5>sample.&lt;name&gt;.interval</h5></td>
            <td style="word-wrap: break-word;">10 s</td>
            <td>Duration</td>
            <td>fallback: sample.interval</td>
        </tr>
    </tbody>
</table>`;

test('a documentation table is parsed into keys, defaults, types and placeholder patterns', () => {
  const table = parseTable(SAMPLE, 'sample_configuration.html');
  assert.equal(table.id, 'docs:sample_configuration');
  assert.equal(table.source.commit, 'a'.repeat(40));
  assert.deepEqual(table.options, [
    { key: 'sample.port', type: 'String', default: '8081', source: 'docs:sample_configuration' },
    { key: 'sample.list', type: 'List<String>', default: '"a";"b"', source: 'docs:sample_configuration' },
    { key: 'sample.mode', type: 'Enum', default: null, source: 'docs:sample_configuration' },
  ]);
  assert.deepEqual(table.patterns, [{ pattern: 'sample.<name>.interval', type: 'Duration', default: '10 s', source: 'docs:sample_configuration' }]);
  assert.throws(() => parseTable('<tr><td><h5>x</h5></td><td>1</td><td>Integer</td><td></td></tr>', 'x.html'), /header/);
  assert.throws(() => parseTable(SAMPLE.replace('Duration', 'Parsec'), 's.html'), /unknown type 'Parsec'/);
});

test('every documented option records a table source with its commit; curated records win', () => {
  const docs = JSON.parse(readFileSync(DOCS_JSON_PATH, 'utf8')) as DocsCatalogData;
  assert.ok(docs.options.length >= 650, `${docs.options.length} documented options`);
  for (const record of [...docs.options, ...docs.patterns]) {
    const source = docs.sources[record.source];
    assert.ok(source !== undefined, `${record.source}`);
    assert.match(source.commit, /^[0-9a-f]{40}$/);
    assert.match(source.path, /^docs\/layouts\/shortcodes\/generated\/.+\.html$/);
  }
  // state.backend is documented (an older table) but curated as deprecated by state.backend.type from 1.17.
  assert.equal(CATALOG.options.filter((o) => o.key === 'state.backend').length, 0);
  assert.equal(catalogFor('2.x').status('state.backend').kind, 'deprecated');
  assert.equal(catalogFor('2.x').status('rest.flamegraph.enabled').kind, 'option');
  assert.equal(catalogFor('2.x').options.get('kubernetes.jobmanager.service-account')?.record.fallbackTo?.[0], 'kubernetes.service-account');
  // Per-line lists: cpu.amount from 1.17, metrics.scope.jm-job from 1.19.
  assert.equal(catalogFor('1.16').status('kubernetes.taskmanager.cpu.amount').kind, 'not-yet');
  assert.equal(catalogFor('1.16').status('kubernetes.taskmanager.cpu').kind, 'option');
  assert.equal(catalogFor('1.17').status('kubernetes.taskmanager.cpu').kind, 'deprecated');
  assert.equal(catalogFor('1.19').status('metrics.scope.jm.job').kind, 'deprecated');
  assert.equal(catalogFor('1.18').status('metrics.scope.jm.job').kind, 'option');
});

test('placeholder patterns and open families', () => {
  assert.equal(matchPattern('metrics.reporter.prom.factory.class')?.pattern, 'metrics.reporter.<name>.factory.class');
  assert.equal(matchPattern('metrics.reporter.prom.interval')?.type, 'Duration');
  assert.equal(matchPattern('metrics.reporter.prom.port')?.pattern, 'metrics.reporter.<name>.<parameter>');
  assert.equal(matchPattern('security.delegation.token.provider.hadoopfs.enabled')?.type, 'Boolean');
  assert.equal(matchPattern('metrics.reporters'), undefined);
  assert.ok(inOpenFamily('external-resource.gpu.amount'));
  assert.ok(inOpenFamily('table.exec.mini-batch.enabled'));
  assert.ok(!inOpenFamily('rest.port'));
  assert.deepEqual(nearestKey('state.checkpoints.dri', '2.x'), { key: 'state.checkpoints.dir', distance: 2 });
});

test('tables added from the generated documentation: keys, types and defaults as the HTML states them', () => {
  const docs = JSON.parse(readFileSync(DOCS_JSON_PATH, 'utf8')) as DocsCatalogData;
  const record = (key: string) => docs.options.find((o) => o.key === key);
  // yarn_config_configuration.html of a 2.x fork: `yarn.application-attempts` | (none) | Integer.
  assert.deepEqual(record('yarn.application-attempts'), { key: 'yarn.application-attempts', type: 'Integer', default: null, source: 'docs:yarn_config_configuration' });
  assert.equal(docs.sources['docs:yarn_config_configuration']?.repo, 'JunRuiLee/flink');
  assert.equal(docs.sources['docs:yarn_config_configuration']?.commit, '2739b07e8c8b27af85d76fbe084f411be02ee913');
  // The older apache/flink version of the same table is held too, for the keys 2.x dropped.
  assert.equal(docs.sources['docs:yarn_config_configuration.older']?.repo, 'apache/flink');
  assert.deepEqual(record('yarn.per-job-cluster.include-user-jar'), { key: 'yarn.per-job-cluster.include-user-jar', type: 'Enum', default: 'ORDER', source: 'docs:yarn_config_configuration.older' });
  // Where both versions list a key, the newer table's type wins (Duration, which also reads the old milliseconds).
  assert.deepEqual(record('cluster.registration.initial-timeout'), { key: 'cluster.registration.initial-timeout', type: 'Duration', default: '100 ms', source: 'docs:cluster_configuration' });
  assert.deepEqual(record('restart-strategy.exponential-delay.backoff-multiplier'), { key: 'restart-strategy.exponential-delay.backoff-multiplier', type: 'Double', default: '1.5', source: 'docs:exponential_delay_restart_strategy_configuration' });
  assert.deepEqual(record('heartbeat.timeout'), { key: 'heartbeat.timeout', type: 'Duration', default: '50 s', source: 'docs:expert_fault_tolerance_section' });
  assert.deepEqual(record('pekko.framesize'), { key: 'pekko.framesize', type: 'String', default: '10485760b', source: 'docs:rpc_configuration' });
  assert.deepEqual(record('resourcemanager.taskmanager-registration.timeout')?.fallbackTo, ['taskmanager.registration.timeout']);
  assert.equal(docs.patterns.find((p) => p.pattern === 'external-resource.<resource_name>.param.<param>')?.type, 'String');
  assert.equal(matchPattern('traces.reporter.otel.factory.class')?.pattern, 'traces.reporter.<name>.factory.class');
  // expert_rocksdb_section / rocksdb_configurable_configuration.html (2.x fork): `state.backend.rocksdb.compression.per.level` | SNAPPY_COMPRESSION | List<Enum>.
  assert.deepEqual(record('state.backend.rocksdb.compression.per.level'), { key: 'state.backend.rocksdb.compression.per.level', type: 'List<Enum>', default: 'SNAPPY_COMPRESSION', source: 'docs:rocksdb_configurable_configuration' });
  assert.deepEqual(record('state.backend.rocksdb.writebuffer.size'), { key: 'state.backend.rocksdb.writebuffer.size', type: 'MemorySize', default: '64 mb', source: 'docs:rocksdb_configurable_configuration' });
  // expert_checkpointing_section.html: `execution.checkpointing.data-inline-threshold` | 20 kb | MemorySize.
  assert.deepEqual(record('execution.checkpointing.data-inline-threshold'), { key: 'execution.checkpointing.data-inline-threshold', type: 'MemorySize', default: '20 kb', source: 'docs:expert_checkpointing_section' });
  // expert_high_availability_zk_section.html (2.x): the ZooKeeper client timeouts are Durations (Integer milliseconds in the older table).
  assert.deepEqual(record('high-availability.zookeeper.client.session-timeout'), { key: 'high-availability.zookeeper.client.session-timeout', type: 'Duration', default: '1 min', source: 'docs:expert_high_availability_zk_section' });
  // fs_state_changelog_configuration.html, security_ssl_section.html, cleanup tables, table config tables.
  assert.deepEqual(record('state.changelog.dstl.dfs.upload.max-in-flight'), { key: 'state.changelog.dstl.dfs.upload.max-in-flight', type: 'MemorySize', default: '100 mb', source: 'docs:fs_state_changelog_configuration' });
  assert.deepEqual(record('zookeeper.sasl.login-context-name'), { key: 'zookeeper.sasl.login-context-name', type: 'String', default: 'Client', source: 'docs:security_auth_zk_section' });
  assert.equal(docs.sources['docs:security_ssl_section']?.repo, 'JunRuiLee/flink');
  assert.deepEqual(record('cleanup-strategy.fixed-delay.attempts'), { key: 'cleanup-strategy.fixed-delay.attempts', type: 'Integer', default: 'infinite', source: 'docs:fixed_delay_cleanup_strategy_configuration' });
  assert.deepEqual(record('table.exec.mini-batch.size'), { key: 'table.exec.mini-batch.size', type: 'Long', default: '-1', source: 'docs:execution_config_configuration' });
  assert.deepEqual(record('classloader.parent-first-patterns.additional'), { key: 'classloader.parent-first-patterns.additional', type: 'List<String>', default: '', source: 'docs:core_configuration' });
  assert.equal(docs.sources['docs:expert_rest_section']?.commit, '2739b07e8c8b27af85d76fbe084f411be02ee913');
  assert.equal(docs.sources['docs:expert_state_backends_section']?.commit, 'c838467ee39ca36b9f490677da31268e454fc94f');
  assert.ok(CATALOG.completeNamespaces.includes('cleanup-strategy.'));
  assert.ok(!CATALOG.completeNamespaces.includes('high-availability.'));
  // Tables added in the second pass: the SQL Gateway's REST table lists keys relative to its endpoint prefix.
  assert.deepEqual(record('sql-gateway.endpoint.rest.port'), { key: 'sql-gateway.endpoint.rest.port', type: 'Integer', default: '8083', source: 'docs:sql_gateway_rest_configuration' });
  assert.equal(record('port'), undefined);
  // A default broken over lines around <wbr> in the HTML reads as Flink prints it.
  assert.equal(record('taskmanager.memory.managed.consumer-weights')?.default, 'OPERATOR:70,STATE_BACKEND:70,PYTHON:30');
  assert.deepEqual(record('state.backend.rocksdb.memory.fixed-per-tm'), { key: 'state.backend.rocksdb.memory.fixed-per-tm', type: 'MemorySize', default: null, source: 'docs:state_backend_rocksdb_section' });
  assert.deepEqual(record('state.backend.forst.memory.managed'), { key: 'state.backend.forst.memory.managed', type: 'Boolean', default: 'true', source: 'docs:expert_forst_section' });
  assert.deepEqual(record('execution.state-recovery.claim-mode'), { key: 'execution.state-recovery.claim-mode', type: 'Enum', default: 'NO_CLAIM', source: 'docs:state_recovery_configuration' });
  // A table option of CREATE MATERIALIZED TABLE is no configuration key.
  assert.equal(docs.options.some((o) => o.key.startsWith('partition.fields.')), false);
  // Every table held is recorded once, under the name of its saved file.
  assert.equal(Object.keys(docs.sources).length, 114);
  assert.equal(docs.options.length, 896);
  assert.ok(CATALOG.completeNamespaces.includes('yarn.') && CATALOG.completeNamespaces.includes('restart-strategy.'));
  // Every first key segment of a documented option is a namespace Flink uses.
  for (const o of docs.options) assert.ok(CATALOG.namespaces.includes(o.key.split('.')[0]!), o.key);
});

test('two stored versions of one table get distinct ids from their file names', () => {
  const older = parseTable(SAMPLE, 'sample_configuration.older.html');
  assert.equal(older.id, 'docs:sample_configuration.older');
  assert.equal(older.source.path, 'docs/layouts/shortcodes/generated/sample_configuration.html');
});
