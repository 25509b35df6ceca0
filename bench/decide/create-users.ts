/** A simulated user: the id the split hashes and the attribute the targeting condition reads. */
export interface BenchUser {
  readonly userId: string;
  readonly tier: 'paid' | 'free';
}

/**
 * Builds `count` users `user-0`, `user-1`, ...; even-numbered ones are on the paid tier, so half match.
 *
 * @example
 * createUsers(2); // [{ userId: 'user-0', tier: 'paid' }, { userId: 'user-1', tier: 'free' }]
 */
export function createUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, n) => ({
    userId: `user-${n}`,
    tier: n % 2 === 0 ? 'paid' : 'free',
  }));
}
