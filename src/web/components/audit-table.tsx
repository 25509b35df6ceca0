import type { AuditEntry } from '../api-types.js';
import { formatTime } from '../formatters.js';
import { JsonBlock } from './json-block.js';

function versionOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || !('version' in value)) return undefined;
  const { version } = value as { version: unknown };
  return typeof version === 'number' ? version : undefined;
}

/** Audit entries, newest first: when, who, what, why, and the before and after states on demand. */
export function AuditTable({ entries, showTarget }: { entries: readonly AuditEntry[]; showTarget: boolean }) {
  return (
    <table class="stack audit-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          {showTarget && <th scope="col">Target</th>}
          <th scope="col">Reason</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const before = versionOf(entry.before);
          const after = versionOf(entry.after);
          return (
            <tr key={entry.id} data-action={entry.action}>
              <td data-label="When">{formatTime(entry.at)}</td>
              <td data-label="Actor">{entry.actor}</td>
              <td data-label="Action">
                <code>{entry.action}</code>
              </td>
              {showTarget && <td data-label="Target">{entry.target}</td>}
              <td data-label="Reason">{entry.reason ?? '—'}</td>
              <td data-label="Change">
                <details>
                  <summary>
                    {before === undefined && after === undefined
                      ? 'before and after'
                      : before === undefined || after === undefined
                        ? `version ${before ?? after}`
                        : `version ${before} → ${after}`}
                  </summary>
                  <div class="before-after">
                    <div>
                      <h3>Before</h3>
                      <JsonBlock value={entry.before} />
                    </div>
                    <div>
                      <h3>After</h3>
                      <JsonBlock value={entry.after} />
                    </div>
                  </div>
                </details>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
