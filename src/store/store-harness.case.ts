import { afterEach, beforeEach } from 'vitest';
import { type FeatureConfig, type FeatureConfigInput, featureConfigSchema } from '../core/feature-config.js';
import type { OpenStoreOptions } from './open-store.js';
import type { Store } from './store.js';

/** Opens a new, empty store for each call. */
export type OpenTestStore = (options?: OpenStoreOptions) => Promise<Store>;

/** Opens the location of the most recent `OpenTestStore` call again (file and server stores). */
export type ReopenTestStore = (options?: OpenStoreOptions) => Promise<Store>;

/** The epoch ms every test starts at, so recorded times are exact. */
export const START_TIME = 1_700_000_000_000;

/** Per-test state of the contract suite: a fresh store on a manual clock, closed after the test. */
export interface StoreHarness {
  /** The store opened for the current test. */
  readonly store: Store;
  /** The manual clock the store was opened with. */
  readonly clock: () => number;
  /** Moves the manual clock forward and returns the new time. */
  advance(milliseconds: number): number;
  /** Closes the test's store and opens its location again with the same clock. */
  reopen(reopenStore: ReopenTestStore): Promise<Store>;
  /** Opens one more fresh store, closed after the test. */
  openAnother(): Promise<Store>;
}

/** Registers the hooks that give every test its own store and returns the accessors for it. */
export function useStoreHarness(open: OpenTestStore): StoreHarness {
  let now = START_TIME;
  let current: Store | undefined;
  let others: Store[] = [];
  const clock = () => now;

  beforeEach(async () => {
    now = START_TIME;
    current = await open({ clock });
  });
  afterEach(async () => {
    await Promise.all([current, ...others].map((store) => store?.close()));
    current = undefined;
    others = [];
  });

  return {
    get store(): Store {
      if (current === undefined) {
        throw new Error('no store is open outside a test');
      }
      return current;
    },
    clock,
    advance(milliseconds) {
      now += milliseconds;
      return now;
    },
    async reopen(reopenStore) {
      await current?.close();
      current = await reopenStore({ clock });
      return current;
    },
    async openAnother() {
      const store = await open({ clock });
      others.push(store);
      return store;
    },
  };
}

/** A valid feature config (parsed by the real schema) with a split rule, plus any overrides. */
export function testFeature(key: string, overrides: Partial<FeatureConfigInput> = {}): FeatureConfig {
  return featureConfigSchema.parse({
    key,
    defaultVariant: 'control',
    variants: {
      control: { type: 'handler' },
      v2: { type: 'llm', provider: 'openai', model: 'gpt-4o-mini', temperature: 0.2 },
    },
    rules: [{ id: 'rollout', split: { control: 90, v2: 10 }, coverage: 0.5 }],
    ...overrides,
  });
}
