import type { Decision, EvaluationContext, UnresolvedDecision } from '../core/decision.js';
import type { FeatureEventListener } from '../runtime/client/feature-events.js';

/** An outcome reported for one request: the fields a Switchyard client's `feedback()` accepts. */
export interface SwitchyardFeedback {
  readonly accepted?: boolean;
  readonly selectedVariant?: string;
  readonly rating?: number;
  /** A named numeric outcome (`time-to-approval-ms`), with `value`. */
  readonly metric?: string;
  readonly value?: number;
  /** The feature, for feedback the client no longer remembers the request of. */
  readonly feature?: string;
}

/**
 * The part of a Switchyard client the OpenFeature provider uses; a `Switchyard` from
 * `createSwitchyard()` satisfies it, and so does any test double with the same methods.
 */
export interface SwitchyardLike {
  /**
   * The decision for a context, synchronously; an unknown key answers reason ERROR with errorCode
   * FEATURE_NOT_FOUND (older clients threw an error with that code; both are understood).
   */
  decide(feature: string, context?: EvaluationContext): Decision | UnresolvedDecision;
  /** Records an outcome for a request. */
  feedback(requestId: string, feedback: SwitchyardFeedback): void;
  /** Releases the client; called on provider close only when the provider owns the client. */
  close?(): Promise<void>;
  /**
   * Feature changes and a server stream's loss and return, which the provider turns into OpenFeature
   * provider events; a client without it emits none.
   */
  subscribe?(listener: FeatureEventListener): () => void;
}
