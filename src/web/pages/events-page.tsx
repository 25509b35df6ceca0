import { useId, useState } from 'preact/hooks';
import type { QueryValues } from '../api-client.js';
import type { EventPage, TelemetryEvent } from '../api-types.js';
import { ErrorNotice } from '../components/error-notice.js';
import { LoadMore } from '../components/load-more.js';
import { formatMs, formatTime, formatUsd } from '../formatters.js';
import { epochFromLocalInput } from '../local-time-input.js';
import { saveBlob } from '../save-blob.js';
import { useSession } from '../session-context.js';
import { usePagedList } from '../use-paged-list.js';

const EMPTY = { type: '', feature: '', variant: '', requestId: '', from: '', to: '' };
type Filters = typeof EMPTY;

function eventDetails(event: TelemetryEvent): string {
  switch (event.type) {
    case 'decision':
      return `${event.reason}${event.ruleId ? ` by ${event.ruleId}` : ''}${event.unitId ? `, unit ${event.unitId}` : ''}`;
    case 'call':
      return [
        `${event.scope} ${event.outcome}`,
        event.errorClass,
        event.fallback ? `fallback to ${event.servedVariant ?? '—'}` : undefined,
        event.cached ? 'cached' : undefined,
        formatMs(event.latencyMs),
        event.costUsd > 0 ? formatUsd(event.costUsd) : undefined,
      ]
        .filter((part) => part !== undefined && part !== null)
        .join(', ');
    default:
      return [
        event.accepted === null ? undefined : event.accepted ? 'accepted' : 'rejected',
        event.selectedVariant ? `selected ${event.selectedVariant}` : undefined,
        event.rating === null ? undefined : `rating ${event.rating}`,
        event.metric ? `${event.metric} = ${event.value}` : undefined,
      ]
        .filter((part) => part !== undefined)
        .join(', ');
  }
}

function query(filters: Filters): QueryValues {
  return {
    type: filters.type,
    feature: filters.feature.trim(),
    variant: filters.variant.trim(),
    requestId: filters.requestId.trim(),
    from: epochFromLocalInput(filters.from),
    to: epochFromLocalInput(filters.to),
  };
}

/** Telemetry events, oldest first, filtered and paged, with CSV and JSON exports of the same filter. */
export function EventsPage() {
  const { api } = useSession();
  const id = useId();
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const [exporting, setExporting] = useState<string | undefined>();
  const [exportError, setExportError] = useState<unknown>();
  const events = usePagedList(
    async (cursor, signal) => {
      const page = await api.get<EventPage>('/api/events', { ...query(filters), limit: 100, cursor }, signal);
      return { items: page.events, nextCursor: page.nextCursor };
    },
    [api, filters],
  );

  const download = async (format: 'csv' | 'json') => {
    setExporting(format);
    setExportError(undefined);
    try {
      const file = await api.download('/api/export', { ...query(filters), format });
      saveBlob(file.blob, file.fileName);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(undefined);
    }
  };

  const text = (name: Exclude<keyof Filters, 'type'>, label: string, type = 'text') => (
    <div class="field">
      <label for={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={type}
        value={draft[name]}
        onInput={(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
      />
    </div>
  );
  return (
    <>
      <h1>Events</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <div class="field">
          <label for={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={draft.type}
            onChange={(event) => setDraft({ ...draft, type: event.currentTarget.value })}
          >
            <option value="">any</option>
            <option value="decision">decision</option>
            <option value="call">call</option>
            <option value="feedback">feedback</option>
          </select>
        </div>
        {text('feature', 'Feature')}
        {text('variant', 'Variant')}
        {text('requestId', 'Request id')}
        {text('from', 'From', 'datetime-local')}
        {text('to', 'To (exclusive)', 'datetime-local')}
        <div class="form-buttons">
          <button type="submit">Apply filters</button>
        </div>
      </form>
      <div class="toolbar">
        <span>Export the filtered events:</span>
        <button type="button" onClick={() => void download('csv')} disabled={exporting !== undefined}>
          {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
        </button>
        <button type="button" onClick={() => void download('json')} disabled={exporting !== undefined}>
          {exporting === 'json' ? 'Exporting…' : 'Export JSON'}
        </button>
      </div>
      <ErrorNotice error={exportError} prefix="Export failed" />
      <ErrorNotice error={events.error} />
      {!events.loading && events.items.length === 0 && !events.error && <p>No events match.</p>}
      {events.items.length > 0 && (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Type</th>
              <th scope="col">Feature</th>
              <th scope="col">Variant</th>
              <th scope="col">Details</th>
              <th scope="col">Request</th>
            </tr>
          </thead>
          <tbody>
            {events.items.map((event) => (
              <tr key={event.id} data-event-type={event.type}>
                <td data-label="When">{formatTime(event.at)}</td>
                <td data-label="Type">{event.type}</td>
                <td data-label="Feature">{event.feature}</td>
                <td data-label="Variant">{event.variant ?? '—'}</td>
                <td data-label="Details">{eventDetails(event)}</td>
                <td data-label="Request">
                  <code>{event.requestId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore hasMore={events.hasMore} loading={events.loading} onLoadMore={events.loadMore} />
    </>
  );
}
