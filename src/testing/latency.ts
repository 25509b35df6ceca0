import type { ConfigProblem } from '../core/errors.js';
import type { RandomSource } from './seeded-random.js';

/**
 * How long a fake model waits before its first byte: a fixed number of milliseconds, or a distribution
 * (`normal` and `lognormal` are the usual shapes of real LLM latency; samples are clamped at zero).
 */
export type LatencySpec =
  | number
  | { distribution: 'fixed'; ms: number }
  | { distribution: 'uniform'; min: number; max: number }
  | { distribution: 'normal'; mean: number; sd: number }
  | { distribution: 'lognormal'; median: number; sigma: number };

/**
 * Draws one latency in milliseconds; it always consumes exactly two numbers from `random`, whatever the
 * distribution, so the draws that follow stay aligned when a model's latency shape changes.
 *
 * @example
 * const ms = sampleLatency({ distribution: 'uniform', min: 5, max: 15 }, createSeededRandom(1));
 */
export function sampleLatency(spec: LatencySpec | undefined, random: RandomSource): number {
  const first = random();
  const second = random();
  if (spec === undefined) return 0;
  if (typeof spec === 'number') return Math.max(0, spec);
  switch (spec.distribution) {
    case 'fixed':
      return Math.max(0, spec.ms);
    case 'uniform':
      return Math.max(0, spec.min + first * (spec.max - spec.min));
    case 'normal':
      return Math.max(0, spec.mean + spec.sd * standardNormal(first, second));
    case 'lognormal':
      return Math.max(0, spec.median * Math.exp(spec.sigma * standardNormal(first, second)));
  }
}

/** Box–Muller transform; `1 - first` keeps the logarithm away from zero because `first` may be 0. */
function standardNormal(first: number, second: number): number {
  return Math.sqrt(-2 * Math.log(1 - first)) * Math.cos(2 * Math.PI * second);
}

/** Lists what is wrong with a latency spec, each problem under `path` (empty when it is valid). */
export function latencyProblems(spec: unknown, path: string): ConfigProblem[] {
  if (spec === undefined) return [];
  if (typeof spec === 'number') return nonNegative(spec, path);
  if (typeof spec !== 'object' || spec === null) {
    return [{ path, message: 'must be a number of milliseconds or a { distribution, ... } object' }];
  }
  const record = spec as Record<string, unknown>;
  switch (record.distribution) {
    case 'fixed':
      return nonNegative(record.ms, `${path}.ms`);
    case 'uniform': {
      const problems = [...nonNegative(record.min, `${path}.min`), ...nonNegative(record.max, `${path}.max`)];
      if (problems.length === 0 && (record.max as number) < (record.min as number)) {
        problems.push({ path: `${path}.max`, message: 'must be at least min' });
      }
      return problems;
    }
    case 'normal':
      return [...nonNegative(record.mean, `${path}.mean`), ...nonNegative(record.sd, `${path}.sd`)];
    case 'lognormal':
      return [...positive(record.median, `${path}.median`), ...nonNegative(record.sigma, `${path}.sigma`)];
    default:
      return [
        { path: `${path}.distribution`, message: "must be 'fixed', 'uniform', 'normal' or 'lognormal'" },
      ];
  }
}

function nonNegative(value: unknown, path: string): ConfigProblem[] {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? []
    : [{ path, message: 'must be a finite number >= 0' }];
}

function positive(value: unknown, path: string): ConfigProblem[] {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? []
    : [{ path, message: 'must be a finite number > 0' }];
}
