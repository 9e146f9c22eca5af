/**
 * Kubernetes evidence: `kubectl describe pod`, pod manifests (YAML, JSON, List) and Flink's own log
 * of a terminated pod. Fixtures: test/fixtures/diagnose/container (sources in its README).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  createKubernetesDetector,
  kubernetesFormat,
  looksLikeKubernetes,
  parseKubernetesQuantity,
  parseRfc1123,
} from '../../src/diagnose/detectors/kubernetes.js';
import { MAX_EVIDENCE_PER_KIND, type Evidence } from '../../src/diagnose/evidence.js';
import { fixture, lineOf, linesOf, runFixture, runText } from './container-helpers.js';

const run = (name: string): Evidence[] => runFixture(createKubernetesDetector, name);
const runInline = (text: string): Evidence[] => runText(createKubernetesDetector, 'inline', text);

test('Kubernetes quantities become exact bytes', () => {
  const cases: Array<[string, string | undefined]> = [
    ['4Gi', '4294967296'],
    ['4096Mi', '4294967296'],
    ['4G', '4000000000'],
    ['1.5Gi', '1610612736'],
    ['1728Mi', '1811939328'],
    ['0.5Ki', '512'],
    ['129e6', '129000000'],
    ['129E6', '129000000'],
    ['4294967296', '4294967296'],
    ['1Ei', '1152921504606846976'],
    ['1E', '1000000000000000000'],
    ['8Ei', '9223372036854775808'],
    // A fraction of a byte rounds up, as resource.Quantity.Value() does.
    ['100m', '1'],
    ['1.0001k', '1001'],
    ['+2Ki', '2048'],
    ['.5Mi', '524288'],
    ['-1Gi', undefined],
    ['4 Gi', undefined],
    ['4GiB', undefined],
    ['Gi', undefined],
    ['', undefined],
    ['1e100', undefined],
    ['0x10', undefined],
  ];
  for (const [text, bytes] of cases) assert.equal(parseKubernetesQuantity(text), bytes, text);
});

test('RFC 1123 times as describe prints them become epoch ms', () => {
  assert.equal(parseRfc1123('Mon, 01 Jan 2024 10:00:00 +0000'), 1704103200000);
  assert.equal(parseRfc1123('Mon, 29 Jan 2024 10:30:00 -0500'), 1706542200000);
  assert.equal(parseRfc1123('Thu, 29 Jul 2021 18:16:32 +0530'), 1627562792000);
  assert.equal(parseRfc1123('Mon, 01 Jan 2024 10:00:00 GMT'), 1704103200000);
  assert.equal(parseRfc1123('Sat, 31 Feb 2024 10:00:00 +0000'), undefined);
  assert.equal(parseRfc1123('Mon, 01 Foo 2024 10:00:00 +0000'), undefined);
  assert.equal(parseRfc1123('2024-01-01T10:00:00Z'), undefined);
});

test('format detection: describe, YAML and JSON pods; not logs, deployments or configs', () => {
  const head = (name: string): string[] => linesOf(readFileSync(fixture(name), 'latin1')).slice(0, 60);
  assert.equal(kubernetesFormat(head('describe-taskmanager-oomkilled.txt')), 'describe');
  assert.equal(kubernetesFormat(head('describe-taskmanagers-crashloop-evicted.txt')), 'describe');
  assert.equal(kubernetesFormat(head('pod-taskmanager.yaml')), 'pod-yaml');
  assert.equal(kubernetesFormat(head('pod-taskmanager.json')), 'pod-json');
  assert.equal(kubernetesFormat(['{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}']), 'pod-json');
  assert.equal(kubernetesFormat(['apiVersion: v1', 'items:', '- apiVersion: v1', '  kind: Pod']), 'pod-yaml');
  assert.equal(kubernetesFormat(head('jobmanager-kubernetes.log')), undefined);
  assert.equal(kubernetesFormat(['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: flink-taskmanager']), undefined);
  assert.equal(kubernetesFormat(['Name: only a name', 'Namespace: and a namespace']), undefined);
  assert.equal(looksLikeKubernetes(['taskmanager.memory.process.size: 4096m']), false);
});

const NATIVE_OOM: Evidence = {
  kind: 'container-killed',
  at: { file: 'describe-taskmanager-oomkilled.txt', line: 29, text: '      Reason:       OOMKilled' },
  epochMs: 1704103347000,
  summary: 'pod flink-cluster-taskmanager-1-1: container flink-main-container was OOMKilled (exit code 137, SIGKILL); memory limit 4Gi, restart count 0',
  facts: {
    container: 'flink-main-container',
    source: 'describe',
    state: 'state',
    pod: 'flink-cluster-taskmanager-1-1',
    namespace: 'flink',
    reason: 'OOMKilled',
    exitCode: 137,
    startedEpochMs: 1704103100000,
    finishedEpochMs: 1704103347000,
    limit: '4Gi',
    limitBytes: '4294967296',
    requestBytes: '4294967296',
    restartCount: 0,
  },
};

test('describe of a native TaskManager pod: the OOMKilled container with limit, times and restarts', () => {
  assert.deepEqual(run('describe-taskmanager-oomkilled.txt'), [NATIVE_OOM]);
});

test('describe of two standalone pods: crash loop after OOM kills, liveness kill, eviction for node memory', () => {
  const file = 'describe-taskmanagers-crashloop-evicted.txt';
  const evidence = run(file);
  assert.deepEqual(
    evidence.map((e) => [e.kind, e.at.line, e.epochMs]),
    [
      ['process-exit', 29, 1704103096000],
      ['container-killed', 50, 1704104585000],
      ['process-exit', 91, undefined],
      ['container-killed', 106, undefined],
      ['process-exit', 122, 1704105602000],
      ['process-exit', 151, undefined],
    ],
  );
  for (const e of evidence) assert.equal(e.at.text, lineOf(file, e.at.line));
  const [init, oom, liveness, evicted, error, stopping] = evidence;
  assert.deepEqual(init!.facts, {
    container: 'artifacts-fetcher',
    source: 'describe',
    state: 'state',
    pod: 'flink-taskmanager-6c9d7b8f5d-4xk2p',
    namespace: 'flink',
    reason: 'Completed',
    exitCode: 0,
    startedEpochMs: 1704103094000,
    finishedEpochMs: 1704103096000,
    restartCount: 0,
    initContainer: true,
  });
  assert.deepEqual(oom!.facts, {
    container: 'taskmanager',
    source: 'describe',
    state: 'lastState',
    pod: 'flink-taskmanager-6c9d7b8f5d-4xk2p',
    namespace: 'flink',
    reason: 'OOMKilled',
    exitCode: 137,
    startedEpochMs: 1704104500000,
    finishedEpochMs: 1704104585000,
    limit: '4096Mi',
    limitBytes: '4294967296',
    requestBytes: '4294967296',
    restartCount: 4,
    backOffCount: 6,
  });
  assert.equal(oom!.summary, 'pod flink-taskmanager-6c9d7b8f5d-4xk2p: container taskmanager was OOMKilled (exit code 137, SIGKILL); memory limit 4096Mi, restart count 4');
  assert.deepEqual(liveness!.facts, {
    pod: 'flink-taskmanager-6c9d7b8f5d-4xk2p',
    event: 'Killing',
    eventType: 'Normal',
    message: 'Container taskmanager failed liveness probe, will be restarted',
    source: 'event',
    namespace: 'flink',
    reason: 'Killing',
    container: 'taskmanager',
    livenessProbe: true,
  });
  assert.deepEqual(evicted!.facts, {
    pod: 'flink-taskmanager-6c9d7b8f5d-q8w7z',
    reason: 'Evicted',
    source: 'status',
    namespace: 'flink',
    message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 81204Ki. Container taskmanager was using 3890Mi, which exceeds its request of 2Gi.',
    nodeMemoryPressure: true,
    container: 'taskmanager',
    usedBytes: '4078960640',
    requestBytes: '2147483648',
  });
  assert.equal(evicted!.summary, 'pod flink-taskmanager-6c9d7b8f5d-q8w7z was evicted because the node was low on memory');
  // "4G" is decimal: 4 * 10^9 bytes, not 4 GiB.
  assert.equal(error!.facts['limitBytes'], '4000000000');
  assert.equal(error!.facts['exitCode'], 143);
  assert.equal(error!.facts['reason'], 'Error');
  assert.equal(error!.summary, 'pod flink-taskmanager-6c9d7b8f5d-q8w7z: container taskmanager terminated: Error (exit code 143, SIGTERM); memory limit 4G, restart count 0');
  assert.equal(stopping!.facts['message'], 'Stopping container taskmanager');
  assert.equal(stopping!.facts['livenessProbe'], undefined);
});

test('the same pod from kubectl get -o yaml and -o json: same facts, the line of the reason', () => {
  const expected = (file: string, line: number): Evidence => ({
    ...NATIVE_OOM,
    at: { file, line, text: lineOf(file, line) },
    facts: { ...NATIVE_OOM.facts, source: 'manifest' },
  });
  assert.deepEqual(run('pod-taskmanager.yaml'), [expected('pod-taskmanager.yaml', 90)]);
  assert.equal(lineOf('pod-taskmanager.yaml', 90), '        reason: OOMKilled');
  assert.deepEqual(run('pod-taskmanager.json'), [expected('pod-taskmanager.json', 120)]);
  assert.equal(lineOf('pod-taskmanager.json', 120), '                        "reason": "OOMKilled",');
});

test('a List of pods: last states, current states and an eviction, each on its line', () => {
  const list = [
    'apiVersion: v1',
    'items:',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    '    name: flink-taskmanager-6c9d7b8f5d-4xk2p',
    '    namespace: flink',
    '  spec:',
    '    containers:',
    '    - name: taskmanager',
    '      resources:',
    '        limits:',
    '          memory: 1.5Gi',
    '  status:',
    '    containerStatuses:',
    '    - lastState:',
    '        terminated:',
    '          exitCode: 1',
    '          finishedAt: "2024-01-01T10:23:05Z"',
    '          reason: Error',
    '          startedAt: "2024-01-01T10:21:40Z"',
    '      name: taskmanager',
    '      restartCount: 7',
    '      state:',
    '        running:',
    '          startedAt: "2024-01-01T10:23:06Z"',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    '    name: flink-taskmanager-6c9d7b8f5d-q8w7z',
    '  status:',
    '    message: "The node was low on resource: memory. Container taskmanager was using 3890Mi, which exceeds its request of 2Gi. "',
    '    phase: Failed',
    '    reason: Evicted',
    'kind: List',
    'metadata:',
    '  resourceVersion: ""',
  ].join('\n');
  const evidence = runInline(list);
  assert.deepEqual(
    evidence.map((e) => [e.kind, e.at.line, e.epochMs, e.facts['pod'], e.facts['reason']]),
    [
      ['process-exit', 20, 1704104585000, 'flink-taskmanager-6c9d7b8f5d-4xk2p', 'Error'],
      ['container-killed', 34, undefined, 'flink-taskmanager-6c9d7b8f5d-q8w7z', 'Evicted'],
    ],
  );
  assert.equal(evidence[0]!.facts['limitBytes'], '1610612736');
  assert.equal(evidence[0]!.facts['restartCount'], 7);
  assert.equal(evidence[0]!.facts['state'], 'lastState');
  assert.equal(evidence[1]!.facts['usedBytes'], '4078960640');
  assert.equal(evidence[1]!.facts['nodeMemoryPressure'], true);
});

test("Flink's JobManager log on Kubernetes: one kill per pod, the repeat in 'Closing TaskExecutor connection' dropped", () => {
  const file = 'jobmanager-kubernetes.log';
  const evidence = run(file);
  assert.deepEqual(
    evidence.map((e) => [e.kind, e.at.line, e.epochMs, e.summary]),
    [
      ['container-killed', 1, 1704103348114, 'pod flink-cluster-taskmanager-1-1: container flink-main-container was OOMKilled (exit code 137, SIGKILL)'],
      ['process-exit', 3, 1704105602488, 'pod flink-cluster-taskmanager-1-3: container flink-main-container terminated: Error (exit code 143, SIGTERM)'],
      ['container-killed', 3, 1704105602488, 'pod flink-cluster-taskmanager-1-3 was evicted because the node was low on memory'],
    ],
  );
  assert.deepEqual(evidence[0]!.facts, { container: 'flink-main-container', source: 'flink-log', state: 'state', pod: 'flink-cluster-taskmanager-1-1', reason: 'OOMKilled', exitCode: 137 });
  assert.equal(evidence[0]!.at.text, lineOf(file, 1));
  assert.equal(evidence[2]!.facts['usedBytes'], '4078960640');
  assert.equal(evidence[2]!.facts['container'], 'flink-main-container');
});

test('a pod terminated again much later is a new kill', () => {
  const line = (time: string): string =>
    `${time} INFO  org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager [] - Worker tm-1-1 is terminated. Diagnostics: Pod terminated, container termination statuses: [flink-main-container(exitCode=137, reason=OOMKilled, message=null)], pod status: Failed(reason=null, message=null)`;
  const evidence = runInline([line('2024-01-01 10:00:00,000'), line('2024-01-01 10:00:30,000'), line('2024-01-01 10:05:00,000')].join('\n'));
  assert.deepEqual(evidence.map((e) => [e.at.line, e.epochMs]), [
    [1, 1704103200000],
    [3, 1704103500000],
  ]);
});

test('bad input never throws and states nothing', () => {
  assert.deepEqual(runInline(''), []);
  assert.deepEqual(runInline('\n\n\n'), []);
  assert.deepEqual(runInline('\u0000\u0001\u00ff garbage \uFFFD'), []);
  // Broken YAML that announces a pod.
  assert.deepEqual(runInline('apiVersion: v1\nkind: Pod\nstatus: [unclosed\n  containerStatuses: {'), []);
  // A JSON pod with the wrong types everywhere.
  assert.deepEqual(runInline('{"kind": "Pod", "status": {"containerStatuses": [{"name": 5, "lastState": {"terminated": "yes"}}, 7, null]}}'), []);
  // describe cut off in the middle of a state: what was read is reported, the time is absent.
  const cut = runInline(['Name:         p', 'Namespace:    ns', 'Node:         n', 'Containers:', '  c:', '    State:          Terminated', '      Reason:       OOMKilled', '      Exit Code:    13x7', '      Finished:     Mon, 99 Jan 2024'].join('\n'));
  assert.deepEqual(cut.map((e) => [e.kind, e.at.line, e.epochMs, e.facts['exitCode']]), [['container-killed', 7, undefined, undefined]]);
  // Lines far longer than any real one.
  assert.deepEqual(runInline(`Name: ${'x'.repeat(200_000)}\nNamespace: y\nNode: z`), []);
});

test('evidence per kind is capped; the rest is counted on the last one kept', () => {
  const pods: string[] = [];
  for (let i = 0; i < MAX_EVIDENCE_PER_KIND + 5; i++) {
    pods.push(`Name:         tm-${i}`, 'Namespace:    flink', 'Node:         n', 'Containers:', '  c:', '    State:          Terminated', '      Reason:       OOMKilled', '      Exit Code:    137', '');
  }
  const evidence = runInline(pods.join('\n'));
  assert.equal(evidence.length, MAX_EVIDENCE_PER_KIND);
  assert.equal(evidence.at(-1)!.facts['notShown'], 5);
  assert.equal(evidence.at(-1)!.facts['pod'], `tm-${MAX_EVIDENCE_PER_KIND - 1}`);
  assert.equal(evidence[0]!.facts['notShown'], undefined);
});
