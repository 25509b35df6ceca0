/** A page of the dashboard, as its path names it. */
export type Route =
  | { page: 'features' }
  | { page: 'feature'; key: string }
  | { page: 'feature-metrics'; key: string }
  | { page: 'experiments' }
  | { page: 'experiment'; key: string }
  | { page: 'alerts' }
  | { page: 'audit' }
  | { page: 'events' }
  | { page: 'not-found' };

/**
 * The page a path shows: `/` and `/features` list features, `/features/<key>` and
 * `/features/<key>/metrics` show one, and so on; anything else is `not-found`.
 *
 * @example
 * matchRoute('/features/coach-reply/metrics'); // { page: 'feature-metrics', key: 'coach-reply' }
 */
export function matchRoute(pathname: string): Route {
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  const [first, key, rest, ...more] = segments;
  if (more.length > 0) return { page: 'not-found' };
  if (first === undefined) return { page: 'features' };
  if (key === undefined) {
    if (first === 'features' || first === 'experiments' || first === 'alerts' || first === 'audit') {
      return { page: first };
    }
    return first === 'events' ? { page: 'events' } : { page: 'not-found' };
  }
  if (first === 'features' && rest === undefined) return { page: 'feature', key };
  if (first === 'features' && rest === 'metrics') return { page: 'feature-metrics', key };
  if (first === 'experiments' && rest === undefined) return { page: 'experiment', key };
  return { page: 'not-found' };
}

/** The path of a feature, experiment or metrics page, with the key escaped. */
export function pathOf(page: 'feature' | 'feature-metrics' | 'experiment', key: string): string {
  const escaped = encodeURIComponent(key);
  if (page === 'experiment') return `/experiments/${escaped}`;
  return page === 'feature' ? `/features/${escaped}` : `/features/${escaped}/metrics`;
}
