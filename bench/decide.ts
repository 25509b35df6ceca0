/**
 * Nanoseconds per decision for the same feature in Switchyard and three peers (GrowthBook, Unleash,
 * flagd), over the same 100,000 users, in one process, printing the ratio of each peer to Switchyard.
 *
 * Feature coach-reply: users with tier == 'paid' enter a 10 % coverage 50/50 split on userId between
 * v1 and v2; everyone else gets the default v1. Every engine is built once, offline, from in-memory
 * data; the timed call decides for one user, cycling through all of them.
 *
 * @example
 * npx tsx bench/decide.ts
 */
import { availableParallelism, cpus } from 'node:os';
import { do_not_optimize } from 'mitata';
import { createFlagdDecider } from './decide/create-flagd-decider.js';
import { createGrowthBookDeciders } from './decide/create-growthbook-deciders.js';
import { createSwitchyardDecider } from './decide/create-switchyard-decider.js';
import { createUnleashDecider } from './decide/create-unleash-decider.js';
import { createUsers } from './decide/create-users.js';
import type { Decider } from './decide/decider.js';
import { measureRounds, type RoundsResult } from './decide/measure-rounds.js';
import { measureSwitchyardBreakdown } from './decide/measure-switchyard-breakdown.js';

const USER_COUNT = 100_000;
const ROUNDS = 5;
const GOAL_RATIO = 3;

const users = createUsers(USER_COUNT);
const switchyard = createSwitchyardDecider(users);
const [growthBookClient, growthBookShared, growthBookPerUser] = createGrowthBookDeciders(users) as [
  Decider,
  Decider,
  Decider,
];
const unleash = await createUnleashDecider(users);
const flagd = createFlagdDecider(users);
const deciders = [switchyard, growthBookClient, growthBookShared, growthBookPerUser, unleash, flagd];

console.log(`coach-reply decisions: ${USER_COUNT} users, ${ROUNDS} rounds, mitata per-call medians`);
console.log(
  `node ${process.version}, ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}\n`,
);

// Equivalence first: GrowthBook shares Switchyard's hashing, so every user must get the same variant.
const expected = users.map((_, index) => switchyard.decide(index));
for (const decider of [growthBookClient, growthBookShared, growthBookPerUser]) {
  let agree = 0;
  let firstMismatch = -1;
  for (let index = 0; index < USER_COUNT; index++) {
    if (decider.decide(index) === expected[index]) agree++;
    else if (firstMismatch < 0) firstMismatch = index;
  }
  console.log(`agreement with Switchyard, ${decider.name}: ${agree}/${USER_COUNT}`);
  if (agree !== USER_COUNT) {
    const user = users[firstMismatch]!;
    throw new Error(
      `${decider.name} disagrees with Switchyard on ${USER_COUNT - agree} users, first ${user.userId} ` +
        `(${user.tier}): ${decider.decide(firstMismatch)} vs ${expected[firstMismatch]}`,
    );
  }
}

// Unleash and flagd hash differently, so they are checked by the share of users per variant instead.
console.log('\nshare of users per variant (expected about 97.5 % v1, 2.5 % v2, 5 % of paid users on v2):');
for (const decider of deciders) {
  let v2 = 0;
  let paidV2 = 0;
  for (let index = 0; index < USER_COUNT; index++) {
    const variant = decider.decide(index);
    if (variant !== 'v1' && variant !== 'v2') throw new Error(`${decider.name} returned ${variant}`);
    if (variant === 'v2') {
      v2++;
      if (users[index]!.tier === 'paid') paidV2++;
    }
  }
  if (paidV2 !== v2) throw new Error(`${decider.name} served v2 to ${v2 - paidV2} free-tier users`);
  const paid = USER_COUNT / 2;
  console.log(
    `  ${decider.name.padEnd(44)} v1 ${percent(USER_COUNT - v2, USER_COUNT)}  v2 ${percent(v2, USER_COUNT)}` +
      `  (paid on v2 ${percent(paidV2, paid)})`,
  );
}

// One literal per engine keeps each call site monomorphic, so no engine pays for another's inline cache.
let cursor = 0;
const next = (): number => {
  cursor = cursor + 1 === USER_COUNT ? 0 : cursor + 1;
  return cursor;
};
const results = await measureRounds(
  [
    { name: switchyard.name, body: () => do_not_optimize(switchyard.decide(next())) },
    { name: growthBookClient.name, body: () => do_not_optimize(growthBookClient.decide(next())) },
    { name: growthBookShared.name, body: () => do_not_optimize(growthBookShared.decide(next())) },
    { name: growthBookPerUser.name, body: () => do_not_optimize(growthBookPerUser.decide(next())) },
    { name: unleash.name, body: () => do_not_optimize(unleash.decide(next())) },
    { name: flagd.name, body: () => do_not_optimize(flagd.decide(next())) },
  ],
  ROUNDS,
);
for (const decider of deciders) decider.close?.();

const baseline = results[0]!;
const growthBookFastest = results
  .filter((result) => result.name.startsWith('GrowthBook'))
  .reduce((best, result) => (result.medianNs < best.medianNs ? result : best));
console.log('\n| engine | ns/decision (median) | decisions/s | peer / Switchyard | round medians (ns) |');
console.log('|---|---:|---:|---:|---|');
for (const result of results) {
  const fastestMark = result === growthBookFastest ? ' — fastest GrowthBook' : '';
  const rounds = result.roundMediansNs.map((ns) => ns.toFixed(0)).join(' / ');
  console.log(
    `| ${result.name}${fastestMark} | ${result.medianNs.toFixed(1)} | ${opsPerSecond(result)} | ` +
      `${(result.medianNs / baseline.medianNs).toFixed(2)}x | ${rounds} |`,
  );
}

const peers = [
  { name: 'GrowthBook', result: growthBookFastest },
  { name: 'Unleash', result: results[4]! },
  { name: 'flagd', result: results[5]! },
];
console.log('\nratios, peer / Switchyard (how many times faster Switchyard is):');
for (const peer of peers) {
  console.log(`  ${peer.name.padEnd(10)} ${(peer.result.medianNs / baseline.medianNs).toFixed(2)}x`);
}
const fastestPeer = peers.reduce((best, peer) => (peer.result.medianNs < best.result.medianNs ? peer : best));
const ratio = fastestPeer.result.medianNs / baseline.medianNs;
console.log(
  `goal: Switchyard >= ${GOAL_RATIO}x faster than the fastest peer (${fastestPeer.name}): ` +
    `${ratio.toFixed(2)}x, ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'}`,
);

// Where a Switchyard decision spends its time; half the users are paid and reach the hash.
console.log('\nSwitchyard breakdown (ns per call, median):');
const breakdown = await measureSwitchyardBreakdown(users, ROUNDS);
for (const part of [...breakdown, { ...baseline, name: 'evaluate() end to end' }]) {
  console.log(`  ${part.name.padEnd(44)} ${part.medianNs.toFixed(1)}`);
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(2)} %`;
}

function opsPerSecond(result: RoundsResult): string {
  return Math.round(1e9 / result.medianNs).toLocaleString('en-US');
}
