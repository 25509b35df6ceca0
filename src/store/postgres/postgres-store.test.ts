import { afterAll, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../core/errors.js';
import { openStore } from '../open-store.js';
import { storeContract } from '../store.case.js';
import type { Store } from '../store.js';
import { testFeature } from '../store-harness.case.js';
import { postgresTestDatabase } from '../testing/postgres-test-database.js';

const postgres = await postgresTestDatabase('postgres-store');

describe.skipIf(postgres === undefined)('PostgreSQL store', () => {
  const urls: string[] = [];
  afterAll(() => postgres?.cleanup());
  storeContract(
    'postgres',
    (options) => {
      urls.push(postgres!.schemaUrl());
      return openStore(urls.at(-1)!, options);
    },
    { kind: 'postgres', reopen: (options) => openStore(urls.at(-1)!, options) },
  );

  describe('several processes on one schema', () => {
    async function openShared(count: number): Promise<Store[]> {
      const url = postgres!.schemaUrl();
      // Opening at the same moment also races schema creation and migrations.
      return Promise.all(Array.from({ length: count }, () => openStore(url)));
    }

    it('migrates once when stores open the same new schema at the same moment', async () => {
      const stores = await openShared(3);
      try {
        await stores[0]!.createFeature(testFeature('shared'), { actor: 'a' });
        for (const store of stores) {
          expect((await store.getFeature('shared'))?.version).toBe(1);
        }
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('lets one of many writers across stores win the same expected version', async () => {
      const stores = await openShared(2);
      try {
        await stores[0]!.createFeature(testFeature('contended'), { actor: 'a' });
        const attempts = await Promise.allSettled(
          Array.from({ length: 10 }, (_, index) =>
            stores[index % 2]!.updateFeature('contended', testFeature('contended'), {
              actor: `writer-${index}`,
              expectedVersion: 1,
            }),
          ),
        );
        const rejected = attempts.filter((attempt) => attempt.status === 'rejected');
        expect(attempts.length - rejected.length).toBe(1);
        for (const attempt of rejected) {
          expect(attempt.reason).toBeInstanceOf(VersionConflictError);
        }
        expect((await stores[1]!.listAudit({ action: 'feature.update' })).entries).toHaveLength(1);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('agrees across stores on the one assignment each unit keeps', async () => {
      const stores = await openShared(2);
      try {
        const units = Array.from({ length: 20 }, (_, index) => `unit-${index}`);
        // Every unit is assigned by both stores at once, each proposing its own arm.
        const results = await Promise.all(
          units.flatMap((unitId) =>
            stores.map((store, index) =>
              store.assignOnce({ experiment: 'tone', unitId, variant: `arm-${index}`, seed: 's', at: index }),
            ),
          ),
        );
        for (const [position, unitId] of units.entries()) {
          const [first, second] = results.slice(position * 2, position * 2 + 2);
          expect(second).toEqual(first);
          expect(await stores[1]!.findAssignment('tone', unitId)).toEqual(first);
        }
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('hands out gap-free revisions in commit order across stores', async () => {
      const stores = await openShared(2);
      try {
        const written = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            stores[index % 2]!.createFeature(testFeature(`feature-${index}`), { actor: 'a' }),
          ),
        );
        const revisions = written.map((feature) => feature.revision).sort((left, right) => left - right);
        expect(revisions).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
        // Audit ids follow commit order; revisions must too, or a poller could skip a late commit.
        const audit = (await stores[0]!.listAudit({ limit: 20 })).entries.reverse();
        const revisionOf = new Map(written.map((feature) => [`feature:${feature.key}`, feature.revision]));
        expect(audit.map((entry) => revisionOf.get(entry.target))).toEqual(revisions);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });
  });
});

describe.skipIf(postgres === undefined)('PostgreSQL migrations beside other schemas', () => {
  it('open while other processes create and drop their own schemas', async () => {
    const pg = await import('pg');
    const churn = new pg.default.Client({ connectionString: postgres?.url });
    await churn.connect();
    let churning = true;
    const loop = (async () => {
      for (let round = 0; churning && round < 400; round++) {
        const name = `sy_churn_${process.pid}_${round}`;
        await churn.query(`create schema ${name}; create table ${name}.t (id int)`);
        await churn.query(`drop schema ${name} cascade`);
        // Test suites drop their schemas now and then, not back to back.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      const stores = await Promise.all(
        Array.from({ length: 6 }, () => openStore(postgres?.schemaUrl() as string)),
      );
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      churning = false;
      await loop;
      await churn.end();
    }
  });
});
