/**
 * `switchyard`: the embedded SDK entry point. Today it holds the decision engine, the feature config
 * loader and the store with its audited feature commands; the LLM runtime joins it here.
 *
 * @example
 * import { openStore, applyFeature, compileFeature, evaluate, loadFeatures } from 'switchyard';
 * const store = await openStore('sqlite:./switchyard.db');
 * for (const feature of loadFeatures(text)) await applyFeature(store, feature, { actor: 'deploy' });
 * const stored = await store.getFeature('coach-reply');
 * const decision = evaluate(compileFeature(stored.config), { attributes: { userId: 'u-42' } });
 */
export * from './core/index.js';
export {
  type ApplyOutcome,
  applyFeature,
  type FeatureSwitch,
  switchFeature,
} from './store/feature-commands.js';
export * from './store/index.js';
