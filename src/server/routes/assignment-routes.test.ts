import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from '../../core/feature-config.js';
import { startTestServer, type TestServer } from '../server.test-helper.js';

const FEATURE: FeatureConfigInput = {
  key: 'coach-reply',
  defaultVariant: 'v1',
  variants: { v1: { type: 'handler' }, v2: { type: 'handler' } },
  rules: [{ id: 'coach-test-split', split: { v1: 50, v2: 50 } }],
};

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ features: [FEATURE] });
  const created = await test.call('POST', '/api/experiments', {
    body: { key: 'coach-test', feature: 'coach-reply', primaryMetric: 'acceptance-rate' },
  });
  expect(created.statusCode).toBe(201);
});
afterAll(() => test.close());

const store = (token: string, body: Record<string, unknown>) =>
  test.call('POST', '/api/assignments', {
    token,
    body: { experiment: 'coach-test', seed: 'coach-test-split', ...body },
  });
const lookup = async (unitId: string) =>
  (
    await test.call('POST', '/api/assignments', {
      token: test.tokens.viewer,
      body: { experiment: 'coach-test', unitId },
    })
  ).json().assignment;

describe('POST /api/assignments', () => {
  it('stores arms only for a running experiment, only its own arms, only for sdk, editor and admin', async () => {
    const draft = await store(test.tokens.sdk, { unitId: 'early', variant: 'v2' });
    expect(draft.statusCode).toBe(409);
    expect(draft.json().error).toMatchObject({ code: 'EXPERIMENT_NOT_RUNNING', path: 'experiment' });
    expect(draft.json().error.message).toContain('draft');

    expect((await test.call('POST', '/api/experiments/coach-test/start', { body: {} })).statusCode).toBe(200);

    const viewer = await store(test.tokens.viewer, { unitId: 'biased', variant: 'v2' });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().error.message).toContain('"assign"');
    expect(await lookup('biased')).toBeNull();

    for (const [role, token] of [
      ['sdk', test.tokens.sdk],
      ['editor', test.tokens.editor],
      ['admin', test.tokens.admin],
    ] as const) {
      const stored = await store(token, { unitId: `unit-${role}`, variant: 'v2' });
      expect(stored.statusCode, role).toBe(200);
      expect(stored.json().assignment).toMatchObject({ experiment: 'coach-test', variant: 'v2' });
      expect(await lookup(`unit-${role}`)).toMatchObject({ variant: 'v2' });
    }

    const unknownExperiment = await test.call('POST', '/api/assignments', {
      token: test.tokens.sdk,
      body: { experiment: 'nosuch', unitId: 'u', variant: 'v1', seed: 's' },
    });
    expect(unknownExperiment.statusCode).toBe(404);
    expect(unknownExperiment.json().error).toMatchObject({ code: 'EXPERIMENT_NOT_FOUND' });
    expect(unknownExperiment.json().error.message).toContain('nosuch');

    const unknownArm = await store(test.tokens.sdk, { unitId: 'odd', variant: 'v9' });
    expect(unknownArm.statusCode).toBe(400);
    expect(unknownArm.json().error).toMatchObject({ code: 'INVALID_INPUT', path: 'variant' });
    expect(unknownArm.json().error.message).toContain('"v9" is not an arm of experiment "coach-test"');
    expect(await lookup('odd')).toBeNull();

    expect((await test.call('POST', '/api/experiments/coach-test/pause', { body: {} })).statusCode).toBe(200);
    const paused = await store(test.tokens.sdk, { unitId: 'late', variant: 'v1' });
    expect(paused.statusCode).toBe(409);
    expect(await lookup('late')).toBeNull();
  });

  it('lets every role look up a unit, an unknown experiment included', async () => {
    for (const token of Object.values(test.tokens)) {
      const response = await test.call('POST', '/api/assignments', {
        token,
        body: { experiment: 'nosuch', unitId: 'u-1' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ assignment: null });
    }
  });
});
