import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { callEvent } from '../../store/store-events.case.js';
import { postgresTestDatabase } from '../../store/testing/postgres-test-database.js';
import { createServer, type SwitchyardServer } from '../create-server.js';
import { TEST_ADMIN_TOKEN } from '../server.test-helper.js';

// Under CI=true the helper throws when PostgreSQL is unreachable, so this suite cannot be skipped there.
const postgres = await postgresTestDatabase('monitor-lease');

const T0 = Date.parse('2026-05-04T12:00:00Z');

const coach: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
  alerts: [
    {
      kind: 'absolute',
      id: 'errors',
      metric: 'error-rate',
      comparator: '>',
      threshold: 0.02,
      minSamples: 20,
      windowMs: 300_000,
    },
  ],
};

describe.skipIf(postgres === undefined)('the monitor on two servers sharing PostgreSQL', () => {
  let now = T0;
  let first: SwitchyardServer;
  let second: SwitchyardServer;

  beforeAll(async () => {
    const shared = {
      store: postgres?.schemaUrl() as string,
      features: [coach],
      adminToken: TEST_ADMIN_TOKEN,
      clock: () => now,
      // Passes run only when the test asks, so both servers race on the same evaluation.
      monitor: { intervalMs: 3_600_000, leaseMs: 30_000 },
    };
    first = await createServer(shared);
    second = await createServer(shared);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await postgres?.cleanup();
  });

  it('lets exactly one act, keeps it while it renews, and hands over when it stops', async () => {
    const store = first.context.store;
    await store.appendEvents(
      Array.from({ length: 40 }, (_, index) =>
        callEvent(`run-${index}`, {
          at: now - 60_000 + index,
          outcome: index % 4 === 0 ? 'error' : 'success',
          errorClass: index % 4 === 0 ? 'server_error' : null,
          fallback: false,
        }),
      ),
    );
    const [one, two] = await Promise.all([first.context.monitor.tick(), second.context.monitor.tick()]);
    expect([one.leader, two.leader].filter(Boolean)).toHaveLength(1);
    const leader = one.leader ? first : second;
    const follower = one.leader ? second : first;
    expect([...one.opened, ...two.opened]).toHaveLength(1);
    expect([...one.opened, ...two.opened][0]?.alert).toMatchObject({
      ruleId: 'errors',
      variant: null,
      evidence: { value: 0.25, samples: 40, threshold: 0.02, comparator: '>' },
    });

    // The leader renews its lease; the follower keeps evaluating nothing; still one alert, one audit entry.
    now += 10_000;
    const [renewed, idle] = await Promise.all([
      leader.context.monitor.tick(),
      follower.context.monitor.tick(),
    ]);
    expect([renewed.leader, idle.leader]).toEqual([true, false]);
    expect(renewed.opened).toEqual([]);
    const alerts = await store.listAlerts({ feature: 'coach-reply' });
    expect(alerts.alerts).toHaveLength(1);
    expect(alerts.alerts[0]?.occurrences).toBe(2);
    const audit = await store.listAudit({ actor: 'monitor', action: 'alert.open' });
    expect(audit.entries).toHaveLength(1);

    // Closing gives the lease up: the other server acts on its next pass, and resolves the alert once the
    // window holds only healthy runs.
    await leader.close();
    now += 400_000;
    await follower.context.store.appendEvents(
      Array.from({ length: 30 }, (_, index) =>
        callEvent(`healthy-${index}`, { at: now - 1_000 + index, outcome: 'success', fallback: false }),
      ),
    );
    const takeover = await follower.context.monitor.tick();
    expect(takeover.leader).toBe(true);
    expect(takeover.resolved).toMatchObject([{ ruleId: 'errors', status: 'resolved' }]);
  });
});
