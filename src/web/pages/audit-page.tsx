import { useId, useState } from 'preact/hooks';
import type { AuditPage as AuditPageData } from '../api-types.js';
import { AuditTable } from '../components/audit-table.js';
import { ErrorNotice } from '../components/error-notice.js';
import { LoadMore } from '../components/load-more.js';
import { epochFromLocalInput } from '../local-time-input.js';
import { useSession } from '../session-context.js';
import { usePagedList } from '../use-paged-list.js';

const EMPTY = { target: '', actor: '', action: '', from: '', to: '' };

/** The audit log, newest first, filtered as the API allows: target, actor, action and a time window. */
export function AuditPage() {
  const { api } = useSession();
  const id = useId();
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const audit = usePagedList(
    async (cursor, signal) => {
      const page = await api.get<AuditPageData>(
        '/api/audit',
        {
          target: filters.target.trim(),
          actor: filters.actor.trim(),
          action: filters.action.trim(),
          from: epochFromLocalInput(filters.from),
          to: epochFromLocalInput(filters.to),
          limit: 50,
          cursor,
        },
        signal,
      );
      return { items: page.entries, nextCursor: page.nextCursor };
    },
    [api, filters],
  );
  const input = (name: keyof typeof EMPTY, label: string, type: string, placeholder?: string) => (
    <div class="field">
      <label for={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={type}
        placeholder={placeholder}
        value={draft[name]}
        onInput={(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
      />
    </div>
  );
  return (
    <>
      <h1>Audit log</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        {input('target', 'Target', 'text', 'feature:coach-reply')}
        {input('actor', 'Actor', 'text', 'token:ci')}
        {input('action', 'Action', 'text', 'feature.kill')}
        {input('from', 'From', 'datetime-local')}
        {input('to', 'To (exclusive)', 'datetime-local')}
        <div class="form-buttons">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNotice error={audit.error} />
      {!audit.loading && audit.items.length === 0 && !audit.error && <p>No entries match.</p>}
      {audit.items.length > 0 && <AuditTable entries={audit.items} showTarget />}
      <LoadMore hasMore={audit.hasMore} loading={audit.loading} onLoadMore={audit.loadMore} />
    </>
  );
}
