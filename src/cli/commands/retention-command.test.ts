import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { callEvent, decisionEvent } from '../../store/store-events.case.js';
import { runCliCapturing } from '../run-cli.test-helper.js';

const DAY = 86_400_000;
let directory: string;
let url: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-retention-'));
  url = `sqlite:${join(directory, 'store.db')}`;
  const store = await openStore(url);
  const now = Date.now();
  await store.appendEvents([
    decisionEvent('d-old', { at: now - 30 * DAY }),
    callEvent('c-mid', { at: now - 10 * DAY, prompt: 'p', output: 'o' }),
    callEvent('c-new', { at: now - 1_000, prompt: 'p', output: 'o' }),
  ]);
  await store.close();
});
afterEach(() => rm(directory, { recursive: true, force: true }));

const run = (...argv: string[]) =>
  runCliCapturing(['--db', url, 'retention', 'run', ...argv], { env: {}, cwd: directory });

describe('switchyard retention run', () => {
  it('applies the config file windows, the flags winning, prints the counts and audits as cli', async () => {
    await writeFile(join(directory, 'switchyard.yaml'), 'retention: { events: 20d, content: 1d }\n');
    const result = await run('--events', '60d');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({
      deleted: { events: 0, audit: 0 },
      scrubbed: { events: 1 },
    });
    const again = await run('--events', '20d');
    expect(JSON.parse(again.stdout)).toMatchObject({ deleted: { events: 1 }, scrubbed: { events: 0 } });
    const store = await openStore(url);
    try {
      expect((await store.listEvents({ limit: 10 })).events.map((event) => event.id).sort()).toEqual([
        'c-mid',
        'c-new',
      ]);
      const audit = await store.listAudit({ action: 'retention.run' });
      expect(audit.entries.map((entry) => entry.actor)).toEqual(['cli', 'cli']);
    } finally {
      await store.close();
    }
  });

  it('refuses a run without any window, and a malformed one naming the flag', async () => {
    expect(await run()).toMatchObject({ code: 2, stderr: expect.stringContaining('no retention window') });
    expect(await run('--content', '7 days')).toMatchObject({ stderr: expect.stringContaining('--content') });
  });
});
