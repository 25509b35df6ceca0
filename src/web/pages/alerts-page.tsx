import { useId, useState } from 'preact/hooks';
import type { AlertPage, StoredAlert } from '../api-types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorNotice } from '../components/error-notice.js';
import { EvidenceView } from '../components/evidence-view.js';
import { Link } from '../components/link.js';
import { LoadMore } from '../components/load-more.js';
import { formatTime } from '../formatters.js';
import { pathOf } from '../route-match.js';
import { useSession } from '../session-context.js';
import { usePagedList } from '../use-paged-list.js';

type Status = 'open' | 'resolved';

function AlertCard({ alert, onResolve }: { alert: StoredAlert; onResolve: (() => void) | undefined }) {
  return (
    <li class={`card alert alert-${alert.severity}`} data-alert={alert.id}>
      <h2>
        <span class={`badge badge-${alert.severity}`}>{alert.severity}</span> {alert.metric} on{' '}
        <Link href={pathOf('feature', alert.feature)}>{alert.feature}</Link>
        {alert.variant && ` / ${alert.variant}`}
      </h2>
      <dl class="facts">
        <div>
          <dt>Rule</dt>
          <dd>
            {alert.ruleId} (action {alert.action})
          </dd>
        </div>
        {alert.experiment && (
          <div>
            <dt>Experiment</dt>
            <dd>
              <Link href={pathOf('experiment', alert.experiment)}>{alert.experiment}</Link>
            </dd>
          </div>
        )}
        <div>
          <dt>Opened</dt>
          <dd>{formatTime(alert.openedAt)}</dd>
        </div>
        <div>
          <dt>{alert.status === 'open' ? 'Last fired' : 'Resolved'}</dt>
          <dd>{formatTime(alert.status === 'open' ? alert.updatedAt : alert.resolvedAt)}</dd>
        </div>
        <div>
          <dt>Occurrences</dt>
          <dd>{alert.occurrences}</dd>
        </div>
      </dl>
      <h3>Evidence</h3>
      <EvidenceView evidence={alert.evidence} />
      {onResolve && (
        <button type="button" onClick={onResolve}>
          Resolve
        </button>
      )}
    </li>
  );
}

/** Open and resolved alerts with their evidence; editors may resolve an open one. */
export function AlertsPage() {
  const { api, canEdit } = useSession();
  const id = useId();
  const [status, setStatus] = useState<Status>('open');
  const [filters, setFilters] = useState({ feature: '', experiment: '' });
  const [draft, setDraft] = useState(filters);
  const [resolving, setResolving] = useState<StoredAlert | undefined>();
  const alerts = usePagedList(
    async (cursor, signal) => {
      const page = await api.get<AlertPage>(
        '/api/alerts',
        { status, feature: filters.feature.trim(), experiment: filters.experiment.trim(), limit: 50, cursor },
        signal,
      );
      return { items: page.alerts, nextCursor: page.nextCursor };
    },
    [api, status, filters],
  );
  return (
    <>
      <h1>Alerts</h1>
      <fieldset class="tabs">
        <legend class="visually-hidden">Alert status</legend>
        {(['open', 'resolved'] as const).map((entry) => (
          <button key={entry} type="button" aria-pressed={status === entry} onClick={() => setStatus(entry)}>
            {entry === 'open' ? 'Open' : 'Resolved'}
          </button>
        ))}
      </fieldset>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <div class="field">
          <label for={`${id}-feature`}>Feature</label>
          <input
            id={`${id}-feature`}
            value={draft.feature}
            onInput={(event) => setDraft({ ...draft, feature: event.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for={`${id}-experiment`}>Experiment</label>
          <input
            id={`${id}-experiment`}
            value={draft.experiment}
            onInput={(event) => setDraft({ ...draft, experiment: event.currentTarget.value })}
          />
        </div>
        <button type="submit">Apply filters</button>
      </form>
      <ErrorNotice error={alerts.error} />
      {!alerts.loading && alerts.items.length === 0 && !alerts.error && <p>No {status} alerts.</p>}
      <ul class="cards">
        {alerts.items.map((alert) => (
          <AlertCard
            key={alert.id}
            alert={alert}
            onResolve={canEdit && alert.status === 'open' ? () => setResolving(alert) : undefined}
          />
        ))}
      </ul>
      <LoadMore hasMore={alerts.hasMore} loading={alerts.loading} onLoadMore={alerts.loadMore} />
      {resolving && (
        <ConfirmDialog
          key={resolving.id}
          title={`Resolve the ${resolving.metric} alert on ${resolving.feature}?`}
          confirmLabel="Resolve"
          reason="none"
          onClose={() => setResolving(undefined)}
          onConfirm={async () => {
            await api.send('POST', `/api/alerts/${encodeURIComponent(resolving.id)}/resolve`);
            alerts.reload();
          }}
        >
          <p>The alert moves to the resolved list; if its rule fires again, a new alert opens.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
