import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCapturing } from '../run-cli.test-helper.js';

const persona = {
  key: 'persona',
  defaultVariant: 'legacy',
  variants: { legacy: { type: 'handler' }, qloo: { type: 'handler' } },
  rules: [{ id: 'rollout', split: { qloo: 1 }, ramp: { steps: [5, 25, 100], minMinutesPerStep: 15 } }],
};
const plain = { key: 'plain', defaultVariant: 'v1', variants: { v1: { type: 'handler' } } };

describe('switchyard features ramp', () => {
  let directory: string;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCliCapturing(argv, { env, cwd: directory });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-ramp-'));
    env = { SWITCHYARD_DB: `sqlite:${join(directory, 'switchyard.db')}` };
    await writeFile(join(directory, 'features.json'), JSON.stringify([persona, plain]));
    expect((await cli('features', 'apply', 'features.json')).code).toBe(0);
  });

  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('shows, pauses and resumes a ramp, audited, and keeps its progress when the file is applied again', async () => {
    const status = await cli('features', 'ramp', 'persona');
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout).toContain('persona: ramp on rule "rollout" is running, step 1 of 3 (coverage 5 %)');
    expect(status.stdout).toContain('steps: 5 % -> 25 % -> 100 %; each at least 15 min and 100 runs');
    expect(status.stdout).toContain('not started');

    const paused = await cli(
      'features',
      'ramp',
      'persona',
      'pause',
      '--reason',
      'waiting for the Qloo quota',
    );
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('is paused, step 1 of 3');
    expect(paused.stdout).toContain('reason: waiting for the Qloo quota');
    const again = await cli('features', 'ramp', 'persona', 'pause');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('cannot pause from paused');

    // Applying the same plan again does not reset the ramp.
    expect((await cli('features', 'apply', 'features.json')).code).toBe(0);
    const json = JSON.parse((await cli('features', 'ramp', 'persona', 'status', '--json')).stdout);
    expect(json).toMatchObject({
      feature: 'persona',
      rule: 'rollout',
      status: 'paused',
      step: 0,
      coverage: 0.05,
    });

    const resumed = await cli('features', 'ramp', 'persona', 'resume');
    expect(resumed.stdout).toContain('is running, step 1 of 3');
    const history = await cli('features', 'history', 'persona', '--json');
    const actions = JSON.parse(history.stdout).map((entry: { action: string }) => entry.action);
    expect(actions.slice(0, 2)).toEqual(['ramp.resume', 'ramp.pause']);
  });

  it('refuses an unknown action and a feature without a ramp, naming them', async () => {
    const unknown = await cli('features', 'ramp', 'persona', 'rewind');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('invalid action "rewind": must be one of status, pause, resume');
    const none = await cli('features', 'ramp', 'plain');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('feature "plain" has no split rule with a ramp');
    const missing = await cli('features', 'ramp', 'nothing');
    expect(missing.stderr).toContain('feature "nothing" not found');
  });
});
