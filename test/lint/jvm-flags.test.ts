import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { JVM_REFUSAL_FOLLOW_UP, REMOVED_JVM_FLAGS, XLOG_GC_FILE, javaVersionsOfLine, removedJvmFlag } from '../../src/lint/removed-jvm-flags.js';
import { runCliCaptured } from '../cli/cli-harness.js';

interface Problem { code: string; severity: string; key: string | null; file: string | null; line: number | null; message: string; suggestion: string | null }
const FIXTURES = 'test/fixtures/lint/jvm-flags';
const XLOG_NOTE = "(the directory must exist, or the JVM does not start either; /opt/flink/log is the log directory of Flink's images)";

async function lintJson(...args: string[]): Promise<{ code: number; problems: Problem[] }> {
  const run = await runCliCaptured(['lint', '--format', 'json', ...args]);
  return { code: run.code, problems: (JSON.parse(run.stdout) as { problems: Problem[] }).problems };
}

const jvmProblems = (problems: readonly Problem[]): Problem[] => problems.filter((p) => p.code === 'jvm-option-conflict');
const rows = (problems: readonly Problem[]): unknown[][] => jvmProblems(problems).map((p) => [p.severity, p.key, p.line, p.suggestion]);

interface Recorded { readonly exit: number; readonly stderr: readonly string[]; readonly stdout: string }

/** Parses a record.sh output: `$ <java> ARGS -version`, `exit: N`, `stderr:` lines, `stdout (first line):`. */
function readRecording(file: string): Map<string, Recorded> {
  const runs = new Map<string, Recorded>();
  const blocks = readFileSync(`${FIXTURES}/${file}`, 'utf8').split('\n$ ').slice(1);
  for (const block of blocks) {
    const lines = block.split('\n');
    const command = lines[0]!;
    const args = command.slice(command.indexOf(' ') + 1).replace(/ -version$/, '');
    const exit = Number(/^exit: (\d+)$/.exec(lines[1]!)![1]);
    const stdoutAt = lines.indexOf('stdout (first line):');
    const stderr = lines.slice(3, stdoutAt).map((l) => l.slice(2));
    runs.set(args, { exit, stderr, stdout: (lines[stdoutAt + 1] ?? '').slice(2) });
  }
  return runs;
}

test('Flink 2.0: the Java 8 GC logging flags are errors (Java 11, 17, 21 refuse them), CMS a warning (Java 11 accepts it), G1 nothing', async () => {
  const { code, problems } = await lintJson('--config', `${FIXTURES}/java8-gc-opts/config.yaml`, '--flink-version', '2.0');
  assert.equal(code, 1);
  assert.deepEqual(problems.map((p) => p.code), ['jvm-option-conflict', 'jvm-option-conflict', 'jvm-option-conflict', 'jvm-option-conflict']);
  assert.deepEqual(rows(problems), [
    ['error', 'env.java.opts.all', 4, `replace -XX:+PrintGCDateStamps in env.java.opts.all with ${XLOG_GC_FILE} ${XLOG_NOTE}`],
    ['error', 'env.java.opts.all', 4, 'remove -XX:+UseGCLogFileRotation from env.java.opts.all (the -Xlog suggested for -XX:+PrintGCDateStamps covers it)'],
    // CMS and G1 together: no Java starts with two collectors.
    ['error', 'env.java.opts.all', 4, 'keep one collector: -XX:+UseG1GC, and remove the other Use…GC flags'],
    ['warning', 'env.java.opts.all', 4, 'remove -XX:+UseConcMarkSweepGC from env.java.opts.all (-XX:+UseG1GC is set already)'],
  ]);
  assert.equal(XLOG_GC_FILE, '-Xlog:gc*:file=/opt/flink/log/gc.log:time,uptime:filecount=10,filesize=10M');
  assert.equal(
    problems[0]!.message,
    'env.java.opts.all (line 4) sets -XX:+PrintGCDateStamps. Java 11, 17 and 21 refuse it: the JVM stops with ' +
      `"Unrecognized VM option 'PrintGCDateStamps'" and "Error: Could not create the Java Virtual Machine.". ` +
      'Flink 2.x runs on Java 11, 17 and 21, every one of which refuses it, so the TaskManager and the JobManager do not start. ' +
      'The Java 8 GC logging flags were removed in JDK 9, when GC logging moved to unified logging, -Xlog (JEP 158, JEP 271)',
  );
  assert.match(problems[3]!.message, /sets -XX:\+UseConcMarkSweepGC\. Java 17 and 21 refuse it: the JVM stops with "Unrecognized VM option 'UseConcMarkSweepGC'"/);
  assert.match(problems[3]!.message, /Java 11 still accepts the flag, on Java 17 and 21 the TaskManager and the JobManager do not start\. The CMS collector was removed in JDK 14 \(JEP 363\)$/);
  assert.ok(!problems.some((p) => p.message.includes('UseG1GC.')), 'no problem for -XX:+UseG1GC');
});

test('Flink 1.18: the same flags are warnings (Java 8 still accepts them), and -Xlog is suggested only where Java 8 does not run', async () => {
  const { code, problems } = await lintJson('--config', `${FIXTURES}/java8-gc-opts/flink-conf.yaml`, '--flink-version', '1.18');
  assert.equal(code, 1);
  assert.deepEqual(rows(problems), [
    // Errors first: no Java starts with CMS and G1 together.
    ['error', 'env.java.opts.all', 4, 'keep one collector: -XX:+UseG1GC, and remove the other Use…GC flags'],
    ['warning', 'env.java.opts.all', 4, `where the processes run on Java 11 and 17, replace -XX:+PrintGCDateStamps in env.java.opts.all with ${XLOG_GC_FILE} ${XLOG_NOTE}; Java 8 does not accept -Xlog, keep -XX:+PrintGCDateStamps only there`],
    ['warning', 'env.java.opts.all', 4, 'where the processes run on Java 11 and 17, remove -XX:+UseGCLogFileRotation from env.java.opts.all (the -Xlog suggested for -XX:+PrintGCDateStamps covers it); Java 8 does not accept -Xlog, keep -XX:+UseGCLogFileRotation only there'],
    ['warning', 'env.java.opts.all', 4, 'remove -XX:+UseConcMarkSweepGC from env.java.opts.all (-XX:+UseG1GC is set already)'],
  ]);
  assert.equal(problems.length, 4);
  assert.match(problems[1]!.message, /Java 11 and 17 refuse it: .* Flink 1\.18 runs on Java 8, 11 and 17; Java 8 still accepts the flag, on Java 11 and 17 the TaskManager and the JobManager do not start\./);
  assert.match(problems[3]!.message, /Java 17 refuses it: .*; Java 8 and 11 still accept the flag, on Java 17 the TaskManager and the JobManager do not start\./);
});

test('the deprecated env.java.opts key is checked, unless env.java.opts.all (which Flink reads instead) is set', async () => {
  const { problems } = await lintJson('--config', `${FIXTURES}/legacy-key/flink-conf.yaml`, '--flink-version', '1.18');
  assert.deepEqual(
    problems.map((p) => [p.code, p.severity, p.key, p.line, p.suggestion]),
    [
      ['deprecated-key', 'warning', 'env.java.opts', 4, 'env.java.opts.all'],
      ['jvm-option-conflict', 'warning', 'env.java.opts', 4, 'replace -XX:+UseConcMarkSweepGC in env.java.opts with -XX:+UseG1GC'],
      ['jvm-option-conflict', 'warning', 'env.java.opts', 4, 'remove -XX:CMSInitiatingOccupancyFraction=70 from env.java.opts; it tunes CMS only; the nearest G1 setting is -XX:InitiatingHeapOccupancyPercent'],
      ['jvm-option-conflict', 'warning', 'env.java.opts', 4, `where the processes run on Java 11 and 17, replace -XX:+PrintGCDateStamps in env.java.opts with ${XLOG_GC_FILE} ${XLOG_NOTE}; Java 8 does not accept -Xlog, keep -XX:+PrintGCDateStamps only there`],
    ],
  );
  assert.match(problems[2]!.message, /"Unrecognized VM option 'CMSInitiatingOccupancyFraction=70'"/);
  const shadowed = await lintJson('--config', `${FIXTURES}/legacy-key/flink-conf.yaml`, '--flink-version', '1.18', '-D', 'env.java.opts.all=-Xss1m');
  assert.deepEqual(jvmProblems(shadowed.problems), []);
});

test('a TaskManager-only option stops only the TaskManager; UseBiasedLocking matters on Java 21 (2.x) and is a note on 1.20', async () => {
  const v2 = await lintJson('--config', `${FIXTURES}/taskmanager-only/config.yaml`, '--flink-version', '2.0');
  assert.deepEqual(rows(v2.problems), [
    ['error', 'env.java.opts.taskmanager', 4, 'replace -XX:+UseParNewGC in env.java.opts.taskmanager with -XX:+UseG1GC'],
    ['warning', 'env.java.opts.taskmanager', 4, 'remove -XX:MaxPermSize=256m from env.java.opts.taskmanager; Flink sizes metaspace with taskmanager.memory.jvm-metaspace.size'],
    ['warning', 'env.java.opts.taskmanager', 4, 'remove -XX:+UseBiasedLocking from env.java.opts.taskmanager'],
  ]);
  assert.match(v2.problems[0]!.message, /every one of which refuses it, so the TaskManager does not start\. ParNew/);
  assert.match(v2.problems[1]!.message, /"Unrecognized VM option 'MaxPermSize=256m'"/);
  assert.ok(v2.problems.every((p) => !p.message.includes('JobManager')));
  const v120 = await lintJson('--config', `${FIXTURES}/taskmanager-only/config.yaml`, '--flink-version', '1.20');
  assert.deepEqual(jvmProblems(v120.problems).map((p) => p.severity), ['warning', 'warning', 'info']);
  assert.match(v120.problems[2]!.message, /Flink 1\.20 runs on Java 8, 11 and 17, which still accept the flag; on Java 21 the TaskManager would not start/);
});

test('modern flags (-XX:+UseG1GC, -XX:MaxGCPauseMillis=200, -Xlog:gc*) give nothing', async () => {
  for (const version of ['2.0', '1.19']) {
    const { code, problems } = await lintJson('--config', `${FIXTURES}/modern/config.yaml`, '--flink-version', version);
    assert.deepEqual(problems, [], version);
    assert.equal(code, 0);
  }
  // Not JVM flags at all, or flags no Java refuses: still ignored.
  const other = await lintJson('-D', 'env.java.opts.all=-Dfoo=-XX:+UseConcMarkSweepGC --add-opens=java.base/java.lang=ALL-UNNAMED -XX:+PrintGCDetails -Xloggc:gc.log -XX:+HeapDumpOnOutOfMemoryError');
  assert.deepEqual(jvmProblems(other.problems), []);
});

test('switched off, skipped by -XX:+IgnoreUnrecognizedVMOptions, or refused only on a newer Java than the line runs on', async () => {
  const off = await lintJson('-D', 'env.java.opts.jobmanager=-XX:-UseConcMarkSweepGC');
  assert.deepEqual(rows(off.problems), [['warning', 'env.java.opts.jobmanager', null, 'remove -XX:-UseConcMarkSweepGC from env.java.opts.jobmanager']]);
  assert.match(off.problems[0]!.message, /^env\.java\.opts\.jobmanager \(-D #1\) sets -XX:-UseConcMarkSweepGC\. Java 17 and 21 refuse it, even switched off, as the JVM no longer knows the name: .* on Java 17 and 21 the JobManager does not start\./);

  // The last -XX:[+-]IgnoreUnrecognizedVMOptions among a process's options decides (recorded in openjdk17.txt).
  const ignored = await lintJson('-D', 'env.java.opts.all=-XX:+PrintGCDateStamps -XX:+IgnoreUnrecognizedVMOptions');
  assert.deepEqual(rows(ignored.problems), [['info', 'env.java.opts.all', null, 'remove -XX:+PrintGCDateStamps from env.java.opts.all']]);
  assert.match(ignored.problems[0]!.message, /-XX:\+IgnoreUnrecognizedVMOptions in env\.java\.opts\.all makes the JVM of the TaskManager and the JobManager skip options it does not know, so there the flag does nothing/);
  const half = await lintJson('-D', 'env.java.opts.all=-XX:+PrintGCDateStamps', '-D', 'env.java.opts.taskmanager=-XX:+IgnoreUnrecognizedVMOptions');
  assert.equal(half.problems[0]!.severity, 'error');
  assert.match(half.problems[0]!.message, /so the JobManager does not start\. -XX:\+IgnoreUnrecognizedVMOptions in env\.java\.opts\.taskmanager makes the JVM of the TaskManager skip/);
  const undone = await lintJson('-D', 'env.java.opts.all=-XX:+IgnoreUnrecognizedVMOptions -XX:+PrintGCDateStamps', '-D', 'env.java.opts.taskmanager=-XX:-IgnoreUnrecognizedVMOptions');
  assert.match(undone.problems[0]!.message, /so the TaskManager does not start\. -XX:\+IgnoreUnrecognizedVMOptions in env\.java\.opts\.all makes the JVM of the JobManager skip/);

  // Flink 1.17 runs on Java 8 and 11 (Java 17 came with 1.18): CMS is only a note there.
  const v117 = await lintJson('-D', 'env.java.opts.all=-XX:+UseConcMarkSweepGC', '--flink-version', '1.17');
  assert.deepEqual(rows(v117.problems), [['info', 'env.java.opts.all', null, 'replace -XX:+UseConcMarkSweepGC in env.java.opts.all with -XX:+UseG1GC']]);
  assert.equal(v117.code, 0);
  assert.deepEqual(javaVersionsOfLine('1.17'), [8, 11]);
  assert.deepEqual(javaVersionsOfLine('1.18'), [8, 11, 17]);
  assert.deepEqual(javaVersionsOfLine('2.x'), [11, 17, 21]);
});

test('removed-jvm-flags.ts agrees with the recordings: refused on OpenJDK 17 exactly when refusedFrom <= 17, with the recorded text', () => {
  const jdk17 = readRecording('openjdk17.txt');
  const jdk25 = readRecording('temurin25.txt');
  assert.match(readFileSync(`${FIXTURES}/openjdk17.txt`, 'utf8'), /^# \$ java -version\n#   openjdk version "17\.0\.15"/m);
  for (const flag of REMOVED_JVM_FLAGS) {
    assert.equal(removedJvmFlag(flag.name), flag);
    assert.equal(new RegExp(`^-XX:[+-]?${flag.name}(=|$)`).test(flag.example), true, flag.name);
    const run = jdk17.get(flag.example);
    assert.ok(run !== undefined, `${flag.example} is recorded`);
    if (flag.refusedFrom <= 17) {
      assert.equal(run.exit, 1, flag.example);
      assert.equal(run.stderr[0], flag.java17, flag.example);
      assert.ok(run.stderr[1]!.endsWith(JVM_REFUSAL_FOLLOW_UP), flag.example);
    } else {
      assert.equal(run.exit, 0, flag.example);
      assert.equal(flag.java17, null, flag.example);
    }
    assert.equal(jdk25.get(flag.example)?.exit, 1, `Java 25 refuses ${flag.example}`);
    assert.ok(flag.removedIn <= flag.refusedFrom, flag.name);
    const replacement = flag.replacement;
    if (replacement !== null) {
      // Recorded with a relative file: /opt/flink/log does not exist where the recording was made.
      const run = jdk17.get(replacement.text === XLOG_GC_FILE ? '-Xlog:gc*:file=gc.log:time,uptime:filecount=10,filesize=10M' : replacement.text);
      assert.equal(run?.exit, 0, replacement.text);
      assert.ok(!run.stdout.includes('[warning]'), `${replacement.text}: ${run.stdout}`);
    }
  }
  // Facts the check relies on besides the flags themselves.
  assert.equal(jdk17.get('-XX:-UseConcMarkSweepGC')?.exit, 1);
  assert.equal(jdk17.get('-XX:+PrintGCDateStamps -XX:+IgnoreUnrecognizedVMOptions')?.exit, 0);
  assert.equal(jdk17.get('-XX:+IgnoreUnrecognizedVMOptions -XX:-IgnoreUnrecognizedVMOptions -XX:+PrintGCDateStamps')?.exit, 1);
  assert.equal(jdk17.get('-Xlog:gc*:file=missing-dir/gc.log:time,uptime:filecount=10,filesize=10M')?.exit, 1);
  for (const accepted of ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=200', '-XX:+PrintGCDetails', '-Xloggc:gc.log']) assert.equal(jdk17.get(accepted)?.exit, 0, accepted);
});

const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
const javaMajor = probe.error === undefined ? /version "(\d+)/.exec(probe.stderr)?.[1] : undefined;
const skipReal =
  probe.error !== undefined ? 'java is not on PATH' : javaMajor !== '17' ? `the recorded facts are OpenJDK 17's; java -version reports ${javaMajor ?? 'an unknown version'}` : false;

test('the real JVM still refuses what openjdk17.txt recorded (java <flag> -version)', { skip: skipReal }, () => {
  const recorded = readRecording('openjdk17.txt');
  for (const flag of ['-XX:+PrintGCDateStamps', '-XX:+UseConcMarkSweepGC']) {
    const live = spawnSync('java', [flag, '-version'], { encoding: 'utf8' });
    const fact = recorded.get(flag)!;
    assert.equal(live.status, fact.exit, flag);
    assert.equal(live.stderr.split('\n')[0], fact.stderr[0], flag);
    assert.equal(fact.stderr[0], removedJvmFlag(flag.replace(/^-XX:[+-]/, ''))?.java17);
  }
});

test('two garbage collectors in the options of one process: the JVM refuses to start (recorded on OpenJDK 17); the last +/- of a flag counts', async () => {
  const both = await lintJson('-D', 'env.java.opts.all=-XX:+UseParallelGC -XX:+UseG1GC', '--flink-version', '1.20');
  assert.deepEqual(
    jvmProblems(both.problems).map((p) => [p.severity, p.key, p.message, p.suggestion]),
    [[
      'error',
      'env.java.opts.all',
      '-XX:+UseParallelGC (env.java.opts.all) and -XX:+UseG1GC (env.java.opts.all) select more than one garbage collector: the JVM refuses to start ("Error occurred during initialization of VM", "Multiple garbage collectors selected" on Java 17), so the TaskManager and the JobManager do not start',
      'keep one collector: -XX:+UseG1GC, and remove the other Use…GC flags',
    ]],
  );
  // A TaskManager-only collector next to a shared one stops only the TaskManager.
  const tm = await lintJson('-D', 'env.java.opts.all=-XX:+UseParallelGC', '-D', 'env.java.opts.taskmanager=-XX:+UseSerialGC', '--flink-version', '1.20');
  assert.deepEqual(jvmProblems(tm.problems).map((p) => [p.key, p.suggestion]), [['env.java.opts.taskmanager', 'keep one collector: -XX:+UseSerialGC, and remove the other Use…GC flags']]);
  assert.match(jvmProblems(tm.problems)[0]!.message, /so the TaskManager does not start$/);
  // Switched off again before another is chosen: one collector.
  assert.deepEqual(jvmProblems((await lintJson('-D', 'env.java.opts.all=-XX:+UseG1GC -XX:-UseG1GC -XX:+UseParallelGC', '--flink-version', '1.20')).problems), []);
  // The recordings: both combinations refused, the switched-off one accepted.
  const recorded = readRecording('openjdk17.txt');
  assert.equal(recorded.get('-XX:+UseParallelGC -XX:+UseG1GC')?.exit, 1);
  assert.equal(recorded.get('-XX:+UseParallelGC -XX:+UseG1GC')?.stdout, 'Error occurred during initialization of VM');
  assert.equal(recorded.get('-XX:+UseG1GC -XX:-UseG1GC -XX:+UseParallelGC')?.exit, 0);
});
