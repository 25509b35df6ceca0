/**
 * Telemetry events per second into SQLite and PostgreSQL: realistic call events written through the
 * telemetry writer (batches of 1,000) into `appendEvents`, median of several runs, each run on a fresh
 * store, with time-ordered UUIDv7 ids (what the SDK makes) and random UUIDv4 ids (what other producers may
 * send). Beside the current writer and store it runs them as they were before (one batch in flight; 4 KB
 * SQLite pages; the PostgreSQL JSON-array insert) and each change alone. `--inserts` adds `appendEvents`
 * alone with each store's insert against the others measured. PostgreSQL is skipped, with a line, when
 * unreachable. Stops by itself after about 180 s.
 *
 * @example
 * npx tsx bench/ingest.ts                       # 100,000 events per writer run, 3 runs
 * npx tsx bench/ingest.ts 200000 5              # events per writer run (at most 500,000), runs (at most 9)
 * npx tsx bench/ingest.ts 100000 3 --inserts    # and the COPY / JSON / unnest / portable insert comparison
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TelemetryEvent } from '../src/core/event-schema.js';
import { createTelemetryWriter } from '../src/runtime/telemetry/telemetry-writer.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { postgresTestDatabase } from '../src/store/testing/postgres-test-database.js';
import { createCallEvents, type IdStyle } from './ingest/create-call-events.js';
import { insertEventsWithArrays } from './ingest/insert-events-with-arrays.js';
import { insertEventsWithJson } from './ingest/insert-events-with-json.js';
import {
  type CreateWriter,
  type IngestRun,
  measureDirectAppend,
  measureWriterIngest,
  median,
  type ServerCpu,
} from './ingest/measure-ingest.js';
import { openStoreBefore } from './ingest/open-store-before.js';
import { openStoreInThread } from './ingest/open-store-in-thread.js';
import { openStoreWithInserter } from './ingest/open-store-with-inserter.js';
import { postgresBackendCpuMs } from './ingest/postgres-backend-cpu.js';
import { createTelemetryWriterBefore } from './ingest/telemetry-writer-before.js';

const positional = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const WRITER_EVENTS = bounded(positional[0], 100_000, 1_000, 500_000);
const RUNS = bounded(positional[1], 3, 1, 9);
const COMPARE_INSERTS = process.argv.includes('--inserts');
/** The insert comparison needs fewer events: the portable insert is the slow one. */
const COMPARISON_EVENTS = Math.min(25_000, WRITER_EVENTS);
const BATCH_SIZE = 1_000;
const DEADLINE_MS = 180_000;
const GOALS = { sqlite: 100_000, postgres: 50_000 } as const;

type Target = keyof typeof GOALS;
/**
 * Through a writer: `writer` (writer and store as they are), `before` (both as they were: one batch in flight,
 * 4 KB SQLite pages, the PostgreSQL JSON-array insert), and each change alone: `concurrent` (today's writer,
 * the former store) and `store` (the former writer, today's store). The rest call appendEvents directly.
 */
type Method =
  | 'writer'
  | 'in-thread'
  | 'before'
  | 'concurrent'
  | 'store'
  | 'native'
  | 'json'
  | 'portable'
  | 'arrays';
const THROUGH_WRITER: readonly Method[] = ['writer', 'in-thread', 'before', 'concurrent', 'store'];

interface Configuration {
  readonly target: Target;
  readonly method: Method;
  readonly ids: IdStyle;
  readonly events: readonly TelemetryEvent[];
  readonly runs: IngestRun[];
}

const began = performance.now();
console.log(
  `telemetry ingest: ${WRITER_EVENTS.toLocaleString('en-US')} call events per writer run, batches of ${BATCH_SIZE}, ` +
    `${RUNS} runs${COMPARE_INSERTS ? `, ${COMPARISON_EVENTS.toLocaleString('en-US')} per appendEvents run` : ''}`,
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
const admin = postgres === undefined ? undefined : new pg.Client({ connectionString: postgres.url });
await admin?.connect();
const targets: Target[] = postgres === undefined ? ['sqlite'] : ['sqlite', 'postgres'];
const eventsByIds: Record<IdStyle, TelemetryEvent[]> = {
  v7: createCallEvents(WRITER_EVENTS, 'v7', 1),
  v4: createCallEvents(WRITER_EVENTS, 'v4', 1),
};
const comparison = eventsByIds.v4.slice(0, COMPARISON_EVENTS);
const configurations: Configuration[] = targets.flatMap((target): Configuration[] => [
  ...(target === 'sqlite'
    ? (['writer', 'in-thread', 'before', 'concurrent', 'store'] as const)
    : (['writer', 'before', 'concurrent', 'store'] as const)
  ).map((method): Configuration => ({ target, method, ids: 'v7', events: eventsByIds.v7, runs: [] })),
  { target, method: 'writer', ids: 'v4', events: eventsByIds.v4, runs: [] },
  ...(target === 'sqlite'
    ? [{ target, method: 'in-thread', ids: 'v4', events: eventsByIds.v4, runs: [] } satisfies Configuration]
    : []),
  { target, method: 'before', ids: 'v4', events: eventsByIds.v4, runs: [] },
  ...(COMPARE_INSERTS
    ? (['native', 'portable', ...(target === 'postgres' ? (['json', 'arrays'] as const) : [])] as const).map(
        (method): Configuration => ({ target, method, ids: 'v4', events: comparison, runs: [] }),
      )
    : []),
]);

let runNumber = 0;
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
  await admin?.end();
  await postgres?.cleanup();
  rmSync(directory, { recursive: true, force: true });
}

console.log(
  '| store | writer and insert | ids | events/run | events/s (median) | runs (events/s) | Node CPU µs/event | server CPU µs/event |',
);
console.log('|---|---|---|---:|---:|---|---:|---:|');
for (const configuration of configurations) {
  if (configuration.runs.length === 0) continue;
  const rates = configuration.runs.map((run) => run.eventsPerSecond);
  const server = configuration.runs.map((run) => run.serverMicrosPerEvent);
  console.log(
    `| ${configuration.target} | ${describe(configuration.method, configuration.target)} | ${configuration.ids} | ` +
      `${configuration.events.length.toLocaleString('en-US')} | ${rate(median(rates))} | ` +
      `${rates.map(rate).join(' / ')} | ${median(configuration.runs.map((run) => run.nodeMicrosPerEvent)).toFixed(1)} | ` +
      `${server.some((value) => value === undefined) ? 'n/a' : median(server as number[]).toFixed(1)} |`,
  );
}

console.log('');
for (const target of targets) {
  const find = (method: Method, ids: IdStyle) =>
    configurations.find(
      (configuration) =>
        configuration.target === target && configuration.method === method && configuration.ids === ids,
    );
  const medianOf = (
    configuration: Configuration | undefined,
    value: (run: IngestRun) => number | undefined,
  ) => {
    const values = configuration?.runs.map(value) ?? [];
    return values.length === 0 || values.some((entry) => entry === undefined)
      ? Number.NaN
      : median(values as number[]);
  };
  const rateOf = (method: Method, ids: IdStyle) => medianOf(find(method, ids), (run) => run.eventsPerSecond);
  for (const ids of ['v7', 'v4'] as const) {
    const writer = rateOf('writer', ids);
    const verdict = writer >= GOALS[target] ? 'met' : 'NOT met';
    const before = rateOf('before', ids);
    const inThread = rateOf('in-thread', ids);
    console.log(
      `${target}: goal >= ${rate(GOALS[target])} events/s through the writer, ${ids} ids: ${rate(writer)}, ${verdict}` +
        (Number.isNaN(inThread)
          ? ''
          : ` (in-thread: ${rate(inThread)}, ${(writer / inThread).toFixed(2)}x)`) +
        (Number.isNaN(before) ? '' : ` (before: ${rate(before)}, ${(writer / before).toFixed(2)}x)`),
    );
  }
  for (const method of ['concurrent', 'store'] as const) {
    console.log(
      `${target}: ${describe(method, target)}, v7 ids: ${rate(rateOf(method, 'v7'))} (${(rateOf(method, 'v7') / rateOf('before', 'v7')).toFixed(2)}x before)`,
    );
  }
  if (COMPARE_INSERTS) {
    const native = rateOf('native', 'v4');
    for (const other of [
      'portable',
      ...(target === 'postgres' ? (['json', 'arrays'] as const) : []),
    ] as const) {
      console.log(
        `${target}: native insert / ${describe(other, target)} = ${(native / rateOf(other, 'v4')).toFixed(2)}x`,
      );
    }
  }
}
if (postgres === undefined) console.log('postgres: skipped (not reachable)');
console.log(`\ntotal ${((performance.now() - began) / 1_000).toFixed(1)} s`);

async function runOnce(configuration: Configuration): Promise<IngestRun> {
  const name = `switchyard_bench_ingest_${process.pid}_${++runNumber}`;
  let url: string;
  let serverCpu: ServerCpu | undefined;
  if (configuration.target === 'sqlite') {
    url = `sqlite:${join(directory, `${name}.db`)}`;
  } else {
    const schemaUrl = new URL(postgres?.schemaUrl() ?? '');
    // Names this run's connections, so their backends' CPU can be told from everyone else's.
    schemaUrl.searchParams.set('application_name', name);
    url = schemaUrl.toString();
    serverCpu = async () => (admin === undefined ? undefined : postgresBackendCpuMs(admin, name));
  }
  const store: Store = await open(configuration.method, url);
  try {
    await warmUp(store, configuration.events[0]);
    return THROUGH_WRITER.includes(configuration.method)
      ? await measureWriterIngest(
          store,
          configuration.events,
          BATCH_SIZE,
          serverCpu,
          writerFor(configuration.method),
        )
      : await measureDirectAppend(store, configuration.events, BATCH_SIZE);
  } finally {
    await store.close();
  }
}

/**
 * One event of its own before the clock starts: what a store does once (prepare its insert, start the SQLite
 * event thread) is not ingest rate. Its id is one the run never uses.
 */
async function warmUp(store: Store, like: TelemetryEvent | undefined): Promise<void> {
  if (like === undefined) return;
  const { inserted } = await store.appendEvents([{ ...like, id: `warm-up-${randomUUID()}` }]);
  if (inserted !== 1) throw new Error('the warm-up event was not inserted');
}

function open(method: Method, url: string): Promise<Store> {
  if (method === 'portable') return openStoreWithInserter(url);
  if (method === 'arrays') return openStoreWithInserter(url, insertEventsWithArrays);
  if (method === 'json') return openStoreWithInserter(url, insertEventsWithJson);
  if (method === 'before' || method === 'concurrent') return openStoreBefore(url);
  if (method === 'in-thread') return openStoreInThread(url);
  return openStore(url);
}

function writerFor(method: Method): CreateWriter {
  return method === 'before' || method === 'store' ? createTelemetryWriterBefore : createTelemetryWriter;
}

function describe(method: Method, target: Target): string {
  const change = target === 'sqlite' ? '16 KB pages' : 'COPY';
  if (method === 'writer') return 'writer → appendEvents, current';
  if (method === 'in-thread') return 'inserts on the store connection (before the event thread)';
  if (method === 'before') return 'writer → appendEvents, before';
  if (method === 'concurrent') return 'two batches in flight alone (former store)';
  if (method === 'store') return `${change} alone (former writer)`;
  if (method === 'native')
    return `appendEvents, native insert (${target === 'sqlite' ? 'prepared rows' : 'COPY'})`;
  if (method === 'json') return 'appendEvents, JSON-array insert';
  if (method === 'arrays') return 'appendEvents, unnest of one array per column';
  return 'appendEvents, portable Kysely insert';
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
