import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catalogFor, editDistance, nearestKey } from '../../src/catalog/catalog.js';
import { checkValue } from '../../src/catalog/values.js';
import { parseMemorySize } from '../../src/memory/memory-size.js';
import { FLINK_VERSIONS } from '../../src/memory/versions.js';
import { DOCS_JSON_PATH, JSON_PATH, MODULE_PATH, renderCatalogModule, SOURCE_JSON_PATH } from '../../tools/catalog/build-catalog.js';

test('the generated module is in step with options.json', () => {
  assert.equal(readFileSync(MODULE_PATH, 'utf8'), renderCatalogModule(readFileSync(JSON_PATH, 'utf8'), readFileSync(DOCS_JSON_PATH, 'utf8'), readFileSync(SOURCE_JSON_PATH, 'utf8')));
});

// One truth: the memory model builds its option table from the catalog (src/memory/options.ts
// catalogOption), and the Flink-generated vectors check the model; this pins, per line, that every
// option the model reads is a catalog option there with the same key, default and deprecated keys.
test('catalog and the memory model agree on key, default and deprecated keys of every memory option', () => {
  for (const version of FLINK_VERSIONS) {
    const catalog = catalogFor(version.line);
    const options = [...Object.values(version.tm), ...Object.values(version.jm)];
    for (const option of options) {
      const entry = catalog.options.get(option.key);
      if (version.ignoredKeys.includes(option.key)) {
        assert.equal(entry, undefined, `${version.line}: ${option.key} is ignored by the model but listed by the catalog`);
        assert.equal(catalog.status(option.key).kind, 'removed');
        continue;
      }
      assert.ok(entry !== undefined, `${version.line}: ${option.key} missing from the catalog`);
      assert.deepEqual([...entry.deprecatedKeys], option.fallbackKeys.filter((f) => f.deprecated).map((f) => f.key), `${version.line}: ${option.key} deprecated keys`);
      const text = entry.defaultText;
      if (option.defaultValue === undefined) assert.equal(text, null, `${version.line}: ${option.key} has no default`);
      else if (option.type === 'memory') assert.equal(parseMemorySize(text!), option.defaultValue, `${version.line}: ${option.key} default`);
      else if (option.type === 'float') assert.equal(Math.fround(Number(text)), option.defaultValue, `${version.line}: ${option.key} default`);
      else assert.equal(text, String(option.defaultValue), `${version.line}: ${option.key} default`);
    }
  }
});

test('per-line facts: 1.16 network max, default-opts from 1.19, legacy keys until 1.20', () => {
  assert.equal(catalogFor('1.16').options.get('taskmanager.memory.network.max')?.defaultText, '1 gb');
  assert.equal(catalogFor('1.17').options.get('taskmanager.memory.network.max')?.defaultText, '9223372036854775807 bytes');
  assert.equal(catalogFor('1.18').status('env.java.default-opts.all').kind, 'not-yet');
  assert.equal(catalogFor('1.19').status('env.java.default-opts.all').kind, 'option');
  assert.equal(catalogFor('1.20').status('taskmanager.heap.size').kind, 'option');
  const removed = catalogFor('2.x').status('taskmanager.heap.size');
  assert.equal(removed.kind, 'removed');
  assert.equal(removed.kind === 'removed' ? removed.record.replacement : '', 'taskmanager.memory.flink.size');
  assert.equal(catalogFor('2.x').status('taskmanager.memory.size').kind, 'deprecated');
  // state.backend was the option's own key before 1.17.
  assert.equal(catalogFor('1.16').status('state.backend').kind, 'option');
  assert.equal(catalogFor('1.17').status('state.backend').kind, 'deprecated');
});

test('nearest key finds the seed misspelling and leaves unrelated keys alone', () => {
  assert.deepEqual(nearestKey('taskmanage.memory.task.off-heap.size', '2.x'), { key: 'taskmanager.memory.task.off-heap.size', distance: 1 });
  assert.deepEqual(nearestKey('taskmanager.memory.proces.size', '1.20'), { key: 'taskmanager.memory.process.size', distance: 1 });
  assert.equal(nearestKey('pipeline.registered-kryo-types', '2.x'), undefined);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('abc', 'abcdefgh', 2), 3);
});

test('values are checked as Flink converts them', () => {
  assert.equal(checkValue('MemorySize', '1728m'), undefined);
  assert.match(checkValue('MemorySize', '4 gigs') ?? '', /does not match any of the recognized units/);
  assert.equal(checkValue('Float', '0.4'), undefined);
  assert.match(checkValue('Float', 'forty') ?? '', /forty/);
  assert.equal(checkValue('Integer', '4'), undefined);
  assert.match(checkValue('Integer', 'four') ?? '', /For input string: "four"/);
  assert.equal(checkValue('Boolean', 'TRUE'), undefined);
  assert.match(checkValue('Boolean', 'yes') ?? '', /Unrecognized option for boolean: yes/);
  assert.equal(checkValue('Duration', '10 s'), undefined);
  assert.equal(checkValue('Duration', '10000'), undefined);
  assert.match(checkValue('Duration', '10 parsecs') ?? '', /parsecs/);
});
