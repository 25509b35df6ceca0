/**
 * The ways a bare proxy of `bench/gateway.ts --breakdown` calls the upstream, each with the rung it is
 * measured against (see bare-proxy-process.ts). Two ladders share the `http` floor: the path the gateway
 * takes (`call-model` on the direct chat-completions model, then the whole runtime), and the AI SDK's own
 * path (`fetch`, then `generateText`, alone and inside cockatiel's timeout).
 */
export const BARE_PROXIES = [
  'http',
  'call-model',
  'run',
  'fetch',
  'generate-text',
  'generate-text-timeout',
  'generate-text-timeout-kept',
] as const;

/** One of `BARE_PROXIES`. */
export type BareProxy = (typeof BARE_PROXIES)[number];

/** The rung each bare proxy's cost is measured over; `Switchyard` is measured over `run`. */
export const RUNG_BELOW: Readonly<Record<string, string>> = {
  'call-model': 'http',
  run: 'call-model',
  Switchyard: 'run',
  fetch: 'http',
  'generate-text': 'fetch',
  'generate-text-timeout': 'generate-text',
  'generate-text-timeout-kept': 'generate-text',
};
