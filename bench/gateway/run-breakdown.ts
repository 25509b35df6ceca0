import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BARE_PROXIES, RUNG_BELOW } from './bare-proxies.js';
import { benchChat } from './bench-chat.js';
import { checkCompletion } from './check-completion.js';
import type { CompiledTree } from './compile-for-bench.js';
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
  /** Compiled JavaScript to run the bare proxies from, as the Switchyard server runs; under tsx when undefined. */
  readonly compiled?: CompiledTree;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Measures what each layer of the gateway costs: bare Fastify proxies (`BARE_PROXIES`, from `node:http`
 * to `sy.run()`, and the AI SDK's own path), then the Switchyard server and Portkey, interleaved round by
 * round at one concurrency; prints requests/s, the answering process's CPU per answer, and each step over
 * the rung below it (`RUNG_BELOW`).
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
      args:
        options.compiled === undefined
          ? ['--import', 'tsx', join(here, 'bare-proxy-process.ts')]
          : [join(options.compiled.root, 'bench/gateway/bare-proxy-process.js')],
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
  console.log('| server                     | requests/s | CPU/answer (µs) | over        | step (µs) |');
  console.log('| -------------------------- | ---------: | --------------: | ----------- | --------: |');
  const cpuOf = new Map(summaries.map((summary) => [summary.target, summary.serverCpuUsPerAnswer]));
  for (const summary of summaries) {
    const cpu = summary.serverCpuUsPerAnswer;
    const below = RUNG_BELOW[summary.target];
    const belowCpu = below === undefined ? undefined : cpuOf.get(below);
    const step = belowCpu === undefined ? '' : `${cpu >= belowCpu ? '+' : ''}${Math.round(cpu - belowCpu)}`;
    console.log(
      `| ${summary.target.padEnd(26)} | ${Math.round(summary.requestsPerSecond).toLocaleString('en-US').padStart(10)} | ` +
        `${Math.round(cpu).toLocaleString('en-US').padStart(15)} | ${(below ?? '').padEnd(11)} | ${step.padStart(9)} |`,
    );
  }
}
