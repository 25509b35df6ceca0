import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { InvalidConfigError } from '../core/errors.js';
import { type StoreDatabase, TABLES } from './store-database.js';
import type { Privacy } from './unit-pseudonyms.js';

/** The counter row that records, once a store was opened with hashed unit ids, which key hashes them. */
export const UNIT_KEY_COUNTER = 'unit_id_key_fingerprint';

/**
 * Makes sure every process writes unit ids to this store in one form, and answers the store's form: the
 * first opening with hashed unit ids records a fingerprint of its key (48 bits of an HMAC of a fixed text,
 * which reveals nothing usable about the key); later openings must give the same key. Opening such a store
 * with `unitIds: clear`, or with another key, fails with INVALID_CONFIG naming `privacy`, rather than mixing
 * two forms of one unit's id. Without privacy settings the store opens in its recorded form (then, if that
 * is hashed, only what needs no unit id works: see `KyselyStore`).
 */
export async function checkUnitIdMode(
  db: Kysely<StoreDatabase>,
  privacy: Privacy | undefined,
): Promise<'clear' | 'hashed'> {
  const read = async () =>
    (
      await db
        .selectFrom(TABLES.counters)
        .select('value')
        .where('name', '=', UNIT_KEY_COUNTER)
        .executeTakeFirst()
    )?.value;
  if (privacy === undefined) return (await read()) === undefined ? 'clear' : 'hashed';
  if (privacy.unitIds === 'clear' || privacy.key === undefined) {
    if ((await read()) !== undefined) {
      throw new InvalidConfigError('invalid store options', [
        {
          path: 'privacy.unitIds',
          message:
            'this store keeps hashed unit ids: give privacy { unitIds: hashed, key } with the key it was opened with (SWITCHYARD_UNIT_KEY for the CLI)',
        },
      ]);
    }
    return 'clear';
  }
  const fingerprint = keyFingerprint(privacy.key);
  await db
    .insertInto(TABLES.counters)
    .values({ name: UNIT_KEY_COUNTER, value: fingerprint })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const recorded = await read();
  if (recorded !== undefined && Number(recorded) !== fingerprint) {
    throw new InvalidConfigError('invalid store options', [
      {
        path: 'privacy.key',
        message: 'is not the key this store hashes unit ids with: every process must share one key',
      },
    ]);
  }
  return 'hashed';
}

function keyFingerprint(key: string): number {
  const digest = createHmac('sha256', key).update('switchyard unit id key check').digest('hex');
  // 48 bits fit a double exactly; +1 keeps 0 free.
  return Number.parseInt(digest.slice(0, 12), 16) + 1;
}
