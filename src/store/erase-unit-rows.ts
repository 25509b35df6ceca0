import type { Kysely } from 'kysely';
import { insertAuditEntry } from './insert-audit-entry.js';
import { type StoreDatabase, TABLES } from './store-database.js';
import type { UnitErasure } from './unit-erasure.js';

/**
 * Deletes one unit's events (with every event sharing a request with them, such as feedback) and
 * assignments, and appends the `unit.erase` audit entry naming `auditTarget`, in one transaction.
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
    const erased = {
      events: Number(byRequest.numDeletedRows) + Number(byUnit.numDeletedRows),
      assignments: Number(assignments.numDeletedRows),
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
