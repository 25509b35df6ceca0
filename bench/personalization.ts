/**
 * Personalization, simulated through the real SDK on an in-memory SQLite store in virtual time: 2,000 users
 * in 20 tenants whose acceptance depends on item category and source with tenant- and user-level
 * preferences; a ranking feature splits them 50 / 50 between the caller's order and the personalized
 * ranker, and an experiment on the split gives the acceptance lift with its interval and p-value after 30
 * days (goal: lift >= 10 %, p < 0.05). Then the same world in observe mode, where everyone gets the
 * caller's order: the learned profiles' first choice is compared with the serving mode's.
 *
 * @example
 * npx tsx bench/personalization.ts              # seed 1, 30 days, 2,000 users
 * npx tsx bench/personalization.ts 2 10 500     # seed, days, users
 */
import { simulatePersonalization } from '../src/cli/simulate/simulate-personalization.js';

const seed = Number(process.argv[2] ?? 1);
const days = Number(process.argv[3] ?? 30);
const users = Number(process.argv[4] ?? 2_000);

async function main(): Promise<void> {
  for (const mode of ['serve', 'observe'] as const) {
    const result = await simulatePersonalization({
      seed,
      users,
      tenants: 20,
      days,
      rankingsPerUserDay: 1,
      items: 10,
      holdback: 0.5,
      mode,
    });
    console.log(JSON.stringify(result));
  }
}

void main();
