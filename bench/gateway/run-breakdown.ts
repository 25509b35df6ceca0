import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BARE_PROXIES } from './bare-proxies.js';
import { benchChat } from './bench-chat.js';
import { checkCompletion } from './check-completion.js';
import { measureServed } from './measure-served.js';
import type { GatewayTarget } from './measure-target.js';
import { type BenchChild, startChild } from './start-child.js';
import type { BenchTargets } from './start-targets.js';
import { summarizeRuns } from './summarize-runs.js';

/** Options of `runBreakdown`. */
export interface BreakdownOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly rounds: number;
  readonly warmupSeconds: number;
  /** Every bare proxy is pushed here as soon as it started, for the caller to stop. */
  readonly children: BenchChild[];
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Measures what each layer of the gateway costs: bare Fastify proxies (`BARE_PROXIES`, from `node:http`
 * to `sy.run()`), then the Switchyard server and Portkey, interleaved round by round at one concurrency;
 * prints requests/s and the answering process's CPU per answer, and each step over the one before.
 *
 * @example
 * await runBreakdown(await startTargets({ upstreamLatencyMs: 20, children }), {
 *   connections: 50, seconds: 5, rounds: 4, warmupSeconds: 3, children,
 * });
 */
export async function runBreakdown(bench: BenchTargets, options: BreakdownOptions): Promise<void> {
  const upstreamUrl = String(bench.upstream.ready.url);
  const targets: GatewayTarget[] = [];
  const servers = new Map<string, BenchChild>(bench.servers);
  for (const proxy of BARE_PROXIES) {
    const child = await startChild(`bare ${proxy}`, {
      args: ['--import', 'tsx', join(here, 'bare-proxy-process.ts')],
      env: { BENCH_UPSTREAM_URL: upstreamUrl, BENCH_PROXY: proxy },
    });
    options.children.push(child);
    servers.set(proxy, child);
    targets.push({ name: proxy, url: `${String(child.ready.url)}/v1/chat/completions`, headers: {} });
  }
  targets.push(...bench.targets.filter((target) => target.name !== 'direct'));
  for (const target of targets) await checkCompletion(target, benchChat.body, benchChat.reply);

  const measure = (target: GatewayTarget, seconds: number) =>
    measureServed(target, {
      server: servers.get(target.name) ?? bench.upstream,
      upstream: bench.upstream,
      body: benchChat.body,
      connections: options.connections,
      durationSeconds: seconds,
    });
  for (const target of targets) await measure(target, options.warmupSeconds);
  const runs = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const target of targets) {
      const run = await measure(target, options.seconds);
      if (run.errors + run.non2xx > 0) {
        throw new Error(`${target.name}: ${run.errors} errors and ${run.non2xx} non-2xx answers`);
      }
      runs.push(run);
    }
    console.log(`breakdown: round ${round} of ${options.rounds} done`);
  }

  const summaries = summarizeRuns(
    runs,
    targets.map((target) => target.name),
  );
  console.log(
    `\n${options.connections} connections, ${options.rounds} interleaved rounds of ${options.seconds} s:\n`,
  );
  console.log('| server                     | requests/s | CPU/answer (µs) | step (µs) |');
  console.log('| -------------------------- | ---------: | --------------: | --------: |');
  let previous: number | undefined;
  for (const summary of summaries) {
    const cpu = summary.serverCpuUsPerAnswer;
    // Each step is over the rung before; the two timeout variants are measured against generate-text.
    const step =
      previous === undefined || summary.target === 'Portkey'
        ? ''
        : `${cpu >= previous ? '+' : ''}${Math.round(cpu - previous)}`;
    console.log(
      `| ${summary.target.padEnd(26)} | ${Math.round(summary.requestsPerSecond).toLocaleString('en-US').padStart(10)} | ` +
        `${Math.round(cpu).toLocaleString('en-US').padStart(15)} | ${step.padStart(9)} |`,
    );
    if (summary.target !== 'generate-text-timeout' && summary.target !== 'generate-text-timeout-kept') {
      previous = cpu;
    }
  }
}
