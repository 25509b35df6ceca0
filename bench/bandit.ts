/**
 * Bandits and peeking, simulated offline with seeded generators:
 * (a) regret of Thompson sampling (banditWeights on period-weighted estimates, updated every 1,000 units)
 *     against uniform allocation on four Bernoulli arms; goal: Thompson's regret at most 40 % of uniform's;
 * (b) the A/A false-positive rate of analyzeExperiment's primary verdict when it is looked at every day,
 *     fixed-horizon versus sequential; goal: sequential at most alpha = 0.05.
 * Stops adding seeds after a time budget (65 s for the bandits, 110 s in all) and says how many it ran.
 *
 * @example
 * npx tsx bench/bandit.ts            # 50 bandit seeds, 2,000 A/A seeds
 * npx tsx bench/bandit.ts 20 500     # bandit seeds (1-200), A/A seeds (100-5,000)
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { simulatePeeking } from './bandit/simulate-peeking.js';
import { type RegretRun, simulateRegret } from './bandit/simulate-regret.js';
import { mean, median, wilsonInterval } from './bandit/summarize.js';

const BANDIT_SEEDS = bounded(process.argv[2], 50, 1, 200);
const PEEKING_SEEDS = bounded(process.argv[3], 2_000, 100, 5_000);
const DEADLINE_MS = 110_000;
const BANDIT_DEADLINE_MS = 65_000;
const RATES = [0.1, 0.11, 0.12, 0.15];
const UNITS = 20_000;
const UPDATE_EVERY = 1_000;
const ALPHA = 0.05;
const DAYS = 14;
const UNITS_PER_ARM_PER_DAY = 1_000;

const began = performance.now();
const elapsed = (): number => performance.now() - began;
console.log(
  `node ${process.version}, ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}\n`,
);

// (a) Regret, within its share of the time budget; seeds 1..N, the same seeds for every policy.
const POLICIES = ['thompson', 'pooled', 'uniform'] as const;
type Policy = (typeof POLICIES)[number];
const POLICY_NAMES: Record<Policy, string> = {
  thompson: 'Thompson, period-weighted (banditWeights)',
  pooled: 'Thompson, pooled counts (for comparison)',
  uniform: 'uniform',
};
const runs: Record<Policy, RegretRun[]> = { thompson: [], pooled: [], uniform: [] };
for (let seed = 1; seed <= BANDIT_SEEDS && elapsed() < BANDIT_DEADLINE_MS; seed += 1) {
  for (const policy of POLICIES) {
    runs[policy].push(
      simulateRegret({
        rates: RATES,
        units: UNITS,
        updateEvery: UPDATE_EVERY,
        policy,
        seed,
        burnIn: 100,
        minWeight: 0.01,
      }),
    );
  }
}
const banditSeconds = elapsed() / 1000;
const regret = (policy: Policy) => runs[policy].map((run) => run.regret);
const medianRatio = median(regret('thompson')) / median(regret('uniform'));
const meanRatio = mean(regret('thompson')) / mean(regret('uniform'));
console.log(
  `(a) Bernoulli arms ${RATES.join(', ')}; ${UNITS.toLocaleString('en-US')} units, weights updated every ` +
    `${UPDATE_EVERY.toLocaleString('en-US')} (burn-in 100, minWeight 0.01); ${runs.thompson.length} seeds, ${banditSeconds.toFixed(1)} s\n`,
);
console.log('| policy | median regret | mean regret | best arm share (median) | regret / uniform (median) |');
console.log('| ------ | ------------: | ----------: | ----------------------: | ------------------------: |');
for (const policy of POLICIES) {
  console.log(
    `| ${POLICY_NAMES[policy]} | ${median(regret(policy)).toFixed(1)} | ` +
      `${mean(regret(policy)).toFixed(1)} | ${(100 * median(runs[policy].map((run) => run.bestArmShare))).toFixed(1)} % | ` +
      `${(median(regret(policy)) / median(regret('uniform'))).toFixed(3)} |`,
  );
}
console.log(
  `\nGoal Thompson <= 40 % of uniform regret: ${medianRatio <= 0.4 && meanRatio <= 0.4 ? 'MET' : 'NOT MET'} ` +
    `(median ${(100 * medianRatio).toFixed(1)} %, mean ${(100 * meanRatio).toFixed(1)} %)\n`,
);

// (b) A/A peeking. The rest of the budget.
const config = {
  primaryMetric: 'acceptance-rate',
  secondaryMetrics: [],
  guardrailMetrics: [],
  alpha: ALPHA,
  power: 0.8,
  mde: 0.1,
  minSamplePerArm: 100,
  correction: 'none' as const,
};
const peeking = [];
const peekingBegan = elapsed();
for (let seed = 1; seed <= PEEKING_SEEDS && elapsed() < DEADLINE_MS; seed += 1) {
  peeking.push(
    simulatePeeking({
      rate: 0.1,
      unitsPerArmPerDay: UNITS_PER_ARM_PER_DAY,
      days: DAYS,
      seed: 10_000 + seed,
      config,
    }),
  );
}
const peekingSeconds = (elapsed() - peekingBegan) / 1000;
const count = peeking.length;
const rows = [
  { name: 'fixed horizon, one look at day 14', positives: peeking.filter((run) => run.finalLookOnly).length },
  {
    name: 'fixed horizon, daily looks',
    positives: peeking.filter((run) => run.fixedHorizon !== null).length,
  },
  { name: 'sequential, daily looks', positives: peeking.filter((run) => run.sequential !== null).length },
];
console.log(
  `(b) A/A: two arms at 0.10, ${UNITS_PER_ARM_PER_DAY.toLocaleString('en-US')} units per arm per day, ${DAYS} daily looks, ` +
    `alpha ${ALPHA}; ${count} seeds, ${peekingSeconds.toFixed(1)} s\n`,
);
console.log('| analysis | false positives | rate | 95 % interval |');
console.log('| -------- | --------------: | ---: | ------------: |');
for (const row of rows) {
  const [low, high] = wilsonInterval(row.positives, count);
  console.log(
    `| ${row.name} | ${row.positives} / ${count} | ${(row.positives / count).toFixed(3)} | ${low.toFixed(3)}-${high.toFixed(3)} |`,
  );
}
const sequentialRate = rows[2]!.positives / count;
const fixedRate = rows[1]!.positives / count;
console.log(
  `\nGoal sequential <= alpha ${ALPHA} under daily peeking: ${sequentialRate <= ALPHA ? 'MET' : 'NOT MET'} ` +
    `(${sequentialRate.toFixed(3)}); fixed horizon under the same peeking: ${fixedRate.toFixed(3)} ` +
    `(${(fixedRate / ALPHA).toFixed(1)}x alpha)`,
);
console.log(`\ntotal ${(elapsed() / 1000).toFixed(1)} s`);

function bounded(argument: string | undefined, fallback: number, minimum: number, maximum: number): number {
  const value = argument === undefined ? fallback : Number.parseInt(argument, 10);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    console.error(`expected an integer in [${minimum}, ${maximum}], got ${argument}`);
    process.exit(2);
  }
  return value;
}
