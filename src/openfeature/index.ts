/**
 * `switchyard/openfeature`: an OpenFeature server provider over a Switchyard client, so applications
 * already on the OpenFeature SDK evaluate Switchyard features and report outcomes through it.
 */
export { type FlagReader, flagReaders, type ReadResult } from './flag-readers.js';
export { type FlagRequest, resolveFlag } from './resolve-flag.js';
export type { SwitchyardFeedback, SwitchyardLike } from './switchyard-like.js';
export { createSwitchyardProvider, type SwitchyardProviderOptions } from './switchyard-provider.js';
export { type ContextTranslation, toSwitchyardContext } from './to-switchyard-context.js';
export { type FeedbackMapping, trackingFeedback } from './tracking-feedback.js';
