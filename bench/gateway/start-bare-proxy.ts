import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BareProxy } from './bare-proxies.js';
import type { CompiledTree } from './compile-for-bench.js';
import type { GatewayTarget } from './measure-target.js';
import { type BenchChild, startChild } from './start-child.js';

const here = dirname(fileURLToPath(import.meta.url));

/** A bare proxy process (bare-proxy-process.ts) and the target that sends chat completions to it. */
export interface BareProxyTarget {
  readonly child: BenchChild;
  readonly target: GatewayTarget;
}

/**
 * Starts one bare proxy of `bare-proxy-process.ts` (Fastify, or `node:http` alone) in front of the upstream, in its own process
 * (from `compiled` JavaScript when given), and pushes it to `children` (for the caller to stop) as soon as
 * it is ready.
 *
 * @example
 * const { target } = await startBareProxy('http', 'bare proxy', upstreamUrl, children);
 */
export async function startBareProxy(
  proxy: BareProxy,
  name: string,
  upstreamUrl: string,
  children: BenchChild[],
  compiled?: CompiledTree,
  server: 'fastify' | 'node-http' = 'fastify',
): Promise<BareProxyTarget> {
  const child = await startChild(name, {
    args:
      compiled === undefined
        ? ['--import', 'tsx', join(here, 'bare-proxy-process.ts')]
        : [join(compiled.root, 'bench/gateway/bare-proxy-process.js')],
    env: { BENCH_UPSTREAM_URL: upstreamUrl, BENCH_PROXY: proxy, BENCH_PROXY_SERVER: server },
  });
  children.push(child);
  return { child, target: { name, url: `${String(child.ready.url)}/v1/chat/completions`, headers: {} } };
}
