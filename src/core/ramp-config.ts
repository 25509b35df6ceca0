import { z } from 'zod';

// This file imports nothing from the rest of core: feature-config.ts imports it.

/** The coverage steps, in percent, a ramp takes when none are given. */
export const DEFAULT_RAMP_STEPS = [1, 5, 10, 25, 50, 100] as const;

/**
 * Where a ramp is: `running` (the monitor advances it while the feature's rules are healthy), `paused` (by a
 * person; holds its step), `halted` (by a `halt-ramp` rule; holds its step until resumed), `done` (reached
 * its last step), `rolled-back` (by a `rollback` rule; serves nobody until resumed, which restarts it).
 */
export const RAMP_STATUSES = ['running', 'paused', 'halted', 'done', 'rolled-back'] as const;

/** A ramp's state. */
export type RampStatus = (typeof RAMP_STATUSES)[number];

/**
 * A staged rollout on a split rule: the rule's coverage follows `steps[step]` percent, and the monitor moves
 * to the next step once the current one has lasted `minMinutesPerStep` and its split has served
 * `minSamplesPerStep` runs with no alert rule of the feature firing. The state fields are written by the
 * monitor and by `switchyard features ramp`; a config file gives only the plan.
 */
export const rampSchema = z
  .strictObject({
    /** Coverage percentages, strictly increasing, each in (0, 100]. */
    steps: z
      .array(z.number().gt(0, 'each step must be above 0 %').max(100, 'each step must be at most 100 %'))
      .min(1, 'needs at least one step')
      .max(20, 'at most 20 steps')
      .default([...DEFAULT_RAMP_STEPS]),
    /** Minutes each step lasts at least (fractions allowed). */
    minMinutesPerStep: z.number().min(0).max(10_080).default(10),
    /** Runs the split must serve in a step before the next. */
    minSamplesPerStep: z.int().min(0).max(1_000_000_000).default(100),
    status: z
      .enum(RAMP_STATUSES, { error: `status must be one of ${RAMP_STATUSES.join(', ')}` })
      .default('running'),
    /** Index into `steps` of the current step. */
    step: z.int().min(0).default(0),
    /** Epoch milliseconds the ramp began (its comparisons start here); the monitor fills it in. */
    startedAt: z.int().min(0).optional(),
    /** Epoch milliseconds the current step began; the monitor fills it in. */
    stepStartedAt: z.int().min(0).optional(),
    /** Why the ramp was last paused, halted, rolled back or resumed. */
    reason: z.string().max(2_000).optional(),
  })
  .superRefine((ramp, context) => {
    ramp.steps.forEach((step, index) => {
      const previous = ramp.steps[index - 1];
      if (previous !== undefined && !(step > previous)) {
        context.addIssue({ code: 'custom', path: ['steps', index], message: 'steps must increase' });
      }
    });
    if (ramp.step >= ramp.steps.length) {
      context.addIssue({
        code: 'custom',
        path: ['step'],
        message: `must be below the number of steps (${ramp.steps.length})`,
      });
    }
  });

/** A ramp as written (defaults optional). */
export type RampInput = z.input<typeof rampSchema>;
/** A validated ramp with defaults applied. */
export type RampConfig = z.output<typeof rampSchema>;

export { type RampPosition, rampCoverage } from './ramp-coverage.js';
