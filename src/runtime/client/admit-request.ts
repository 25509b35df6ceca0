import type { Attributes } from '../../core/decision.js';
import { InvalidInputError, RateLimitedError } from '../../core/errors.js';
import type { ErrorClass } from '../../core/event-schema.js';
import type { Policy } from '../../core/policy-config.js';
import { validateInput } from '../guards/validate-input.js';
import { consumeRateLimit } from '../limits/consume-rate-limit.js';
import type { RunRequest } from './run-types.js';
import type { RuntimeServices } from './runtime-services.js';

/**
 * The checks a request passes before any variant runs: its input (empty, whitespace-only, length and
 * emoji rules) and the unit's rate limit, counted once per request. Throws INVALID_INPUT or RATE_LIMITED.
 */
export async function admitRequest(
  services: RuntimeServices,
  admission: { feature: string; policy: Policy; request: RunRequest; attributes: Attributes },
): Promise<void> {
  const { policy, request } = admission;
  validateInput(request.messages ?? request.input, policy.input, request.messages ? 'messages' : 'input');
  if (!policy.rateLimit) return;
  await consumeRateLimit(services.counters, {
    feature: admission.feature,
    policy: policy.rateLimit,
    attributes: admission.attributes,
    now: services.clock(),
    pseudonymize: services.pseudonymize,
  });
}

/** The error class a refused request is recorded with, or undefined when the error is not a refusal. */
export function refusalClass(error: unknown): ErrorClass | undefined {
  if (error instanceof InvalidInputError) return 'invalid_input';
  if (error instanceof RateLimitedError) return 'rate_limited';
  return undefined;
}
