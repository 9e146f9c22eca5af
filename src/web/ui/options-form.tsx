/** One configuration's options: every memory option of the chosen process and Flink line, plus free-form others. */
import { useEffect, useState } from 'preact/hooks';
import type { LintProblem } from '../../lint/problems.js';
import type { FlatConfig } from '../../memory/configuration.js';
import { catalogKeys, parseOtherOptions, renderOtherOptions, type OptionField, type OptionGroup } from '../options-catalog.js';

export interface OptionsFormProps {
  /** Prefix for element ids, so two forms (comparison) can be on one page. */
  readonly idPrefix: string;
  readonly groups: readonly OptionGroup[];
  readonly config: FlatConfig;
  readonly onChange: (config: FlatConfig) => void;
  /** Keys Flink's rejection names, and its message to show beside them. */
  readonly errorKeys: ReadonlySet<string>;
  readonly errorMessage: string | undefined;
  /** `lint` problems by the key they concern ('' for none). */
  readonly lint?: ReadonlyMap<string, readonly LintProblem[]>;
}

/** One lint problem as a note beside its option. */
function LintNotes(props: { readonly problems: readonly LintProblem[] | undefined; readonly id?: string }) {
  if (props.problems === undefined || props.problems.length === 0) return null;
  return (
    <ul class="lint" id={props.id}>
      {props.problems.map((p) => (
        <li key={`${p.code}-${p.message}`} class={`lint-${p.severity}`} data-code={p.code} data-key={p.key ?? ''}>
          <strong>{p.severity}</strong> ({p.code}): {p.message}
          {p.suggestion !== null && p.suggestion !== p.key && (
            <>
              {' '}
              Suggestion: <code>{p.suggestion}</code>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function OptionsForm(props: OptionsFormProps) {
  const catalog = catalogKeys(props.groups);
  const [otherText, setOtherText] = useState(() => renderOtherOptions(props.config, catalog));
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  // When the configuration is replaced from outside (a link, a plan, the process switch), show its other keys.
  const canonicalOther = renderOtherOptions(props.config, catalog);
  useEffect(() => {
    if (parseOtherOptions(otherText).errors.length === 0 && renderOtherOptions(parseOtherOptions(otherText).config, catalog) !== canonicalOther) {
      setOtherText(canonicalOther);
    }
  }, [canonicalOther]);

  const set = (key: string, value: string): void => {
    const next: Record<string, string> = { ...props.config };
    if (value === '') delete next[key];
    else next[key] = value;
    props.onChange(next);
  };
  const setOther = (text: string): void => {
    setOtherText(text);
    const parsed = parseOtherOptions(text);
    setOtherErrors(parsed.errors);
    const next: Record<string, string> = {};
    for (const [key, value] of Object.entries(props.config)) if (catalog.has(key)) next[key] = value;
    for (const [key, value] of Object.entries(parsed.config)) if (!catalog.has(key)) next[key] = value;
    props.onChange(next);
  };
  // The full message once, at the first option involved; the others point to it.
  const firstInvolved = props.groups.flatMap((g) => g.fields).find((f) => involved(f, props))?.key;
  const errorFor = (f: OptionField): string | undefined =>
    !involved(f, props) ? undefined : f.key === firstInvolved ? props.errorMessage : 'Involved in the rejection above: this option (or one of the others marked) must change.';
  const otherKeys = Object.keys(props.config).filter((k) => !catalog.has(k));
  const otherError = otherKeys.some((k) => props.errorKeys.has(k));
  return (
    <div class="options">
      {props.groups.map((group) => (
        <fieldset key={group.title}>
          <legend>{group.title}</legend>
          {group.fields.map((f) => (
            <Field key={f.key} field={f} idPrefix={props.idPrefix} value={props.config[f.key] ?? ''} onInput={(v) => set(f.key, v)} error={errorFor(f)} lint={props.lint?.get(f.key)} />
          ))}
        </fieldset>
      ))}
      <fieldset>
        <legend>Other options</legend>
        <label for={`${props.idPrefix}other`}>One <code>key: value</code> per line (deprecated keys, state backend, anything else)</label>
        <textarea
          id={`${props.idPrefix}other`}
          name="other-options"
          rows={3}
          spellcheck={false}
          value={otherText}
          aria-invalid={otherErrors.length > 0 || otherError}
          onInput={(e) => setOther((e.currentTarget as HTMLTextAreaElement).value)}
        />
        {otherErrors.map((e) => (
          <p class="field-error" key={e}>{e}</p>
        ))}
        {otherError && props.errorMessage !== undefined && <p class="field-error" role="alert">{props.errorMessage}</p>}
        <LintNotes id={`${props.idPrefix}other-lint`} problems={[...otherKeys, ''].flatMap((k) => props.lint?.get(k) ?? [])} />
      </fieldset>
    </div>
  );
}

function involved(f: OptionField, props: OptionsFormProps): boolean {
  if (props.errorMessage === undefined) return false;
  return props.errorKeys.has(f.key) || f.fallbackKeys.some((k) => props.errorKeys.has(k) && Object.hasOwn(props.config, k));
}

function Field(props: {
  readonly field: OptionField;
  readonly idPrefix: string;
  readonly value: string;
  readonly onInput: (v: string) => void;
  readonly error: string | undefined;
  readonly lint: readonly LintProblem[] | undefined;
}) {
  const f = props.field;
  const id = `${props.idPrefix}${f.key}`;
  const hint = `${id}-hint`;
  const err = `${id}-error`;
  const described = props.error !== undefined ? `${hint} ${err}` : hint;
  return (
    <div class={`field${props.error !== undefined ? ' invalid' : ''}${props.value !== '' ? ' set' : ''}`} data-key={f.key}>
      <label for={id}>
        <code>{f.key}</code>
      </label>
      {f.type === 'boolean' ? (
        <select id={id} name={f.key} value={props.value} aria-describedby={described} aria-invalid={props.error !== undefined} onChange={(e) => props.onInput((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">default ({f.defaultText})</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input
          id={id}
          name={f.key}
          type="text"
          inputMode={f.type === 'memory' || f.type === 'list' ? 'text' : 'decimal'}
          autocomplete="off"
          spellcheck={false}
          value={props.value}
          placeholder={f.defaultText}
          aria-describedby={described}
          aria-invalid={props.error !== undefined}
          onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        />
      )}
      <small id={hint} class="hint">
        {f.description}
        {f.fallbackKeys.length > 0 && ` Also read from: ${f.fallbackKeys.join(', ')}.`}
      </small>
      {props.error !== undefined && (
        <p id={err} class="field-error" role="alert">
          {props.error}
        </p>
      )}
      <LintNotes problems={props.lint} />
    </div>
  );
}
