import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSwitchyard } from '../runtime/client/create-switchyard.js';
import { createRng } from '../stats/create-rng.js';
import { postgresTestDatabase } from '../store/testing/postgres-test-database.js';
import { runCliCapturing } from './run-cli.test-helper.js';

const feature = `
key: coach-reply
defaultVariant: v1
variants:
  v1: { type: handler }
  v2: { type: handler }
rules:
  - id: coach-split
    split: { v1: 50, v2: 50 }
`;

const postgres = await postgresTestDatabase('cli-experiments');
const stores = [
  { name: 'SQLite', url: (directory: string) => `sqlite:${join(directory, 'experiments.db')}`, skip: false },
  { name: 'PostgreSQL', url: () => postgres?.schemaUrl() ?? '', skip: postgres === undefined },
];

afterAll(async () => {
  await postgres?.cleanup();
});

for (const store of stores) {
  describe.skipIf(store.skip)(`switchyard experiments on ${store.name}`, () => {
    let directory = '';
    let url = '';
    const run = (...argv: string[]) => runCliCapturing(argv, { env: { SWITCHYARD_DB: url }, cwd: directory });

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'switchyard-experiments-'));
      url = store.url(directory);
      await writeFile(join(directory, 'coach.yaml'), feature);
      expect((await run('features', 'apply', 'coach.yaml')).code).toBe(0);
    });
    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('creates, starts, analyses traffic from an SDK, pauses and promotes, all audited', async () => {
      const created = await run(
        'experiments',
        'create',
        '--key',
        'coach-test',
        '--feature',
        'coach-reply',
        '--primary',
        'acceptance-rate',
        '--guardrail',
        'error-rate',
        '--sequential',
      );
      expect(created).toEqual({
        code: 0,
        stdout: 'created coach-test on coach-reply rule coach-split (arms v1, v2; control v1)\n',
        stderr: '',
      });
      expect((await run('experiments', 'results', 'coach-test')).stdout).toContain('not started yet');
      expect((await run('experiments', 'start', 'coach-test', '--reason', 'go')).stdout).toBe(
        'coach-test is running (feature coach-reply version 2)\n',
      );

      // An application on the same store serves 300 users; v2 is accepted far more often.
      const sy = await createSwitchyard({
        store: url,
        handlers: { v1: () => 'legacy', v2: () => 'new' },
        telemetry: { flushOnSignals: false },
      });
      const random = createRng(5);
      for (let index = 0; index < 300; index += 1) {
        const result = await sy.run('coach-reply', { attributes: { userId: `u-${index}` } }, { input: 'hi' });
        sy.feedback(result.requestId, { accepted: random() < (result.variant === 'v2' ? 0.7 : 0.3) });
      }
      await sy.close();

      const results = await run('experiments', 'results', 'coach-test');
      expect(results.code).toBe(0);
      expect(results.stdout).toContain('sequential (always valid)');
      expect(results.stdout).toContain('verdict: significant win (v2)');
      expect(results.stdout).toMatch(/acceptance-rate \(primary, higher is better\)/);
      expect(results.stdout).toMatch(/v2\s+\d+\s+0\.\d+.*significant win/);
      const json = JSON.parse((await run('experiments', 'results', 'coach-test', '--json')).stdout);
      expect(json.analysis.arms.reduce((sum: number, arm: { units: number }) => sum + arm.units, 0)).toBe(
        300,
      );

      expect((await run('experiments', 'pause', 'coach-test')).stdout).toBe(
        'coach-test is paused (feature coach-reply version 3)\n',
      );
      expect((await run('experiments', 'promote', 'coach-test', 'v2', '--reason', 'won')).stdout).toBe(
        'promoted v2 in coach-test (feature coach-reply version 4)\n',
      );
      const list = await run('experiments', 'list');
      expect(list.stdout).toMatch(/coach-test\s+coach-reply\s+promoted\s+v1,v2\s+acceptance-rate\s+fixed/);
      const history = await run('features', 'history', 'coach-reply');
      expect(history.stdout).toMatch(/cli\s+experiment\.promote\s+4\s+won/);
      expect(history.stdout).toMatch(/cli\s+experiment\.start\s+2\s+go/);
    });

    it('answers bad input with exit code 2 and one line naming the field', async () => {
      const badMetric = await run(
        'experiments',
        'create',
        '--key',
        'x',
        '--feature',
        'coach-reply',
        '--primary',
        'clicks',
      );
      expect(badMetric.code).toBe(2);
      expect(badMetric.stderr).toMatch(/^switchyard: invalid experiment: primaryMetric: must be one of/);
      const badNumber = await run(
        'experiments',
        'create',
        '--key',
        'x',
        '--feature',
        'coach-reply',
        '--primary',
        'error-rate',
        '--alpha',
        'often',
      );
      expect(badNumber).toMatchObject({
        code: 2,
        stderr: 'switchyard: invalid --alpha: "often" is not a number\n',
      });
      const noSuch = await run('experiments', 'start', 'nope');
      expect(noSuch).toMatchObject({ code: 2, stderr: 'switchyard: experiment "nope" not found\n' });
      const done = await run('experiments', 'resume', 'coach-test');
      expect(done).toMatchObject({
        code: 2,
        stderr: 'switchyard: experiment "coach-test": cannot resume from promoted\n',
      });
    });
  });
}
