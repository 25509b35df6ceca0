import type { ChangeMeta, Store, StoredToken } from '../../store/store.js';
import type { TokenAuthenticator } from './token-authenticator.js';

/** What `revokeApiToken` did. */
export type TokenRevocation =
  | { readonly result: 'revoked'; readonly token: StoredToken }
  | { readonly result: 'not-found' }
  /** Refused: the token is the last live admin token, so nobody could manage tokens afterwards. */
  | { readonly result: 'last-admin'; readonly name: string };

/**
 * Revokes a token unless it is the last live admin token (the API answers that with 409, the CLI with exit
 * 2): create another admin token first. Revoking a revoked token answers the token as it is.
 */
export async function revokeApiToken(
  store: Store,
  auth: TokenAuthenticator,
  id: string,
  change: ChangeMeta,
): Promise<TokenRevocation> {
  const target = await store.findToken(id);
  if (target === undefined) return { result: 'not-found' };
  if (target.role === 'admin' && target.revokedAt === null) {
    const admins = (await store.listTokens()).filter((token) => token.role === 'admin');
    if (admins.length <= 1) return { result: 'last-admin', name: target.name };
  }
  const revoked = await auth.revoke(id, change);
  return revoked === undefined ? { result: 'not-found' } : { result: 'revoked', token: revoked };
}
