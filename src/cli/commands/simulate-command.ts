import { type Command, Option } from 'commander';
import { CliError, type CliIo } from '../cli-io.js';
import { createDemoProgress, type ProgressMode } from '../demo/demo-progress.js';
import { formatDetection } from '../simulate/format-detection.js';
import { SCENARIO_IDS, type ScenarioId } from '../simulate/guardrail-scenario.js';
import {
  MONITOR_TICK_MS,
  DEFAULT_REQUESTS_PER_SECOND as REQUESTS_PER_SECOND,
} from '../simulate/run-guardrail-simulation.js';
import { type SimulationProgress, simulateGuardrails } from '../simulate/simulate-guardrails.js';
import { simulatePersonalization } from '../simulate/simulate-personalization.js';

const MAX_SEEDS = 1_000;
const MIN_REQUESTS = 200;
const MAX_REQUESTS = 1_000_000;
/** Seeds are 32-bit: the last one, first + seeds - 1, must stay below 2^32. */
const MAX_FIRST_SEED = 4_294_967_295 - MAX_SEEDS;

interface GuardrailsFlags {
  seeds: number;
  scenario: readonly ScenarioId[];
  requests: number;
  firstSeed: number;
  json?: boolean;
  progress?: boolean;
}

/**
 * Adds `simulate guardrails`: runs the guardrail scenarios through the real server and gateway against a local
 * fake upstream in virtual time, and prints how soon each method rolled a bad v2 back and how often it rolled
 * a harmless one back (a table, or `--json`).
 */
export function addSimulateCommand(program: Command, io: CliIo): void {
  const simulate = program
    .command('simulate')
    .description('simulate traffic through the real server against a local fake upstream');
  simulate
    .command('guardrails')
    .description(
      "measure the relative rule's rollbacks against threshold-only baselines (Flagger-style, Argo-style)",
    )
    .option(`--seeds <n>`, `seeds per scenario, 1 to ${MAX_SEEDS}`, parseSeeds, 20)
    .addOption(
      new Option('--scenario <id>', 'a, b, c, d or all')
        .argParser(parseScenario)
        .default(SCENARIO_IDS, 'all'),
    )
    .option(
      '--requests <n>',
      `requests per run at most (${REQUESTS_PER_SECOND} arrive per second of virtual time), ` +
        `${MIN_REQUESTS} to ${MAX_REQUESTS.toLocaleString('en-US')}`,
      parseRequests,
      4_500,
    )
    .option('--first-seed <n>', `first seed (then first + 1, ...), 0 to ${MAX_FIRST_SEED}`, parseFirstSeed, 1)
    .option('--json', 'print every run and the summaries as JSON instead of the table')
    .option('--no-progress', 'no progress line on a terminal')
    .addHelpText(
      'after',
      [
        '',
        'Scenarios (v1 is the default and the control, v2 gets half of the users, each request is a new user):',
        '  a  v2 fails twice as often as v1 (2 % -> 4 % HTTP 500)',
        '  b  v2 is 50 % slower at every quantile (lognormal upstream latency, median 20 ms -> 30 ms)',
        '  c  A/A: both fail at 2 % swinging ±50 % over one compressed day (the planned run)',
        '  d  A/A: a provider outage fails 50 % of both arms (HTTP 503) for 5 minutes, from a third of the run',
        '',
        'Each run starts a server on sqlite::memory: and a fake upstream on 127.0.0.1; the monitor evaluates a',
        'relative rule (failure-rate, or mean-latency in b) with action rollback every 10 s of virtual time.',
        'After a rollback the kill is lifted so that the baselines judge the same traffic: they check v2 every',
        "minute (success rate >= 97 %, or p95 <= halfway between the arms' measured p95) and roll back at the",
        '5th failed check (Flagger-style) or the 4th (Argo-style, failureLimit 3). A run ends once all three',
        'methods rolled back, or after --requests. Nothing is written to disk.',
        '',
        'Examples:',
        '  npx switchyard simulate guardrails --seeds 5 --scenario a',
        '  npx switchyard simulate guardrails --json > detection.json',
      ].join('\n'),
    )
    .action(async (flags: GuardrailsFlags) => {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      // On stderr, so that `--json > file` still shows it.
      const live = flags.progress !== false && process.stderr.isTTY === true && io.env.CI !== 'true';
      const mode: ProgressMode = live ? 'live' : 'quiet';
      const began = performance.now();
      const progress = createDemoProgress({
        mode,
        write: io.stderr,
        clock: () => performance.now(),
        columns: process.stderr.columns ?? 120,
      });
      try {
        const results = await simulateGuardrails({
          scenarios: flags.scenario,
          seeds: flags.seeds,
          firstSeed: flags.firstSeed,
          maxRequests: flags.requests,
          requestsPerSecond: REQUESTS_PER_SECOND,
          signal: stop.signal,
          onProgress: (state) => progress.status([progressLine(state, performance.now() - began)]),
        });
        progress.end();
        const seconds = (performance.now() - began) / 1_000;
        const interrupted = stop.signal.aborted ? ' (interrupted: finished runs only)' : '';
        if (flags.json) {
          const settings = {
            scenarios: flags.scenario,
            seeds: flags.seeds,
            firstSeed: flags.firstSeed,
            maxRequests: flags.requests,
            requestsPerSecond: REQUESTS_PER_SECOND,
            seconds: Number(seconds.toFixed(1)),
            interrupted: stop.signal.aborted,
          };
          io.stdout(`${JSON.stringify({ settings, results }, finiteOrNull, 2)}\n`);
          return;
        }
        io.stdout(
          `${flags.scenario.length} scenario(s) x ${flags.seeds} seed(s), at most ` +
            `${flags.requests.toLocaleString('en-US')} requests a run at ${REQUESTS_PER_SECOND}/s of virtual ` +
            `time, monitor pass every ${MONITOR_TICK_MS / 1_000} s; ${seconds.toFixed(0)} s${interrupted}\n\n`,
        );
        io.stdout(formatDetection(results, 'plain'));
      } finally {
        progress.end();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  simulate
    .command('personalization')
    .description(
      'measure a personalized ranker against a 50 % holdback: 2,000 users in 20 tenants, 30 simulated days',
    )
    .option(
      '--seed <n>',
      'world and sampling seed, 0 to 4294967295',
      (text) => integerIn('--seed', text, 0, 4_294_967_295),
      1,
    )
    .option('--days <n>', 'simulated days, 1 to 365', (text) => integerIn('--days', text, 1, 365), 30)
    .option(
      '--users <n>',
      'users (one ranking each per day), 20 to 100000',
      (text) => integerIn('--users', text, 20, 100_000),
      2_000,
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'serve: the split serves the rankers; observe: everyone gets the caller order',
      )
        .choices(['serve', 'observe'])
        .default('serve'),
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Acceptance of an item depends on its category and source, with tenant- and user-level preferences.',
        "Each ranking has 10 candidates in random order (the caller's order); the unit judges the first item",
        'served and the SDK gets { accepted, itemId }. Runs through the real SDK on sqlite::memory: in virtual',
        'time; the holdback lift, its interval and p-value come from the experiment analysis of the split.',
        '"learned" compares, at the end, the first choice of the stored profiles with the caller\'s first item.',
      ].join('\n'),
    )
    .action(
      async (flags: {
        seed: number;
        days: number;
        users: number;
        mode: 'serve' | 'observe';
        json?: boolean;
      }) => {
        const result = await simulatePersonalization({
          seed: flags.seed,
          users: flags.users,
          tenants: 20,
          days: flags.days,
          rankingsPerUserDay: 1,
          items: 10,
          holdback: 0.5,
          mode: flags.mode,
        });
        if (flags.json) {
          io.stdout(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);
        io.stdout(
          [
            `mode ${result.mode}, ${result.rankings.toLocaleString('en-US')} rankings in ${result.seconds.toFixed(1)} s`,
            `acceptance: holdback ${percent(result.control.acceptance)} (${result.control.units} units), personalized ${percent(result.personalized.acceptance)} (${result.personalized.units} units)`,
            `lift ${percent(result.lift)}, interval ${result.interval ? result.interval.map(percent).join(' to ') : 'n/a'}, p ${result.pValue === null ? 'n/a' : result.pValue.toPrecision(3)}`,
            `learned profiles' first choice: ${percent(result.learned.personalized)} accepted vs ${percent(result.learned.original)} for the caller's first item`,
            '',
          ].join('\n'),
        );
      },
    );
}

function progressLine(state: SimulationProgress, elapsedMs: number): string {
  const rollback =
    state.rollbackAtMs === null
      ? 'no rollback yet'
      : `rolled back at ${(state.rollbackAtMs / 60_000).toFixed(1)} min`;
  return (
    `run ${state.done + 1}/${state.total} (${state.scenario}) seed ${state.seed}: ` +
    `${state.requests.toLocaleString('en-US')}/${state.maxRequests.toLocaleString('en-US')} requests, ` +
    `${rollback} | ${Math.round(elapsedMs / 1_000)} s`
  );
}

/** JSON has no Infinity: a method that never rolled back reads null. */
function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function parseSeeds(text: string): number {
  return integerIn('--seeds', text, 1, MAX_SEEDS);
}

function parseRequests(text: string): number {
  return integerIn('--requests', text.replaceAll('_', ''), MIN_REQUESTS, MAX_REQUESTS);
}

function parseFirstSeed(text: string): number {
  return integerIn('--first-seed', text, 0, MAX_FIRST_SEED);
}

function parseScenario(text: string): readonly ScenarioId[] {
  const value = text.trim().toLowerCase();
  if (value === 'all') return SCENARIO_IDS;
  if ((SCENARIO_IDS as readonly string[]).includes(value)) return [value as ScenarioId];
  throw new CliError(`invalid --scenario: "${text}" must be a, b, c, d or all`);
}

function integerIn(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d{1,10}$/.test(text.trim()) || value < min || value > max) {
    throw new CliError(
      `invalid ${flag}: "${text}" must be an integer from ${min} to ${max.toLocaleString('en-US')}`,
    );
  }
  return value;
}
