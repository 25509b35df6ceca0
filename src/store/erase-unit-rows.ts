import type { Kysely } from 'kysely';
import { insertAuditEntry } from './insert-audit-entry.js';
import { type StoreDatabase, TABLES } from './store-database.js';
import type { UnitErasure } from './unit-erasure.js';

/**
 * Deletes one unit's events (with every event sharing a request with them, such as feedback),
 * assignments and learned preference profiles, and appends the `unit.erase` audit entry naming `auditTarget`, in one transaction.
 */
export async function eraseUnitRows(
  db: Kysely<StoreDatabase>,
  storedUnitId: string,
  audit: { actor: string; target: string; reason: string | null; at: number },
): Promise<UnitErasure> {
  return db.transaction().execute(async (transaction) => {
    const requests = transaction
      .selectFrom(TABLES.events)
      .select('request_id')
      .where('unit_id', '=', storedUnitId);
    const byRequest = await transaction
      .deleteFrom(TABLES.events)
      .where('request_id', 'in', requests)
      .executeTakeFirst();
    const byUnit = await transaction
      .deleteFrom(TABLES.events)
      .where('unit_id', '=', storedUnitId)
      .executeTakeFirst();
    const assignments = await transaction
      .deleteFrom(TABLES.assignments)
      .where('unit_id', '=', storedUnitId)
      .executeTakeFirst();
    // Profiles are keyed by the id as stored (the pseudonym under hashed ids), in whatever scope a
    // ranking feature learns by; the global profile holds no id.
    const preferences = await transaction
      .deleteFrom(TABLES.preferences)
      .where('profile', '=', storedUnitId)
      .where('scope', '<>', '*')
      .executeTakeFirst();
    const erased = {
      events: Number(byRequest.numDeletedRows) + Number(byUnit.numDeletedRows),
      assignments: Number(assignments.numDeletedRows),
      preferences: Number(preferences.numDeletedRows),
    };
    await insertAuditEntry(transaction, {
      at: audit.at,
      actor: audit.actor,
      action: 'unit.erase',
      target: audit.target,
      before: null,
      after: erased,
      reason: audit.reason,
    });
    return erased;
  });
}
