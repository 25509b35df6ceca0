import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.js';
import { formatFromFileName, loadFeatures } from './load-features.js';

const yamlFeature = `
key: coach-reply
defaultVariant: v1
variants:
  v1: { type: handler }
  v2:
    type: llm
    provider: openai
    model: gpt-4o-mini
    maxTokens: 500
rules:
  - id: paid-first
    when: { tier: paid }
    split: { v1: 50, v2: 50 }
    coverage: 0.1
`;

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.message;
    throw error;
  }
  throw new Error('expected an InvalidConfigError');
}

describe('loadFeatures', () => {
  it('loads one YAML feature', () => {
    const [feature] = loadFeatures(yamlFeature, 'yaml');
    expect(feature?.key).toBe('coach-reply');
    expect(feature?.variants.v2).toMatchObject({ type: 'llm', model: 'gpt-4o-mini' });
  });

  it('loads a JSON list and a { features: [...] } bundle', () => {
    const a = { key: 'a', defaultVariant: 'x', variants: { x: { type: 'handler' } } };
    const b = { ...a, key: 'b' };
    expect(loadFeatures(JSON.stringify([a, b]), 'json').map((feature) => feature.key)).toEqual(['a', 'b']);
    expect(loadFeatures(JSON.stringify({ features: [a, b] }), 'yaml').map((feature) => feature.key)).toEqual([
      'a',
      'b',
    ]);
  });

  it('prefixes problems of list items with their index', () => {
    const good = { key: 'a', defaultVariant: 'x', variants: { x: { type: 'handler' } } };
    const bad = { ...good, key: 'b', rules: [{ serve: 'y' }] };
    expect(messageOf(() => loadFeatures(JSON.stringify([good, bad]), 'json'))).toBe(
      'invalid feature: [1].rules[0].serve: unknown variant "y"',
    );
    expect(messageOf(() => loadFeatures(JSON.stringify([good, good]), 'json'))).toBe(
      'invalid feature: [1].key: duplicate feature key "a" (also [0])',
    );
  });

  it('reports syntax errors with their position', () => {
    expect(messageOf(() => loadFeatures('{"key": ', 'json'))).toMatch(
      /^invalid feature file: not valid JSON/,
    );
    expect(messageOf(() => loadFeatures('key: a\n  bad: [1, 2', 'yaml'))).toMatch(
      /^invalid feature file: not valid YAML: line \d+, column \d+/,
    );
    expect(messageOf(() => loadFeatures('[]', 'json'))).toBe(
      'invalid feature: the document holds no feature',
    );
  });

  it('chooses the format from the file name', () => {
    expect(formatFromFileName('features.JSON')).toBe('json');
    expect(formatFromFileName('features.yaml')).toBe('yaml');
    expect(formatFromFileName('features.yml')).toBe('yaml');
  });
});
