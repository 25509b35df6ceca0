import { describe, expect, it } from 'vitest';
import { AlreadyExistsError } from '../core/errors.js';
import type { NewToken } from './store.js';
import { START_TIME, type StoreHarness } from './store-harness.case.js';

/** A token to store; the hash and salt are opaque text to the store. */
export function testToken(id: string, overrides: Partial<NewToken> = {}): NewToken {
  return { id, name: `name-${id}`, role: 'editor', hash: `hash-${id}`, salt: `salt-${id}`, ...overrides };
}

const admin = { actor: 'token:root' };

/** Contract cases for API tokens: create, list, find, revoke (audited in the write) and last use. */
export function tokenCases(harness: StoreHarness): void {
  describe('tokens', () => {
    it('creates a token, finds it with its hash, and lists it without one', async () => {
      harness.advance(5);
      const created = await harness.store.createToken(testToken('a1', { role: 'sdk' }), admin);
      expect(created).toEqual({
        id: 'a1',
        name: 'name-a1',
        role: 'sdk',
        createdAt: START_TIME + 5,
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(await harness.store.findToken('a1')).toEqual({ ...created, hash: 'hash-a1', salt: 'salt-a1' });
      expect(await harness.store.listTokens()).toEqual([created]);
      expect(JSON.stringify(await harness.store.listTokens())).not.toContain('hash-a1');
      expect(await harness.store.findToken('missing')).toBeUndefined();
    });

    it('audits the creation in the same write, never with the hash or salt', async () => {
      const created = await harness.store.createToken(testToken('a1'), { ...admin, reason: 'ci pipeline' });
      const { entries } = await harness.store.listAudit();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: 'token:root',
        action: 'token.create',
        target: 'token:a1',
        before: null,
        after: created,
        reason: 'ci pipeline',
      });
      expect(JSON.stringify(entries)).not.toMatch(/hash-a1|salt-a1/);
    });

    it('lists tokens in creation order, revoked ones only when asked', async () => {
      const first = await harness.store.createToken(testToken('b2'), admin);
      harness.advance(10);
      const second = await harness.store.createToken(testToken('a1'), admin);
      harness.advance(10);
      const revoked = await harness.store.revokeToken('b2', admin);
      expect(revoked).toEqual({ ...first, revokedAt: START_TIME + 20 });
      expect(await harness.store.listTokens()).toEqual([second]);
      expect(await harness.store.listTokens({ includeRevoked: true })).toEqual([revoked, second]);
    });

    it('refuses a second token with the same id, or a live token with the same name, writing nothing', async () => {
      await harness.store.createToken(testToken('a1', { name: 'ci' }), admin);
      const sameId = harness.store.createToken(testToken('a1', { name: 'other' }), admin);
      await expect(sameId).rejects.toBeInstanceOf(AlreadyExistsError);
      const sameName = harness.store.createToken(testToken('b2', { name: 'ci' }), admin);
      await expect(sameName).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect(await harness.store.listTokens({ includeRevoked: true })).toHaveLength(1);
      expect((await harness.store.listAudit()).entries).toHaveLength(1);
    });

    it('lets a replacement reuse the name of a revoked token', async () => {
      await harness.store.createToken(testToken('a1', { name: 'ci' }), admin);
      await harness.store.revokeToken('a1', admin);
      const replacement = await harness.store.createToken(testToken('b2', { name: 'ci' }), admin);
      expect(replacement.name).toBe('ci');
      expect((await harness.store.listTokens()).map((token) => token.id)).toEqual(['b2']);
    });

    it('lets exactly one of several concurrent creates with the same name win', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) =>
          harness.store.createToken(testToken(`id${index}`, { name: 'shared' }), admin),
        ),
      );
      const rejected = attempts.filter((attempt) => attempt.status === 'rejected');
      expect(attempts.length - rejected.length).toBe(1);
      for (const attempt of rejected) expect(attempt.reason).toBeInstanceOf(AlreadyExistsError);
      expect(await harness.store.listTokens()).toHaveLength(1);
      expect((await harness.store.listAudit({ action: 'token.create' })).entries).toHaveLength(1);
    });

    it('revokes once: audited with before and after; a second revoke changes and audits nothing', async () => {
      const created = await harness.store.createToken(testToken('a1'), admin);
      harness.advance(100);
      const revoked = await harness.store.revokeToken('a1', { actor: 'token:ops', reason: 'leaked' });
      expect(revoked).toEqual({ ...created, revokedAt: START_TIME + 100 });
      expect((await harness.store.findToken('a1'))?.revokedAt).toBe(START_TIME + 100);
      harness.advance(100);
      expect(await harness.store.revokeToken('a1', admin)).toEqual(revoked);
      const revocations = (await harness.store.listAudit({ action: 'token.revoke' })).entries;
      expect(revocations).toHaveLength(1);
      expect(revocations[0]).toMatchObject({
        actor: 'token:ops',
        target: 'token:a1',
        before: created,
        after: revoked,
        reason: 'leaked',
      });
      expect(await harness.store.revokeToken('missing', admin)).toBeUndefined();
    });

    it('records the last use without auditing it, ignoring unknown ids', async () => {
      await harness.store.createToken(testToken('a1'), admin);
      harness.advance(7);
      await harness.store.markTokenUsed('a1');
      expect((await harness.store.findToken('a1'))?.lastUsedAt).toBe(START_TIME + 7);
      await harness.store.markTokenUsed('a1', START_TIME + 1_000);
      expect((await harness.store.listTokens())[0]?.lastUsedAt).toBe(START_TIME + 1_000);
      await expect(harness.store.markTokenUsed('missing')).resolves.toBeUndefined();
      expect((await harness.store.listAudit()).entries).toHaveLength(1);
    });

    it('rejects a token without id, name, role, hash or salt, naming the field and writing nothing', async () => {
      for (const field of ['id', 'name', 'role', 'hash', 'salt'] as const) {
        const create = harness.store.createToken(testToken('a1', { [field]: '' }), admin);
        await expect(create).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: field });
      }
      await expect(harness.store.createToken(testToken('a1'), { actor: ' ' })).rejects.toMatchObject({
        path: 'actor',
      });
      expect(await harness.store.listTokens({ includeRevoked: true })).toEqual([]);
      expect((await harness.store.listAudit()).entries).toEqual([]);
    });
  });
}
