import { InvalidInputError, SwitchyardError } from '../core/errors.js';
import { switchFeature } from './feature-commands.js';
import type { ChangeMeta, Store } from './store.js';

/** What every audit reason and kill reason of a kill-all starts with. */
export const KILL_ALL_REASON_PREFIX = 'kill-all';

/** Longest reason a kill-all takes: the prefixed reason must still fit a feature's 2000-character `killReason`. */
export const MAX_KILL_ALL_REASON_LENGTH = 2_000 - `${KILL_ALL_REASON_PREFIX}: `.length;

/** One feature a kill-all could not kill, after one retry. */
export interface KillAllFailure {
  readonly key: string;
  /** The SwitchyardError code (`VERSION_CONFLICT`, `FEATURE_NOT_FOUND`, ...), or `INTERNAL` for anything else. */
  readonly code: string;
  readonly message: string;
}

/** What a kill-all did, each list sorted by key. */
export interface KillAllOutcome {
  /** Features this kill-all killed, with the version the kill wrote. */
  readonly killed: ReadonlyArray<{ readonly key: string; readonly version: number }>;
  /** Features that were killed before (by someone else, or a previous kill-all); left as they were. */
  readonly alreadyKilled: readonly string[];
  /** Features that are still not killed; the others were killed all the same. */
  readonly failed: readonly KillAllFailure[];
}

/**
 * Emergency stop: kills every live (not archived) feature that is not killed already, so that everyone gets
 * each feature's default variant (reason KILLED). Each kill is its own audited write (`feature.kill`, reason
 * `kill-all: <reason>`, or `kill-all` without one). A feature whose kill fails (a version race with another
 * writer, say) is retried once against its fresh version and then reported in `failed`; it never stops the
 * others. Only `enable`, feature by feature, lifts the kills.
 *
 * @example
 * const outcome = await killAllFeatures(store, { actor: 'cli', reason: 'provider outage' });
 * // { killed: [{ key: 'coach-reply', version: 4 }], alreadyKilled: [], failed: [] }
 */
export async function killAllFeatures(store: Store, change: ChangeMeta): Promise<KillAllOutcome> {
  const reason = killAllReason(change.reason);
  const features = await store.listFeatures();
  const killed: Array<{ key: string; version: number }> = [];
  const alreadyKilled: string[] = [];
  const failed: KillAllFailure[] = [];
  for (const { key } of [...features].sort((left, right) => compareKeys(left.key, right.key))) {
    const result = await killWithOneRetry(store, key, { actor: change.actor, reason });
    if ('error' in result) failed.push(describeFailure(key, result.error));
    else if (result.changed) killed.push({ key, version: result.feature.version });
    else alreadyKilled.push(key);
  }
  return { killed, alreadyKilled, failed };
}

/** The audit and kill reason of a kill-all, or a clear error naming `reason` when it cannot be stored. */
function killAllReason(reason: string | undefined): string {
  if (reason === undefined) return KILL_ALL_REASON_PREFIX;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new InvalidInputError('reason', 'must be a non-empty string when given');
  }
  if (reason.length > MAX_KILL_ALL_REASON_LENGTH) {
    throw new InvalidInputError('reason', `must be at most ${MAX_KILL_ALL_REASON_LENGTH} characters`);
  }
  return `${KILL_ALL_REASON_PREFIX}: ${reason}`;
}

async function killWithOneRetry(
  store: Store,
  key: string,
  change: ChangeMeta,
): Promise<Awaited<ReturnType<typeof switchFeature>> | { error: unknown }> {
  try {
    return await switchFeature(store, key, 'kill', change);
  } catch {
    // `switchFeature` reads the feature again, so the retry writes against the version that won the race.
    try {
      return await switchFeature(store, key, 'kill', change);
    } catch (error) {
      return { error };
    }
  }
}

function describeFailure(key: string, error: unknown): KillAllFailure {
  if (error instanceof SwitchyardError) return { key, code: error.code, message: error.message };
  return { key, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Plain code-point order, the same on every machine (no locale). */
function compareKeys(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
