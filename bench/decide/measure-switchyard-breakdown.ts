import { do_not_optimize } from 'mitata';
import { chooseVariant, compileCondition, getBucketRanges, hash } from '../../src/core/index.js';
import type { BenchUser } from './create-users.js';
import { measureRounds, type RoundsResult } from './measure-rounds.js';

/**
 * Times the pieces of one Switchyard decision separately (loop floor, compiled condition, hash, range
 * lookup) over the same users, so a slow `evaluate()` can be traced to the step that costs.
 */
export async function measureSwitchyardBreakdown(
  users: readonly BenchUser[],
  rounds: number,
): Promise<RoundsResult[]> {
  const count = users.length;
  const userIds = users.map((user) => user.userId);
  const attributes = users.map((user) => ({ userId: user.userId, tier: user.tier }));
  const condition = compileCondition({ tier: 'paid' });
  const ranges = getBucketRanges(2, 0.1, [0.5, 0.5]);
  const buckets = userIds.map((userId) => hash('coach-reply', userId, 2) ?? -1);
  let cursor = 0;
  const next = (): number => {
    cursor = cursor + 1 === count ? 0 : cursor + 1;
    return cursor;
  };
  return measureRounds(
    [
      { name: 'loop floor (next user, read context)', body: () => do_not_optimize(attributes[next()]) },
      {
        name: 'compiled condition tier == paid',
        body: () => do_not_optimize(condition(attributes[next()]!)),
      },
      {
        name: "hash('coach-reply', userId, 2)",
        body: () => do_not_optimize(hash('coach-reply', userIds[next()]!, 2)),
      },
      {
        name: 'chooseVariant(bucket, ranges)',
        body: () => do_not_optimize(chooseVariant(buckets[next()]!, ranges)),
      },
    ],
    rounds,
  );
}
