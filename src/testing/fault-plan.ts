import type { ConfigProblem } from '../core/errors.js';
import type { RandomSource } from './seeded-random.js';

/**
 * Failure modes a fake model injects, each as a share of requests in [0, 1]; the shares are disjoint
 * slices of one draw, so they must add up to at most 1.
 */
export interface FakeFaults {
  /** Share of requests answered with an OpenAI-style error of `status`. */
  errorRate?: number;
  /** HTTP status of injected errors (default 500). */
  status?: number;
  /** Sent as `Retry-After` (seconds) on injected 429 and 503 errors. */
  retryAfterSeconds?: number;
  /** Share of requests accepted and never answered until the server closes. */
  timeoutRate?: number;
  /** Share of requests whose socket is destroyed before any response byte is sent. */
  resetRate?: number;
  /** Share of requests answered 200 with a body (or stream chunk) that is not valid JSON. */
  malformedRate?: number;
  /** Share of structured-output requests answered with JSON content that violates the requested schema. */
  schemaInvalidRate?: number;
  /** Share of requests generated very slowly: one token every `slowStreamDelayMs`. */
  slowStreamRate?: number;
  /** Pause per token when the slow-stream fault fires (default 1000 ms). */
  slowStreamDelayMs?: number;
}

/** The name of one injected fault, as counted in a fake upstream's stats. */
export type FaultKind = 'error' | 'timeout' | 'reset' | 'malformed' | 'schemaInvalid' | 'slowStream';

/** Rate fields in the order their slices sit on [0, 1); the order is part of what a seed reproduces. */
const rateFields: ReadonlyArray<readonly [keyof FakeFaults, FaultKind]> = [
  ['errorRate', 'error'],
  ['timeoutRate', 'timeout'],
  ['resetRate', 'reset'],
  ['malformedRate', 'malformed'],
  ['schemaInvalidRate', 'schemaInvalid'],
  ['slowStreamRate', 'slowStream'],
];

/**
 * Draws the fault (if any) for one request; it always consumes exactly one number from `random`.
 *
 * @example
 * const fault = drawFault({ errorRate: 0.3 }, createSeededRandom(7)); // 'error' about 30 % of the time
 */
export function drawFault(faults: FakeFaults | undefined, random: RandomSource): FaultKind | undefined {
  const draw = random();
  if (faults === undefined) return undefined;
  let upper = 0;
  for (const [field, kind] of rateFields) {
    upper += (faults[field] as number | undefined) ?? 0;
    if (draw < upper) return kind;
  }
  return undefined;
}

/** Lists what is wrong with a faults object, each problem under `path` (empty when it is valid). */
export function faultProblems(faults: unknown, path: string): ConfigProblem[] {
  if (faults === undefined) return [];
  if (typeof faults !== 'object' || faults === null) return [{ path, message: 'must be an object' }];
  const record = faults as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  let total = 0;
  for (const [field] of rateFields) {
    const value = record[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      problems.push({ path: `${path}.${field}`, message: 'must be a number between 0 and 1' });
    } else {
      total += value;
    }
  }
  if (problems.length === 0 && total > 1 + 1e-9) {
    problems.push({ path, message: `fault rates add up to ${total}, which is more than 1` });
  }
  const status = record.status;
  if (
    status !== undefined &&
    !(Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599)
  ) {
    problems.push({ path: `${path}.status`, message: 'must be an integer HTTP error status (400-599)' });
  }
  for (const field of ['retryAfterSeconds', 'slowStreamDelayMs'] as const) {
    const value = record[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      problems.push({ path: `${path}.${field}`, message: 'must be a finite number >= 0' });
    }
  }
  return problems;
}
