/**
 * What does one monitor rule over a long window cost the store? The monitor re-reads each rule's window on
 * every pass (10 s): a `spend-today` or one-hour `cache-hit-rate` rule reads the whole day or hour of one
 * feature. `metricsByVariant` with and without the latency quantiles (the part that streams every run),
 * interleaved, on SQLite (a temp file) holding 1,000,000 call events, 200,000 of them for the feature read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { createCallEvents } from './ingest/create-call-events.js';

const EVENTS = 1_000_000;
const ROUNDS = 7;
const directory = await mkdtemp(join(tmpdir(), 'switchyard-monitor-window-'));
const store = await openStore(`sqlite:${join(directory, 'bench.db')}`);
try {
  const events = createCallEvents(EVENTS, 'v7');
  for (let start = 0; start < events.length; start += 10_000) {
    await store.appendEvents(events.slice(start, start + 10_000));
  }
  const from = Math.min(...events.slice(0, 100).map((event) => event.at));
  const to = Math.max(...events.slice(-100).map((event) => event.at)) + 1;
  const query = { feature: 'coach-reply', from, to, intervalMs: to - from };
  const timings = { withQuantiles: [] as number[], countsOnly: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    // Interleaved, so both sides see the same cache and machine load.
    for (const [name, latency] of [
      ['withQuantiles', true],
      ['countsOnly', false],
    ] as const) {
      const started = performance.now();
      const metrics = await store.metricsByVariant({ ...query, latency });
      timings[name].push(performance.now() - started);
      if (round === 0) {
        const runs = metrics.overall.requests;
        console.log(
          `${name}: ${runs.toLocaleString('en-US')} runs in the window, p95 ${metrics.overall.latencyMs.p95}`,
        );
      }
    }
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const full = median(timings.withQuantiles);
  const light = median(timings.countsOnly);
  console.log(
    `median of ${ROUNDS}: with quantiles ${full.toFixed(0)} ms, counts only ${light.toFixed(0)} ms, ${(full / light).toFixed(1)}x`,
  );
} finally {
  await store.close();
  await rm(directory, { recursive: true, force: true });
}
