import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../testing/seeded-random.js';
import { generatePiiCorpus } from './pii/pii-corpus.test-helper.js';
import { redactPII } from './redact-pii.js';

const types = ['email', 'phone', 'card', 'iban', 'ip', 'ssn'] as const;

describe('redactPII accuracy on a labelled corpus', () => {
  const corpus = generatePiiCorpus(createSeededRandom(20_250_301), 1_500);
  const counts = Object.fromEntries(
    types.map((type) => [type, { truePositive: 0, falsePositive: 0, falseNegative: 0 }]),
  );
  const misses: string[] = [];
  for (const sentence of corpus) {
    const found = redactPII(sentence.text).found;
    const key = (span: { type: string; start: number; end: number }) =>
      `${span.type}:${span.start}:${span.end}`;
    const expected = new Set(sentence.spans.map(key));
    const actual = new Set(found.map(key));
    for (const span of sentence.spans) {
      const count = counts[span.type];
      if (!count) continue;
      if (actual.has(key(span))) count.truePositive += 1;
      else {
        count.falseNegative += 1;
        misses.push(
          `missed ${span.type} "${sentence.text.slice(span.start, span.end)}" in: ${sentence.text}`,
        );
      }
    }
    for (const span of found) {
      const count = counts[span.type];
      if (count && !expected.has(key(span))) {
        count.falsePositive += 1;
        misses.push(`wrong ${span.type} "${sentence.text.slice(span.start, span.end)}" in: ${sentence.text}`);
      }
    }
  }
  const figures = types.map((type) => {
    const { truePositive, falsePositive, falseNegative } = counts[type] as (typeof counts)[string] & {};
    return {
      type,
      truePositive,
      falsePositive,
      falseNegative,
      precision: truePositive / (truePositive + falsePositive),
      recall: truePositive / (truePositive + falseNegative),
    };
  });
  console.log(
    `PII detection on ${corpus.length} sentences (exact span match):\n${figures
      .map(
        (figure) =>
          `  ${figure.type.padEnd(6)} precision ${figure.precision.toFixed(4)}  recall ${figure.recall.toFixed(4)}` +
          `  (tp ${figure.truePositive}, fp ${figure.falsePositive}, fn ${figure.falseNegative})`,
      )
      .join('\n')}${misses.length > 0 ? `\n${misses.slice(0, 20).join('\n')}` : ''}`,
  );

  it('labels at least 1,000 sentences with every type present many times', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1_000);
    for (const figure of figures) expect(figure.truePositive + figure.falseNegative).toBeGreaterThan(100);
  });

  it.each(types)('finds %s with precision and recall of at least 0.95', (type) => {
    const figure = figures.find((candidate) => candidate.type === type);
    expect(figure?.precision).toBeGreaterThanOrEqual(0.95);
    expect(figure?.recall).toBeGreaterThanOrEqual(0.95);
  });
});
