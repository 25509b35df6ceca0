import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileFeature } from '../src/core/compile-feature.js';
import { evaluate } from '../src/core/evaluate.js';
import { experimentConfigSchema } from '../src/core/experiment-config.js';
import { loadFeatures } from '../src/core/load-features.js';

const example = (name: string) =>
  readFile(new URL(`../examples/experiments/${name}`, import.meta.url), 'utf8');

/** The documented example does what its comments say: exclusive namespaces and a 10 % holdback. */
describe('examples/experiments/holdback-and-namespaces.yaml', () => {
  it('never puts a user in both experiments and holds back about 10 % of each', async () => {
    const [copy, recs] = loadFeatures(await example('holdback-and-namespaces.yaml'), 'yaml').map((config) =>
      compileFeature(config),
    );
    const users = 20_000;
    const counts = { copy: 0, recs: 0, both: 0, heldBackCopy: 0, heldBackRecs: 0 };
    for (let index = 0; index < users; index += 1) {
      const context = { attributes: { userId: `user-${index}` } };
      const inCopy = evaluate(copy!, context).reason === 'SPLIT';
      const inRecs = evaluate(recs!, context).reason === 'SPLIT';
      counts.copy += Number(inCopy);
      counts.recs += Number(inRecs);
      counts.both += Number(inCopy && inRecs);
    }
    expect(counts.both).toBe(0);
    // Half the namespace each, 90 % coverage: 45 % of users per experiment (4 standard errors of slack).
    for (const share of [counts.copy / users, counts.recs / users]) {
      expect(Math.abs(share - 0.45)).toBeLessThan(4 * Math.sqrt((0.45 * 0.55) / users));
    }
  });

  it('ships an experiment config that validates', async () => {
    const { parse } = await import('yaml');
    const parsed = experimentConfigSchema.safeParse(parse(await example('welcome-copy-test.yaml')));
    expect(parsed.success).toBe(true);
  });
});
