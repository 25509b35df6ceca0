import type { Store } from '../../store/store.js';
import { buildDemoSummary, type DemoFeatureSummary } from './build-demo-summary.js';
import { createDemoProgress, type ProgressMode } from './demo-progress.js';
import { createDemoRandom } from './demo-random.js';
import { DEMO_SCENARIO, type DemoFeatureKey } from './demo-scenario.js';
import { createDemoTally } from './demo-tally.js';
import { formatDemoSummary } from './format-demo-summary.js';
import { formatElapsed } from './format-elapsed.js';
import { createGatewayUsers } from './gateway-users.js';
import { defaultDemoDirectory, loadDemoConfig } from './load-demo-config.js';
import { openDemoStore } from './open-demo-store.js';
import { createSdkUsers } from './sdk-users.js';
import { type DemoServices, startDemoServices } from './start-demo-services.js';
import { startTraffic, type Traffic } from './start-traffic.js';
import { type DemoWatch, startDemoWatch } from './watch-demo.js';

/** Options of `runDemo`. */
export interface DemoOptions {
  /**
   * `sqlite:<file>` (deleted and recreated first) or `sqlite::memory:`; or an open Store, used as it is and
   * left open (tests read it afterwards).
   */
  readonly store: string | Store;
  /** Port of the server; 0 for any free one. */
  readonly port: number;
  /** How long users send traffic, in milliseconds. */
  readonly durationMs: number;
  /** Multiplies traffic; divides ramp, bandit and monitor intervals. */
  readonly speed: number;
  readonly seed: number;
  /** Folder of the feature files and `experiments/`; default the package's `examples/demo/`. */
  readonly directory?: string;
  /** The first admin token to store; without it the server generates one. */
  readonly adminToken?: string;
  readonly progress: ProgressMode;
  /** Terminal width for the live status line. */
  readonly columns?: number;
  readonly write: (text: string) => void;
  /** Aborting stops the traffic early; the demo still closes everything cleanly and prints its summary. */
  readonly signal?: AbortSignal;
  /** Epoch-ms clock; default `Date.now`. */
  readonly clock?: () => number;
}

/** What a demo run did. */
export interface DemoReport {
  readonly url: string;
  readonly adminToken: string;
  readonly stoppedBy: 'duration' | 'signal';
  /** Milliseconds of traffic. */
  readonly elapsedMs: number;
  readonly features: DemoFeatureSummary[];
  /** The event lines printed while it ran (monitor, bandit, alerts). */
  readonly events: readonly string[];
  /** Requests the simulated users sent, and arrivals dropped because too many were in flight. */
  readonly requests: number;
  readonly dropped: number;
}

/** Unexpected errors printed before the rest are only counted. */
const MAX_PRINTED_ERRORS = 5;

/**
 * Runs the demo: a fresh store, the fake upstream, the server with its dashboard, the demo's features and
 * experiments, then simulated users through the SDK and the gateway for `durationMs` (or until `signal`
 * aborts), a live progress display, and a closing summary table read back from the store.
 *
 * @example
 * const report = await runDemo({ store: 'sqlite:./switchyard-demo.db', port: 4280, durationMs: 180_000,
 *   speed: 1, seed: 1, progress: 'live', write: (text) => process.stdout.write(text) });
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const clock = options.clock ?? Date.now;
  const { speed, write } = options;
  const config = await loadDemoConfig(options.directory ?? defaultDemoDirectory(), speed);
  const ownsStore = typeof options.store === 'string';
  const store = typeof options.store === 'string' ? await openDemoStore(options.store) : options.store;
  const progress = createDemoProgress({
    mode: options.progress,
    write,
    clock,
    plainEveryMs: Math.min(10_000, Math.max(1_000, options.durationMs / 12)),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
  });
  let printedErrors = 0;
  const onError = (error: unknown) => {
    printedErrors++;
    if (printedErrors > MAX_PRINTED_ERRORS) return;
    const message = error instanceof Error ? error.message : String(error);
    progress.event(
      `error    ${message}${printedErrors === MAX_PRINTED_ERRORS ? ' (further errors not shown)' : ''}`,
    );
  };
  try {
    const random = createDemoRandom(options.seed);
    const services = await startDemoServices({
      store,
      config,
      scenario: DEMO_SCENARIO,
      port: options.port,
      speed,
      seed: options.seed,
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
      random,
      clock,
      onError,
    });
    let traffic: Traffic | undefined;
    let watch: DemoWatch | undefined;
    try {
      const storeUrl = typeof options.store === 'string' ? options.store : undefined;
      write(header(options, services, storeUrl));
      const tally = createDemoTally();
      const startedAt = clock();
      const users = { random, tally, scenario: DEMO_SCENARIO, speed };
      traffic = startTraffic({
        streams: [
          ...createSdkUsers({ ...users, sdk: services.sdk, clock }),
          ...createGatewayUsers({ ...users, url: services.url, token: services.sdkToken }),
        ],
        random,
        clock,
        onError,
      });
      watch = startDemoWatch({
        store,
        sdk: services.sdk,
        tally,
        progress,
        clock,
        startedAt,
        durationMs: options.durationMs,
        onError,
      });
      const stoppedBy = await until(options.durationMs, options.signal);
      const elapsedMs = clock() - startedAt;
      const why = stoppedBy === 'signal' ? 'stopping early' : 'time is up';
      progress.event(
        `${formatElapsed(elapsedMs).padStart(5)}  ${why}: finishing requests in flight, flushing telemetry`,
      );
      await traffic.stop();
      await watch.stop();
      await services.close();
      const features = await buildDemoSummary({
        store,
        features: config.features
          .map((feature) => ({
            key: feature.key,
            via: DEMO_SCENARIO.via[feature.key as DemoFeatureKey] ?? 'sdk',
          }))
          .sort((left, right) => scenarioRank(left.key) - scenarioRank(right.key)),
        from: startedAt,
        to: clock() + 1,
        rampMaxStep: watch.facts().rampMaxStep,
        counts: tally.snapshot(),
      });
      const requests = tally.total().toLocaleString('en-US');
      write(`\nSummary after ${formatElapsed(elapsedMs)} (${requests} requests at speed ${speed}):\n\n`);
      write(formatDemoSummary(features));
      if (traffic.dropped() > 0) {
        write(
          `\n${traffic.dropped().toLocaleString('en-US')} arrivals were dropped because too many requests were in ` +
            `flight: this machine is short of CPU for --speed ${speed}.\n`,
        );
      }
      write(footer(storeUrl));
      return {
        url: services.url,
        adminToken: services.adminToken,
        stoppedBy,
        elapsedMs,
        features,
        events: watch.facts().events,
        requests: tally.total(),
        dropped: traffic.dropped(),
      };
    } finally {
      // Each is safe to repeat: all were stopped already unless something above failed.
      await traffic?.stop();
      await watch?.stop();
      await services.close();
    }
  } finally {
    progress.end();
    if (ownsStore) await store.close();
  }
}

/** The feature's place in the scenario (the order the header lists them in); unknown features last. */
function scenarioRank(key: string): number {
  const index = Object.keys(DEMO_SCENARIO.via).indexOf(key);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}

/** Resolves when the duration has passed or the signal aborts, whichever is first. */
function until(durationMs: number, signal: AbortSignal | undefined): Promise<'duration' | 'signal'> {
  if (signal?.aborted) return Promise.resolve('signal');
  return new Promise((resolve) => {
    const stop = (by: 'duration' | 'signal') => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(by);
    };
    const onAbort = () => stop('signal');
    const timer = setTimeout(() => stop('duration'), durationMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function header(options: DemoOptions, services: DemoServices, storeUrl: string | undefined): string {
  const { url } = services;
  const recreated =
    storeUrl !== undefined && storeUrl !== 'sqlite::memory:' ? ' (recreated at each start)' : '';
  return [
    `Switchyard demo: simulated users for ${formatElapsed(options.durationMs)} at speed ${options.speed} (seed ${options.seed})`,
    '',
    `  dashboard    ${url}/`,
    `  admin token  ${services.adminToken}`,
    `  API          ${url}/api (docs at ${url}/docs), gateway ${url}/v1`,
    `  store        ${storeUrl ?? 'the given store'}${recreated}`,
    `  upstream     fake OpenAI-compatible models at ${services.upstream.url} (no API keys, no network)`,
    '',
    '  persona-generation          Qloo-first ramped 5 → 25 → 50 → 100 %; its model is rate limited on 30 % of calls',
    '  coach-reply                 A/B test V1 vs V2 (coach-v2-test); free 10 and paid 100 messages a day; budget',
    '  session-builder             four variants in parallel (runAll); users pick one',
    '  onboarding-recommendations  through the gateway; a Thompson bandit moves new users to the best arm',
    '  persona-details             schema-validated output; cache keyed on personaId + updatedAt',
    '',
    'Ctrl-C stops early and still prints the summary.',
    '',
    '',
  ].join('\n');
}

function footer(storeUrl: string | undefined): string {
  if (storeUrl === undefined || storeUrl === 'sqlite::memory:') return '';
  return (
    `\nThe store is kept until the next run: npx switchyard --db ${storeUrl} features history persona-generation\n` +
    `(or experiments results coach-v2-test, features list, ...).\n`
  );
}
