import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { runCliCapturing } from '../run-cli.test-helper.js';

describe('switchyard alerts', () => {
  let directory: string;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runCliCapturing(argv, { env, cwd: directory });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-alerts-'));
    env = { SWITCHYARD_DB: `sqlite:${join(directory, 'switchyard.db')}` };
    const store = await openStore(env.SWITCHYARD_DB as string);
    try {
      await store.openAlert({
        id: 'alert-a',
        ruleId: 'qloo-failures',
        feature: 'persona',
        variant: 'qloo',
        metric: 'failure-rate',
        severity: 'critical',
        action: 'rollback',
        evidence: {
          kind: 'relative',
          treatmentValue: 0.31,
          controlValue: 0.02,
          pValue: 0.0004,
          samples: { treatment: 250, control: 2400 },
        },
        at: Date.parse('2026-02-01T10:00:00Z'),
      });
    } finally {
      await store.close();
    }
  });

  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('lists alerts with their evidence and resolves one, audited', async () => {
    const listed = await cli('alerts', '--status', 'open');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('2026-02-01T10:00:00.000Z');
    expect(listed.stdout).toMatch(
      /open\s+critical\s+persona\s+qloo\s+qloo-failures\s+rollback\s+failure-rate 0.31 vs 0.02 \(p 0.0004, n 250\/2400\)/,
    );
    const resolved = await cli('alerts', 'resolve', 'alert-a', '--reason', 'rolled back, fixed upstream');
    expect(resolved).toMatchObject({ code: 0, stdout: 'alert alert-a is resolved\n' });
    expect((await cli('alerts', 'list', '--status', 'open')).stdout).toBe('no alerts\n');
    const json = JSON.parse((await cli('alerts', 'list', '--json')).stdout);
    expect(json).toMatchObject([{ id: 'alert-a', status: 'resolved' }]);
  });

  it('names bad options and unknown alerts', async () => {
    const status = await cli('alerts', 'list', '--status', 'closed');
    expect(status).toMatchObject({ code: 2 });
    expect(status.stderr).toContain('invalid --status: "closed" is not open or resolved');
    expect((await cli('alerts', '--limit', '0')).stderr).toContain('invalid --limit');
    const missing = await cli('alerts', 'resolve', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('alert "nope" not found');
  });
});
