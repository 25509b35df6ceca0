import { type Kysely, sql } from 'kysely';
import { InvalidConfigError } from '../core/errors.js';
import { addEvidence } from '../stats/preferences/preference-evidence.js';
import { columnText } from './event-columns.js';
import type { PreferenceQuery, PreferenceUpdateInput, StoredPreference, StoreKind } from './store.js';
import { type PreferenceRow, type StoreDatabase, TABLES } from './store-database.js';
import { requireNumber, requireText } from './store-input.js';

const UPDATE = 'invalid preference update';
/** Rows per statement: 8 parameters each stays far below either database's limit. */
const CHUNK = 500;

function checkUpdate(update: PreferenceUpdateInput, index: number): PreferenceUpdateInput {
  const at = `updates[${index}]`;
  if (typeof update !== 'object' || update === null) {
    throw new InvalidConfigError(UPDATE, [{ path: at, message: 'must be an object' }]);
  }
  for (const field of ['feature', 'scope', 'profile', 'attribute', 'value'] as const) {
    requireText(UPDATE, `${at}.${field}`, update[field]);
  }
  for (const field of ['successes', 'failures', 'halfLifeMs'] as const) {
    const value = requireNumber(UPDATE, `${at}.${field}`, update[field]);
    if (value < 0 || (field === 'halfLifeMs' && value === 0)) {
      throw new InvalidConfigError(UPDATE, [{ path: `${at}.${field}`, message: 'must not be negative' }]);
    }
  }
  requireNumber(UPDATE, `${at}.at`, update.at);
  return update;
}

/**
 * Adds decayed evidence to preference profiles (see `Store.addPreferences`): updates of one key in the batch
 * are merged first, then each row is upserted so that the stored weights are decayed to the later of the two
 * times and the new ones added (late updates decayed to the stored time), atomically in SQL, so concurrent
 * writers never lose an update.
 */
export async function upsertPreferences(
  db: Kysely<StoreDatabase>,
  kind: StoreKind,
  updates: readonly PreferenceUpdateInput[],
): Promise<void> {
  if (!Array.isArray(updates)) {
    throw new InvalidConfigError(UPDATE, [{ path: 'updates', message: 'must be an array' }]);
  }
  const merged = new Map<string, { halfLifeMs: number; row: PreferenceRow }>();
  updates.forEach((update, index) => {
    checkUpdate(update, index);
    const row: PreferenceRow = {
      feature: columnText(update.feature),
      scope: columnText(update.scope),
      profile: columnText(update.profile),
      attribute: columnText(update.attribute),
      value: columnText(update.value),
      successes: update.successes,
      failures: update.failures,
      updated_at: update.at,
    };
    const key = JSON.stringify([
      row.feature,
      row.scope,
      row.profile,
      row.attribute,
      row.value,
      update.halfLifeMs,
    ]);
    const known = merged.get(key);
    if (known === undefined) {
      merged.set(key, { halfLifeMs: update.halfLifeMs, row });
      return;
    }
    const sum = addEvidence(
      { successes: known.row.successes, failures: known.row.failures, at: known.row.updated_at },
      { successes: row.successes, failures: row.failures, at: row.updated_at },
      update.halfLifeMs,
    );
    known.row = { ...known.row, successes: sum.successes, failures: sum.failures, updated_at: sum.at };
  });
  const byHalfLife = new Map<number, PreferenceRow[]>();
  for (const { halfLifeMs, row } of merged.values()) {
    const rows = byHalfLife.get(halfLifeMs) ?? [];
    rows.push(row);
    byHalfLife.set(halfLifeMs, rows);
  }
  const greatest = kind === 'postgres' ? sql.raw('greatest') : sql.raw('max');
  for (const [halfLifeMs, rows] of byHalfLife) {
    // Weight kept by evidence `later - earlier` ms old, as a double on both databases.
    const kept = (later: string, earlier: string) =>
      sql`power(0.5, cast(${greatest}(${sql.raw(later)} - ${sql.raw(earlier)}, 0) as double precision) / ${halfLifeMs})`;
    const stored = 'switchyard_preferences.updated_at';
    const added = 'excluded.updated_at';
    for (let start = 0; start < rows.length; start += CHUNK) {
      await db
        .insertInto(TABLES.preferences)
        .values(rows.slice(start, start + CHUNK))
        .onConflict((conflict) =>
          conflict.columns(['feature', 'scope', 'profile', 'attribute', 'value']).doUpdateSet({
            successes: sql`switchyard_preferences.successes * ${kept(added, stored)} + excluded.successes * ${kept(stored, added)}`,
            failures: sql`switchyard_preferences.failures * ${kept(added, stored)} + excluded.failures * ${kept(stored, added)}`,
            updated_at: sql`${greatest}(switchyard_preferences.updated_at, excluded.updated_at)`,
          }),
        )
        .execute();
    }
  }
}

/** The stored evidence of the profiles a query names (see `Store.listPreferences`), ordered by key. */
export async function selectPreferences(
  db: Kysely<StoreDatabase>,
  query: PreferenceQuery,
): Promise<StoredPreference[]> {
  const feature = columnText(requireText('invalid preference query', 'feature', query?.feature));
  if (!Array.isArray(query.profiles) || query.profiles.length === 0) return [];
  const rows = await db
    .selectFrom(TABLES.preferences)
    .selectAll()
    .where('feature', '=', feature)
    .where((eb) =>
      eb.or(
        query.profiles.map((profile) =>
          eb.and([
            eb('scope', '=', columnText(profile.scope)),
            eb('profile', '=', columnText(profile.profile)),
          ]),
        ),
      ),
    )
    .orderBy('scope')
    .orderBy('profile')
    .orderBy('attribute')
    .orderBy('value')
    .execute();
  return rows.map((row) => ({
    feature: row.feature,
    scope: row.scope,
    profile: row.profile,
    attribute: row.attribute,
    value: row.value,
    successes: Number(row.successes),
    failures: Number(row.failures),
    updatedAt: Number(row.updated_at),
  }));
}
