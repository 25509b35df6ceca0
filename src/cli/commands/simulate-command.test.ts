import { describe, expect, it } from 'vitest';
import { runCliCapturing } from '../run-cli.test-helper.js';

const where = { env: {}, cwd: process.cwd() };

describe('switchyard simulate guardrails', () => {
  it.each([
    [['--seeds', '0'], /^switchyard: invalid --seeds: "0" must be an integer from 1 to 1,000\n$/],
    [['--seeds', 'many'], /^switchyard: invalid --seeds: "many"/],
    [['--scenario', 'e'], /^switchyard: invalid --scenario: "e" must be a, b, c, d or all\n$/],
    [
      ['--requests', '50'],
      /^switchyard: invalid --requests: "50" must be an integer from 200 to 1,000,000\n$/,
    ],
    [['--first-seed', '-1'], /^switchyard: invalid --first-seed: "-1"/],
  ])('exits 2 with one line naming the option for %j', async (flags, message) => {
    const result = await runCliCapturing(['simulate', 'guardrails', ...flags], where);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runCliCapturing(['simulate', 'guardrails', '--sedes', '3'], where);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--sedes'");
  });

  it('describes the scenarios and the baselines in --help', async () => {
    const result = await runCliCapturing(['simulate', 'guardrails', '--help'], where);
    expect(result.code).toBe(0);
    for (const text of ['--seeds <n>', '--scenario <id>', '--requests <n>', '--json', 'failureLimit 3']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('runs a short simulation and prints every run as JSON', async () => {
    const result = await runCliCapturing(
      ['simulate', 'guardrails', '--scenario', 'c', '--seeds', '2', '--requests', '300', '--json'],
      where,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.settings).toMatchObject({
      scenarios: ['c'],
      seeds: 2,
      maxRequests: 300,
      interrupted: false,
    });
    expect(report.results).toHaveLength(1);
    const [scenario] = report.results;
    expect(scenario).toMatchObject({ scenario: 'c', harmful: false });
    expect(scenario.seeds.map((seed: { seed: number }) => seed.seed)).toEqual([1, 2]);
    for (const seed of scenario.seeds) {
      expect(seed.requests).toBe(300);
      expect(seed.methods.relative).toMatchObject({ rolledBack: false, atMs: null });
    }
    // A method that never rolled back has no median: Infinity reads null in JSON.
    expect(scenario.summary.relative).toMatchObject({ runs: 2, rolledBack: 0, v2RequestsMedian: null });
  }, 60_000);
});
