import type { AuditPage } from '../api-types.js';
import { AuditTable } from '../components/audit-table.js';
import { ErrorNotice } from '../components/error-notice.js';
import { LoadMore } from '../components/load-more.js';
import { useSession } from '../session-context.js';
import { usePagedList } from '../use-paged-list.js';

/** A feature's audit trail, newest first, read again whenever its version moves. */
export function FeatureHistory({ featureKey, version }: { featureKey: string; version: number }) {
  const { api } = useSession();
  const history = usePagedList(
    async (cursor, signal) => {
      const page = await api.get<AuditPage>(
        `/api/features/${encodeURIComponent(featureKey)}/history`,
        { limit: 20, cursor },
        signal,
      );
      return { items: page.entries, nextCursor: page.nextCursor };
    },
    [api, featureKey, version],
  );
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ErrorNotice error={history.error} />
      {history.items.length === 0 && !history.loading && <p>No changes recorded.</p>}
      {history.items.length > 0 && <AuditTable entries={history.items} showTarget={false} />}
      <LoadMore hasMore={history.hasMore} loading={history.loading} onLoadMore={history.loadMore} />
    </section>
  );
}
