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
  assert.ok(docs.options.length >= 300, `${docs.options.length} documented options`);
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
