/** The button under a paged list: reads the next page while there is one. */
export function LoadMore({
  hasMore,
  loading,
  onLoadMore,
}: {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  if (loading) return <p class="loading">Loading…</p>;
  if (!hasMore) return null;
  return (
    <button type="button" class="load-more" onClick={onLoadMore}>
      Load more
    </button>
  );
}
