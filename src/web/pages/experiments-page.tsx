import { useId, useState } from 'preact/hooks';
import type { ExperimentStatus, StoredExperiment } from '../api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Link } from '../components/link.js';
import { formatTime } from '../formatters.js';
import { pathOf } from '../route-match.js';
import { useSession } from '../session-context.js';
import { useResource } from '../use-resource.js';

const STATUSES: readonly ExperimentStatus[] = ['draft', 'running', 'paused', 'stopped', 'promoted'];

/** The experiments, filtered by status: feature, arms, metric, allocation and lifecycle times. */
export function ExperimentsPage() {
  const { api } = useSession();
  const id = useId();
  const [status, setStatus] = useState<ExperimentStatus | ''>('');
  const experiments = useResource(
    (signal) => api.get<StoredExperiment[]>('/api/experiments', { status }, signal),
    [api, status],
    10_000,
  );
  const list = experiments.data ?? [];
  return (
    <>
      <h1>Experiments</h1>
      <div class="toolbar">
        <div class="field field-inline">
          <label for={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as ExperimentStatus | '')}
          >
            <option value="">any</option>
            {STATUSES.map((entry) => (
              <option key={entry} value={entry}>
                {entry}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={experiments.error} />
      {experiments.data !== undefined && list.length === 0 && <p>No experiments.</p>}
      {list.length > 0 && (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">Experiment</th>
              <th scope="col">Feature</th>
              <th scope="col">Status</th>
              <th scope="col">Arms</th>
              <th scope="col">Primary metric</th>
              <th scope="col">Allocation</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {list.map((experiment) => (
              <tr key={experiment.key}>
                <th scope="row" data-label="Experiment">
                  <Link href={pathOf('experiment', experiment.key)}>{experiment.key}</Link>
                </th>
                <td data-label="Feature">
                  <Link href={pathOf('feature', experiment.feature)}>{experiment.feature}</Link>
                </td>
                <td data-label="Status">
                  <span class={`badge badge-${experiment.status}`}>{experiment.status}</span>
                </td>
                <td data-label="Arms">{(experiment.config.arms ?? []).join(', ') || '—'}</td>
                <td data-label="Primary metric">{experiment.config.primaryMetric}</td>
                <td data-label="Allocation">{experiment.config.allocation.type}</td>
                <td data-label="Started">{formatTime(experiment.startedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
