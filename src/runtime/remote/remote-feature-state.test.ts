import { describe, expect, it } from 'vitest';
import { evaluate } from '../../core/evaluate.js';
import type { ConfigChangeMessage, ConfigDocumentMessage } from './config-messages.js';
import { RemoteFeatureState } from './remote-feature-state.js';

function feature(key: string, revision: number, extra: Record<string, unknown> = {}) {
  return {
    key,
    version: revision,
    revision,
    config: {
      key,
      version: revision,
      defaultVariant: 'v1',
      variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
      rules: [{ id: 'all', serve: 'v2' }],
      ...extra,
    },
  };
}

function documentOf(...features: ReturnType<typeof feature>[]): ConfigDocumentMessage {
  return { revision: Math.max(0, ...features.map((item) => item.revision)), features };
}

const source = (document: ConfigDocumentMessage, etag?: string) => ({ body: JSON.stringify(document), etag });

describe('RemoteFeatureState', () => {
  it('replaces everything from a whole document, dropping features it lacks', () => {
    const state = new RemoteFeatureState(() => {});
    const first = documentOf(feature('a', 1), feature('b', 2));
    state.replace(first, source(first, '"one"'));
    expect(state.keys()).toEqual(['a', 'b']);
    expect(state.source?.etag).toBe('"one"');
    // A restarted server may count revisions anew: a whole document is the truth even when older.
    const restarted = documentOf(feature('c', 1));
    state.replace(restarted, source(restarted));
    expect(state.keys()).toEqual(['c']);
    expect(state.revision).toBe(1);
  });

  it('keeps the compiled features when the same body comes again', () => {
    const state = new RemoteFeatureState(() => {});
    const document = documentOf(feature('a', 1));
    state.replace(document, source(document, '"tag"'));
    const compiled = state.get('a');
    state.replace(document, source(document));
    expect(state.get('a')).toBe(compiled);
    expect(state.source?.etag).toBe('"tag"');
  });

  it('applies changes newer than what it holds, and ignores a late one', () => {
    const state = new RemoteFeatureState(() => {});
    const document = documentOf(feature('a', 1), feature('b', 2));
    state.replace(document, source(document, '"tag"'));
    const kill: ConfigChangeMessage = {
      revision: 3,
      features: [{ ...feature('a', 3, { killed: true }), archived: false }],
    };
    state.apply(kill);
    expect(evaluate(state.get('a')!, {}).reason).toBe('KILLED');
    expect(state.source).toBeUndefined();

    // An older write to the same feature (a refresh answer that raced the stream) is not applied.
    state.apply({ revision: 2, features: [{ ...feature('a', 2), archived: false }] });
    expect(evaluate(state.get('a')!, {}).reason).toBe('KILLED');

    state.apply({ revision: 4, features: [{ ...feature('b', 4), archived: true }] });
    expect(state.keys()).toEqual(['a']);
    // The archive leaves its revision behind: an older write cannot bring the feature back.
    state.apply({ revision: 4, features: [{ ...feature('b', 3), archived: false }] });
    expect(state.keys()).toEqual(['a']);
    expect(state.revision).toBe(4);
  });

  it('merges a document only when it is newer than the state, naming the features it changed', () => {
    const state = new RemoteFeatureState(() => {});
    const current = documentOf(feature('a', 5), feature('b', 2));
    expect(state.replace(current, source(current))).toEqual(['a', 'b']);
    const older = documentOf(feature('a', 4), feature('z', 1));
    expect(state.merge(older, source(older))).toEqual([]);
    expect(state.keys()).toEqual(['a', 'b']);
    // `a` is unchanged, `b` is gone, `z` is new.
    const newer = documentOf(feature('a', 5), feature('z', 6));
    expect(state.merge(newer, source(newer))).toEqual(['b', 'z']);
    expect(state.keys()).toEqual(['a', 'z']);
    expect(state.apply({ revision: 7, features: [{ ...feature('a', 7), archived: true }] })).toEqual(['a']);
    expect(state.apply({ revision: 7, features: [{ ...feature('z', 6), archived: false }] })).toEqual([]);
  });

  it('keeps serving the last good version of a config that no longer compiles, and reports it', () => {
    const errors: unknown[] = [];
    const state = new RemoteFeatureState((error) => errors.push(error));
    const good = documentOf(feature('a', 1));
    state.replace(good, source(good));
    state.apply({
      revision: 2,
      features: [{ ...feature('a', 2, { rules: [{ id: 'bad', serve: 'v9' }] }), archived: false }],
    });
    expect(errors).toHaveLength(1);
    expect(state.get('a')?.version).toBe(1);
    const broken = documentOf(
      feature('a', 3, { defaultVariant: 'nope' }),
      feature('new', 3, { variants: {} }),
    );
    state.replace(broken, source(broken));
    expect(state.get('a')?.version).toBe(1);
    expect(state.get('new')).toBeUndefined();
    expect(errors).toHaveLength(3);
  });
});
