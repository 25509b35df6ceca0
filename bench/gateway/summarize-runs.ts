import { quantile } from '../runtime/latency-sampler.js';
import type { TargetRun } from './measure-target.js';

/** A run with what the target's server process did meanwhile. */
export interface ServedRun extends TargetRun {
  /** CPU time (user + system) of the process that answered: the upstream for `direct`, else the gateway. */
  readonly serverCpuMs: number;
  /** Requests the upstream received during the run (answers plus those in flight when it stopped). */
  readonly forwarded: number;
}

/** One target's figures over every round. */
export interface TargetSummary {
  readonly target: string;
  /** 2xx answers over every round divided by the rounds' total duration. */
  readonly requestsPerSecond: number;
  /** Per round, in order. */
  readonly roundRequestsPerSecond: readonly number[];
  /** Percentiles of every 2xx answer's latency over every round, in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly answers: number;
  /** CPU time of the answering process per 2xx answer, in microseconds. */
  readonly serverCpuUsPerAnswer: number;
  readonly errors: number;
  readonly non2xx: number;
}

/**
 * Pools each target's runs: throughput over the total time, latency percentiles over every answer, server
 * CPU per answer, errors and non-2xx answers summed. Targets come out in the order of `targets`.
 *
 * @example
 * const [direct, switchyard] = summarizeRuns(runs, ['direct', 'Switchyard']);
 */
export function summarizeRuns(runs: readonly ServedRun[], targets: readonly string[]): TargetSummary[] {
  return targets.map((target) => {
    const own = runs.filter((run) => run.target === target);
    const latencies = own.flatMap((run) => run.latenciesMs);
    const answers = own.reduce((sum, run) => sum + run.ok, 0);
    const seconds = own.reduce((sum, run) => sum + run.durationSeconds, 0);
    return {
      target,
      requestsPerSecond: seconds > 0 ? answers / seconds : 0,
      roundRequestsPerSecond: own.map((run) => run.ok / run.durationSeconds),
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      answers,
      serverCpuUsPerAnswer: (1_000 * own.reduce((sum, run) => sum + run.serverCpuMs, 0)) / answers,
      errors: own.reduce((sum, run) => sum + run.errors, 0),
      non2xx: own.reduce((sum, run) => sum + run.non2xx, 0),
    };
  });
}
