/**
 * The layouts of Flink logs: Flink's shipped log4j2 pattern, its variants, and JSON encoders.
 * Each sample line is written in the layout named beside it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONTINUATION,
  JSON_RECORD,
  PLAIN,
  lineKind,
  parseJsonHead,
  parsePlainHead,
  parseTimestamp,
  plainMessageStart,
} from '../../src/diagnose/detectors/log-line.js';

// conf/log4j.properties: %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
const DEFAULT_LAYOUT =
  '2024-05-01 10:03:00,012 INFO  org.apache.flink.runtime.checkpoint.CheckpointCoordinator    [] - Checkpoint 42 of job 3f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d expired before completing.';

test('line kinds: a record head of either layout, everything else continues the record before', () => {
  assert.equal(lineKind(DEFAULT_LAYOUT), PLAIN);
  assert.equal(lineKind('2024-05-01T10:03:00.012Z [main] INFO  org.apache.flink.X - m'), PLAIN);
  assert.equal(lineKind('{"@timestamp":"2024-05-01T10:03:00.012Z","message":"m"}'), JSON_RECORD);
  for (const text of [
    '\tat org.apache.flink.runtime.taskmanager.Task.run(Task.java:568)',
    'Caused by: java.lang.OutOfMemoryError: Java heap space',
    'INFO  [] -   Total Process Memory:          1.688gb (1811939328 bytes)', // log4j-bash-utils.properties
    '',
    '2024-05-01', // too short to be a record
    '20240501 10:03:00 not a date',
  ]) {
    assert.equal(lineKind(text), CONTINUATION, text);
  }
});

test('the default layout: time, level, logger and message, the logger padded to 60 columns', () => {
  const head = parsePlainHead(DEFAULT_LAYOUT);
  assert.equal(head.epochMs, Date.UTC(2024, 4, 1, 10, 3, 0, 12));
  assert.equal(head.level, 'INFO');
  assert.equal(head.logger, 'org.apache.flink.runtime.checkpoint.CheckpointCoordinator');
  assert.equal(head.message, 'Checkpoint 42 of job 3f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d expired before completing.');
  assert.equal(DEFAULT_LAYOUT.slice(plainMessageStart(DEFAULT_LAYOUT)), head.message);
  assert.deepEqual(head.extraLines, []);
});

test('a logger longer than the column, an empty message and a leading space are kept as written', () => {
  // EnvironmentInformation writes " Starting ..." with a leading space and the inherited logs as an empty first line.
  const long = '2024-05-01 09:58:40,847 INFO  org.apache.flink.runtime.state.changelog.StateChangelogStorageLoader [] - StateChangelogStorageLoader initialized with shortcut names {memory,filesystem}.';
  assert.equal(parsePlainHead(long).logger, 'org.apache.flink.runtime.state.changelog.StateChangelogStorageLoader');
  const empty = `2024-05-01 09:58:40,533 INFO  ${'org.apache.flink.runtime.taskexecutor.TaskManagerRunner'.padEnd(60)} [] - `;
  assert.equal(parsePlainHead(empty).message, '');
  const starting = `2024-05-01 09:58:40,548 INFO  ${'org.apache.flink.runtime.taskexecutor.TaskManagerRunner'.padEnd(60)} [] -  Starting TaskManager (Version: 2.0.0, Scala: 2.12, Rev:cc017da, Date:2025-03-10T07:29:37+01:00)`;
  assert.equal(parsePlainHead(starting).message, ' Starting TaskManager (Version: 2.0.0, Scala: 2.12, Rev:cc017da, Date:2025-03-10T07:29:37+01:00)');
});

test('variants: ISO dates with zones, a [thread] before or after the level, a thread name with spaces', () => {
  // %d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC} [%t] %-5p %c - %m%n
  const a = parsePlainHead('2024-05-01T08:15:30.250Z [Window(TumblingEventTimeWindows(60000), EventTimeTrigger, WindowAggregate) (1/2)#0] WARN  org.apache.flink.runtime.taskmanager.Task - failed');
  assert.deepEqual([a.epochMs, a.level, a.logger, a.message], [Date.UTC(2024, 4, 1, 8, 15, 30, 250), 'WARN', 'org.apache.flink.runtime.taskmanager.Task', 'failed']);
  // %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%t] %c - %m%n, local time with an offset (%d{...Z})
  const b = parsePlainHead('2024-05-01T12:15:30.250+0200 ERROR [flink-pekko.actor.default-dispatcher-6] org.apache.flink.runtime.jobmaster.JobMaster - boom');
  assert.deepEqual([b.epochMs, b.level, b.logger, b.message], [Date.UTC(2024, 4, 1, 10, 15, 30, 250), 'ERROR', 'org.apache.flink.runtime.jobmaster.JobMaster', 'boom']);
  // log4j2 %d{ISO8601}: a comma before the fraction, no zone (taken as UTC)
  assert.equal(parsePlainHead('2024-05-01T10:00:00,123 INFO org.apache.flink.X - m').epochMs, Date.UTC(2024, 4, 1, 10, 0, 0, 123));
});

test('time stamps: UTC without a zone, offsets with and without a colon, fractions of any length', () => {
  assert.equal(parseTimestamp('2024-05-01 10:00:00,123', 0), Date.UTC(2024, 4, 1, 10, 0, 0, 123));
  assert.equal(parseTimestamp('2024-05-01T10:00:00.123Z', 0), Date.UTC(2024, 4, 1, 10, 0, 0, 123));
  assert.equal(parseTimestamp('2024-05-01T12:00:00.123+02:00', 0), Date.UTC(2024, 4, 1, 10, 0, 0, 123));
  assert.equal(parseTimestamp('2024-05-01T05:30:00-0430', 0), Date.UTC(2024, 4, 1, 10, 0, 0, 0));
  assert.equal(parseTimestamp('2024-05-01T10:00:00.123456789Z', 0), Date.UTC(2024, 4, 1, 10, 0, 0, 123));
  assert.equal(parseTimestamp('2024-05-01T10:00:00.1Z', 0), Date.UTC(2024, 4, 1, 10, 0, 0, 100));
  assert.equal(parseTimestamp('xx2024-05-01 10:00:00,123', 2), Date.UTC(2024, 4, 1, 10, 0, 0, 123));
  for (const bad of ['2024-02-31 10:00:00,000', '2024-13-01 10:00:00,000', '2024-05-01 25:00:00,000', '2024-05-01 10:00', 'not a time at all!!']) {
    assert.equal(parseTimestamp(bad, 0), undefined, bad);
  }
});

test('JSON: logstash-logback-encoder fields, the stack trace as further lines', () => {
  const head = parseJsonHead(
    JSON.stringify({
      '@timestamp': '2024-05-01T12:06:00.033+02:00',
      '@version': '1',
      message: 'Failed to trigger or complete checkpoint 7 for job 9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49. (0 consecutive failed attempts so far)',
      logger_name: 'org.apache.flink.runtime.checkpoint.CheckpointFailureManager',
      thread_name: 'Checkpoint Timer',
      level: 'WARN',
      level_value: 30000,
      stack_trace: 'org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired before completing.\n\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator$CheckpointCanceller.run(CheckpointCoordinator.java:2163)\n',
    }),
  );
  assert.ok(head);
  assert.equal(head.epochMs, Date.UTC(2024, 4, 1, 10, 6, 0, 33));
  assert.equal(head.level, 'WARN');
  assert.equal(head.logger, 'org.apache.flink.runtime.checkpoint.CheckpointFailureManager');
  assert.deepEqual(head.extraLines, [
    'org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired before completing.',
    '\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator$CheckpointCanceller.run(CheckpointCoordinator.java:2163)',
    '',
  ]);
});

test('JSON: log4j2 JsonLayout (instant, loggerName, thrown), ECS (nested log.level/log.logger), epoch numbers', () => {
  const layout = parseJsonHead(
    '{"instant":{"epochSecond":1714561800,"nanoOfSecond":250000000},"thread":"main","level":"ERROR","loggerName":"org.apache.flink.runtime.taskexecutor.TaskManagerRunner","message":"Fatal error","thrown":{"name":"java.lang.OutOfMemoryError","message":"Metaspace"}}',
  );
  assert.deepEqual(layout, {
    epochMs: 1714561800250,
    level: 'ERROR',
    logger: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
    message: 'Fatal error',
    extraLines: ['java.lang.OutOfMemoryError: Metaspace'],
  });
  const ecs = parseJsonHead('{"@timestamp":"2024-05-01T10:00:00.000Z","log":{"level":"info","logger":"org.apache.flink.X"},"message":"m\\nsecond line"}');
  assert.deepEqual(ecs, { epochMs: Date.UTC(2024, 4, 1, 10), level: 'INFO', logger: 'org.apache.flink.X', message: 'm', extraLines: ['second line'] });
  assert.equal(parseJsonHead('{"timeMillis":1714557600123,"message":"m"}')?.epochMs, 1714557600123);
  assert.equal(parseJsonHead('{"ts":1714557600.5,"msg":"m"}')?.epochMs, 1714557600500);
});

test('JSON that is not a log record is not one, and nothing throws', () => {
  for (const text of ['{', '{"no":"message"}', '[1,2]', '{"message":5}', 'null', '{"message":"x"', '\u0000\uffff{']) {
    assert.equal(parseJsonHead(text), undefined, text);
  }
  assert.equal(parseJsonHead('{"message":"only"}')?.epochMs, undefined);
});
