/** The memory model as nested boxes and as a stacked bar; every part is focusable and hoverable. */
import type { Box, Segment } from '../model.js';
import { human, shareText } from '../model.js';

export interface SelectProps {
  readonly onSelect: (id: string) => void;
  readonly selected: string | undefined;
}

/** Boxes alternate rows and columns by depth (slice and dice), so nesting stays readable. */
export function NestedBoxes(props: { readonly root: Box; readonly idPrefix?: string } & SelectProps) {
  return (
    <div class="boxes" role="group" aria-label="Memory model as nested boxes">
      <BoxView box={props.root} depth={0} total={props.root.bytes} parent={props.root.bytes} {...props} />
    </div>
  );
}

function BoxView(props: { readonly box: Box; readonly depth: number; readonly total: bigint; readonly parent: bigint } & SelectProps) {
  const { box, total } = props;
  const share = shareText(box.bytes, total);
  // Relative weight inside the parent: flex-grow takes any positive number.
  const weight = props.parent === 0n ? 0 : Number((box.bytes * 1_000_000n) / props.parent) / 1_000_000;
  const select = (): void => props.onSelect(box.id);
  return (
    <div
      class={`box c-${box.id}${props.selected === box.id ? ' selected' : ''}${box.bytes === 0n ? ' empty' : ''}`}
      style={{ flexGrow: weight, flexBasis: 0 }}
      data-component={box.id}
      data-bytes={box.bytes.toString()}
      tabIndex={0}
      aria-label={`${box.label}: ${human(box.bytes)}, ${share} of the process. ${box.provenance}`}
      title={`${box.label}: ${human(box.bytes)} (${box.bytes} bytes), ${share}\n${box.option !== undefined ? `option: ${box.option}\n` : ''}${box.provenance}`}
      onMouseEnter={(e) => {
        e.stopPropagation();
        select();
      }}
      onFocus={(e) => {
        e.stopPropagation();
        select();
      }}
    >
      <div class="box-head">
        <span class="box-label">{box.label}</span> <span class="box-size">{human(box.bytes)}</span> <span class="box-share">{share}</span>
      </div>
      {box.children.length > 0 && (
        <div class={`box-children ${props.depth % 2 === 0 ? 'row' : 'column'}`}>
          {box.children.map((child) => (
            <BoxView key={child.id} box={child} depth={props.depth + 1} total={total} parent={box.bytes} onSelect={props.onSelect} selected={props.selected} />
          ))}
        </div>
      )}
    </div>
  );
}

export function StackedBar(props: { readonly segments: readonly Segment[]; readonly label: string } & SelectProps) {
  const total = props.segments.reduce((sum, s) => sum + s.bytes, 0n);
  return (
    <div class="stacked">
      <div class="bar" role="list" aria-label={props.label}>
        {props.segments.map((s) => (
          <div
            key={s.id}
            role="listitem"
            class={`seg c-${s.id}${props.selected === s.id ? ' selected' : ''}`}
            style={{ flexGrow: total === 0n ? 0 : Number((s.bytes * 1_000_000n) / total) / 1_000_000 }}
            data-segment={s.id}
            data-bytes={s.bytes.toString()}
            tabIndex={0}
            aria-label={`${s.label}: ${human(s.bytes)}, ${s.share}`}
            title={`${s.label}: ${human(s.bytes)} (${s.bytes} bytes), ${s.share}`}
            onMouseEnter={() => props.onSelect(s.id)}
            onFocus={() => props.onSelect(s.id)}
          />
        ))}
      </div>
      <ul class="legend">
        {props.segments.map((s) => (
          <li key={s.id} data-legend={s.id} data-bytes={s.bytes.toString()}>
            <span class={`swatch c-${s.id}`} aria-hidden="true" />
            {s.label} <span class="num">{human(s.bytes)}</span> <span class="muted">{s.share}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
