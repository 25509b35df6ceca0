import type {
  JsonValue,
  Logger,
  EvaluationContext as OpenFeatureContext,
  Provider,
} from '@openfeature/server-sdk';
import { InvalidInputError } from '../core/errors.js';
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
 * @example
 * const sy = await createSwitchyard({ store: 'sqlite:./switchyard.db' });
 * await OpenFeature.setProviderAndWait(createSwitchyardProvider(sy, { overridesAttribute: 'qa' }));
 * const client = OpenFeature.getClient();
 * const variant = await client.getStringValue('coach-reply', 'v1', { targetingKey: 'u-42', tier: 'paid' });
 * const reply = await sy.run('coach-reply', { attributes: { userId: 'u-42', tier: 'paid' } }, { input });
 * client.track('accepted', {}, { requestId: reply.requestId });
 */
export function createSwitchyardProvider(
  client: SwitchyardLike,
  options: SwitchyardProviderOptions = {},
): Provider {
  checkArguments(client, options);
  const { overridesAttribute, closeClient = false } = options;
  // The SDK passes its logger to every evaluation but not to track(); keep the latest for warnings.
  let evaluationLogger: Logger | undefined;

  const resolve = <T>(
    flagKey: string,
    defaultValue: T,
    context: OpenFeatureContext,
    logger: Logger | undefined,
    read: FlagReader<T>,
  ) => {
    if (logger) evaluationLogger = logger;
    return Promise.resolve(resolveFlag(client, { flagKey, defaultValue, context, read, overridesAttribute }));
  };

  return {
    metadata: { name: 'switchyard' },
    runsOn: 'server',
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
        client.feedback(mapped.requestId, mapped.feedback);
      } catch (error) {
        warn(
          `switchyard: ignored tracking event "${trackingEventName}": ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
    async onClose() {
      if (closeClient) await client.close?.();
    },
  };
}

function checkArguments(client: SwitchyardLike, options: SwitchyardProviderOptions): void {
  if (typeof client?.decide !== 'function' || typeof client.feedback !== 'function') {
    throw new InvalidInputError('client', 'must be a Switchyard client (with decide and feedback)');
  }
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
  if (closeClient === true && typeof client.close !== 'function') {
    throw new InvalidInputError('closeClient', 'the client has no close() to call');
  }
  if (
    logger !== undefined &&
    (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')
  ) {
    throw new InvalidInputError('logger', 'must be an OpenFeature logger (with warn)');
  }
}
