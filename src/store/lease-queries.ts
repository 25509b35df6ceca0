import type { Kysely } from 'kysely';
import { ALERT_TABLES, withAlertTables } from './alert-tables.js';
import { columnText } from './event-columns.js';
import { requireInputInteger, requireInputText, requireInputTime } from './input-fields.js';
import type { StoreDatabase } from './store-database.js';

/** The longest lease one call may take: a day; a holder that needs longer renews. */
const MAX_TTL_MS = 86_400_000;

/**
 * Takes the lease when it is free or expired, renews it when `holder` has it, and leaves another holder's
 * live lease alone (see `Store.acquireLease`). One INSERT ... ON CONFLICT DO UPDATE ... WHERE: on PostgreSQL a
 * racing insert of the same name waits for the first to commit and then evaluates the WHERE against it, and
 * SQLite runs the statement under its single writer lock, so exactly one of several racers gets the row back.
 */
export async function upsertLease(
  db: Kysely<StoreDatabase>,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const lease = columnText(requireInputText('name', name));
  const owner = columnText(requireInputText('holder', holder));
  const ttl = requireInputInteger('ttlMs', ttlMs, 1, MAX_TTL_MS);
  const at = requireInputTime('now', now);
  const expiresAt = requireInputTime('now', at + ttl);
  const taken = await withAlertTables(db)
    .insertInto(ALERT_TABLES.leases)
    .values({ name: lease, holder: owner, expires_at: expiresAt })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet((expression) => ({
          holder: expression.ref('excluded.holder'),
          expires_at: expression.ref('excluded.expires_at'),
        }))
        .where((expression) =>
          expression.or([
            expression('switchyard_leases.expires_at', '<=', at),
            expression('switchyard_leases.holder', '=', owner),
          ]),
        ),
    )
    .returning('name')
    .executeTakeFirst();
  return taken !== undefined;
}

/** Deletes the lease when `holder` holds it (see `Store.releaseLease`). */
export async function deleteLease(db: Kysely<StoreDatabase>, name: string, holder: string): Promise<boolean> {
  const lease = columnText(requireInputText('name', name));
  const owner = columnText(requireInputText('holder', holder));
  const deleted = await withAlertTables(db)
    .deleteFrom(ALERT_TABLES.leases)
    .where('name', '=', lease)
    .where('holder', '=', owner)
    .executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
