import { setTimeout as sleep } from 'node:timers/promises';
import type { HandlerContext, VariantHandler } from '../../runtime/client/run-types.js';
import type { DemoRandom } from './demo-random.js';

/** What the handlers need: the demo's random source and each handler's median latency. */
export interface DemoHandlerOptions {
  readonly random: DemoRandom;
  /** Median latency in milliseconds by variant key (`legacy`, `v1`, `baseline`). */
  readonly latencyMs: Readonly<Record<string, number>>;
}

/**
 * The application code behind the demo's handler variants: the legacy persona flow, coach V1's templates
 * and the single-variant session generator, each taking a log-normal while (stopped by the run's signal).
 *
 * @example
 * const handlers = createDemoHandlers({ random: createDemoRandom(1), latencyMs: { legacy: 1200, v1: 60, baseline: 350 } });
 */
export function createDemoHandlers(options: DemoHandlerOptions): Record<string, VariantHandler> {
  const { random } = options;
  const work = (variant: string, context: HandlerContext) =>
    sleep(random.logNormal(options.latencyMs[variant] ?? 100, 0.3), undefined, { signal: context.signal });
  const textOf = (input: unknown) => (typeof input === 'string' ? input : JSON.stringify(input ?? ''));

  return {
    async legacy(context) {
      await work('legacy', context);
      return {
        source: 'legacy',
        personas: [
          { name: 'Alex', age: 34, summary: `Built from the brief "${textOf(context.input).slice(0, 60)}"` },
        ],
      };
    },
    async v1(context) {
      await work('v1', context);
      const templates = [
        'Thanks for sharing. What would you like to happen next?',
        'That sounds hard. Try telling them how you feel, calmly.',
        'Good question! Many people feel the same way at this stage.',
      ];
      return random.pick(templates);
    },
    async baseline(context) {
      await work('baseline', context);
      return {
        title: `Session: ${textOf(context.input).slice(0, 40)}`,
        sections: ['warm-up', 'main', 'cool-down'],
      };
    },
  };
}
