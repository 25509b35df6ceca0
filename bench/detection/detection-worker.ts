/**
 * A child of bench/detection.ts: runs the (scenario, seed) jobs its parent sends, one at a time, and answers
 * each with the judged result. Exits when the parent says `stop` or goes away.
 */
import {
  guardrailScenario,
  SCENARIO_IDS,
  type ScenarioId,
} from '../../src/cli/simulate/guardrail-scenario.js';
import { simulateSeed } from '../../src/cli/simulate/simulate-seed.js';

/** What the parent sends: one run to make. */
export interface DetectionJob {
  readonly type: 'run';
  readonly scenario: ScenarioId;
  readonly seed: number;
  readonly maxRequests: number;
}

const send = process.send?.bind(process);
if (send === undefined) throw new Error('this script is a child of bench/detection.ts: run that instead');

process.on(
  'message',
  (message: { type?: string; scenario?: unknown; seed?: unknown; maxRequests?: unknown }) => {
    if (message.type === 'stop') process.exit(0);
    if (message.type !== 'run') return;
    const { scenario, seed, maxRequests } = message;
    if (
      !SCENARIO_IDS.includes(scenario as ScenarioId) ||
      !Number.isInteger(seed) ||
      !Number.isInteger(maxRequests)
    ) {
      send({ type: 'run', error: `bad job ${JSON.stringify(message)}` });
      return;
    }
    simulateSeed(guardrailScenario(scenario as ScenarioId), seed as number, {
      maxRequests: maxRequests as number,
    }).then(
      (result) => send({ type: 'run', result }),
      (error: unknown) =>
        send({ type: 'run', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  },
);
process.once('disconnect', () => process.exit(0));
send({ type: 'ready' });
