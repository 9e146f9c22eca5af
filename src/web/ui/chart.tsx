/** A uPlot chart as a Preact component: created on mount, rebuilt when its data changes, sized to its box. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export function Chart(props: { readonly title: string; readonly options: Omit<uPlot.Options, 'width' | 'height' | 'title'>; readonly data: uPlot.AlignedData; readonly testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (el === null) return undefined;
    const width = Math.max(320, el.clientWidth || 640);
    const plot = new uPlot({ ...props.options, title: props.title, width, height: 260 }, props.data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.data, props.options, props.title]);
  return <figure class="chart" ref={host} data-testid={props.testId} aria-label={props.title} role="img" />;
}

/** Colours that read on light and dark backgrounds alike. */
export const SERIES_COLOURS = ['#3b82f6', '#ef4444', '#f59e0b', '#10b981', '#8b5cf6', '#ec4899', '#14b8a6', '#64748b'];
