import { AlreadyExistsError, InvalidConfigError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { parseApiToken } from './api-token.js';
import type { TokenAuthenticator } from './token-authenticator.js';

/** What `bootstrapAdminToken` did. */
export type AdminTokenBootstrap =
  | { readonly result: 'exists'; readonly ignoredGiven: boolean }
  | { readonly result: 'created-from-given' }
  | { readonly result: 'generated'; readonly token: string };

const CHANGE = { actor: 'server', reason: 'first admin token' } as const;

/**
 * Makes sure the store has a live admin token. When it has none: stores `given` (from
 * SWITCHYARD_ADMIN_TOKEN, which must read `sy_<id>_<secret>`) or, without one, generates a token and returns
 * it so it can be shown once. When the store has one already, nothing is created (`ignoredGiven` tells when
 * a given token was not used). Servers starting together on one store create at most one.
 */
export async function bootstrapAdminToken(
  store: Store,
  auth: TokenAuthenticator,
  given: string | undefined,
  field = 'adminToken',
): Promise<AdminTokenBootstrap> {
  const parts = given === undefined ? undefined : parseApiToken(given);
  if (given !== undefined && parts === undefined) {
    throw new InvalidConfigError('invalid admin token', [
      {
        path: field,
        message:
          'must read sy_<id>_<secret>: id 8-32 lowercase letters or digits, secret 32-128 of A-Z a-z 0-9 _ -',
      },
    ]);
  }
  const existing = await liveAdmins(store);
  if (existing.length > 0) {
    return { result: 'exists', ignoredGiven: parts !== undefined && !existing.includes(parts.id) };
  }
  const name = (await store.listTokens()).some((token) => token.name === 'admin')
    ? `admin-${parts?.id ?? 'first'}`
    : 'admin';
  try {
    const issued = await auth.issue({ name, role: 'admin', ...(parts ? { token: parts } : {}) }, CHANGE);
    return parts ? { result: 'created-from-given' } : { result: 'generated', token: issued.token };
  } catch (error) {
    // Another server starting at the same moment created it first.
    if (error instanceof AlreadyExistsError && (await liveAdmins(store)).length > 0) {
      const admins = await liveAdmins(store);
      return { result: 'exists', ignoredGiven: parts !== undefined && !admins.includes(parts.id) };
    }
    throw error;
  }
}

async function liveAdmins(store: Store): Promise<string[]> {
  return (await store.listTokens()).filter((token) => token.role === 'admin').map((token) => token.id);
}
