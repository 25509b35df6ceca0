/** Latency samples of one named async operation, in milliseconds. */
export interface LatencySamples {
  readonly name: string;
  readonly samples: number[];
}

/** Runs `operation` `count` times one after another and appends each call's latency (ms) to `into`. */
export async function sampleLatency(
  operation: () => Promise<unknown>,
  count: number,
  into: number[],
): Promise<void> {
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await operation();
    into.push(performance.now() - started);
  }
}

/** The q-quantile (0..1) of samples, by nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/**
 * Interleaves several operations in rounds (A B A B …) so machine drift hits them alike, after a warm-up,
 * and returns every call's latency per operation.
 */
export async function interleave(
  operations: ReadonlyArray<{ name: string; run: () => Promise<unknown> }>,
  options: { rounds: number; perRound: number; warmup: number },
): Promise<LatencySamples[]> {
  for (const operation of operations) await sampleLatency(operation.run, options.warmup, []);
  const results = operations.map((operation) => ({ name: operation.name, samples: [] as number[] }));
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, operation] of operations.entries()) {
      await sampleLatency(operation.run, options.perRound, results[index]!.samples);
    }
  }
  return results;
}

/** Formats milliseconds with three decimals. */
export function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}
