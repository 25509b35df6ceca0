import type { Kysely } from 'kysely';
import { jsonColumn } from './json-column.js';
import type { AuditEntry } from './store.js';
import { type StoreDatabase, TABLES } from './store-database.js';

/** An audit entry ready to insert: everything but the id the database assigns. */
export type AuditRecord = Omit<AuditEntry, 'id'>;

/** Appends one audit entry (inside the caller's transaction when given one) and returns it as stored. */
export async function insertAuditEntry(db: Kysely<StoreDatabase>, record: AuditRecord): Promise<AuditEntry> {
  const before = jsonColumn.encode(record.before);
  const after = jsonColumn.encode(record.after);
  const inserted = await db
    .insertInto(TABLES.auditEntries)
    .values({
      at: record.at,
      actor: record.actor,
      action: record.action,
      target: record.target,
      before,
      after,
      reason: record.reason,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    ...record,
    id: String(inserted.id),
    // What a later read returns, so the result of an append equals the entry listed afterwards.
    before: jsonColumn.decode(before),
    after: jsonColumn.decode(after),
  };
}
