import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { generateApiToken, parseApiToken } from './api-token.js';
import { createTokenAuthenticator, type TokenAuthenticator } from './token-authenticator.js';
import { hashTokenSecret, verifyTokenSecret } from './token-hash.js';

// Counts scrypt verifications, to see which checks run one.
const scrypt = vi.hoisted(() => ({ verifications: 0 }));
vi.mock('./token-hash.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./token-hash.js')>();
  return {
    ...original,
    verifyTokenSecret: (...args: Parameters<typeof original.verifyTokenSecret>) => {
      scrypt.verifications += 1;
      return original.verifyTokenSecret(...args);
    },
  };
});

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

describe('token authenticator under attack and outage', () => {
  const wrong = (id: string, index: number) => `sy_${id}_${String(index).padStart(43, 'w')}`;

  it('runs scrypt once per token: later checks are store lookups comparing the hash', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'sdk' }, change);
    const before = scrypt.verifications;
    expect(await auth.authenticate(issued.token)).toMatchObject({ role: 'sdk' });
    for (let round = 0; round < 5; round += 1) {
      now += 1_001;
      expect(await auth.authenticate(issued.token)).toMatchObject({ role: 'sdk' });
    }
    expect(scrypt.verifications - before).toBe(1);
    expect(lookups()).toBe(6);
  });

  it('refuses a cached token whose stored hash changed, without trusting the old check', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'sdk' }, change);
    await auth.authenticate(issued.token);
    const record = (await store.findToken(issued.id))!;
    vi.spyOn(store, 'findToken').mockResolvedValue({ ...record, hash: `${record.hash}x` });
    now += 1_001;
    expect(await auth.authenticate(issued.token)).toBeUndefined();
  });

  it('makes an unknown or revoked id cost the scrypt a wrong secret costs', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'sdk' }, change);
    const revoked = await auth.issue({ name: 'old', role: 'sdk' }, change);
    await auth.revoke(revoked.id, change);
    for (const token of [wrong(issued.id, 1), wrong('0123456789abcdef', 1), revoked.token]) {
      const before = scrypt.verifications;
      expect(await auth.authenticate(token)).toBeUndefined();
      expect(scrypt.verifications - before, token).toBe(1);
    }
  });

  it('keeps verified tokens working while the store is down, and applies a revocation once it is back', async () => {
    const issued = await auth.issue({ name: 'ci', role: 'editor' }, change);
    await auth.authenticate(issued.token);
    const outage = vi.spyOn(store, 'findToken').mockRejectedValue(new Error('connection refused'));
    for (let round = 0; round < 20; round += 1) {
      now += 1_001;
      expect(await auth.authenticate(issued.token)).toMatchObject({ role: 'editor' });
    }
    // A token never verified here cannot be checked: the caller learns the store's error, not a 401.
    const other = await generateApiToken();
    await expect(auth.authenticate(other.token)).rejects.toThrow('connection refused');

    outage.mockRestore();
    await store.revokeToken(issued.id, change);
    now += 1_001;
    expect(await auth.authenticate(issued.token)).toBeUndefined();
  });

  it('answers 429 without scrypt once an address has failed too often, other addresses unaffected', async () => {
    auth = createTokenAuthenticator({ store, clock: () => now, failureLimit: 3, failureWindowMs: 60_000 });
    const issued = await auth.issue({ name: 'ci', role: 'sdk' }, change);
    for (let index = 0; index < 3; index += 1) {
      expect(await auth.authenticate(wrong(`abcdef0${index}`, index), '10.0.0.1')).toBeUndefined();
    }
    const before = scrypt.verifications;
    const refused = auth.authenticate(wrong('abcdef09', 9), '10.0.0.1');
    await expect(refused).rejects.toMatchObject({ statusCode: 429, code: 'AUTH_THROTTLED' });
    await expect(refused).rejects.toMatchObject({ headers: { 'retry-after': '60' } });
    // Even a valid token is not checked from there until the window ends...
    await expect(auth.authenticate(issued.token, '10.0.0.1')).rejects.toMatchObject({ statusCode: 429 });
    expect(scrypt.verifications).toBe(before);
    // ...while other addresses are served, and the address may try again afterwards.
    expect(await auth.authenticate(issued.token, '10.0.0.2')).toMatchObject({ role: 'sdk' });
    now += 60_000;
    expect(await auth.authenticate(wrong('abcdef09', 9), '10.0.0.1')).toBeUndefined();
  });

  it("throttles a token id attacked from many addresses, never its owner's valid secret", async () => {
    auth = createTokenAuthenticator({ store, clock: () => now, failureLimit: 3, failureWindowMs: 60_000 });
    const issued = await auth.issue({ name: 'ci', role: 'sdk' }, change);
    expect(await auth.authenticate(issued.token, '10.0.0.7')).toBeDefined();
    for (let index = 0; index < 3; index += 1) {
      expect(await auth.authenticate(wrong(issued.id, index), `192.0.2.${index}`)).toBeUndefined();
    }
    await expect(auth.authenticate(wrong(issued.id, 5), '192.0.2.99')).rejects.toMatchObject({
      statusCode: 429,
    });
    // The owner's cached token, and its secret from the address it used, keep working.
    expect(await auth.authenticate(issued.token, '10.0.0.7')).toBeDefined();
    expect(await auth.authenticate(issued.token, '198.51.100.1')).toBeDefined();
    auth = createTokenAuthenticator({ store, clock: () => now, failureLimit: 3, failureWindowMs: 60_000 });
    expect(await auth.authenticate(issued.token, '10.0.0.7')).toBeDefined();
    for (let index = 0; index < 3; index += 1) {
      await auth.authenticate(wrong(issued.id, index), `192.0.2.${index}`);
    }
    now += 10_001;
    // Not cached any more (a new server would be in this state): the owner's address is still let through.
    expect(await auth.authenticate(issued.token, '10.0.0.7')).toBeDefined();
  });
});
