import { formatNumber, formatTime } from '../formatters.js';
import { JsonBlock } from './json-block.js';

/** Evidence fields that hold epoch milliseconds: the window or comparison start, and its end. */
const TIME_FIELDS = new Set(['from', 'to']);

/** An alert's evidence (values, samples, p-value or interval, threshold) as a list of named values. */
export function EvidenceView({ evidence }: { evidence: Readonly<Record<string, unknown>> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <p class="muted">No evidence recorded.</p>;
  return (
    <dl class="evidence">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            {typeof value === 'number' && TIME_FIELDS.has(name) ? (
              formatTime(value)
            ) : typeof value === 'number' ? (
              formatNumber(value, 6)
            ) : typeof value === 'string' || typeof value === 'boolean' || value === null ? (
              String(value)
            ) : Array.isArray(value) && value.every((item) => typeof item === 'number') ? (
              `[${value.map((item) => formatNumber(item, 6)).join(', ')}]`
            ) : (
              <JsonBlock value={value} />
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
