import type { DemoRandom } from './demo-random.js';

/** One kind of simulated request and how often it arrives. */
export interface TrafficStream {
  readonly name: string;
  /** Mean arrivals per second (a Poisson process). */
  readonly ratePerSecond: number;
  /** Sends one request and handles its answer; a rejection is reported to `onError`, never thrown. */
  readonly send: () => Promise<void>;
}

/** Options of `startTraffic`. */
export interface TrafficOptions {
  readonly streams: readonly TrafficStream[];
  readonly random: DemoRandom;
  /** Epoch-ms clock. */
  readonly clock: () => number;
  /** Requests in flight at most; arrivals beyond it are dropped and counted. Default 500. */
  readonly maxInFlight?: number;
  /** Time between arrival draws; default 50 ms. */
  readonly tickMs?: number;
  readonly onError: (error: unknown) => void;
}

/** Running traffic: counts, and `stop()`, which stops arrivals and waits for the requests in flight. */
export interface Traffic {
  inFlight(): number;
  /** Arrivals dropped because `maxInFlight` requests were already in flight. */
  dropped(): number;
  stop(): Promise<void>;
}

/**
 * Starts simulated arrivals: every tick, each stream draws its Poisson arrivals for the time since the
 * last tick and sends them, never more than `maxInFlight` at once, so the demo's load stays bounded.
 *
 * @example
 * const traffic = startTraffic({ streams, random, clock: Date.now, onError: console.error });
 * await traffic.stop();
 */
export function startTraffic(options: TrafficOptions): Traffic {
  const { streams, random, clock, onError } = options;
  const maxInFlight = options.maxInFlight ?? 500;
  const pending = new Set<Promise<void>>();
  let dropped = 0;
  let last = clock();

  const launch = (stream: TrafficStream) => {
    if (pending.size >= maxInFlight) {
      dropped++;
      return;
    }
    const request: Promise<void> = stream
      .send()
      .catch(onError)
      .finally(() => pending.delete(request));
    pending.add(request);
  };
  const tick = () => {
    const now = clock();
    const seconds = Math.min(1, Math.max(0, (now - last) / 1_000));
    last = now;
    for (const stream of streams) {
      const arrivals = random.poisson(stream.ratePerSecond * seconds);
      for (let index = 0; index < arrivals; index++) launch(stream);
    }
  };
  const timer = setInterval(tick, options.tickMs ?? 50);

  return {
    inFlight: () => pending.size,
    dropped: () => dropped,
    async stop() {
      clearInterval(timer);
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
