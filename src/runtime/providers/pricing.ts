import { z } from 'zod';
import { InvalidConfigError } from '../../core/errors.js';
import { zodProblems } from '../../core/validate-feature.js';

/** What one model costs, in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** A higher tier for long prompts (Gemini 2.5 Pro): applies to the whole call above this many input tokens. */
  longContext?: { aboveInputTokens: number; inputPerMTok: number; outputPerMTok: number };
}

/** Token counts of one call, as the provider reported them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Prices by model id, and the cost arithmetic budgets and telemetry use. */
export interface Pricing {
  /** The price of `model` (overrides first, then the defaults, then the id without a date suffix). */
  priceOf(model: string): ModelPrice | undefined;
  /** What a finished call cost; 0 for a model without a price. */
  costUsd(model: string, usage: TokenUsage): number;
  /** The most a call can cost if the model writes all `maxOutputTokens`; 0 for a model without a price. */
  maxCostUsd(model: string, inputTokens: number, maxOutputTokens: number): number;
}

const standard = (inputPerMTok: number, outputPerMTok: number): ModelPrice => ({
  inputPerMTok,
  outputPerMTok,
});

/**
 * List prices (standard tier, no batch or cache discounts) of common models, per million tokens in USD.
 * Prices change: pass overrides to `createPricing` rather than trusting these for invoicing.
 */
export const DEFAULT_PRICING: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-4o': standard(2.5, 10),
  // The first gpt-4o snapshot kept its launch price.
  'gpt-4o-2024-05-13': standard(5, 15),
  'gpt-4o-mini': standard(0.15, 0.6),
  'gpt-4.1': standard(2, 8),
  'gpt-4.1-mini': standard(0.4, 1.6),
  'gpt-4.1-nano': standard(0.1, 0.4),
  'o3-mini': standard(1.1, 4.4),
  'o4-mini': standard(1.1, 4.4),
  'claude-3-5-haiku-20241022': standard(0.8, 4),
  'claude-3-5-haiku-latest': standard(0.8, 4),
  'claude-sonnet-4-20250514': standard(3, 15),
  'claude-sonnet-4-0': standard(3, 15),
  'claude-opus-4-20250514': standard(15, 75),
  'claude-opus-4-0': standard(15, 75),
  'gemini-2.0-flash': standard(0.1, 0.4),
  'gemini-2.5-flash': standard(0.3, 2.5),
  'gemini-2.5-pro': {
    inputPerMTok: 1.25,
    outputPerMTok: 10,
    longContext: { aboveInputTokens: 200_000, inputPerMTok: 2.5, outputPerMTok: 15 },
  },
});

const perMTok = z.number().min(0).max(100_000);
const modelPriceSchema = z.strictObject({
  inputPerMTok: perMTok,
  outputPerMTok: perMTok,
  longContext: z
    .strictObject({ aboveInputTokens: z.int().min(0), inputPerMTok: perMTok, outputPerMTok: perMTok })
    .optional(),
});
const overridesSchema = z.record(z.string().min(1), modelPriceSchema);

/** Dated snapshot suffixes: `-2024-08-06` (OpenAI) and `-20241022` (Anthropic). */
const dateSuffix = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

/**
 * Builds a price table from the defaults plus `overrides` (validated; errors name `pricing.<model>.<field>`).
 * A model without a price costs 0 here: the runtime refuses a budget policy on such a model at start.
 *
 * @example
 * const pricing = createPricing({ 'my-finetune': { inputPerMTok: 3, outputPerMTok: 12 } });
 * pricing.costUsd('gpt-4o-mini', { inputTokens: 1_000, outputTokens: 500 }); // 0.00045
 */
export function createPricing(overrides: Record<string, ModelPrice> = {}): Pricing {
  const parsed = overridesSchema.safeParse(overrides);
  if (!parsed.success)
    throw new InvalidConfigError('invalid pricing', zodProblems(parsed.error, ['pricing']));
  const table = new Map<string, ModelPrice>([
    ...Object.entries(DEFAULT_PRICING),
    ...Object.entries(parsed.data),
  ]);

  const priceOf = (model: string): ModelPrice | undefined =>
    table.get(model) ?? (dateSuffix.test(model) ? table.get(model.replace(dateSuffix, '')) : undefined);

  const cost = (model: string, inputTokens: number, outputTokens: number): number => {
    const price = priceOf(model);
    if (price === undefined) return 0;
    const tier =
      price.longContext !== undefined && inputTokens > price.longContext.aboveInputTokens
        ? price.longContext
        : price;
    return (
      (Math.max(0, inputTokens) * tier.inputPerMTok + Math.max(0, outputTokens) * tier.outputPerMTok) /
      1_000_000
    );
  };

  return {
    priceOf,
    costUsd: (model, usage) => cost(model, usage.inputTokens, usage.outputTokens),
    maxCostUsd: (model, inputTokens, maxOutputTokens) => cost(model, inputTokens, maxOutputTokens),
  };
}
