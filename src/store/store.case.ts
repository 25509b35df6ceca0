import { describe, expect, it } from 'vitest';
import { VersionConflictError } from '../core/errors.js';
import type { StoreKind } from './store.js';
import { alertCases } from './store-alerts.case.js';
import { auditCases } from './store-audit.case.js';
import { erasureCases } from './store-erasure.case.js';
import { callEvent, eventCases, feedbackEvent } from './store-events.case.js';
import { experimentCases } from './store-experiments.case.js';
import { featureCases } from './store-features.case.js';
import {
  type OpenTestStore,
  type ReopenTestStore,
  type StoreHarness,
  testFeature,
  useStoreHarness,
} from './store-harness.case.js';
import { preferenceCases } from './store-preferences.case.js';
import { privacyCases } from './store-privacy.case.js';
import { retentionCases } from './store-retention.case.js';
import { testToken, tokenCases } from './store-tokens.case.js';

/** What the suite needs to know about the adapter beyond how to open it. */
export interface StoreContractOptions {
  kind: StoreKind;
  /** Given for stores that outlive a connection (files, servers): enables the reopen case. */
  reopen?: ReopenTestStore;
}

/**
 * The contract every `Store` adapter must pass. `open` must return a new, empty store on each call,
 * using the clock it is given.
 */
export function storeContract(name: string, open: OpenTestStore, options: StoreContractOptions): void {
  describe(`Store contract: ${name}`, () => {
    const harness = useStoreHarness(open);
    featureCases(harness);
    auditCases(harness);
    eventCases(harness);
    tokenCases(harness);
    experimentCases(harness);
    alertCases(harness, options.reopen);
    privacyCases(harness, open, options.reopen);
    retentionCases(harness);
    preferenceCases(harness, open);
    erasureCases(harness, open);
    lifecycleCases(harness, options);
  });
}

const writer = { actor: 'writer' };

function lifecycleCases(harness: StoreHarness, options: StoreContractOptions): void {
  describe('lifecycle and data', () => {
    it('identifies itself and answers a ping', async () => {
      expect(harness.store.specificationVersion).toBe(1);
      expect(harness.store.kind).toBe(options.kind);
      await expect(harness.store.ping()).resolves.toBeUndefined();
    });

    it('round-trips nested configs with unicode exactly, object key order included', async () => {
      const config = testFeature('unicode', {
        description: 'Coach 🧭 日本語 עברית e\u0301 line\u2028break nul\u0000 lone\ud800 "quoted" \\ back',
        variants: {
          'zeta-long-variant': {
            type: 'llm',
            provider: 'anthropic',
            model: 'claude-sonnet',
            system: 'Réponds en français 🇫🇷',
            output: {
              schema: { type: 'object', properties: { zulu: { type: 'string' }, alpha: { type: 'number' } } },
            },
          },
          control: {
            type: 'handler',
            payload: {
              deep: [1, 2.5, -3e-7, 9_007_199_254_740_991, { family: '👩‍👩‍👧', empty: {}, list: [] }],
              flag: false,
              nothing: null,
            },
          },
        },
        rules: [
          { when: { country: { $in: ['DE', '日本'] } }, serve: 'control' },
          { split: { 'zeta-long-variant': 30, control: 70 }, seed: 'sëed' },
        ],
        tags: ['ünïcödé', '🏷️'],
      });
      const created = await harness.store.createFeature(config, writer);
      const expected = { ...config, version: 1 };
      expect(created.config).toEqual(expected);
      const read = await harness.store.getFeature('unicode');
      expect(read?.config).toEqual(expected);
      // Split order decides bucket ranges, so a store that reorders keys would move users between variants.
      expect(JSON.stringify(read?.config)).toBe(JSON.stringify(expected));
      const [entry] = (await harness.store.listAudit()).entries;
      expect(JSON.stringify(entry?.after)).toBe(JSON.stringify(expected));
    });

    it('lets exactly one of several concurrent updates with the same expected version win', async () => {
      await harness.store.createFeature(testFeature('contended'), writer);
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, (_, index) =>
          harness.store.updateFeature(
            'contended',
            testFeature('contended', { description: `writer ${index}` }),
            {
              actor: `writer-${index}`,
              expectedVersion: 1,
            },
          ),
        ),
      );
      const winners = attempts.flatMap((attempt, index) => (attempt.status === 'fulfilled' ? [index] : []));
      const losers = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(7);
      for (const loser of losers) {
        expect(loser).toBeInstanceOf(VersionConflictError);
      }
      const winner = winners[0];
      const stored = await harness.store.getFeature('contended');
      expect(stored).toMatchObject({ version: 2, config: { description: `writer ${winner}` } });
      const updates = await harness.store.listAudit({ action: 'feature.update' });
      expect(updates.entries.map((entry) => entry.actor)).toEqual([`writer-${winner}`]);
    });

    it('gives concurrent writes of different features distinct revisions', async () => {
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          harness.store.createFeature(testFeature(`parallel-${index}`), writer),
        ),
      );
      const revisions = created.map((feature) => feature.revision).sort((left, right) => left - right);
      expect(new Set(revisions).size).toBe(10);
      expect(revisions.at(-1)! - revisions[0]!).toBe(9);
      expect(await harness.store.listFeatures({ changedSince: revisions[4] })).toHaveLength(5);
    });

    it('closes more than once without error', async () => {
      const another = await harness.openAnother();
      await another.close();
      await expect(another.close()).resolves.toBeUndefined();
    });

    if (options.reopen !== undefined) {
      const reopen = options.reopen;
      it('keeps features, audit, events, tokens and the revision counter across close and reopen', async () => {
        const created = await harness.store.createFeature(testFeature('durable'), writer);
        await harness.store.createToken(testToken('durable-token'), writer);
        const tokens = await harness.store.findToken('durable-token');
        await harness.store.appendEvents([callEvent('durable-call'), feedbackEvent('durable-feedback')]);
        const events = await harness.store.listEvents();
        await harness.store.appendAudit({
          actor: 'admin',
          action: 'token.create',
          target: 'token:a',
          before: null,
          after: 1,
          reason: null,
        });
        const audit = await harness.store.listAudit();
        const reopened = await harness.reopen(reopen);
        expect(await reopened.getFeature('durable')).toEqual(created);
        expect(await reopened.listAudit()).toEqual(audit);
        expect(await reopened.listEvents()).toEqual(events);
        expect(await reopened.findToken('durable-token')).toEqual(tokens);
        expect(events.events).toHaveLength(2);
        const next = await reopened.createFeature(testFeature('after-reopen'), writer);
        expect(next.revision).toBeGreaterThan(created.revision);
      });
    }
  });
}
