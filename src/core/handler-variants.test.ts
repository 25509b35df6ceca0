import { describe, expect, it } from 'vitest';
import { missingHandlers } from './handler-variants.js';
import { parseFeature } from './validate-feature.js';

const feature = parseFeature({
  key: 'coach-reply',
  defaultVariant: 'legacy',
  variants: {
    legacy: { type: 'handler' },
    v2: { type: 'llm', provider: 'openai', model: 'gpt-4o-mini', fallback: ['rescue'] },
    rescue: { type: 'handler', fallback: ['v2'] },
    qa: { type: 'handler' },
    unused: { type: 'handler' },
    off: { type: 'handler' },
  },
  rules: [{ id: 'qa', when: { tier: 'qa' }, serve: 'qa' }, { split: { v2: 90, legacy: 10, off: 0 } }],
});

describe('missingHandlers', () => {
  it('names each handler variant a feature can serve, and where, without a registered handler', () => {
    expect(missingHandlers([feature], new Set())).toEqual([
      { feature: 'coach-reply', variant: 'legacy', servedBy: ['default', 'rule 2'] },
      { feature: 'coach-reply', variant: 'qa', servedBy: ['rule qa'] },
      { feature: 'coach-reply', variant: 'rescue', servedBy: ['fallback of v2'] },
    ]);
  });

  it('leaves out variants with a registered handler, unreachable ones and llm variants', () => {
    expect(missingHandlers([feature], new Set(['legacy', 'qa', 'rescue']))).toEqual([]);
    const llmOnly = parseFeature({
      key: 'gateway-only',
      defaultVariant: 'a',
      variants: { a: { type: 'llm', provider: 'openai', model: 'm' }, b: { type: 'handler' } },
    });
    expect(missingHandlers([llmOnly], new Set())).toEqual([]);
  });
});
