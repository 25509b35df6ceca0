/**
 * Guardrail detection: the four scenarios of `switchyard simulate guardrails` (a: v2 errors 2 % -> 4 %;
 * b: v2 +50 % latency; c: A/A with ±50 % daily swings; d: A/A with a provider outage), each over 20 seeds,
 * through the real server and gateway against the local fake upstream in virtual time. Prints, for
 * Switchyard's relative rule and the Flagger-style and Argo-style threshold baselines, the runs rolled back,
 * v2 requests until the rollback (median, p90), excess v2 failures and false rollbacks, then the goals:
 * (a) median at most 2,000 v2 requests until the relative rule's rollback; (c) and (d) no false rollback
 * from it. The runs are shared among worker processes (one per core, at most 4).
 *
 * @example
 * npx tsx bench/detection.ts              # 20 seeds, at most 4,500 requests a run
 * npx tsx bench/detection.ts 40 4500 2    # seeds (1-200), requests per run (500-100,000), workers (1-16)
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { formatDetection } from '../src/cli/simulate/format-detection.js';
import { guardrailScenario, SCENARIO_IDS, type ScenarioId } from '../src/cli/simulate/guardrail-scenario.js';
import { DEFAULT_REQUESTS_PER_SECOND } from '../src/cli/simulate/run-guardrail-simulation.js';
import type { SeedResult } from '../src/cli/simulate/simulate-seed.js';
import { summarizeScenario } from '../src/cli/simulate/summarize-scenario.js';
import type { DetectionJob } from './detection/detection-worker.js';
import { type BenchChild, startChild } from './gateway/start-child.js';

const SEEDS = bounded(process.argv[2], 20, 1, 200);
const REQUESTS = bounded(process.argv[3], 4_500, 500, 100_000);
const WORKERS = bounded(process.argv[4], Math.min(4, availableParallelism()), 1, 16);
/** No run may take longer than this; a run that does is a bug, not a figure. */
const RUN_TIMEOUT_MS = 600_000;

const began = performance.now();
console.log(
  `node ${process.version}, ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
);
console.log(
  `${SEEDS} seeds x ${SCENARIO_IDS.length} scenarios, at most ${REQUESTS.toLocaleString('en-US')} requests a run ` +
    `at ${DEFAULT_REQUESTS_PER_SECOND}/s of virtual time (${(REQUESTS / DEFAULT_REQUESTS_PER_SECOND / 60).toFixed(0)} virtual minutes), ` +
    `${WORKERS} worker process(es)\n`,
);

// The A/A scenarios always run to the end: they go first, so that the short runs fill the gaps at the end.
const order: ScenarioId[] = ['c', 'd', 'a', 'b'];
const jobs: DetectionJob[] = order.flatMap((scenario) =>
  Array.from({ length: SEEDS }, (_, index) => ({
    type: 'run' as const,
    scenario,
    seed: index + 1,
    maxRequests: REQUESTS,
  })),
);
const results = new Map<ScenarioId, SeedResult[]>(SCENARIO_IDS.map((id) => [id, []]));
let finished = 0;

const workers: BenchChild[] = [];
try {
  for (let index = 0; index < WORKERS; index += 1) {
    workers.push(
      await startChild(`detection worker ${index + 1}`, {
        args: ['--import', 'tsx', 'bench/detection/detection-worker.ts'],
        readyTimeoutMs: 60_000,
      }),
    );
  }
  let next = 0;
  await Promise.all(
    workers.map(async (worker) => {
      while (next < jobs.length) {
        const job = jobs[next] as DetectionJob;
        next += 1;
        const answer = await worker.ask({ ...job }, RUN_TIMEOUT_MS);
        if (typeof answer.error === 'string')
          throw new Error(`(${job.scenario}) seed ${job.seed}: ${answer.error}`);
        results.get(job.scenario)?.push(answer.result as SeedResult);
        finished += 1;
        process.stderr.write(
          `\r${finished}/${jobs.length} runs, ${((performance.now() - began) / 1_000).toFixed(0)} s   `,
        );
      }
    }),
  );
} finally {
  await Promise.all(workers.map((worker) => worker.stop()));
}
process.stderr.write('\n');

const summaries = SCENARIO_IDS.map((id) => summarizeScenario(guardrailScenario(id), results.get(id) ?? []));
console.log(formatDetection(summaries, 'markdown'));

// What the table does not show: the spread of the relative rule's rollbacks, and that each one was served.
for (const summary of summaries) {
  const relative = summary.seeds.map((seed) => seed.methods.relative);
  const requests = relative
    .filter((outcome) => outcome.rolledBack)
    .map((outcome) => outcome.v2Requests)
    .sort((left, right) => left - right);
  const served = summary.seeds.filter((seed) => seed.killServed).length;
  const total = summary.seeds.reduce((sum, seed) => sum + seed.requests, 0);
  console.log(
    `(${summary.scenario}) relative rule: ${requests.length}/${summary.seeds.length} rollbacks` +
      (requests.length > 0
        ? ` after ${requests[0]}-${requests.at(-1)} v2 requests, the kill served in ${served}/${requests.length}`
        : '') +
      `; ${total.toLocaleString('en-US')} requests in all`,
  );
}
console.log(`\n${((performance.now() - began) / 1_000).toFixed(0)} s in all`);

function bounded(text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`expected an integer from ${min} to ${max}, got "${text}"`);
    process.exit(2);
  }
  return value;
}
