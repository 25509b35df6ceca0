import { hash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ChangeMeta, Store, StoredToken, TokenRecord } from '../../store/store.js';
import { ApiError } from '../http/api-error.js';
import { generateApiToken, parseApiToken } from './api-token.js';
import { createFailureThrottle } from './failure-throttle.js';
import { type Principal, ROLES, type Role } from './permissions.js';
import { type HashedSecret, hashTokenSecret, verifyTokenSecret } from './token-hash.js';

/** Options for `createTokenAuthenticator`. */
export interface TokenAuthenticatorOptions {
  readonly store: Store;
  /** Epoch-ms clock for cache expiry, throttling and last-use times. */
  readonly clock: () => number;
  /**
   * How often a verified token is checked against the store again (a lookup, no scrypt), and how long a
   * failure is remembered; default 10 s. A token revoked through another server keeps working here for at
   * most this long once the store answers; one revoked through this server stops at once.
   */
  readonly cacheTtlMs?: number;
  /** Most cached results; default 10,000. */
  readonly cacheSize?: number;
  /**
   * Failed verifications a client address, or a token id, may have per `failureWindowMs` before its
   * further attempts get 429 without being checked; default 20.
   */
  readonly failureLimit?: number;
  /** Default 60 s. */
  readonly failureWindowMs?: number;
  /** Told of background failures (recording a token's last use, a store that did not answer a re-check). */
  readonly onError?: (error: unknown) => void;
}

/** A token just issued: its listing plus the full token, which is shown this once and never stored. */
export interface IssuedToken extends StoredToken {
  readonly token: string;
}

/** Verifies bearer tokens (scrypt once per token, then cached) and issues and revokes them. */
export interface TokenAuthenticator {
  /**
   * The principal a token belongs to, or undefined when it is malformed, unknown, revoked or wrong. Throws a
   * 429 ApiError (`AUTH_THROTTLED`, with Retry-After) while `client` or the token's id has failed too often.
   * Throws the store's error when a token not verified before cannot be looked up.
   */
  authenticate(token: string, client?: string): Promise<Principal | undefined>;
  /** Creates a token for a role (audited as `token.create`), with a generated id and secret unless given. */
  issue(
    request: { name: string; role: Role; token?: { id: string; secret: string } },
    change: ChangeMeta,
  ): Promise<IssuedToken>;
  /** Revokes a token (audited as `token.revoke`) and drops it from this process's cache at once. */
  revoke(id: string, change: ChangeMeta): Promise<StoredToken | undefined>;
}

type CacheEntry =
  | {
      readonly verified: true;
      principal: Principal;
      /** The stored hash the secret matched: a re-check compares it instead of running scrypt again. */
      readonly hash: string;
      /** When to look the token up again. */
      checkAt: number;
    }
  | { readonly verified: false; readonly expiresAt: number };

/** How soon a re-check is tried again after the store did not answer one. */
const RECHECK_RETRY_MS = 1_000;

/**
 * Creates the authenticator. A token is looked up by id and its secret checked against the scrypt hash in
 * constant time, once: the result is cached under a SHA-256 of the token, and a verified token is only looked
 * up again every `cacheTtlMs` (revoked, or its hash changed: refused from then on). While the store does not
 * answer, verified tokens keep working. An unknown, revoked or role-less id costs the same scrypt as a wrong
 * secret, so answer times do not tell which ids exist. Failed verifications are counted per client address
 * and per token id; past `failureLimit` in a window, further attempts get 429 before any scrypt runs, except
 * from an address where the id's owner succeeded, so an attack on an id never locks its owner out.
 */
export function createTokenAuthenticator(options: TokenAuthenticatorOptions): TokenAuthenticator {
  const { store, clock } = options;
  const ttl = options.cacheTtlMs ?? 10_000;
  const onError = options.onError ?? (() => {});
  const cache = new LRUCache<string, CacheEntry>({ max: options.cacheSize ?? 10_000 });
  const pending = new Map<string, Promise<Principal | undefined>>();
  const throttleOptions = {
    limit: options.failureLimit ?? 20,
    windowMs: options.failureWindowMs ?? 60_000,
    maxKeys: 10_000,
    clock,
  };
  const failuresByClient = createFailureThrottle(throttleOptions);
  const failuresById = createFailureThrottle(throttleOptions);
  /** Addresses where a token id was used successfully, per id. */
  const ownersOf = new LRUCache<string, Set<string>>({ max: 10_000 });
  // A hash no secret matches, checked for ids without a usable record so that they cost what a real one does.
  const decoy: Promise<HashedSecret> = hashTokenSecret(randomBytes(32).toString('base64url'));
  // Bumped on every issue and revoke, so a check that started before one cannot cache a stale answer.
  let generation = 0;

  const verify = async (token: string): Promise<CacheEntry> => {
    const refused: CacheEntry = { verified: false, expiresAt: clock() + ttl };
    const parts = parseApiToken(token);
    if (parts === undefined) return refused;
    const record = await store.findToken(parts.id);
    const usable = record !== undefined && record.revokedAt === null && isRole(record.role);
    const matches = await verifyTokenSecret(parts.secret, usable ? record : await decoy);
    if (!usable || !matches) return refused;
    store.markTokenUsed(record.id, clock()).catch(onError);
    return {
      verified: true,
      principal: { tokenId: record.id, name: record.name, role: record.role as Role },
      hash: record.hash,
      checkAt: clock() + ttl,
    };
  };

  /** Looks a verified token up again: still there, same hash, not revoked. */
  const recheck = async (entry: CacheEntry & { verified: true }): Promise<CacheEntry> => {
    let record: TokenRecord | undefined;
    try {
      record = await store.findToken(entry.principal.tokenId);
    } catch (error) {
      // The store is away: the token was verified, so it keeps working; try again a little later.
      onError(error);
      entry.checkAt = clock() + Math.min(ttl, RECHECK_RETRY_MS);
      return entry;
    }
    if (
      record === undefined ||
      record.revokedAt !== null ||
      !isRole(record.role) ||
      record.hash !== entry.hash
    ) {
      return { verified: false, expiresAt: clock() + ttl };
    }
    store.markTokenUsed(record.id, clock()).catch(onError);
    entry.principal = { tokenId: record.id, name: record.name, role: record.role };
    entry.checkAt = clock() + ttl;
    return entry;
  };

  /** One check per token at a time: concurrent requests with the same token share it. */
  const shared = (key: string, check: () => Promise<CacheEntry>): Promise<Principal | undefined> => {
    let running = pending.get(key);
    if (running === undefined) {
      const startedAt = generation;
      running = check()
        .then((entry) => {
          if (startedAt === generation) cache.set(key, entry);
          return entry.verified ? entry.principal : undefined;
        })
        .finally(() => pending.delete(key));
      pending.set(key, running);
    }
    return running;
  };

  const throttled = (client: string, id: string | undefined): number => {
    const byClient = failuresByClient.retryAfterMs(client);
    const owner = id !== undefined && ownersOf.get(id)?.has(client) === true;
    const byId = id === undefined || owner ? 0 : failuresById.retryAfterMs(id);
    return Math.max(byClient, byId);
  };

  return {
    async authenticate(token, client = 'unknown') {
      const key = hash('sha256', token, 'base64url');
      const cached = cache.get(key);
      if (cached?.verified === true) {
        const principal =
          cached.checkAt > clock() ? cached.principal : await shared(key, () => recheck(cached));
        if (principal !== undefined) rememberOwner(principal.tokenId, client);
        return principal;
      }
      if (cached !== undefined && cached.expiresAt > clock()) return undefined;
      const id = parseApiToken(token)?.id;
      const wait = throttled(client, id);
      if (wait > 0) throw tooManyFailures(wait);
      const principal = await shared(key, () => verify(token));
      if (principal === undefined) {
        failuresByClient.fail(client);
        if (id !== undefined) failuresById.fail(id);
      } else {
        rememberOwner(principal.tokenId, client);
      }
      return principal;
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

  function rememberOwner(id: string, client: string): void {
    const owners = ownersOf.get(id);
    if (owners === undefined) ownersOf.set(id, new Set([client]));
    else if (owners.size < 16) owners.add(client);
  }
}

/** The 429 for a client address or token id past its failure limit. */
function tooManyFailures(retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1_000));
  return new ApiError(
    429,
    'AUTH_THROTTLED',
    `too many failed authentications from this address or for this token; retry after ${seconds} s`,
    { headers: { 'retry-after': String(seconds) } },
  );
}

function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role);
}
