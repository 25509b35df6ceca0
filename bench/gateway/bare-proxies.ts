/**
 * The ways a bare proxy of `bench/gateway.ts --breakdown` calls the upstream, from the cheapest client to
 * the whole runtime: each step adds one layer of what the gateway does (see bare-proxy-process.ts).
 */
export const BARE_PROXIES = [
  'http',
  'fetch',
  'generate-text',
  'generate-text-timeout',
  'generate-text-timeout-kept',
  'run',
] as const;

/** One of `BARE_PROXIES`. */
export type BareProxy = (typeof BARE_PROXIES)[number];
