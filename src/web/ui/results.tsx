/** A derivation result: Flink's rejection, or the diagram, the component table, JVM flags and notes. */
import { useState } from 'preact/hooks';
import type { FlatConfig } from '../../memory/configuration.js';
import { JOB_MANAGER_COMPONENTS, TASK_MANAGER_COMPONENTS, type DerivationResult, type MemoryComponent, type ProcessSpec } from '../../memory/spec.js';
import { javaDoubleToString } from '../../memory/java/java-numbers.js';
import { COMPONENT_LABELS } from '../../plan/diff.js';
import { boxTree, describeProvenance, errorKeys, human, segments, shareText, type Box } from '../model.js';
import { NestedBoxes, StackedBar } from './diagram.js';

const MODE_TEXT: Readonly<Record<string, string>> = {
  'fine-grained': 'fine-grained sizes',
  'total-flink': 'Total Flink Memory',
  'total-process': 'Total Process Memory',
};

export function Rejection(props: { readonly result: Extract<DerivationResult, { ok: false }> }) {
  const { result } = props;
  const who = result.process === 'taskmanager' ? 'TaskManager' : 'JobManager';
  const causes = result.error.causes().filter((c) => !result.error.message.endsWith(c.message));
  return (
    <div class="rejection" role="alert" data-testid="rejection">
      <h3>Flink {result.flinkVersion} would refuse to start this {who}</h3>
      <p class="message" data-testid="rejection-message">
        {result.error.message}
      </p>
      {causes.map((c, i) => (
        <p class="cause" key={i}>
          caused by {c.error}: {c.message}
        </p>
      ))}
      <p>
        <span class="muted">{result.error.error}</span>
        {errorKeys(result.error).size > 0 && <> — options involved: {[...errorKeys(result.error)].map((k) => <code key={k}>{k} </code>)}</>}
      </p>
      <Notes notes={result.notes} />
    </div>
  );
}

function Notes(props: { readonly notes: readonly string[] }) {
  if (props.notes.length === 0) return null;
  return (
    <div class="notes" data-testid="notes">
      <h4>Notes</h4>
      <ul>
        {props.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}

function findBox(box: Box, id: string): Box | undefined {
  if (box.id === id) return box;
  for (const child of box.children) {
    const found = findBox(child, id);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function SpecView(props: { readonly spec: ProcessSpec; readonly config: FlatConfig; readonly idPrefix: string }) {
  const { spec, config } = props;
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const tree = boxTree(spec, config);
  const total = spec.memory.totalProcessMemory.bytes;
  const detail = findBox(tree, selected ?? 'totalProcessMemory') ?? tree;
  const who = spec.process === 'taskmanager' ? 'TaskManager' : 'JobManager';
  const names: readonly string[] = spec.process === 'taskmanager' ? TASK_MANAGER_COMPONENTS : JOB_MANAGER_COMPONENTS;
  const memory = spec.memory as Readonly<Record<string, MemoryComponent>>;
  return (
    <div class="spec" data-testid={`${props.idPrefix}spec`} data-mode={spec.mode}>
      <p class="summary">
        Flink {spec.flinkVersion} {who} memory, configured by <strong data-testid="mode">{MODE_TEXT[spec.mode] ?? spec.mode}</strong>:{' '}
        <strong>{human(total)}</strong> <span class="num">({total.toString()} bytes)</span>
      </p>
      <NestedBoxes root={tree} onSelect={setSelected} selected={selected} />
      <StackedBar segments={segments(spec)} label={`${who} memory as a stacked bar`} onSelect={setSelected} selected={selected} />
      <div class="detail" aria-live="polite" data-testid="detail">
        <strong>{detail.label}</strong>: {human(detail.bytes)} <span class="num">({detail.bytes.toString()} bytes)</span>, {shareText(detail.bytes, total)} of the process
        {detail.jvm !== undefined && <span class="muted"> — JVM: {detail.jvm}</span>}
        <br />
        {detail.option !== undefined && (
          <>
            Option: <code>{detail.option}</code>.{' '}
          </>
        )}
        <span data-testid="detail-provenance">{detail.provenance}</span>
      </div>
      <table class="components">
        <caption>Every component, exact</caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Size</th>
            <th scope="col" class="num">Bytes</th>
            <th scope="col" class="num">Share</th>
            <th scope="col">Option and how it was reached</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const c = memory[name]!;
            return (
              <tr key={name} data-component={name} data-bytes={c.bytes.toString()} class={selected === name ? 'selected' : undefined} onMouseEnter={() => setSelected(name)}>
                <th scope="row">
                  <span class={`swatch c-${name}`} aria-hidden="true" />
                  {COMPONENT_LABELS[name] ?? name}
                </th>
                <td>{human(c.bytes)}</td>
                <td class="num" data-testid="bytes">
                  {c.bytes.toString()}
                </td>
                <td class="num">{shareText(c.bytes, total)}</td>
                <td>
                  {c.option !== undefined && <code>{c.option}</code>} <span class="muted">{describeProvenance(c.provenance, config)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h4>JVM parameters</h4>
      <pre class="code" data-testid="jvm-params">{spec.jvmParams}</pre>
      <h4>Dynamic configs passed to the process</h4>
      <pre class="code" data-testid="dynamic-configs">{spec.dynamicConfigs}</pre>
      {spec.process === 'taskmanager' && (
        <p data-testid="slots">
          Slots: <span data-testid="num-slots">{spec.numSlots}</span> · CPU cores: <span data-testid="cpu-cores">{javaDoubleToString(spec.cpuCores)}</span>
          {spec.externalResources.length > 0 && ` · External resources: ${spec.externalResources.map((r) => `${r.name}=${r.amount}`).join(', ')}`}
        </p>
      )}
      <Notes notes={spec.notes} />
    </div>
  );
}
