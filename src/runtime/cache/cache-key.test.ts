import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import { derivedCacheKey, exactCacheKey } from './cache-key.js';

const KEY_FORMAT = /^sy:cache:v1:coach-reply:v2:[0-9a-f]{64}$/;
const runs = { numRuns: 200, seed: 20_240_601 };

/** The same JSON value with every object's keys inserted in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(value).reverse())
    copy[name] = reversedKeys((value as Record<string, unknown>)[name]);
  return copy;
}

/** What the key normalisation makes of a text, spelled out independently of the implementation. */
function normalised(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

const word = fc.stringMatching(/^[A-Za-z0-9éüß'?!.,]{1,8}$/);
const whitespace = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', ' \n\t ');
const json = fc.jsonValue({ maxDepth: 3 });

describe('exactCacheKey', () => {
  it('has the documented format and never contains the input text', () => {
    // Hex-digit texts are the ones that could show up inside a hex key if the text leaked into it.
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{12,40}$/), (text) => {
        const key = exactCacheKey({
          feature: 'coach-reply',
          variant: 'v2',
          input: { messages: [{ role: 'user', content: text }] },
        });
        expect(key).toMatch(KEY_FORMAT);
        expect(key.includes(text)).toBe(false);
      }),
      runs,
    );
  });

  it('does not depend on object key order, in the input or the params', () => {
    fc.assert(
      fc.property(json, fc.dictionary(fc.string(), json, { maxKeys: 5 }), (input, params) => {
        const base = { feature: 'coach-reply', variant: 'v2', model: 'gpt-4o-mini' };
        const key = exactCacheKey({ ...base, params, input });
        const reordered = reversedKeys(params) as Record<string, unknown>;
        expect(exactCacheKey({ ...base, params: reordered, input: reversedKeys(input) })).toBe(key);
      }),
      runs,
    );
  });

  it('ignores leading, trailing and repeated whitespace in the input text, nested or not', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.array(whitespace, { minLength: 9, maxLength: 9 }),
        (words, gaps) => {
          const spaced = `${gaps[0]}${words.map((item, index) => `${item}${gaps[index + 1]}`).join('')}`;
          const plain = words.join(' ');
          const key = (text: string) =>
            exactCacheKey({
              feature: 'coach-reply',
              variant: 'v2',
              input: { messages: [{ role: 'user', content: text }] },
            });
          expect(key(spaced)).toBe(key(plain));
          expect(exactCacheKey({ feature: 'coach-reply', variant: 'v2', input: spaced })).toBe(
            exactCacheKey({ feature: 'coach-reply', variant: 'v2', input: plain }),
          );
        },
      ),
      runs,
    );
  });

  it('gives different texts different keys', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (left, right) => {
        fc.pre(normalised(left) !== normalised(right));
        const key = (input: string) => exactCacheKey({ feature: 'coach-reply', variant: 'v2', input });
        expect(key(left)).not.toBe(key(right));
      }),
      runs,
    );
  });

  it('changes with the feature, variant, model and every parameter', () => {
    const base = {
      feature: 'coach-reply',
      variant: 'v2',
      model: 'gpt-4o-mini',
      params: { temperature: 0.2, maxTokens: 400, system: 'Be kind.' },
      input: 'How do I start running?',
    };
    const variations = [
      { ...base, feature: 'coach-replies' },
      { ...base, variant: 'v3' },
      { ...base, model: 'gpt-4o' },
      { ...base, model: undefined },
      { ...base, params: { ...base.params, temperature: 0.3 } },
      { ...base, params: { ...base.params, maxTokens: 401 } },
      { ...base, params: { ...base.params, system: 'Be  kind.' } },
      { ...base, params: { ...base.params, topP: 1 } },
      { ...base, input: 'How do I start walking?' },
      { ...base, input: ['How do I start running?'] },
    ];
    const keys = [base, ...variations].map((key) => exactCacheKey(key));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads messages as role and content only', () => {
    const key = (messages: unknown) =>
      exactCacheKey({ feature: 'coach-reply', variant: 'v2', input: messages });
    const messages = [
      { role: 'system', content: 'Coach  runners.' },
      { role: 'user', content: 'Where do I start?' },
    ];
    const withMetadata = [
      { id: 'm1', createdAt: '2024-06-01T10:00:00Z', role: 'system', content: ' Coach runners. ' },
      { content: 'Where do I start?', role: 'user', id: 'm2', createdAt: '2024-06-01T10:00:05Z' },
    ];
    expect(key(withMetadata)).toBe(key(messages));
    expect(key([messages[0], { role: 'assistant', content: 'Where do I start?' }])).not.toBe(key(messages));
    expect(key([...messages].reverse())).not.toBe(key(messages));
  });

  it('treats JSON-equivalent values alike: undefined fields, -0, dates', () => {
    const key = (input: unknown) => exactCacheKey({ feature: 'coach-reply', variant: 'v2', input });
    expect(key({ text: 'hi', note: undefined })).toBe(key({ text: 'hi' }));
    expect(key({ score: -0 })).toBe(key({ score: 0 }));
    expect(key({ at: new Date(Date.UTC(2024, 5, 1)) })).toBe(key({ at: '2024-06-01T00:00:00.000Z' }));
    expect(key({ ['__proto__']: 'x' })).not.toBe(key({}));
  });

  it('rejects names that are not config keys and inputs that are not JSON data, naming the field', () => {
    const input = { feature: 'coach-reply', variant: 'v2', input: 'hi' };
    expect(() => exactCacheKey({ ...input, feature: 'Coach Reply' })).toThrow(InvalidInputError);
    expect(() => exactCacheKey({ ...input, feature: 'a:b' })).toThrow(
      expect.objectContaining({ field: 'feature' }),
    );
    expect(() => exactCacheKey({ ...input, variant: 'user text' })).toThrow(
      expect.objectContaining({ field: 'variant' }),
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => exactCacheKey({ ...input, input: cyclic })).toThrow(
      expect.objectContaining({ field: 'input' }),
    );
    expect(() => exactCacheKey({ ...input, params: { seed: 1n } })).toThrow(
      expect.objectContaining({ field: 'params' }),
    );
  });
});

describe('derivedCacheKey', () => {
  const base = {
    feature: 'persona-generation',
    variant: 'qloo-first',
    fields: ['userId', 'profile.interests'],
    versionField: 'profile.updatedAt',
  };
  const request = {
    userId: 'user-42',
    locale: 'en',
    profile: { interests: ['jazz', 'hiking'], updatedAt: '2024-06-01T10:00:00Z', bio: 'Likes  music' },
  };

  it('changes with the version field and the named fields, and only with them', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (version, otherVersion, locale) => {
        fc.pre(version !== otherVersion);
        const at = (updatedAt: string, extra: Record<string, unknown> = {}) =>
          derivedCacheKey({
            ...base,
            input: { ...request, ...extra, profile: { ...request.profile, updatedAt } },
          });
        expect(at(version)).not.toBe(at(otherVersion));
        expect(at(version, { locale, sessionId: locale })).toBe(at(version));
        expect(at(version, { userId: `${locale}!` })).not.toBe(at(version));
      }),
      runs,
    );
  });

  it('has the documented format and does not depend on field order', () => {
    const key = derivedCacheKey({ ...base, input: request });
    expect(key).toMatch(/^sy:cache:v1:persona-generation:qloo-first:[0-9a-f]{64}$/);
    expect(key?.includes('user-42')).toBe(false);
    expect(derivedCacheKey({ ...base, fields: ['profile.interests', 'userId'], input: request })).toBe(key);
    expect(derivedCacheKey({ ...base, versionField: undefined, input: request })).not.toBe(key);
    expect(
      exactCacheKey({ feature: base.feature, variant: base.variant, input: { userId: 'user-42' } }),
    ).not.toBe(derivedCacheKey({ ...base, fields: ['userId'], versionField: undefined, input: request }));
  });

  it('returns undefined when a named field or the version is missing or null', () => {
    expect(derivedCacheKey({ ...base, input: { ...request, userId: undefined } })).toBeUndefined();
    expect(derivedCacheKey({ ...base, input: { ...request, userId: null } })).toBeUndefined();
    expect(derivedCacheKey({ ...base, input: { userId: 'user-42' } })).toBeUndefined();
    expect(
      derivedCacheKey({ ...base, input: { ...request, profile: { interests: ['jazz'] } } }),
    ).toBeUndefined();
    // Inherited members are not fields: a path must not reach into the prototype.
    expect(derivedCacheKey({ ...base, fields: ['userId.constructor'], input: request })).toBeUndefined();
  });

  it('rejects field lists and paths that are not usable, naming the field', () => {
    expect(() => derivedCacheKey({ ...base, fields: [], input: request })).toThrow(
      expect.objectContaining({ field: 'fields' }),
    );
    expect(() => derivedCacheKey({ ...base, fields: ['userId', 'profile..x'], input: request })).toThrow(
      expect.objectContaining({ field: 'fields[1]' }),
    );
    expect(() => derivedCacheKey({ ...base, versionField: '', input: request })).toThrow(
      expect.objectContaining({ field: 'versionField' }),
    );
    expect(() =>
      derivedCacheKey({ ...base, input: 'user-42' as unknown as Record<string, unknown> }),
    ).toThrow(expect.objectContaining({ field: 'input' }));
  });
});
