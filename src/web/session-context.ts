import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api-client.js';
import type { Identity } from './api-types.js';

/** The signed-in session every page reads: the API client, who is signed in, and navigation. */
export interface Session {
  readonly api: ApiClient;
  readonly identity: Identity;
  /** True for admin and editor tokens: they may change features, experiments and alerts. */
  readonly canEdit: boolean;
  navigate(to: string): void;
}

/** The session of the signed-in token; pages render only inside its provider. */
export const SessionContext = createContext<Session | undefined>(undefined);

/** The current session; throws outside a signed-in page, which is a programming error. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession needs a signed-in SessionContext');
  return session;
}
