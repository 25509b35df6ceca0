import { useCallback, useEffect, useState } from 'preact/hooks';

/** The page's path and query, and a way to go elsewhere without reloading. */
export interface LocationState {
  readonly pathname: string;
  readonly search: string;
  navigate(to: string): void;
}

/**
 * Follows the browser's location: `navigate` pushes a history entry and re-renders, the back and forward
 * buttons work as usual.
 */
export function useLocation(): LocationState {
  const read = () => ({ pathname: window.location.pathname, search: window.location.search });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  const navigate = useCallback((to: string) => {
    if (to === `${window.location.pathname}${window.location.search}`) return;
    window.history.pushState(null, '', to);
    setLocation(read());
  }, []);
  return { ...location, navigate };
}
