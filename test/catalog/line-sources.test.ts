import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG, catalogFor } from '../../src/catalog/catalog.js';

// Per-line facts whose sources are version-identified (options.json `sources`, `tableCopies`, `lineCoverage`).

// apache/flink a16ec98c2758f6514cb26865c37a25e074c71d13 stores docs/config.toml (Version = "1.19-SNAPSHOT") and
// pom.xml (flink-parent 1.19-SNAPSHOT) at the same commit as all_taskmanager_network_section.html, which lists
// buffers-per-channel = 2 and floating-buffers-per-gate = 8. Flink's own code as the vectors ran it reads them on
// release-1.20.4 (f6265b2a32fd1571cd5dcea694c923b057239ac4) and no longer has them on 2.x master
// (063b46ef66843868bde7de9f9366ffff3e53055e); the 2.x fork copy JunRuiLee/flink 2739b07e8c8b27af85d76fbe084f411be02ee913
// of the same table does not list them.
test('network options of the 1.x shuffle: read through 1.20, gone on 2.x', () => {
  const keys = [
    'taskmanager.network.memory.buffers-per-channel',
    'taskmanager.network.memory.floating-buffers-per-gate',
    'taskmanager.network.memory.max-buffers-per-channel',
    'taskmanager.network.sort-shuffle.min-parallelism',
    'taskmanager.network.hybrid-shuffle.enable-new-mode',
  ];
  for (const key of keys) {
    assert.equal(catalogFor('1.19').status(key).kind, 'option', key);
    assert.equal(catalogFor('1.20').status(key).kind, 'option', key);
    const gone = catalogFor('2.x').status(key);
    assert.equal(gone.kind, 'removed', key);
    assert.equal(gone.kind === 'removed' ? gone.lastLine : '', '1.20', key);
  }
  assert.equal(catalogFor('1.20').options.get('taskmanager.network.memory.buffers-per-channel')?.defaultText, '2');
  assert.equal(catalogFor('1.20').options.get('taskmanager.network.memory.floating-buffers-per-gate')?.defaultText, '8');
  assert.equal(catalogFor('1.20').options.get('taskmanager.network.sort-shuffle.min-parallelism')?.defaultText, '1');
  // Options the same two copies both list stay on every line.
  assert.equal(catalogFor('2.x').status('taskmanager.network.sort-shuffle.min-buffers').kind, 'option');
  assert.equal(catalogFor('2.x').status('taskmanager.network.memory.read-buffer.required-per-gate.max').kind, 'option');
});

test('every table copy records its commit and how its version was (or was not) established; every line says its coverage', () => {
  const copies = CATALOG.tableCopies ?? [];
  assert.ok(copies.length >= 20, `${copies.length} copies`);
  for (const c of copies) {
    assert.match(c.commit, /^[0-9a-f]{40}$/, `${c.repo} ${c.table}`);
    assert.ok(c.evidence.length > 0);
  }
  const established = copies.filter((c) => c.version !== null);
  assert.deepEqual([...new Set(established.map((c) => `${c.repo}@${c.commit}=${c.version}`))], ['apache/flink@a16ec98c2758f6514cb26865c37a25e074c71d13=1.19-SNAPSHOT']);
  assert.deepEqual(Object.keys(CATALOG.lineCoverage ?? {}), [...CATALOG.lines]);
  for (const source of ['network_section_1_19_snapshot', 'network_section_2x_fork', 'network_buffers_vectors']) assert.ok(CATALOG.sources[source] !== undefined, source);
});
