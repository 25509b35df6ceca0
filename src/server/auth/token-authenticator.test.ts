import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { generateApiToken, parseApiToken } from './api-token.js';
import { createTokenAuthenticator, type TokenAuthenticator } from './token-authenticator.js';
import { hashTokenSecret, verifyTokenSecret } from './token-hash.js';

const change = { actor: 'test' };
let store: Store;
let now: number;
let lookups: () => number;
let auth: TokenAuthenticator;

beforeEach(async () => {
  now = 1_700_000_000_000;
  store = await openStore('sqlite::memory:', { clock: () => now });
  // Counts the lookups that reach the store, to see what the cache saves.
  const findToken = vi.spyOn(store, 'findToken');
  lookups = () => findToken.mock.calls.length;
  auth = createTokenAuthenticator({ store, clock: () => now, cacheTtlMs: 1_000 });
});
afterEach(() => store.close());

describe('API tokens', () => {
  it('generate as sy_<id>_<secret> and parse back; anything else does not parse', () => {
    const generated = generateApiToken();
    expect(generated.token).toMatch(/^sy_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiToken(generated.token)).toEqual({ id: generated.id, secret: generated.secret });
    expect(generateApiToken().token).not.toBe(generated.token);
    for (const bad of [
      '',
      'sy__x',
      `sy_ABCDEFGH_${'a'.repeat(40)}`,
      `sy_abcdefgh_${'a'.repeat(31)}`,
      `xy_abcdefgh_${'a'.repeat(40)}`,
      5,
    ]) {
      expect(parseApiToken(bad)).toBeUndefined();
    }
    // The secret may hold underscores: the id never does, so the split is unambiguous.
    expect(parseApiToken(`sy_abcdefgh_${'_'.repeat(40)}`)).toEqual({
      id: 'abcdefgh',
      secret: '_'.repeat(40),
    });
  });

  it('hash secrets with scrypt and a fresh salt, and verify only the right secret', async () => {
    const first = await hashTokenSecret('secret-one');
    const second = await hashTokenSecret('secret-one');
    expect(first.hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{43}$/);
    expect(first.salt).not.toBe(second.salt);
    expect(first.hash).not.toBe(second.hash);
    expect(await verifyTokenSecret('secret-one', first)).toBe(true);
    expect(await verifyTokenSecret('secret-two', first)).toBe(false);
    expect(await verifyTokenSecret('secret-one', { ...first, salt: second.salt })).toBe(false);
    for (const hash of ['', 'bcrypt$1$1$1$abc', `${first.hash}$extra`, first.hash.replace('16384', 'x')]) {
      expect(await verifyTokenSecret('secret-one', { hash, salt: first.salt })).toBe(false);
    }
  });
});

describe('token authenticator', () => {
  it('authenticates an issued token as its principal, never a wrong, unknown or malformed one', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'sdk' }, change);
    expect(await auth.authenticate(issued.token)).toEqual({ tokenId: issued.id, name: 'ci', role: 'sdk' });
    const wrongSecret = `sy_${issued.id}_${'x'.repeat(43)}`;
    expect(await auth.authenticate(wrongSecret)).toBeUndefined();
    expect(await auth.authenticate(`sy_0123456789abcdef_${'x'.repeat(43)}`)).toBeUndefined();
    expect(await auth.authenticate('Bearer nonsense')).toBeUndefined();
    const stored = await store.findToken(issued.id);
    expect(JSON.stringify(stored)).not.toContain(issued.token.split('_').at(-1));
  });

  it('caches a result for the TTL, shares one check between concurrent requests, and records the use', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'viewer' }, change);
    const results = await Promise.all(Array.from({ length: 5 }, () => auth.authenticate(issued.token)));
    expect(results.every((principal) => principal?.role === 'viewer')).toBe(true);
    expect(lookups()).toBe(1);
    now += 999;
    await auth.authenticate(issued.token);
    expect(lookups()).toBe(1);
    now += 1;
    await auth.authenticate(issued.token);
    expect(lookups()).toBe(2);
    await expect.poll(async () => (await store.findToken(issued.id))?.lastUsedAt).toBe(now);
  });

  it('refuses a revoked token at once in this process', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'editor' }, change);
    expect(await auth.authenticate(issued.token)).toBeDefined();
    expect((await auth.revoke(issued.id, change))?.revokedAt).toBe(now);
    expect(await auth.authenticate(issued.token)).toBeUndefined();
  });

  it('refuses a token revoked by another process once the cached result expires', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'editor' }, change);
    await auth.authenticate(issued.token);
    await store.revokeToken(issued.id, change);
    expect(await auth.authenticate(issued.token)).toBeDefined();
    now += 1_000;
    expect(await auth.authenticate(issued.token)).toBeUndefined();
  });

  it('refuses a token whose stored role is not one it knows', async () => {
    const token = generateApiToken();
    const { hash, salt } = await hashTokenSecret(token.secret);
    await store.createToken({ id: token.id, name: 'odd', role: 'superuser', hash, salt }, change);
    expect(await auth.authenticate(token.token)).toBeUndefined();
  });

  it('forgets a cached failure when the token is created afterwards', async () => {
    const token = generateApiToken();
    expect(await auth.authenticate(token.token)).toBeUndefined();
    await auth.issue({ name: 'late', role: 'admin', token }, change);
    expect(await auth.authenticate(token.token)).toMatchObject({ name: 'late', role: 'admin' });
  });
});
