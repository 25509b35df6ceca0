import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { decisionEvent } from '../../store/store-events.case.js';
import { runCliCapturing } from '../run-cli.test-helper.js';

let directory: string | undefined;
afterEach(() => (directory ? rm(directory, { recursive: true, force: true }) : undefined));

describe('switchyard units erase', () => {
  it("erases the unit's events and assignments and prints the counts", async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-units-'));
    const url = `sqlite:${join(directory, 'store.db')}`;
    const store = await openStore(url);
    await store.appendEvents([
      decisionEvent('d-a', { unitId: 'alice' }),
      decisionEvent('d-b', { unitId: 'bob' }),
    ]);
    await store.assignOnce({ experiment: 'coach-test', unitId: 'alice', variant: 'v2', seed: 's', at: 1 });
    await store.close();
    const run = (unit: string) =>
      runCliCapturing(['--db', url, 'units', 'erase', unit], { env: {}, cwd: directory as string });
    expect(await run('alice')).toMatchObject({
      code: 0,
      stdout: '{"erased":{"events":1,"assignments":1,"preferences":0}}\n',
    });
    expect(await run('alice')).toMatchObject({
      code: 0,
      stdout: '{"erased":{"events":0,"assignments":0,"preferences":0}}\n',
    });
    const after = await openStore(url);
    expect((await after.listEvents({ limit: 10 })).events.map((event) => event.id)).toEqual(['d-b']);
    await after.close();
  });
});
