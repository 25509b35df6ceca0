/**
 * Telemetry events per second into SQLite and PostgreSQL: realistic call events written through the
 * telemetry writer (batches of 1,000) into `appendEvents`, median of several runs, each run on a fresh
 * store; beside it, `appendEvents` alone with the dialects' native inserts against the portable Kysely
 * insert they replaced. PostgreSQL is skipped, with a line, when unreachable. Stops by itself in about 50 s.
 *
 * @example
 * npx tsx bench/ingest.ts            # 100,000 events per writer run, 3 runs
 * npx tsx bench/ingest.ts 200000 5   # events per writer run (at most 500,000), runs (at most 9)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryEvent } from '../src/core/event-schema.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { postgresTestDatabase } from '../src/store/testing/postgres-test-database.js';
import { createCallEvents, type IdStyle } from './ingest/create-call-events.js';
import { insertEventsWithArrays } from './ingest/insert-events-with-arrays.js';
import { type IngestRun, measureDirectAppend, measureWriterIngest, median } from './ingest/measure-ingest.js';
import { openStoreWithInserter } from './ingest/open-store-with-inserter.js';

const WRITER_EVENTS = bounded(process.argv[2], 100_000, 1_000, 500_000);
const RUNS = bounded(process.argv[3], 3, 1, 9);
/** The before/after comparison needs fewer events: the portable insert is the slow one. */
const COMPARISON_EVENTS = Math.min(25_000, WRITER_EVENTS);
const BATCH_SIZE = 1_000;
const DEADLINE_MS = 50_000;
const GOALS = { sqlite: 100_000, postgres: 50_000 } as const;

type Target = keyof typeof GOALS;
type Method = 'writer' | 'native' | 'portable' | 'arrays';

interface Configuration {
  readonly target: Target;
  readonly method: Method;
  readonly ids: IdStyle;
  readonly events: readonly TelemetryEvent[];
  readonly runs: IngestRun[];
}

const began = performance.now();
console.log(
  `telemetry ingest: ${WRITER_EVENTS.toLocaleString('en-US')} call events per writer run, ` +
    `${COMPARISON_EVENTS.toLocaleString('en-US')} per appendEvents run, batches of ${BATCH_SIZE}, ${RUNS} runs`,
);
console.log(
  `node ${process.version}, ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}\n`,
);

const directory = mkdtempSync(join(tmpdir(), 'switchyard-bench-ingest-'));
// The bench reports an unreachable PostgreSQL and goes on with SQLite, whatever CI says.
const postgres = await postgresTestDatabase('bench-ingest', { ...process.env, CI: undefined });
const targets: Target[] = postgres === undefined ? ['sqlite'] : ['sqlite', 'postgres'];
const eventsByIds: Record<IdStyle, TelemetryEvent[]> = {
  random: createCallEvents(WRITER_EVENTS, 'random', 1),
  'time-ordered': createCallEvents(WRITER_EVENTS, 'time-ordered', 1),
};
const comparison = eventsByIds.random.slice(0, COMPARISON_EVENTS);
const configurations: Configuration[] = targets.flatMap((target): Configuration[] => [
  { target, method: 'writer', ids: 'random', events: eventsByIds.random, runs: [] },
  { target, method: 'writer', ids: 'time-ordered', events: eventsByIds['time-ordered'], runs: [] },
  { target, method: 'native', ids: 'random', events: comparison, runs: [] },
  { target, method: 'portable', ids: 'random', events: comparison, runs: [] },
  ...(target === 'postgres'
    ? [{ target, method: 'arrays', ids: 'random', events: comparison, runs: [] } satisfies Configuration]
    : []),
]);

let fileNumber = 0;
try {
  // Round-robin, so drift on a shared machine hits every configuration alike.
  rounds: for (let round = 0; round < RUNS; round++) {
    for (const configuration of configurations) {
      if (performance.now() - began > DEADLINE_MS) {
        console.log(`stopping after ${round} full rounds: the ${DEADLINE_MS / 1_000} s budget is spent`);
        break rounds;
      }
      configuration.runs.push(await runOnce(configuration));
    }
  }
} finally {
  await postgres?.cleanup();
  rmSync(directory, { recursive: true, force: true });
}

console.log('| store | path | ids | events/run | events/s (median) | runs (events/s) |');
console.log('|---|---|---|---:|---:|---|');
for (const configuration of configurations) {
  if (configuration.runs.length === 0) continue;
  const rates = configuration.runs.map((run) => run.eventsPerSecond);
  console.log(
    `| ${configuration.target} | ${describe(configuration.method)} | ${configuration.ids} | ` +
      `${configuration.events.length.toLocaleString('en-US')} | ${rate(median(rates))} | ` +
      `${rates.map(rate).join(' / ')} |`,
  );
}

console.log('');
for (const target of targets) {
  const find = (method: Method, ids: IdStyle) =>
    configurations.find(
      (configuration) =>
        configuration.target === target && configuration.method === method && configuration.ids === ids,
    );
  const medianOf = (configuration: Configuration | undefined) =>
    configuration === undefined || configuration.runs.length === 0
      ? Number.NaN
      : median(configuration.runs.map((run) => run.eventsPerSecond));
  const native = medianOf(find('native', 'random'));
  const portable = medianOf(find('portable', 'random'));
  console.log(`${target}: native insert / portable Kysely insert = ${(native / portable).toFixed(2)}x`);
  if (target === 'postgres') {
    const arrays = medianOf(find('arrays', 'random'));
    console.log(`${target}: native (JSON) insert / unnest-arrays insert = ${(native / arrays).toFixed(2)}x`);
  }
  for (const ids of ['random', 'time-ordered'] as const) {
    const writer = medianOf(find('writer', ids));
    const verdict = writer >= GOALS[target] ? 'met' : 'NOT met';
    console.log(
      `${target}: goal >= ${rate(GOALS[target])} events/s through the writer, ${ids} ids: ${rate(writer)}, ${verdict}`,
    );
  }
}
if (postgres === undefined) console.log('postgres: skipped (not reachable)');
console.log(`\ntotal ${((performance.now() - began) / 1_000).toFixed(1)} s`);

async function runOnce(configuration: Configuration): Promise<IngestRun> {
  const url =
    configuration.target === 'sqlite'
      ? `sqlite:${join(directory, `run-${++fileNumber}.db`)}`
      : (postgres?.schemaUrl() ?? '');
  const store: Store =
    configuration.method === 'portable'
      ? await openStoreWithInserter(url)
      : configuration.method === 'arrays'
        ? await openStoreWithInserter(url, insertEventsWithArrays)
        : await openStore(url);
  try {
    return configuration.method === 'writer'
      ? await measureWriterIngest(store, configuration.events, BATCH_SIZE)
      : await measureDirectAppend(store, configuration.events, BATCH_SIZE);
  } finally {
    await store.close();
  }
}

function describe(method: Method): string {
  if (method === 'writer') return 'writer → appendEvents (native insert)';
  if (method === 'native') return 'appendEvents, native insert';
  if (method === 'arrays') return 'appendEvents, unnest of one array per column';
  return 'appendEvents, portable Kysely insert (before)';
}

function rate(eventsPerSecond: number): string {
  return Number.isNaN(eventsPerSecond) ? 'n/a' : Math.round(eventsPerSecond).toLocaleString('en-US');
}

function bounded(text: string | undefined, fallback: number, min: number, max: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
