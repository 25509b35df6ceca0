import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN } from '../../server/server.test-helper.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { runCliCapturing } from '../run-cli.test-helper.js';
import { parseDuration } from './demo-flags.js';
import { type DemoReport, runDemo } from './run-demo.js';

const FEATURES = [
  'persona-generation',
  'coach-reply',
  'session-builder',
  'onboarding-recommendations',
  'persona-details',
];

// Speed 6 for 25 s is two and a half demo minutes at about 110 requests a second: enough data for every verdict
// below, and light enough to run beside other test files on a two-core machine.
describe('switchyard demo, 25 s at speed 6', () => {
  let store: Store;
  let report: DemoReport;
  let output = '';

  beforeAll(async () => {
    store = await openStore('sqlite::memory:');
    report = await runDemo({
      store,
      port: 0,
      durationMs: 25_000,
      speed: 6,
      seed: 7,
      adminToken: TEST_ADMIN_TOKEN,
      progress: 'plain',
      write: (text) => {
        output += text;
      },
    });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  const feature = (key: string) => {
    const found = report.features.find((summary) => summary.feature === key);
    if (!found) throw new Error(`no summary for ${key}`);
    return found;
  };

  it('sends traffic to every feature, through the SDK and the gateway, and stops by itself', () => {
    expect(report.stoppedBy).toBe('duration');
    expect(report.features.map((summary) => summary.feature)).toEqual(FEATURES);
    for (const key of FEATURES) expect(feature(key).metrics.requests, key).toBeGreaterThan(50);
    expect(feature('onboarding-recommendations').via).toBe('gateway');
    expect(feature('coach-reply').via).toBe('sdk');
    expect(report.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('records feedback: acceptance, ratings and session selections', () => {
    expect(feature('coach-reply').metrics.feedback.accepted).toBeGreaterThan(50);
    expect(feature('persona-details').metrics.feedback.ratings).toBeGreaterThan(10);
    const selections = feature('session-builder').selections;
    expect(Object.keys(selections).length).toBeGreaterThanOrEqual(3);
    // The users pick rag-progressive in 42 % of sessions and the baseline in 12 %. Which runs' picks land in
    // 25 s depends on timing, so the counts are a sample of about 150: the favourite against the runner-up
    // (26 %) would be a coin with a bias the sample cannot always show; against the baseline it is decisive.
    expect(selections['rag-progressive'] ?? 0).toBeGreaterThan(selections.baseline ?? 0);
  });

  it('applies the coaching limits and the derived-key cache', () => {
    expect(feature('coach-reply').outcome).toMatch(/\d+ rate-limited/);
    expect(feature('persona-details').metrics.cacheHitRate).toBeGreaterThan(0.3);
  });

  it('moves the bandit towards the arm users accept most', () => {
    const bandit = feature('onboarding-recommendations').experiment;
    expect(bandit?.allocation).toBe('bandit');
    expect(bandit?.reweighs).toBeGreaterThan(2);
    // True acceptance: personalized-history 50 %, personalized 30 %, control 22 %; the weights start equal.
    const weights = bandit?.weights ?? {};
    expect(weights['personalized-history']).toBeGreaterThan(0.45);
    expect(weights['personalized-history']).toBe(Math.max(...Object.values(weights)));
    expect(report.events.some((line) => line.includes('onboarding-bandit re-weighed'))).toBe(true);
  });

  it('lets the fixed A/B test reach a verdict for coach V2', () => {
    const test = feature('coach-reply').experiment;
    expect(test?.allocation).toBe('fixed');
    expect(test?.verdict).toBe('significant win');
    expect(test?.winner).toBe('v2');
  });

  it('rolls the failing Qloo-first ramp back by its rule, with an alert and monitor audit entries', async () => {
    const ramp = feature('persona-generation').ramp;
    expect(ramp?.status).toBe('rolled-back');
    expect(ramp?.rollback?.ruleId).toBe('qloo-fallbacks');
    expect(feature('persona-generation').killed).toBe(true);
    const alerts = await store.listAlerts({ feature: 'persona-generation' });
    expect(
      alerts.alerts.some((alert) => alert.ruleId === 'qloo-fallbacks' && alert.action === 'rollback'),
    ).toBe(true);
    const audit = await store.listAudit({ target: 'feature:persona-generation', actor: 'monitor' });
    expect(audit.entries.length).toBeGreaterThan(0);
    expect(feature('persona-generation').outcome).toMatch(/rolled back by rule qloo-fallbacks at \d+:\d\d/);
  });

  it('prints the URL, the admin token, progress lines and the summary table', () => {
    expect(output).toContain(`dashboard    ${report.url}/`);
    expect(output).toContain(TEST_ADMIN_TOKEN);
    expect(output).toMatch(/\d+:\d\d\/0:25 {2}[\d,]+ requests, \d+\/s/);
    expect(output).toMatch(/onboarding-bandit (control|personalized|personalized-history) \d/);
    const table = output.slice(output.indexOf('Summary after'));
    expect(table).toMatch(
      /FEATURE\s+VIA\s+REQUESTS\s+ERRORS\s+FALLBACKS\s+CACHE HITS\s+P95\s+COST\s+ACCEPTED\s+WHAT HAPPENED/,
    );
    for (const key of FEATURES) expect(table).toMatch(new RegExp(`^${key}\\s+(sdk|gateway)\\s+[\\d,]+`, 'm'));
  });
});

describe('switchyard demo, stopped early', () => {
  it('stops on abort (Ctrl-C), closes the server and still prints the summary', async () => {
    const store = await openStore('sqlite::memory:');
    const stop = new AbortController();
    let output = '';
    const timer = setTimeout(() => stop.abort(), 2_500);
    try {
      const report = await runDemo({
        store,
        port: 0,
        durationMs: 600_000,
        speed: 5,
        seed: 3,
        adminToken: TEST_ADMIN_TOKEN,
        progress: 'quiet',
        write: (text) => {
          output += text;
        },
        signal: stop.signal,
      });
      expect(report.stoppedBy).toBe('signal');
      expect(report.elapsedMs).toBeLessThan(60_000);
      expect(report.requests).toBeGreaterThan(0);
      expect(output).toContain('Summary after');
      await expect(fetch(`${report.url}/health`)).rejects.toThrow();
    } finally {
      clearTimeout(timer);
      await store.close();
    }
  }, 30_000);
});

describe('switchyard demo flags', () => {
  const where = { env: {}, cwd: tmpdir() };

  it('reads durations such as 3m, 90s, 1m30s, 500ms and bare seconds', () => {
    expect(parseDuration('3m')).toBe(180_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1500ms')).toBe(1_500);
    expect(parseDuration('45')).toBe(45_000);
    expect(() => parseDuration('500ms')).toThrow('between 1s and 24h');
    expect(() => parseDuration('3 minutes')).toThrow('invalid --duration');
  });

  it('says in --help that the demo file is recreated, and takes no --db', async () => {
    const help = await runCliCapturing(['demo', '--help'], where);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('DELETED and recreated');
    expect(help.stdout).toMatch(/--duration <time>/);
    const withDb = await runCliCapturing(['--db', 'sqlite::memory:', 'demo'], where);
    expect(withDb.code).toBe(2);
    expect(withDb.stderr).toContain('--db-file');
  });

  it.each([
    [['--duration', 'soon'], '--duration'],
    [['--duration', '25h'], '--duration'],
    [['--speed', '0'], '--speed'],
    [['--port', '70000'], '--port'],
    [['--seed', '1.5'], '--seed'],
  ])('refuses %j with exit code 2 naming the flag', async (flags, name) => {
    const run = await runCliCapturing(['demo', ...flags], where);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`invalid ${name}`);
  });

  it('names the options npm kept for itself in `npm run demo --port 0`, and refuses stray arguments', async () => {
    const npm = { npm_lifecycle_event: 'demo', npm_config_port: 'true', npm_config_duration: 'true' };
    const eaten = await runCliCapturing(['demo', '0', '90s'], { env: npm, cwd: tmpdir() });
    expect(eaten).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'switchyard: npm kept --duration, --port for itself and passed on only "0 90s": ' +
        "put the demo's options after --, as in npm run demo -- --duration 90s --port 0\n",
    });
    const equals = await runCliCapturing(['demo'], {
      env: { npm_lifecycle_event: 'demo', npm_config_port: '0' },
      cwd: tmpdir(),
    });
    expect(equals.stderr).toContain('npm kept --port for itself and passed on nothing of them');
    const stray = await runCliCapturing(['demo', 'now'], where);
    expect(stray).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('demo takes no arguments, got "now"'),
    });
    const help = await runCliCapturing(['demo', '--help'], where);
    expect(help.stdout).toContain('npm run demo -- --duration 90s --port 0');
  });

  it('refuses to delete a --db-file that is not a SQLite database', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-demo-'));
    try {
      writeFileSync(join(directory, 'notes.db'), 'my notes');
      const run = await runCliCapturing(['demo', '--db-file', 'notes.db', '--port', '0'], {
        env: {},
        cwd: directory,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('not a SQLite database');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
