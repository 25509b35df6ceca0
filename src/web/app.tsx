import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiRequestError, createApiClient } from './api-client.js';
import type { Identity } from './api-types.js';
import { Link } from './components/link.js';
import { AlertsPage } from './pages/alerts-page.js';
import { AuditPage } from './pages/audit-page.js';
import { EventsPage } from './pages/events-page.js';
import { ExperimentPage } from './pages/experiment-page.js';
import { ExperimentsPage } from './pages/experiments-page.js';
import { FeatureMetricsPage } from './pages/feature-metrics-page.js';
import { FeaturePage } from './pages/feature-page.js';
import { FeaturesPage } from './pages/features-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { matchRoute, type Route } from './route-match.js';
import { type Session, SessionContext } from './session-context.js';
import { createTokenStorage } from './token-storage.js';
import { useLocation } from './use-location.js';

const NAVIGATION: ReadonlyArray<{ href: string; label: string; pages: ReadonlyArray<Route['page']> }> = [
  { href: '/features', label: 'Features', pages: ['features', 'feature', 'feature-metrics'] },
  { href: '/experiments', label: 'Experiments', pages: ['experiments', 'experiment'] },
  { href: '/alerts', label: 'Alerts', pages: ['alerts'] },
  { href: '/audit', label: 'Audit log', pages: ['audit'] },
  { href: '/events', label: 'Events', pages: ['events'] },
];

/** Asks the server who a token is; rejects with a sentence for the sign-in form. */
async function identify(token: string): Promise<Identity> {
  try {
    return await createApiClient(token, () => undefined).get<Identity>('/api/whoami');
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) {
      throw new Error('The server does not know this token, or it was revoked.');
    }
    if (error instanceof ApiRequestError && error.status === 403) {
      throw new Error(`This token cannot use the dashboard: ${error.message}.`);
    }
    throw error;
  }
}

function pageOf(route: Route) {
  switch (route.page) {
    case 'features':
      return <FeaturesPage />;
    case 'feature':
      return <FeaturePage featureKey={route.key} />;
    case 'feature-metrics':
      return <FeatureMetricsPage featureKey={route.key} />;
    case 'experiments':
      return <ExperimentsPage />;
    case 'experiment':
      return <ExperimentPage experimentKey={route.key} />;
    case 'alerts':
      return <AlertsPage />;
    case 'audit':
      return <AuditPage />;
    case 'events':
      return <EventsPage />;
    default:
      return (
        <>
          <h1>Page not found</h1>
          <p>
            Nothing lives at this address. <Link href="/features">See the features</Link>.
          </p>
        </>
      );
  }
}

/**
 * The dashboard: the sign-in form until a token is accepted, then the page the address names, with the
 * controls the token's role may use. The token stays in `storage` (the tab's sessionStorage).
 */
export function App({ storage }: { storage: Storage }) {
  const tokens = useMemo(() => createTokenStorage(storage), [storage]);
  const location = useLocation();
  const [signedIn, setSignedIn] = useState<{ token: string; identity: Identity } | undefined>();
  const [checking, setChecking] = useState(() => tokens.read() !== undefined);
  const [notice, setNotice] = useState<string | undefined>();
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.pathname);

  const signOut = useCallback(
    (message?: string) => {
      tokens.clear();
      setSignedIn(undefined);
      setNotice(message);
    },
    [tokens],
  );

  useEffect(() => {
    const stored = tokens.read();
    if (stored === undefined) return;
    identify(stored)
      .then((identity) => setSignedIn({ token: stored, identity }))
      .catch((error: unknown) => {
        tokens.clear();
        setNotice(`Sign in again: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => setChecking(false));
  }, [tokens]);

  const session = useMemo((): Session | undefined => {
    if (signedIn === undefined) return undefined;
    const { role } = signedIn.identity;
    return {
      api: createApiClient(signedIn.token, () =>
        signOut('The server no longer accepts this token (revoked or unknown); sign in again.'),
      ),
      identity: signedIn.identity,
      canEdit: role === 'admin' || role === 'editor',
      navigate: location.navigate,
    };
  }, [signedIn, signOut, location.navigate]);

  const route = matchRoute(location.pathname);
  const item = NAVIGATION.find((entry) => entry.pages.includes(route.page));
  useEffect(() => {
    document.title = item ? `${item.label} · Switchyard` : 'Switchyard';
    // After moving to another page, start reading (and tabbing) from its content.
    if (location.pathname !== firstPath.current) mainRef.current?.focus();
  }, [location.pathname, item]);

  if (checking) return <p class="loading">Loading…</p>;
  if (session === undefined) {
    return (
      <SignInPage
        notice={notice}
        onSignIn={async (token) => {
          const identity = await identify(token);
          tokens.save(token);
          setNotice(undefined);
          setSignedIn({ token, identity });
        }}
      />
    );
  }
  const { identity } = session;
  return (
    <SessionContext.Provider value={session}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <Link href="/" class="brand">
          Switchyard
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION.map((entry) => (
              <li key={entry.href}>
                <Link href={entry.href} current={entry === item}>
                  {entry.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {identity.name} <span class={`role role-${identity.role}`}>{identity.role}</span>
          </span>
          <button type="button" onClick={() => signOut('Signed out.')}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {pageOf(route)}
      </main>
    </SessionContext.Provider>
  );
}
