import { type ConfigProblem, InvalidConfigError } from '../core/errors.js';
import type { ChatCompletionRequest } from './chat-request.js';
import { type FakeFaults, faultProblems } from './fault-plan.js';
import { type LatencySpec, latencyProblems } from './latency.js';
import { isRecord } from './schema-node.js';

/** How one fake model answers: its latency, its streaming pace, what it says and how it fails. */
export interface FakeModelBehaviour {
  /** Time before the first byte of every answer (errors included). Default 0. */
  latencyMs?: LatencySpec;
  /**
   * Generation pace: stream chunks (one per estimated token) arrive at this rate, and a plain answer is
   * sent once the whole reply would have been generated. Default: no pause.
   */
  tokensPerSecond?: number;
  /**
   * The reply text, or a function of the parsed request body. Default: a short deterministic reply
   * derived from the last user message, or a schema-valid JSON document for structured-output requests.
   */
  reply?: string | ((request: ChatCompletionRequest) => string);
  /** Injected failures, drawn per request from the server's seeded generator. */
  faults?: FakeFaults;
}

/** Options of `startFakeUpstream`. */
export interface FakeUpstreamOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Loopback address to bind; nothing else is accepted. Default '127.0.0.1'. */
  host?: '127.0.0.1' | '::1';
  /** The models the fake serves, by the name clients send in `model`. */
  models: Record<string, FakeModelBehaviour>;
  /** Seed of the fault and latency draws; the same seed and request order give the same outcomes. Default 1. */
  seed?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get a 401. */
  apiKey?: string;
  /** Wall clock in epoch milliseconds, for the `created` field. Default `Date.now`. */
  clock?: () => number;
}

const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', '::1']);

/**
 * Checks the options of `startFakeUpstream`, throwing one `InvalidConfigError` that lists every
 * problem with its field path.
 */
export function assertValidUpstreamOptions(options: unknown): asserts options is FakeUpstreamOptions {
  if (!isRecord(options)) {
    throw new InvalidConfigError('fake upstream options', [{ path: '', message: 'must be an object' }]);
  }
  const problems: ConfigProblem[] = [];
  const { port, host, models, seed, apiKey, clock } = options;
  if (
    port !== undefined &&
    !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65_535)
  ) {
    problems.push({ path: 'port', message: 'must be an integer between 0 and 65535' });
  }
  if (host !== undefined && !(typeof host === 'string' && loopbackHosts.has(host))) {
    problems.push({
      path: 'host',
      message: `must be a loopback address ('127.0.0.1' or '::1'), got ${JSON.stringify(host)}`,
    });
  }
  if (!isRecord(models)) {
    problems.push({ path: 'models', message: 'must be an object mapping model names to behaviours' });
  } else {
    for (const [name, behaviour] of Object.entries(models)) {
      problems.push(...behaviourProblems(behaviour, `models.${name}`));
    }
  }
  if (seed !== undefined && !(typeof seed === 'number' && Number.isFinite(seed))) {
    problems.push({ path: 'seed', message: 'must be a finite number' });
  }
  if (apiKey !== undefined && !(typeof apiKey === 'string' && apiKey.length > 0)) {
    problems.push({ path: 'apiKey', message: 'must be a non-empty string' });
  }
  if (clock !== undefined && typeof clock !== 'function') {
    problems.push({ path: 'clock', message: 'must be a function returning epoch milliseconds' });
  }
  if (problems.length > 0) throw new InvalidConfigError('fake upstream options', problems);
}

/** Lists what is wrong with one model behaviour, each problem under `path`. */
export function behaviourProblems(behaviour: unknown, path: string): ConfigProblem[] {
  if (!isRecord(behaviour)) return [{ path, message: 'must be an object' }];
  const problems = [
    ...latencyProblems(behaviour.latencyMs, `${path}.latencyMs`),
    ...faultProblems(behaviour.faults, `${path}.faults`),
  ];
  const { tokensPerSecond, reply } = behaviour;
  if (
    tokensPerSecond !== undefined &&
    !(typeof tokensPerSecond === 'number' && Number.isFinite(tokensPerSecond) && tokensPerSecond > 0)
  ) {
    problems.push({ path: `${path}.tokensPerSecond`, message: 'must be a finite number > 0' });
  }
  if (reply !== undefined && typeof reply !== 'string' && typeof reply !== 'function') {
    problems.push({ path: `${path}.reply`, message: 'must be a string or a function of the request' });
  }
  return problems;
}
