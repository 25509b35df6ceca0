import { type GatewayTarget, type MeasureOptions, measureTarget } from './measure-target.js';
import type { BenchChild } from './start-child.js';
import type { ServedRun } from './summarize-runs.js';

/** Options of `measureServed`: the run's, and the processes to read counters from. */
export interface MeasureServedOptions extends MeasureOptions {
  /** The process that answers the target (the upstream itself for a direct call). */
  readonly server: BenchChild;
  /** The fake upstream, whose request counter shows what reached it. */
  readonly upstream: BenchChild;
}

/**
 * One autocannon run against a target, with the answering process's CPU time and the upstream's request
 * count read before and after it.
 *
 * @example
 * const run = await measureServed(target, { server, upstream, body, connections: 50, durationSeconds: 10 });
 * console.log((1_000 * run.serverCpuMs) / run.ok, 'µs of CPU per answer');
 */
export async function measureServed(
  target: GatewayTarget,
  options: MeasureServedOptions,
): Promise<ServedRun> {
  const { server, upstream } = options;
  const read = async (child: BenchChild, type: string, field: string) =>
    Number((await child.ask({ type }))[field]);
  const forwardedBefore = await read(upstream, 'stats', 'requests');
  const cpuBefore = await read(server, 'cpu', 'ms');
  const run = await measureTarget(target, options);
  const cpuAfter = await read(server, 'cpu', 'ms');
  const forwarded = (await read(upstream, 'stats', 'requests')) - forwardedBefore;
  return { ...run, serverCpuMs: cpuAfter - cpuBefore, forwarded };
}
