import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeatureConfigInput } from '../core/feature-config.js';
import { createRng } from '../stats/create-rng.js';
import { startTestServer, type TestServer } from './server.test-helper.js';

const FEATURE: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
  rules: [{ id: 'coach-test-split', split: { v1: 50, v2: 50 } }],
};

/**
 * The journey over the API: create an experiment on a split, start it, run units through the
 * runtime with feedback, read the results, pause, promote, with every step audited and bad input refused.
 */
describe('experiments over the API', () => {
  let now = 1_800_000_000_000;
  let test: TestServer;

  beforeEach(async () => {
    test = await startTestServer({
      features: [FEATURE],
      handlers: { v1: () => 'legacy', v2: () => 'new' },
      clock: () => now,
    });
  });
  afterEach(() => test.close());

  const json = async (method: 'GET' | 'POST', url: string, body?: unknown, token?: string) => {
    const response = await test.call(method, url, {
      ...(body === undefined ? {} : { body }),
      ...(token ? { token } : {}),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads JSON answers by path and asserts each value
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  };

  /** Runs `users` units through the server's runtime, accepting v2 answers more often than v1 ones. */
  const drive = async (users: number, offset = 0) => {
    const random = createRng(42 + offset);
    const variants: Record<string, string> = {};
    for (let index = offset; index < offset + users; index += 1) {
      const userId = `user-${index}`;
      const result = await test.server.context.switchyard.run(
        'coach-reply',
        { attributes: { userId } },
        { input: 'hi' },
      );
      variants[userId] = result.variant;
      const rate = result.variant === 'v2' ? 0.6 : 0.3;
      test.server.context.switchyard.feedback(result.requestId, { accepted: random() < rate });
    }
    return variants;
  };

  it('creates, starts, analyses, pauses and promotes, auditing each step', async () => {
    const created = await json('POST', '/api/experiments', {
      key: 'coach-test',
      feature: 'coach-reply',
      hypothesis: 'v2 answers are accepted more often',
      primaryMetric: 'acceptance-rate',
      guardrailMetrics: ['error-rate'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      config: {
        ruleId: 'coach-test-split',
        arms: ['v1', 'v2'],
        control: 'v1',
        correction: 'holm',
        minSamplePerArm: 30,
      },
    });

    const started = await json('POST', '/api/experiments/coach-test/start', { reason: 'launch' });
    expect(started.status).toBe(200);
    expect(started.body.experiment).toMatchObject({ status: 'running', startedAt: now });
    expect(started.body.feature.version).toBe(2);
    expect(started.body.feature.config.rules[0].experiment).toEqual({ key: 'coach-test', status: 'running' });

    now += 1_000;
    const assigned = await drive(400);
    now += 1_000;
    await vi.waitFor(
      async () => {
        const results = await json('GET', '/api/experiments/coach-test/results');
        const units = results.body.analysis.arms.reduce(
          (sum: number, arm: { units: number }) => sum + arm.units,
          0,
        );
        expect(units).toBe(400);
      },
      { timeout: 5_000, interval: 50 },
    );
    const results = await json('GET', '/api/experiments/coach-test/results');
    expect(results.status).toBe(200);
    const { analysis } = results.body;
    expect(analysis.srm.mismatch).toBe(false);
    const primary = analysis.metrics[0];
    expect(primary).toMatchObject({ metric: 'acceptance-rate', role: 'primary', kind: 'proportion' });
    const [comparison] = primary.comparisons;
    expect(comparison.variant).toBe('v2');
    expect(comparison.diff).toBeGreaterThan(0.15);
    expect(comparison.pValue).toBeLessThan(0.001);
    expect(comparison.adjustedPValue).toBeGreaterThanOrEqual(comparison.pValue);
    expect(comparison.verdict).toBe('significant win');
    expect(comparison.chanceToBeatControl).toBeGreaterThan(0.99);
    expect(analysis.verdict).toEqual({ verdict: 'significant win', winner: 'v2' });
    const guardrail = analysis.metrics.find((metric: { role: string }) => metric.role === 'guardrail');
    expect(guardrail.comparisons[0].verdict).toBe('no significant difference');

    expect((await json('POST', '/api/experiments/coach-test/pause', { reason: 'holiday' })).status).toBe(200);
    // Assigned units keep their arm while paused; new units are not enrolled and get the default.
    const [firstUser, firstVariant] = Object.entries(assigned)[0] as [string, string];
    const again = await json('POST', '/api/decide', {
      feature: 'coach-reply',
      context: { attributes: { userId: firstUser } },
    });
    expect(again.body).toMatchObject({ variant: firstVariant, reason: 'STICKY' });
    const fresh = await json('POST', '/api/decide', {
      feature: 'coach-reply',
      context: { attributes: { userId: 'new-user' } },
    });
    expect(fresh.body).toMatchObject({ variant: 'v1', reason: 'DEFAULT' });

    const promoted = await json('POST', '/api/experiments/coach-test/promote', {
      variant: 'v2',
      reason: 'clear win',
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.experiment).toMatchObject({ status: 'promoted', winner: 'v2', endedAt: now });
    expect(promoted.body.feature.config.rules[0]).toEqual({ id: 'coach-test-split', serve: 'v2' });
    const everyone = await json('POST', '/api/decide', {
      feature: 'coach-reply',
      context: { attributes: { userId: firstUser } },
    });
    expect(everyone.body).toMatchObject({ variant: 'v2', reason: 'TARGETING_MATCH' });

    const audit = await json('GET', '/api/audit?target=experiment:coach-test');
    expect(audit.body.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'experiment.promote',
      'experiment.pause',
      'experiment.start',
      'experiment.create',
    ]);
    const featureAudit = await json('GET', '/api/features/coach-reply/history');
    expect(
      featureAudit.body.entries
        .slice(0, 3)
        .map((entry: { action: string; reason: string }) => [entry.action, entry.reason]),
    ).toEqual([
      ['experiment.promote', 'clear win'],
      ['experiment.pause', 'holiday'],
      ['experiment.start', 'launch'],
    ]);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const before = await test.snapshot();
    const badMetric = await json('POST', '/api/experiments', {
      key: 'x',
      feature: 'coach-reply',
      primaryMetric: 'clicks',
    });
    expect(badMetric.status).toBe(422);
    expect(badMetric.body.error.path).toBe('primaryMetric');
    const badControl = await json('POST', '/api/experiments', {
      key: 'x',
      feature: 'coach-reply',
      primaryMetric: 'error-rate',
      control: 'v9',
    });
    expect(badControl.body.error.path).toBe('control');
    const noFeature = await json('POST', '/api/experiments', {
      key: 'x',
      feature: 'nope',
      primaryMetric: 'error-rate',
    });
    expect(noFeature.body.error.path).toBe('feature');
    expect(await test.snapshot()).toEqual(before);

    await json('POST', '/api/experiments', {
      key: 'coach-test',
      feature: 'coach-reply',
      primaryMetric: 'error-rate',
    });
    const taken = await json('POST', '/api/experiments', {
      key: 'other',
      feature: 'coach-reply',
      primaryMetric: 'error-rate',
    });
    expect(taken.status).toBe(422);
    expect(taken.body.error.message).toContain('belongs to experiment "coach-test"');
    const resume = await json('POST', '/api/experiments/coach-test/resume');
    expect(resume.status).toBe(409);
    expect(resume.body.error.code).toBe('INVALID_TRANSITION');
    await json('POST', '/api/experiments/coach-test/start');
    const middle = await test.snapshot();
    const badWinner = await json('POST', '/api/experiments/coach-test/promote', { variant: 'v9' });
    expect(badWinner.status).toBe(400);
    expect(badWinner.body.error.path).toBe('variant');
    const viewer = await json('POST', '/api/experiments/coach-test/stop', {}, test.tokens.viewer);
    expect(viewer.status).toBe(403);
    expect(await test.snapshot()).toEqual(middle);
    expect((await json('GET', '/api/experiments/nope/results')).status).toBe(404);
  });

  it('stops an experiment: the rule serves the control, and promote still works afterwards', async () => {
    await json('POST', '/api/experiments', {
      key: 'coach-test',
      feature: 'coach-reply',
      primaryMetric: 'error-rate',
    });
    await json('POST', '/api/experiments/coach-test/start');
    const stopped = await json('POST', '/api/experiments/coach-test/stop');
    expect(stopped.body.feature.config.rules[0]).toEqual({ id: 'coach-test-split', serve: 'v1' });
    const promoted = await json('POST', '/api/experiments/coach-test/promote', { variant: 'v2' });
    expect(promoted.body.feature.config.rules[0]).toEqual({ id: 'coach-test-split', serve: 'v2' });
    const list = await json('GET', '/api/experiments?status=promoted');
    expect(list.body.map((experiment: { key: string }) => experiment.key)).toEqual(['coach-test']);
  });

  it('keeps the experiment mark on its rule when the feature file is applied again', async () => {
    await json('POST', '/api/experiments', {
      key: 'coach-test',
      feature: 'coach-reply',
      primaryMetric: 'error-rate',
    });
    const started = await json('POST', '/api/experiments/coach-test/start');
    const reapplied = await test.call('PUT', `/api/features/coach-reply?reason=edit`, {
      body: { ...FEATURE, description: 'edited', version: started.body.feature.version },
    });
    expect(reapplied.statusCode).toBe(200);
    expect(reapplied.json().config.rules[0].experiment).toEqual({ key: 'coach-test', status: 'running' });
  });
});
