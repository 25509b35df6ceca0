/** The two arms of every scenario: v1 is the default (control), v2 the new variant. */
export type Arm = 'v1' | 'v2';

/** What one simulated request did, as every method (relative rule and baselines) is judged on it. */
export interface RequestOutcome {
  /** Virtual milliseconds since the run started. */
  readonly atMs: number;
  /** The arm the unit was assigned (v2 even when v2 failed and v1 served the fallback). */
  readonly arm: Arm;
  /** Errored, or was served by a fallback: the `failure-rate` definition. */
  readonly failed: boolean;
  /** Measured round trip through the gateway, in real milliseconds. */
  readonly latencyMs: number;
}
