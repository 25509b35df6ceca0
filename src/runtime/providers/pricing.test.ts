import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../core/errors.js';
import { createPricing, DEFAULT_PRICING, type ModelPrice } from './pricing.js';

describe('createPricing', () => {
  const pricing = createPricing();

  it('prices every model the defaults promise', () => {
    const models = [
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4.1',
      'gpt-4.1-mini',
      'gpt-4.1-nano',
      'o3-mini',
      'o4-mini',
      'claude-3-5-haiku-latest',
      'claude-sonnet-4-0',
      'claude-opus-4-0',
      'gemini-2.0-flash',
      'gemini-2.5-flash',
      'gemini-2.5-pro',
    ];
    for (const model of models) expect(pricing.priceOf(model), model).toBeDefined();
    expect(Object.isFrozen(DEFAULT_PRICING)).toBe(true);
  });

  it('computes cost per million input and output tokens', () => {
    expect(pricing.costUsd('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(0.15, 12);
    expect(pricing.costUsd('gpt-4o-mini', { inputTokens: 1_000, outputTokens: 500 })).toBeCloseTo(
      0.00045,
      12,
    );
    expect(
      pricing.costUsd('claude-sonnet-4-20250514', { inputTokens: 2_000, outputTokens: 1_000 }),
    ).toBeCloseTo(0.021, 12);
  });

  it('prices a dated snapshot like its alias unless the snapshot has its own price', () => {
    expect(pricing.priceOf('gpt-4o-2024-08-06')).toEqual(pricing.priceOf('gpt-4o'));
    expect(pricing.priceOf('gpt-4.1-mini-2025-04-14')).toEqual(pricing.priceOf('gpt-4.1-mini'));
    expect(pricing.priceOf('gpt-4o-2024-05-13')?.inputPerMTok).toBe(5);
  });

  it('charges the long-context tier above its threshold', () => {
    const short = pricing.costUsd('gemini-2.5-pro', { inputTokens: 200_000, outputTokens: 1_000 });
    const long = pricing.costUsd('gemini-2.5-pro', { inputTokens: 200_001, outputTokens: 1_000 });
    expect(short).toBeCloseTo(0.25 + 0.01, 12);
    expect(long).toBeCloseTo((200_001 * 2.5 + 1_000 * 15) / 1_000_000, 12);
  });

  it('bounds the cost of a call by its maximum output', () => {
    expect(pricing.maxCostUsd('gpt-4.1', 10_000, 2_000)).toBeCloseTo(0.02 + 0.016, 12);
    expect(pricing.maxCostUsd('gpt-4.1', 10_000, 2_000)).toBeGreaterThanOrEqual(
      pricing.costUsd('gpt-4.1', { inputTokens: 10_000, outputTokens: 1_999 }),
    );
  });

  it('costs nothing for a model without a price, which has no price', () => {
    expect(pricing.priceOf('my-finetune')).toBeUndefined();
    expect(pricing.costUsd('my-finetune', { inputTokens: 1_000, outputTokens: 1_000 })).toBe(0);
    expect(pricing.maxCostUsd('my-finetune', 1_000, 1_000)).toBe(0);
  });

  it('lets overrides add models and replace defaults', () => {
    const custom = createPricing({
      'my-finetune': { inputPerMTok: 3, outputPerMTok: 12 },
      'gpt-4o': { inputPerMTok: 1, outputPerMTok: 1 },
    });
    expect(custom.costUsd('my-finetune', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(15);
    expect(custom.costUsd('gpt-4o', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(1);
    expect(pricing.costUsd('gpt-4o', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(2.5);
  });

  it('names the field of an invalid override', () => {
    let error: unknown;
    try {
      createPricing({ 'my-model': { inputPerMTok: -1, outputPerMTok: 2 } as ModelPrice });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).path).toBe('pricing.my-model.inputPerMTok');
  });
});
