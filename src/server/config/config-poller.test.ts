import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { featureConfigSchema } from '../../core/feature-config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { COACH } from '../server.test-helper.js';
import { type ConfigChange, type ConfigPoller, createConfigPoller } from './config-poller.js';

const writer = { actor: 'test' };
const feature = (key: string) => featureConfigSchema.parse({ ...COACH, key });
let store: Store;
const pollers: ConfigPoller[] = [];

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  for (const poller of pollers.splice(0)) poller.close();
  await store.close();
});

async function poller(): Promise<ConfigPoller> {
  // A long interval: these tests pull by hand.
  const created = await createConfigPoller({ store, intervalMs: 60_000 });
  pollers.push(created);
  return created;
}

describe('config poller', () => {
  it('gives the same document and ETag for the same store state, however it got there', async () => {
    await store.createFeature(feature('b'), writer);
    const early = await poller();
    await store.createFeature(feature('a'), writer);
    await store.archiveFeature('b', writer);
    await early.refresh();
    const late = await poller();
    expect(late.snapshot().document.features.map((entry) => entry.key)).toEqual(['a']);
    expect(late.snapshot().document.revision).toBe(3);
    expect(early.snapshot().etag).toBe(late.snapshot().etag);
    expect(early.snapshot().body).toBe(late.snapshot().body);
  });

  it('tells listeners of each pull that found changes, in write order, and of nothing else', async () => {
    const changes: ConfigChange[] = [];
    const subject = await poller();
    subject.subscribe((change) => changes.push(change));
    await subject.refresh();
    await store.createFeature(feature('z'), writer);
    await store.createFeature(feature('a'), writer);
    await subject.refresh();
    expect(changes.map((change) => [change.revision, change.features.map((entry) => entry.key)])).toEqual([
      [2, ['z', 'a']],
    ]);
  });

  it('keeps the last snapshot when a poll fails, and catches up on the next one', async () => {
    await store.createFeature(feature('a'), writer);
    const subject = await poller();
    const before = subject.snapshot();
    vi.spyOn(store, 'listFeatures').mockRejectedValueOnce(new Error('database is locked'));
    await expect(subject.refresh()).rejects.toThrow('database is locked');
    expect(subject.snapshot()).toBe(before);
    await store.createFeature(feature('b'), writer);
    await subject.refresh();
    expect(subject.snapshot().document.features).toHaveLength(2);
  });
});
