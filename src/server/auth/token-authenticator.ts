import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ChangeMeta, Store, StoredToken } from '../../store/store.js';
import { generateApiToken, parseApiToken } from './api-token.js';
import { type Principal, ROLES, type Role } from './permissions.js';
import { hashTokenSecret, verifyTokenSecret } from './token-hash.js';

/** Options for `createTokenAuthenticator`. */
export interface TokenAuthenticatorOptions {
  readonly store: Store;
  /** Epoch-ms clock for cache expiry and last-use times. */
  readonly clock: () => number;
  /**
   * How long a verification result is reused in this process; default 10 s. A token revoked through another
   * server keeps working here for at most this long; one revoked through this server stops at once.
   */
  readonly cacheTtlMs?: number;
  /** Most cached results; default 10,000. */
  readonly cacheSize?: number;
  /** Told of background failures (recording a token's last use). */
  readonly onError?: (error: unknown) => void;
}

/** A token just issued: its listing plus the full token, which is shown this once and never stored. */
export interface IssuedToken extends StoredToken {
  readonly token: string;
}

/** Verifies bearer tokens (scrypt, cached briefly) and issues and revokes them. */
export interface TokenAuthenticator {
  /** The principal a token belongs to, or undefined when it is malformed, unknown, revoked or wrong. */
  authenticate(token: string): Promise<Principal | undefined>;
  /** Creates a token for a role (audited as `token.create`), with a generated id and secret unless given. */
  issue(
    request: { name: string; role: Role; token?: { id: string; secret: string } },
    change: ChangeMeta,
  ): Promise<IssuedToken>;
  /** Revokes a token (audited as `token.revoke`) and drops it from this process's cache at once. */
  revoke(id: string, change: ChangeMeta): Promise<StoredToken | undefined>;
}

interface CacheEntry {
  readonly principal: Principal | undefined;
  readonly expiresAt: number;
}

/**
 * Creates the authenticator: tokens are looked up by id, then the secret is checked against its scrypt
 * hash in constant time. Results (failures too, so a misconfigured client cannot make every request pay for
 * scrypt) are cached for `cacheTtlMs` under a SHA-256 of the token, and concurrent checks of one token share
 * one scrypt run.
 */
export function createTokenAuthenticator(options: TokenAuthenticatorOptions): TokenAuthenticator {
  const { store, clock } = options;
  const ttl = options.cacheTtlMs ?? 10_000;
  const onError = options.onError ?? (() => {});
  const cache = new LRUCache<string, CacheEntry>({ max: options.cacheSize ?? 10_000 });
  const pending = new Map<string, Promise<Principal | undefined>>();
  // Bumped on every issue and revoke, so a check that started before one cannot cache a stale answer.
  let generation = 0;

  const verify = async (token: string): Promise<Principal | undefined> => {
    const parts = parseApiToken(token);
    if (parts === undefined) return undefined;
    const record = await store.findToken(parts.id);
    if (record === undefined || record.revokedAt !== null || !isRole(record.role)) return undefined;
    if (!(await verifyTokenSecret(parts.secret, record))) return undefined;
    store.markTokenUsed(record.id, clock()).catch(onError);
    return { tokenId: record.id, name: record.name, role: record.role };
  };

  return {
    authenticate(token) {
      const key = hash('sha256', token, 'base64url');
      const cached = cache.get(key);
      if (cached !== undefined && cached.expiresAt > clock()) return Promise.resolve(cached.principal);
      let check = pending.get(key);
      if (check === undefined) {
        const startedAt = generation;
        check = verify(token)
          .then((principal) => {
            if (startedAt === generation) cache.set(key, { principal, expiresAt: clock() + ttl });
            return principal;
          })
          .finally(() => pending.delete(key));
        pending.set(key, check);
      }
      return check;
    },

    async issue(request, change) {
      const generated = request.token ?? generateApiToken();
      const { hash, salt } = await hashTokenSecret(generated.secret);
      const stored = await store.createToken(
        { id: generated.id, name: request.name, role: request.role, hash, salt },
        change,
      );
      // A failure cached for this token before it existed must not outlive its creation.
      generation += 1;
      cache.clear();
      return { ...stored, token: `sy_${generated.id}_${generated.secret}` };
    },

    async revoke(id, change) {
      const revoked = await store.revokeToken(id, change);
      generation += 1;
      cache.clear();
      // Requests arriving from now on must not join a check that started before the revocation.
      pending.clear();
      return revoked;
    },
  };
}

function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role);
}
