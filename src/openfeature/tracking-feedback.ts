import type { EvaluationContext as OpenFeatureContext, TrackingEventDetails } from '@openfeature/server-sdk';
import type { SwitchyardFeedback } from './switchyard-like.js';

/** A tracking event mapped to Switchyard feedback, or why it cannot be mapped. */
export type FeedbackMapping =
  | { readonly ok: true; readonly requestId: string; readonly feedback: SwitchyardFeedback }
  | { readonly ok: false; readonly message: string };

/**
 * Maps an OpenFeature tracking event to Switchyard feedback. The request id comes from
 * `details.requestId`, else from a `requestId` context attribute; `details.feature` (optional) names
 * the feature for requests the client no longer remembers. Event names:
 * `accepted` and `rejected` -> `{ accepted }`; `selected` with `details.variant` -> `{ selectedVariant }`;
 * `rating` with a numeric `details.value` -> `{ rating }`; any other name with a numeric `details.value`
 * -> `{ metric: name, value }`.
 *
 * @example
 * trackingFeedback('time-to-approval-ms', {}, { requestId: 'r-1', value: 5400 });
 * // { ok: true, requestId: 'r-1', feedback: { metric: 'time-to-approval-ms', value: 5400 } }
 */
export function trackingFeedback(
  trackingEventName: string,
  context: OpenFeatureContext,
  details: TrackingEventDetails,
): FeedbackMapping {
  const requestId = nonEmptyString(details.requestId) ?? nonEmptyString(context.requestId);
  if (requestId === undefined) {
    return {
      ok: false,
      message: `tracking event "${trackingEventName}" needs a requestId (in the details or the context)`,
    };
  }
  const feature = nonEmptyString(details.feature);
  const outcome = outcomeOf(trackingEventName, details);
  if (typeof outcome === 'string')
    return { ok: false, message: `tracking event "${trackingEventName}": ${outcome}` };
  return { ok: true, requestId, feedback: feature === undefined ? outcome : { ...outcome, feature } };
}

/** The feedback fields for an event, or a sentence saying what is missing. */
function outcomeOf(name: string, details: TrackingEventDetails): SwitchyardFeedback | string {
  const value =
    typeof details.value === 'number' && Number.isFinite(details.value) ? details.value : undefined;
  switch (name) {
    case 'accepted':
      return { accepted: true };
    case 'rejected':
      return { accepted: false };
    case 'selected': {
      const variant = nonEmptyString(details.variant);
      return variant === undefined
        ? 'details.variant must name the selected variant'
        : { selectedVariant: variant };
    }
    case 'rating':
      return value === undefined ? 'details.value must be a finite number' : { rating: value };
    default:
      return value === undefined
        ? 'details.value must be a finite number (or use accepted, rejected, selected or rating)'
        : { metric: name, value };
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
