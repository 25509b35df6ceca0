import {
  ErrorCode,
  type JsonValue,
  type Logger,
  type EvaluationContext as OpenFeatureContext,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  ProviderFatalError,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { InvalidConfigError, InvalidInputError } from '../core/errors.js';
import type { FeatureEvent } from '../runtime/client/feature-events.js';
import { type FlagReader, flagReaders } from './flag-readers.js';
import { resolveFlag } from './resolve-flag.js';
import type { SwitchyardLike } from './switchyard-like.js';
import { trackingFeedback } from './tracking-feedback.js';

/** Options for createSwitchyardProvider. */
export interface SwitchyardProviderOptions {
  /** A context attribute whose object value (feature key -> variant key) becomes Switchyard's QA overrides. */
  readonly overridesAttribute?: string;
  /** Close the client when OpenFeature closes the provider; default false, as the application owns the client. */
  readonly closeClient?: boolean;
  /**
   * Where tracking events that cannot be mapped are reported. Default: the logger the OpenFeature SDK
   * passed to this provider's latest evaluation (the SDK hands providers no logger when tracking),
   * else the console.
   */
  readonly logger?: Logger;
}

const CONSOLE_LOGGER: Logger = Object.freeze({
  error: (...args: unknown[]) => console.error(...args),
  warn: (...args: unknown[]) => console.warn(...args),
  info: () => {},
  debug: () => {},
});

/**
 * An OpenFeature server provider over a Switchyard client. The flag key is the feature key; a string
 * flag resolves to the variant key, a boolean, number or object flag to the variant's payload of that
 * type (otherwise TYPE_MISMATCH and the caller's default). `variant` is always the Switchyard variant;
 * `flagMetadata` carries `switchyardReason`, `version`, `ruleId` and `bucket` (when set). Tracking
 * events become feedback (see trackingFeedback). Evaluation and tracking never throw.
 *
 * Provider events: PROVIDER_CONFIGURATION_CHANGED with `flagsChanged` (the changed feature keys) when the
 * client's features change; PROVIDER_STALE when a server-backed client loses its config stream (it keeps
 * evaluating with the config it has) and PROVIDER_READY once the stream is back. Given a promise of a
 * client (`createSwitchyard(...)` not awaited), the provider is ready when it resolves, and a rejection is
 * PROVIDER_ERROR (fatal when the options were refused: a bad token or URL); evaluations before then answer
 * the caller's default with PROVIDER_NOT_READY.
 *
 * @example
 * const sy = await createSwitchyard({ store: 'sqlite:./switchyard.db' });
 * await OpenFeature.setProviderAndWait(createSwitchyardProvider(sy, { overridesAttribute: 'qa' }));
 * const client = OpenFeature.getClient();
 * const variant = await client.getStringValue('coach-reply', 'v1', { targetingKey: 'u-42', tier: 'paid' });
 * const reply = await sy.run('coach-reply', { attributes: { userId: 'u-42', tier: 'paid' } }, { input });
 * client.track('accepted', {}, { requestId: reply.requestId });
 */
export function createSwitchyardProvider(
  clientOrPromise: SwitchyardLike | Promise<SwitchyardLike>,
  options: SwitchyardProviderOptions = {},
): Provider {
  const pending = isPromise(clientOrPromise) ? clientOrPromise : undefined;
  // Until a pending client resolves, there is none: evaluations answer PROVIDER_NOT_READY.
  let client: SwitchyardLike | undefined =
    pending === undefined ? (clientOrPromise as SwitchyardLike) : undefined;
  // A pending client is checked when it resolves.
  if (client !== undefined) checkClient(client, options);
  checkOptions(options);
  const { overridesAttribute, closeClient = false } = options;
  // The SDK passes its logger to every evaluation but not to track(); keep the latest for warnings.
  let evaluationLogger: Logger | undefined;
  const events = new OpenFeatureEventEmitter();
  let unsubscribe: (() => void) | undefined;
  const forward = (event: FeatureEvent) => {
    switch (event.type) {
      case 'changed':
        events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: [...event.features] });
        return;
      case 'stale':
        events.emit(ProviderEvents.Stale, { message: event.message });
        return;
      case 'ready':
        events.emit(ProviderEvents.Ready);
        return;
    }
  };

  const resolve = <T>(
    flagKey: string,
    defaultValue: T,
    context: OpenFeatureContext,
    logger: Logger | undefined,
    read: FlagReader<T>,
  ) => {
    if (logger) evaluationLogger = logger;
    if (client === undefined) return Promise.resolve(notReady(defaultValue));
    return Promise.resolve(resolveFlag(client, { flagKey, defaultValue, context, read, overridesAttribute }));
  };

  return {
    metadata: { name: 'switchyard' },
    runsOn: 'server',
    events,
    async initialize() {
      if (pending !== undefined && client === undefined) {
        let resolved: SwitchyardLike;
        try {
          resolved = await pending;
        } catch (error) {
          throw startError(error);
        }
        checkClient(resolved, options);
        client = resolved;
      }
      unsubscribe ??= client?.subscribe?.(forward);
    },
    resolveBooleanEvaluation: (flagKey, defaultValue, context, logger) =>
      resolve(flagKey, defaultValue, context, logger, flagReaders.boolean),
    resolveStringEvaluation: (flagKey, defaultValue, context, logger) =>
      resolve(flagKey, defaultValue, context, logger, flagReaders.string),
    resolveNumberEvaluation: (flagKey, defaultValue, context, logger) =>
      resolve(flagKey, defaultValue, context, logger, flagReaders.number),
    // Only the payload's being an object or array is checked; its shape is the caller's T, as with any provider.
    resolveObjectEvaluation: <T extends JsonValue>(
      flagKey: string,
      defaultValue: T,
      context: OpenFeatureContext,
      logger: Logger,
    ) => resolve(flagKey, defaultValue, context, logger, flagReaders.object as FlagReader<T>),
    track(trackingEventName, context, details) {
      const warn = (message: string) => (options.logger ?? evaluationLogger ?? CONSOLE_LOGGER).warn(message);
      try {
        const mapped = trackingFeedback(trackingEventName, context, details ?? {});
        if (!mapped.ok) return warn(`switchyard: ignored ${mapped.message}`);
        if (client === undefined)
          return warn(`switchyard: ignored tracking event "${trackingEventName}": not ready`);
        client.feedback(mapped.requestId, mapped.feedback);
      } catch (error) {
        warn(
          `switchyard: ignored tracking event "${trackingEventName}": ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
    async onClose() {
      unsubscribe?.();
      unsubscribe = undefined;
      if (closeClient) await client?.close?.();
    },
  };
}

function isPromise(value: unknown): value is Promise<SwitchyardLike> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The caller's default while a pending client has not resolved. */
function notReady<T>(value: T): ResolutionDetails<T> {
  return {
    value,
    reason: 'ERROR',
    errorCode: ErrorCode.PROVIDER_NOT_READY,
    errorMessage: 'the Switchyard client has not started yet',
  };
}

/** Why the client could not start, as OpenFeature reports it: refused options cannot heal by retrying. */
function startError(error: unknown): unknown {
  if (error instanceof InvalidConfigError) return new ProviderFatalError(error.message);
  return error;
}

function checkClient(client: SwitchyardLike, options: SwitchyardProviderOptions): void {
  if (typeof client?.decide !== 'function' || typeof client.feedback !== 'function') {
    throw new InvalidInputError('client', 'must be a Switchyard client (with decide and feedback)');
  }
  if (options?.closeClient === true && typeof client.close !== 'function') {
    throw new InvalidInputError('closeClient', 'the client has no close() to call');
  }
}

function checkOptions(options: SwitchyardProviderOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options', 'must be an object');
  }
  const { overridesAttribute, closeClient, logger } = options;
  if (
    overridesAttribute !== undefined &&
    (typeof overridesAttribute !== 'string' || overridesAttribute === '')
  ) {
    throw new InvalidInputError('overridesAttribute', 'must be a non-empty attribute name');
  }
  if (closeClient !== undefined && typeof closeClient !== 'boolean') {
    throw new InvalidInputError('closeClient', 'must be a boolean');
  }
  if (
    logger !== undefined &&
    (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')
  ) {
    throw new InvalidInputError('logger', 'must be an OpenFeature logger (with warn)');
  }
}
