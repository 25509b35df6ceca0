import { measure } from 'mitata';

/** A named timed body: one call is one unit of work (one decision). */
export interface TimedBody {
  readonly name: string;
  readonly body: () => void;
}

/** The median over rounds of mitata's per-call median, in nanoseconds, for one timed body. */
export interface RoundsResult {
  readonly name: string;
  readonly medianNs: number;
  readonly roundMediansNs: readonly number[];
}

/**
 * Measures every body with mitata once per round, interleaving bodies within a round so drift on a shared
 * machine hits all of them alike, and keeps the median of the per-round medians.
 */
export async function measureRounds(bodies: readonly TimedBody[], rounds: number): Promise<RoundsResult[]> {
  const perBody = bodies.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, { body }] of bodies.entries()) {
      const stats = await measure(body);
      perBody[index]!.push(stats.p50);
    }
  }
  return bodies.map(({ name }, index) => {
    const roundMediansNs = perBody[index]!;
    return { name, medianNs: median(roundMediansNs), roundMediansNs };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
