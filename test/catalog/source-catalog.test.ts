import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CATALOG, catalogFor, nearestKey } from '../../src/catalog/catalog.js';
import type { CatalogData, DocsCatalogData, SourceCatalogData } from '../../src/catalog/types.js';
import { mergeCatalog, SOURCE_JSON_PATH } from '../../tools/catalog/build-catalog.js';
import { parseClassExtract, parseReleaseNotes } from '../../tools/catalog/extract-source.js';

const COMMIT = 'b'.repeat(40);

// Extracts in the scratch format (written for this test, not copied from Flink).
const CLASS_EXTRACT = `# JunRuiLee/flink flink-core/src/main/java/org/apache/flink/configuration/SampleOptions.java ${COMMIT}
sample.new type=Duration deprecated=sample.old,sample-legacy fallback=sample.base
sample.hidden type=Integer hidden
sample.gone type=String hidden deprecated-option
"fs."+scheme+".limit" type=Integer unresolved
factory.class type=String relative
sample.self type=Integer deprecated=sample.self
`;

test('a class extract: keys, types, deprecated and fallback keys; relative and unresolved keys left out', () => {
  const parsed = parseClassExtract(CLASS_EXTRACT, 'SampleOptions.txt');
  assert.equal(parsed.id, 'java:SampleOptions');
  assert.deepEqual(parsed.source, {
    repo: 'JunRuiLee/flink',
    path: 'flink-core/src/main/java/org/apache/flink/configuration/SampleOptions.java',
    commit: COMMIT,
    note: 'ConfigOption declarations of a stored version of this class: key, type, deprecated and fallback keys, hidden/deprecated marks',
  });
  assert.deepEqual(parsed.options, [
    { key: 'sample.new', type: 'Duration', deprecatedKeys: ['sample.old', 'sample-legacy'], fallbackKeys: ['sample.base'], source: 'java:SampleOptions' },
    { key: 'sample.hidden', type: 'Integer', hidden: true, source: 'java:SampleOptions' },
    { key: 'sample.gone', type: 'String', hidden: true, deprecatedOption: true, source: 'java:SampleOptions' },
    // A key listed as its own deprecated key (NettyShuffleEnvironmentOptions does this) is no relation.
    { key: 'sample.self', type: 'Integer', source: 'java:SampleOptions' },
  ]);
  const removed = parseClassExtract(CLASS_EXTRACT.replace(COMMIT, `${COMMIT} removed-class`), 'Old.txt');
  assert.deepEqual(removed.options[1], { key: 'sample.hidden', type: 'Integer', hidden: true, deprecatedOption: true, removedClass: true, source: 'java:Old' });
  assert.throws(() => parseClassExtract(CLASS_EXTRACT.replace('Duration', 'Parsec'), 'S.txt'), /S\.txt:2: unknown type 'Parsec'/);
  assert.throws(() => parseClassExtract('no header', 'S.txt'), /line 1/);
});

test('release notes: one fact per line, its release and the replacement', () => {
  const parsed = parseReleaseNotes(
    [
      `# apache/flink docs/content/release-notes/ commits: 1.20=${COMMIT} 2.0=${'c'.repeat(40)}`,
      '1.20 deprecated sample.old replacement=sample.new | why',
      '2.0 removed sample.gone | list',
      '1.20 added sample.set | set it to true (implied new)',
    ].join('\n'),
    'release-notes.txt',
  );
  assert.deepEqual(parsed.notes, [
    { version: '1.20', action: 'deprecated', key: 'sample.old', replacement: 'sample.new', source: 'release-notes:1.20' },
    { version: '2.0', action: 'removed', key: 'sample.gone', source: 'release-notes:2.0' },
    { version: '1.20', action: 'added', key: 'sample.set', implied: true, source: 'release-notes:1.20' },
  ]);
  assert.equal(parsed.sources['release-notes:2.0']?.path, 'docs/content/release-notes/flink-2.0.md');
  assert.throws(() => parseReleaseNotes(`# x 1.20=${COMMIT}\n1.21 removed a.b`, 'r.txt'), /r\.txt:2: no commit for release 1\.21/);
});

test('merge: deprecated spellings from 2.x on, removed keys end at 1.20 unless a live option still reads them', () => {
  const curated = {
    comment: '',
    lines: ['1.16', '1.20', '2.x'],
    sources: {},
    completeNamespaces: [],
    namespaces: ['sample', 'taskmanager'],
    options: [
      // A memory option stays as curated; a plain record (shipped configuration key) takes the code's facts.
      { key: 'taskmanager.memory.sample', type: 'MemorySize', default: '1 mb', source: 'c' },
      { key: 'sample.old', type: 'String', default: null, source: 'shipped' },
    ],
    patterns: [],
    openPrefixes: [],
  } as CatalogData;
  const docs: DocsCatalogData = {
    comment: '',
    sources: {},
    options: [
      { key: 'sample.new', type: 'Duration', default: '1 s', source: 'docs:t' },
      { key: 'sample.base', type: 'Duration', default: null, source: 'docs:t' },
      { key: 'sample.dropped', type: 'Integer', default: '1', source: 'docs:t' },
      { key: 'sample.kept', type: 'Integer', default: '1', source: 'docs:t' },
    ],
    patterns: [],
  };
  const source: SourceCatalogData = {
    comment: '',
    sources: {},
    options: [
      { key: 'sample.new', type: 'Duration', deprecatedKeys: ['sample.old', 'sample.kept-old'], fallbackKeys: ['sample.base'], source: 'java:S' },
      { key: 'sample.hidden', type: 'Integer', hidden: true, source: 'java:S' },
      { key: 'sample.kept', type: 'Integer', deprecatedKeys: ['sample.removed-spelling'], source: 'java:S' },
      { key: 'sample.dropped', type: 'Integer', deprecatedOption: true, deprecatedKeys: ['sample.dropped-old'], source: 'java:S' },
      { key: 'taskmanager.memory.sample', type: 'MemorySize', deprecatedKeys: ['taskmanager.sample'], source: 'java:S' },
    ],
    releaseNotes: [
      // Removed as fields; sample.kept is still read (a live option's own key), sample.kept-old as a live option's spelling.
      ...['sample.dropped', 'sample.dropped-old', 'sample.kept', 'sample.kept-old', 'sample.removed-spelling', 'sample.removed-only'].map((key) => ({ version: '2.0', action: 'removed' as const, key, source: 'release-notes:2.0' })),
      { version: '1.20', action: 'renamed', key: 'sample.removed-only', replacement: 'sample.new', source: 'release-notes:1.20' },
    ],
  };
  const merged = mergeCatalog(curated, docs, source);
  const record = (key: string) => merged.options.find((o) => o.key === key);
  assert.deepEqual(record('taskmanager.memory.sample'), curated.options[0]);
  assert.deepEqual(record('sample.new'), {
    key: 'sample.new', type: 'Duration', default: '1 s', source: 'docs:t',
    deprecatedKeys: ['sample.old', 'sample.kept-old'], deprecatedSince: '2.x', fallbackTo: ['sample.base'],
  });
  assert.deepEqual(record('sample.old'), { key: 'sample.old', type: 'String', default: null, source: 'shipped', until: '1.20' });
  assert.deepEqual(record('sample.hidden'), { key: 'sample.hidden', type: 'Integer', default: null, source: 'java:S' });
  assert.equal(record('sample.kept')?.until, undefined);
  assert.deepEqual(record('sample.dropped'), { key: 'sample.dropped', type: 'Integer', default: '1', source: 'docs:t', until: '1.20' });
  // A removed key that was a spelling of a removed option: a record of its own, last read by 1.20, no replacement.
  assert.deepEqual(record('sample.dropped-old'), { key: 'sample.dropped-old', type: 'Integer', default: null, source: 'release-notes:2.0', until: '1.20' });
  // Named by a release note as renamed: the new key is the replacement.
  assert.deepEqual(record('sample.removed-only'), { key: 'sample.removed-only', type: 'String', default: null, source: 'release-notes:2.0', until: '1.20', replacement: 'sample.new' });
  // Listed as removed, but a live 2.x option still reads it as its deprecated spelling.
  assert.deepEqual(record('sample.kept')?.deprecatedKeys, ['sample.removed-spelling']);
  assert.equal(record('sample.removed-spelling'), undefined);
  assert.equal(record('taskmanager.sample'), undefined);
});

test('the catalog from Flink 2.x code: deprecated spellings, keys the code still reads, keys 2.0 removed', () => {
  const source = JSON.parse(readFileSync(SOURCE_JSON_PATH, 'utf8')) as SourceCatalogData;
  // Each class read is recorded with its commit.
  assert.deepEqual(source.sources['java:CheckpointingOptions'], {
    repo: 'JunRuiLee/flink',
    path: 'flink-core/src/main/java/org/apache/flink/configuration/CheckpointingOptions.java',
    commit: '2739b07e8c8b27af85d76fbe084f411be02ee913',
    note: 'ConfigOption declarations of a stored version of this class: key, type, deprecated and fallback keys, hidden/deprecated marks',
  });
  const status = (line: string, key: string): string => {
    const s = catalogFor(line).status(key);
    return s.kind === 'deprecated' ? `deprecated:${s.option.key}` : s.kind === 'removed' ? `removed:${s.record.replacement ?? ''}` : s.kind;
  };
  // CheckpointingOptions.CHECKPOINTS_DIRECTORY: withDeprecatedKeys("state.checkpoints.dir", "state.backend.fs.checkpointdir").
  // FLINK-34255 (1.20's notes) made execution.checkpointing.* the keys and deprecated the old ones in 1.20.
  assert.equal(status('1.19', 'state.checkpoints.dir'), 'option');
  assert.equal(status('1.19', 'execution.checkpointing.dir'), 'not-yet');
  assert.equal(status('1.20', 'state.checkpoints.dir'), 'deprecated:execution.checkpointing.dir');
  assert.equal(status('2.x', 'state.checkpoints.dir'), 'deprecated:execution.checkpointing.dir');
  // Before 1.20 the old DSTL key is the option itself, although its new key does not exist yet.
  assert.equal(status('1.16', 'dstl.dfs.base-path'), 'option');
  assert.equal(status('1.20', 'dstl.dfs.base-path'), 'deprecated:state.changelog.dstl.dfs.base-path');
  assert.equal(status('2.x', 'state.backend.fs.checkpointdir'), 'deprecated:execution.checkpointing.dir');
  assert.equal(status('2.x', 'restart-strategy'), 'deprecated:restart-strategy.type');
  assert.equal(status('1.20', 'restart-strategy'), 'option');
  assert.equal(status('2.x', 'high-availability.zookeeper.storageDir'), 'deprecated:high-availability.storageDir');
  // The 2.0 notes list these fields as removed, and the vectors of Flink 2.x still derive from them.
  assert.equal(status('2.x', 'taskmanager.network.memory.min'), 'deprecated:taskmanager.memory.network.min');
  assert.equal(status('2.x', 'state.backend.type'), 'option');
  // Removed in 2.0 with nothing that reads them.
  assert.equal(status('1.20', 'cluster.evenly-spread-out-slots'), 'option');
  assert.equal(status('2.x', 'cluster.evenly-spread-out-slots'), 'removed:');
  assert.equal(status('2.x', 'sql-client.display.max-column-width'), 'removed:table.display.max-column-width');
  assert.equal(status('2.x', 'recovery.job.delay'), 'removed:');
  // A whole class 2.0 removed (ExecutionCheckpointingOptions): its own keys end at 1.20 unless a 2.x option reads them.
  assert.equal(status('2.x', 'execution.checkpointing.prefer-checkpoint-for-recovery'), 'removed:');
  assert.equal(status('2.x', 'execution.checkpointing.unaligned'), 'deprecated:execution.checkpointing.unaligned.enabled');
  // Keys a 1.x release note says were added: not yet read by the lines before (FLINK-15959 in 1.19's notes).
  assert.equal(status('1.18', 'slotmanager.number-of-slots.min'), 'not-yet');
  assert.equal(status('1.19', 'slotmanager.number-of-slots.min'), 'option');
  assert.equal(status('1.19', 'high-availability.zookeeper.client.authorization'), 'not-yet');
  // A note that only tells users to set a key does not date it.
  assert.equal(status('1.16', 'pipeline.watermark-alignment.allow-unaligned-source-splits'), 'option');
  // FLINK-35359 (1.20's notes): Durations from 1.20, the old type before.
  assert.equal(catalogFor('1.19').options.get('metrics.latency.interval')?.type, 'Long');
  assert.equal(catalogFor('1.20').options.get('metrics.latency.interval')?.type, 'Duration');
  assert.equal(catalogFor('1.19').options.get('high-availability.zookeeper.client.session-timeout')?.type, 'Integer');
  assert.equal(catalogFor('2.x').options.get('taskmanager.network.compression.codec')?.type, 'Enum');
  // Hidden options: read by Flink, documented nowhere.
  assert.equal(status('2.x', 'taskmanager.cpu.cores'), 'option');
  assert.equal(CATALOG.options.find((o) => o.key === 'security.ssl.keystore')?.source, 'java:SecurityOptions');
  // A typo of a key 2.x reads only as a deprecated spelling still finds it.
  assert.deepEqual(nearestKey('state.checkpoints.dri', '2.x'), { key: 'state.checkpoints.dir', distance: 2 });
});
