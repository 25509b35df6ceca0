import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchChat } from './bench-chat.js';
import type { CompiledTree } from './compile-for-bench.js';
import type { GatewayTarget } from './measure-target.js';
import { type BenchChild, startChild } from './start-child.js';

/** The three targets of the gateway benchmark and the processes behind them. */
export interface BenchTargets {
  /** `direct`, `Switchyard`, `Portkey`, in that order. */
  readonly targets: readonly GatewayTarget[];
  /** The process that answers each target (the upstream for `direct`). */
  readonly servers: ReadonlyMap<string, BenchChild>;
  readonly upstream: BenchChild;
  readonly gateways: readonly BenchChild[];
}

/** Options of `startTargets`. */
export interface StartTargetsOptions {
  /** The fake upstream's fixed latency. */
  readonly upstreamLatencyMs: number;
  /** Where the gateways write CPU profiles when asked (`profile-start` / `profile-stop`); none when undefined. */
  readonly profileDir?: string;
  /** Every child is pushed here as soon as it started, so the caller can stop them all, even after a failure. */
  readonly children: BenchChild[];
  /** Compiled JavaScript to run the Switchyard server from (`compileForBench`); under tsx when undefined. */
  readonly compiled?: CompiledTree;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Starts the fake upstream, a Switchyard server (from compiled JavaScript when `compiled` is given) and
 * `@portkey-ai/gateway`, each in its own Node process on 127.0.0.1, creates the Switchyard `sdk` token the gateway calls carry, and describes the three targets.
 *
 * @example
 * const children: BenchChild[] = [];
 * try {
 *   const { targets } = await startTargets({ upstreamLatencyMs: 20, children });
 * } finally {
 *   await Promise.all(children.map((child) => child.stop()));
 * }
 */
export async function startTargets(options: StartTargetsOptions): Promise<BenchTargets> {
  const { children, profileDir } = options;
  const profileEnv = (name: string): Record<string, string> =>
    profileDir === undefined ? {} : { BENCH_CPU_PROFILE: join(profileDir, `${name}.cpuprofile`) };
  const started = async (starting: Promise<BenchChild>) => {
    const child = await starting;
    children.push(child);
    return child;
  };

  const upstream = await started(
    startChild('fake upstream', {
      args: ['--import', 'tsx', join(here, 'fake-upstream-process.ts')],
      env: { BENCH_UPSTREAM_LATENCY_MS: String(options.upstreamLatencyMs) },
    }),
  );
  const upstreamUrl = String(upstream.ready.url);
  const switchyard = await started(
    startChild('Switchyard', {
      args:
        options.compiled === undefined
          ? ['--import', 'tsx', join(here, 'switchyard-process.ts')]
          : [join(options.compiled.root, 'bench/gateway/switchyard-process.js')],
      env: { BENCH_UPSTREAM_URL: upstreamUrl, ...profileEnv('switchyard') },
    }),
  );
  // Portkey's own start script, as `npx @portkey-ai/gateway` runs it, headless, on a free port. It has no
  // host flag: the preloaded portkey-loopback.mjs binds it to 127.0.0.1 and keeps it offline.
  const portkey = await started(
    startChild('Portkey', {
      args: [
        '--import',
        join(here, 'portkey-loopback.mjs'),
        join(dirname(require.resolve('@portkey-ai/gateway/package.json')), 'build/start-server.js'),
        '--port=0',
        '--headless',
      ],
      env: profileEnv('portkey'),
    }),
  );
  const portkeyAddress = portkey.ready.address as { address?: unknown; port?: unknown } | undefined;
  if (portkeyAddress?.address !== '127.0.0.1') {
    throw new Error(`Portkey listens on ${JSON.stringify(portkeyAddress)}, not on 127.0.0.1 alone`);
  }
  const switchyardUrl = String(switchyard.ready.url);
  const sdkToken = await createSdkToken(switchyardUrl, String(switchyard.ready.adminToken));

  return {
    targets: [
      { name: 'direct', url: `${upstreamUrl}/chat/completions`, headers: {} },
      {
        name: 'Switchyard',
        url: `${switchyardUrl}/v1/chat/completions`,
        headers: { authorization: `Bearer ${sdkToken}`, 'x-switchyard-feature': benchChat.feature },
      },
      {
        name: 'Portkey',
        url: `http://127.0.0.1:${String(portkeyAddress.port)}/v1/chat/completions`,
        // The fake upstream checks no key; Portkey's openai provider forwards whatever it is given.
        headers: {
          authorization: 'Bearer sk-bench-unused',
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': upstreamUrl,
        },
      },
    ],
    servers: new Map([
      ['direct', upstream],
      ['Switchyard', switchyard],
      ['Portkey', portkey],
    ]),
    upstream,
    gateways: [switchyard, portkey],
  };
}

/** Creates an `sdk` token (the role an application's gateway calls use) with the generated admin token. */
async function createSdkToken(serverUrl: string, adminToken: string): Promise<string> {
  const response = await fetch(`${serverUrl}/api/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench-gateway', role: 'sdk' }),
  });
  const body = (await response.json()) as { token?: unknown };
  if (response.status !== 201 || typeof body.token !== 'string') {
    throw new Error(`creating the sdk token failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}
