/** The configuration as config.yaml, flink-conf.yaml, -D flags or a FlinkDeployment patch: copy or download. */
import { useState } from 'preact/hooks';
import { EXPORT_FILE_NAMES, EXPORT_FORMATS, EXPORT_LABELS, type ExportFormat } from '../exports.js';

export function ExportsView(props: { readonly render: (format: ExportFormat) => string; readonly idPrefix: string }) {
  const [format, setFormat] = useState<ExportFormat>('config.yaml');
  const [copied, setCopied] = useState(false);
  const text = props.render(format);
  const download = (): void => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = EXPORT_FILE_NAMES[format];
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section class="exports" aria-labelledby={`${props.idPrefix}export-title`}>
      <h4 id={`${props.idPrefix}export-title`}>Export</h4>
      <div role="tablist" aria-label="Export format" class="tabs small">
        {EXPORT_FORMATS.map((f) => (
          <button
            key={f}
            type="button"
            role="tab"
            aria-selected={f === format}
            data-export={f}
            onClick={() => {
              setFormat(f);
              setCopied(false);
            }}
          >
            {EXPORT_LABELS[f]}
          </button>
        ))}
      </div>
      <pre class="code export" data-testid="export-text" tabIndex={0}>
        {text}
      </pre>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => setCopied(true));
        }}
      >
        Copy
      </button>{' '}
      <button type="button" onClick={download}>
        Download {EXPORT_FILE_NAMES[format]}
      </button>
      {copied && <span class="muted"> copied</span>}
    </section>
  );
}
