import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRng } from '../../stats/create-rng.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

const RATES: Record<string, number> = { a: 0.1, b: 0.2, c: 0.5 };

/** A bandit through the real server: weights move toward the best arm, assigned units stay in theirs. */
describe('bandit re-weighing', () => {
  let now = 1_800_000_000_000;
  let test: TestServer;

  beforeEach(async () => {
    test = await startTestServer({
      features: [
        {
          key: 'onboarding',
          defaultVariant: 'a',
          variants: { a: { type: 'handler' }, b: { type: 'handler' }, c: { type: 'handler' } },
          rules: [{ id: 'bandit', split: { a: 1, b: 1, c: 1 } }],
        },
      ],
      handlers: { a: () => 'a', b: () => 'b', c: () => 'c' },
      clock: () => now,
      random: createRng(3),
      banditTickMs: 3_600_000,
    });
  });
  afterEach(() => test.close());

  const sy = () => test.server.context.switchyard;
  const run = async (userId: string, random: () => number) => {
    const result = await sy().run('onboarding', { attributes: { userId } }, { input: 'recommend' });
    sy().feedback(result.requestId, { accepted: random() < (RATES[result.variant] ?? 0) });
    return result;
  };
  const flushed = (count: number) =>
    vi.waitFor(() => expect(sy().telemetryStats().written).toBeGreaterThanOrEqual(count), { timeout: 5_000 });

  it('shifts traffic to the best arm, keeps assigned units, and audits each step as the bandit', async () => {
    const created = await test.call('POST', '/api/experiments', {
      body: {
        key: 'onboarding-bandit',
        feature: 'onboarding',
        primaryMetric: 'acceptance-rate',
        allocation: { type: 'bandit', intervalMs: 60_000, burnIn: 30, minWeight: 0.02 },
      },
    });
    expect(created.statusCode).toBe(201);
    await test.call('POST', '/api/experiments/onboarding-bandit/start');

    const random = createRng(11);
    const firstArm = new Map<string, string>();
    let events = 0;
    for (let period = 0; period < 4; period += 1) {
      for (let index = 0; index < 300; index += 1) {
        const userId = `p${period}-u${index}`;
        const result = await run(userId, random);
        firstArm.set(userId, result.variant);
        events += 3;
      }
      await flushed(events);
      now += 60_000;
      await test.server.context.bandits.tick();
    }

    const experiment = (await test.call('GET', '/api/experiments/onboarding-bandit')).json();
    expect(experiment.weightHistory).toHaveLength(5);
    const last = experiment.weightHistory.at(-1).weights;
    expect(last.c).toBeGreaterThan(0.8);
    expect(last.a).toBeGreaterThanOrEqual(0.02 - 1e-9);
    expect(
      Object.values(last as Record<string, number>).reduce((sum, weight) => sum + weight, 0),
    ).toBeCloseTo(1, 9);
    const feature = (await test.call('GET', '/api/features/onboarding')).json();
    expect(feature.config.rules[0].split).toEqual(last);

    // Units of the first period, assigned under equal weights, keep their arm now that c dominates.
    const early = [...firstArm].filter(([userId]) => userId.startsWith('p0-')).slice(0, 60);
    for (const [userId, variant] of early) {
      const decision = await sy().decideAsync('onboarding', { attributes: { userId } });
      expect(decision).toMatchObject({ variant, reason: 'STICKY' });
    }
    const audit = (
      await test.call('GET', '/api/audit?target=experiment:onboarding-bandit&action=experiment.reweigh')
    ).json();
    expect(audit.entries).toHaveLength(4);
    expect(audit.entries.every((entry: { actor: string }) => entry.actor === 'bandit')).toBe(true);
    // Newest first: the reason leads with the weights written, as percentages.
    const shares = Object.entries(last as Record<string, number>).map(
      ([arm, weight]) =>
        `${arm} ${weight * 100 < 10 ? (weight * 100).toFixed(1) : Math.round(weight * 100)} %`,
    );
    expect(audit.entries[0].reason).toMatch(new RegExp(`^weights ${shares.join(', ')}; `));
    expect(audit.entries.at(-1).reason).toMatch(
      /^weights a [\d.]+ %, b [\d.]+ %, c [\d.]+ %; period-weighted/,
    );

    // The results judge the bandit by its posteriors and stopping rule, never by a fixed-horizon test.
    const { analysis } = (await test.call('GET', '/api/experiments/onboarding-bandit/results')).json();
    expect(analysis.bandit.decision.rule).toContain('P(best) >= 95 % at the last two looks');
    expect(analysis.bandit.arms.map((arm: { variant: string }) => arm.variant)).toEqual(['a', 'b', 'c']);
    const c = analysis.bandit.arms[2];
    expect(c.probabilityBest).toBeGreaterThan(0.99);
    expect(c.credibleInterval[0]).toBeLessThan(0.5);
    expect(c.credibleInterval[1]).toBeGreaterThan(0.5);
    expect(analysis.bandit.regret).toBeGreaterThan(0);
    expect(analysis.verdict).toEqual({ verdict: 'best arm found', winner: 'c' });
  });

  it('does nothing before the interval has passed', async () => {
    await test.call('POST', '/api/experiments', {
      body: {
        key: 'b',
        feature: 'onboarding',
        primaryMetric: 'acceptance-rate',
        allocation: { type: 'bandit', intervalMs: 60_000 },
      },
    });
    await test.call('POST', '/api/experiments/b/start');
    now += 59_999;
    await test.server.context.bandits.tick();
    const experiment = (await test.call('GET', '/api/experiments/b')).json();
    expect(experiment.weightHistory).toHaveLength(1);
    expect(experiment.version).toBe(2);
  });
});
