/**
 * Throughput and added latency of the OpenAI-compatible gateway: autocannon sends the same small chat
 * completion, at the same concurrency, straight to a fake upstream with a fixed latency (the floor),
 * through a Switchyard server, and through `@portkey-ai/gateway` (from npm, offline, on 127.0.0.1),
 * interleaved A B C A B C after a warm-up; then once more with a single connection, where nothing queues,
 * beside a bare `node:http` pass-through proxy (what any proxy adds on this machine). Each server runs in its
 * own Node process and reports its CPU time; autocannon runs in this one. Switchyard runs from JavaScript
 * compiled for the run, as the published package does. Goals: Switchyard adds at most 1 ms at p50 (shown
 * with one connection and at the main concurrency, where it is mostly queueing), and serves at least 2x
 * Portkey's requests/s at the main concurrency. That concurrency (100 by default) must leave the direct path
 * far from its own ceiling (connections / upstream latency), so that a gateway's requests/s is its own
 * capacity rather than the upstream's latency: the report says when it does not. Stops by itself: every child is stopped in `finally`, and a
 * watchdog ends a run that hangs.
 *
 * @example
 * npx tsx bench/gateway.ts          # 100 connections, 10 s per run, 3 rounds (+ 1 connection): under 5 minutes
 * npx tsx bench/gateway.ts 5 2 100  # seconds per run (2-30), rounds (2-5), connections (1-200)
 * SWITCHYARD_BENCH_CPU_PROFILE_DIR=/tmp/profiles npx tsx bench/gateway.ts  # + both gateways' CPU profiles
 * npx tsx bench/gateway.ts --breakdown  # what each layer costs, bare proxies up to the gateways: about 3.5 min
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { BARE_PROXIES } from './gateway/bare-proxies.js';
import { benchChat } from './gateway/bench-chat.js';
import { checkCompletion } from './gateway/check-completion.js';
import { compileForBench } from './gateway/compile-for-bench.js';
import { measureServed } from './gateway/measure-served.js';
import type { GatewayTarget } from './gateway/measure-target.js';
import { printTable } from './gateway/print-table.js';
import { runBreakdown } from './gateway/run-breakdown.js';
import { startBareProxy } from './gateway/start-bare-proxy.js';
import type { BenchChild } from './gateway/start-child.js';
import { type BenchTargets, startTargets } from './gateway/start-targets.js';
import { type ServedRun, summarizeRuns, type TargetSummary } from './gateway/summarize-runs.js';
import { quantile } from './runtime/latency-sampler.js';

const positional = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
/** `--breakdown`: instead of the comparison, the cost of each layer (bare proxies up to the gateways). */
const BREAKDOWN = process.argv.includes('--breakdown');
const SECONDS = bounded(positional[0], 10, 2, 30);
const ROUNDS = bounded(positional[1], 3, 2, 5);
const CONNECTIONS = bounded(positional[2], 100, 1, 200);
const WARMUP_SECONDS = 3;
/** The second pass: one connection, so the added latency is the work of one request, without queueing. */
const SINGLE = { connections: 1, seconds: 5, rounds: 4 } as const;
const BREAKDOWN_RUNS = { seconds: 5, rounds: 4 } as const;
const UPSTREAM_LATENCY_MS = 20;
const GOALS = { addedP50Ms: 1, throughputRatio: 2 } as const;
const PROFILE_DIR = process.env.SWITCHYARD_BENCH_CPU_PROFILE_DIR;
/** The bare proxies of the single-connection pass, in Fastify and on node:http alone: what any proxy adds here. */
const BARE_TARGET = 'bare proxy';
const PLAIN_TARGET = 'bare node:http';

const require = createRequire(import.meta.url);
const children: BenchChild[] = [];
/** The Switchyard server runs from JavaScript compiled for this run, as the published package runs. */
const compiled = compileForBench();
const stopChildren = () => Promise.all(children.splice(0).map((child) => child.stop()));

// Starting, both passes (or the breakdown), the checks, and a minute and a half to spare.
const plannedSeconds = BREAKDOWN
  ? (BARE_PROXIES.length + 2) * (WARMUP_SECONDS + BREAKDOWN_RUNS.rounds * BREAKDOWN_RUNS.seconds)
  : 3 * (WARMUP_SECONDS + ROUNDS * SECONDS) + 4 * (WARMUP_SECONDS + SINGLE.rounds * SINGLE.seconds);
const deadlineMs = (plannedSeconds + 90) * 1_000;
const watchdog = setTimeout(() => {
  console.error(`bench/gateway: still running after ${deadlineMs / 1_000} s; stopping`);
  void stopChildren().finally(() => {
    compiled.remove();
    process.exit(1);
  });
}, deadlineMs);
watchdog.unref();

try {
  console.log(
    BREAKDOWN
      ? `gateway --breakdown: ${CONNECTIONS} connections, ${BREAKDOWN_RUNS.rounds} interleaved rounds of ` +
          `${BREAKDOWN_RUNS.seconds} s after a ${WARMUP_SECONDS} s warm-up each; upstream latency fixed at ` +
          `${UPSTREAM_LATENCY_MS} ms`
      : `gateway: ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} interleaved rounds after a ` +
          `${WARMUP_SECONDS} s warm-up each; then ${SINGLE.connections} connection, ${SINGLE.seconds} s per ` +
          `run, ${SINGLE.rounds} rounds; upstream latency fixed at ${UPSTREAM_LATENCY_MS} ms`,
  );
  console.log(
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, ` +
      `load average ${loadavg()[0]?.toFixed(1)}; @portkey-ai/gateway ${versionOf('@portkey-ai/gateway')}, ` +
      `autocannon ${versionOf('autocannon')}`,
  );
  const bench = await startTargets({
    upstreamLatencyMs: UPSTREAM_LATENCY_MS,
    children,
    compiled,
    ...(PROFILE_DIR === undefined ? {} : { profileDir: PROFILE_DIR }),
  });
  for (const target of bench.targets) {
    const answer = await checkCompletion(target, benchChat.body, benchChat.reply);
    console.log(`checked ${target.name.padEnd(10)} ${answer.slice(0, 140)}…`);
  }
  if (BREAKDOWN) {
    await runBreakdown(bench, {
      connections: CONNECTIONS,
      seconds: BREAKDOWN_RUNS.seconds,
      rounds: BREAKDOWN_RUNS.rounds,
      warmupSeconds: WARMUP_SECONDS,
      children,
      compiled,
    });
  } else {
    await compare(bench);
  }
} finally {
  await stopChildren();
  compiled.remove();
  clearTimeout(watchdog);
}

/** The comparison: warm-up, the main pass (profiled when asked), the single-connection pass, the report. */
async function compare(bench: BenchTargets): Promise<void> {
  for (const target of bench.targets) await measure(bench, target, CONNECTIONS, WARMUP_SECONDS);

  if (PROFILE_DIR !== undefined) {
    for (const gateway of bench.gateways) await gateway.ask({ type: 'profile-start' });
  }
  const main = await measurePass(bench, CONNECTIONS, SECONDS, ROUNDS);
  if (PROFILE_DIR !== undefined) {
    for (const gateway of bench.gateways) {
      const { file } = await gateway.ask({ type: 'profile-stop' }, 30_000);
      console.log(
        `CPU profile of ${gateway.name} over the ${CONNECTIONS}-connection rounds: ${String(file)}`,
      );
    }
  }
  // With one connection, bare pass-through proxies show what any proxy adds on this machine: in Fastify, as
  // the gateway serves, and on node:http alone.
  const upstreamUrl = String(bench.upstream.ready.url);
  const bare = await startBareProxy('http', BARE_TARGET, upstreamUrl, children, compiled);
  const plain = await startBareProxy('http', PLAIN_TARGET, upstreamUrl, children, compiled, 'node-http');
  const singleBench: BenchTargets = {
    ...bench,
    targets: [...bench.targets, bare.target, plain.target],
    servers: new Map([...bench.servers, [BARE_TARGET, bare.child], [PLAIN_TARGET, plain.child]]),
  };
  for (const proxy of [bare, plain]) {
    await checkCompletion(proxy.target, benchChat.body, benchChat.reply);
    await measure(singleBench, proxy.target, SINGLE.connections, WARMUP_SECONDS);
  }
  const single = await measurePass(singleBench, SINGLE.connections, SINGLE.seconds, SINGLE.rounds);
  report(main, single);
  const portkey = bench.servers.get('Portkey');
  const refused =
    portkey === undefined ? [] : ((await portkey.ask({ type: 'offline' })).refused as unknown[]);
  console.log(`outbound connections Portkey tried beyond loopback (all refused): ${refused.length}`);
}

/** Interleaved rounds over the targets at one concurrency; each run is printed as it ends. */
async function measurePass(
  bench: BenchTargets,
  connections: number,
  seconds: number,
  rounds: number,
): Promise<TargetSummary[]> {
  const runs: ServedRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const target of bench.targets) {
      const run = await measure(bench, target, connections, seconds);
      runs.push(run);
      console.log(
        `${connections} conn, round ${round}: ${target.name.padEnd(10)} ` +
          `${Math.round(run.ok / run.durationSeconds)} req/s, p50 ${fixed(quantile(run.latenciesMs, 0.5))} ms, ` +
          `p99 ${fixed(quantile(run.latenciesMs, 0.99))} ms (autocannon: ${Math.round(run.autocannon.requestsPerSecond)} ` +
          `req/s, p50 ${run.autocannon.p50} ms, p99 ${run.autocannon.p99} ms), errors ${run.errors}, ` +
          `non-2xx ${run.non2xx}, server CPU ${Math.round((1_000 * run.serverCpuMs) / run.ok)} µs/answer, ` +
          `upstream received ${run.forwarded} for ${run.ok} answers`,
      );
    }
  }
  return summarizeRuns(
    runs,
    bench.targets.map((target) => target.name),
  );
}

/** One run of one target at the given concurrency. */
function measure(bench: BenchTargets, target: GatewayTarget, connections: number, seconds: number) {
  return measureServed(target, {
    server: bench.servers.get(target.name) ?? bench.upstream,
    upstream: bench.upstream,
    body: benchChat.body,
    connections,
    durationSeconds: seconds,
  });
}

function report(main: TargetSummary[], single: TargetSummary[]): void {
  console.log(`\nload average ${loadavg()[0]?.toFixed(1)} at the end`);
  console.log(`\n${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s:\n`);
  printTable(main);
  console.log(`\n${SINGLE.connections} connection, ${SINGLE.rounds} rounds of ${SINGLE.seconds} s:\n`);
  printTable(single);
  console.log('\nserver CPU: the fake upstream for direct, the gateway process alone for the others');

  const [direct, switchyard, portkey] = main as [TargetSummary, TargetSummary, TargetSummary];
  const addedP50 = switchyard.p50 - direct.p50;
  const singleAddedP50 = (single[1]?.p50 ?? Number.NaN) - (single[0]?.p50 ?? Number.NaN);
  const ratio = switchyard.requestsPerSecond / portkey.requestsPerSecond;
  const cpuRatio = portkey.serverCpuUsPerAnswer / switchyard.serverCpuUsPerAnswer;
  console.log(
    `throughput Switchyard / Portkey: ${ratio.toFixed(2)}x; CPU per answer Portkey / Switchyard: ${cpuRatio.toFixed(2)}x`,
  );
  // With every connection waiting on the upstream, no target can pass connections / latency answers a second.
  const ceiling = CONNECTIONS / (direct.p50 / 1_000);
  const share = switchyard.requestsPerSecond / direct.requestsPerSecond;
  console.log(
    `direct served ${Math.round(direct.requestsPerSecond)} req/s (ceiling at ${CONNECTIONS} connections about ` +
      `${Math.round(ceiling)}); Switchyard served ${(100 * share).toFixed(0)} % of direct` +
      (share > 0.8
        ? ': bound by the upstream latency more than by its own work; use more connections to compare capacity'
        : ''),
  );
  const bareAddedP50 = (single[3]?.p50 ?? Number.NaN) - (single[0]?.p50 ?? Number.NaN);
  const plainAddedP50 = (single[4]?.p50 ?? Number.NaN) - (single[0]?.p50 ?? Number.NaN);
  const met = (added: number) => (added <= GOALS.addedP50Ms ? 'met' : 'NOT met');
  // With one connection nothing queues: what is added is the work of one request and the extra hop.
  console.log(
    `goal: Switchyard adds <= ${GOALS.addedP50Ms} ms at p50: with 1 connection ${fixed(singleAddedP50)} ms, ` +
      `${met(singleAddedP50)} (a bare proxy adds ${fixed(bareAddedP50)} ms in Fastify, ${fixed(plainAddedP50)} ms on ` +
      `node:http alone); with ${CONNECTIONS} ` +
      `connections ${fixed(addedP50)} ms, ${met(addedP50)}`,
  );
  console.log(
    `goal: Switchyard serves >= ${GOALS.throughputRatio}x Portkey's requests/s: ${ratio.toFixed(2)}x, ` +
      `${ratio >= GOALS.throughputRatio ? 'met' : 'NOT met'}`,
  );
  const failures = [...main, ...single].reduce((sum, summary) => sum + summary.errors + summary.non2xx, 0);
  console.log(
    `errors and non-2xx answers: ${failures}${failures === 0 ? '' : ' (must be 0: figures invalid)'}`,
  );
  if (failures > 0) process.exitCode = 1;
}

function versionOf(name: string): string {
  const packageJson = require.resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

function fixed(value: number): string {
  return value.toFixed(2);
}

function bounded(text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
