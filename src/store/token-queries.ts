import type { Kysely } from 'kysely';
import { AlreadyExistsError } from '../core/errors.js';
import { insertAuditEntry } from './insert-audit-entry.js';
import type { ChangeMeta, ListTokensOptions, NewToken, StoredToken, TokenRecord } from './store.js';
import { type StoreDatabase, TABLES, type TokenRow } from './store-database.js';
import { requireChange, requireNumber, requireText } from './store-input.js';

const TOKEN = 'invalid token';

/** Inserts a token and its `token.create` audit entry in one transaction (see `Store.createToken`). */
export async function insertToken(
  db: Kysely<StoreDatabase>,
  token: NewToken,
  change: ChangeMeta,
  now: number,
): Promise<StoredToken> {
  requireChange(change);
  const row: TokenRow = {
    // Field by field, so nothing but these columns reaches the insert.
    id: requireText(TOKEN, 'id', token.id),
    name: requireText(TOKEN, 'name', token.name),
    role: requireText(TOKEN, 'role', token.role),
    hash: requireText(TOKEN, 'hash', token.hash),
    salt: requireText(TOKEN, 'salt', token.salt),
    created_at: now,
    revoked_at: null,
    last_used_at: null,
  };
  try {
    return await db.transaction().execute(async (transaction) => {
      const clash = await transaction
        .selectFrom(TABLES.tokens)
        .select(['id', 'name'])
        .where((where) =>
          where.or([
            where('id', '=', row.id),
            where.and([where('name', '=', row.name), where('revoked_at', 'is', null)]),
          ]),
        )
        .executeTakeFirst();
      if (clash !== undefined) throw alreadyExists(row, clash.id === row.id);
      await transaction.insertInto(TABLES.tokens).values(row).execute();
      const stored = toStoredToken(row);
      await insertAuditEntry(transaction, {
        at: now,
        actor: change.actor,
        action: 'token.create',
        target: `token:${row.id}`,
        before: null,
        after: stored,
        reason: change.reason ?? null,
      });
      return stored;
    });
  } catch (error) {
    // Two writers that both passed the check race to the unique index; the loser gets the same answer.
    const violation = uniqueViolation(error);
    if (violation !== undefined) throw alreadyExists(row, violation === 'id');
    throw error;
  }
}

/** Tokens in creation order (see `Store.listTokens`). */
export async function selectTokens(
  db: Kysely<StoreDatabase>,
  options: ListTokensOptions,
): Promise<StoredToken[]> {
  let query = db.selectFrom(TABLES.tokens).selectAll().orderBy('created_at').orderBy('id');
  if (options.includeRevoked !== true) query = query.where('revoked_at', 'is', null);
  return (await query.execute()).map(toStoredToken);
}

/** One token with its hash and salt (see `Store.findToken`). */
export async function selectToken(db: Kysely<StoreDatabase>, id: string): Promise<TokenRecord | undefined> {
  if (typeof id !== 'string') return undefined;
  const row = await db.selectFrom(TABLES.tokens).selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : { ...toStoredToken(row), hash: row.hash, salt: row.salt };
}

/** Revokes a token and audits it in one transaction (see `Store.revokeToken`). */
export async function revokeTokenRow(
  db: Kysely<StoreDatabase>,
  id: string,
  change: ChangeMeta,
  now: number,
): Promise<StoredToken | undefined> {
  requireChange(change);
  requireText(TOKEN, 'id', id);
  return db.transaction().execute(async (transaction) => {
    const row = await transaction
      .selectFrom(TABLES.tokens)
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.revoked_at !== null) return toStoredToken(row);
    // The guard on revoked_at makes a concurrent second revoke update nothing and audit nothing.
    const updated = await transaction
      .updateTable(TABLES.tokens)
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = toStoredToken({ ...row, revoked_at: now });
    if (updated.numUpdatedRows === 0n) {
      const current = await transaction
        .selectFrom(TABLES.tokens)
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return current === undefined ? undefined : toStoredToken(current);
    }
    await insertAuditEntry(transaction, {
      at: now,
      actor: change.actor,
      action: 'token.revoke',
      target: `token:${id}`,
      before: toStoredToken(row),
      after: revoked,
      reason: change.reason ?? null,
    });
    return revoked;
  });
}

/** Sets `last_used_at` (see `Store.markTokenUsed`). */
export async function updateTokenUse(db: Kysely<StoreDatabase>, id: string, at: number): Promise<void> {
  requireText(TOKEN, 'id', id);
  requireNumber(TOKEN, 'at', at);
  await db.updateTable(TABLES.tokens).set({ last_used_at: at }).where('id', '=', id).execute();
}

function toStoredToken(row: TokenRow): StoredToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

function alreadyExists(row: TokenRow, sameId: boolean): AlreadyExistsError {
  return new AlreadyExistsError(sameId ? `token "${row.id}"` : `live token named "${row.name}"`);
}

/** Which key a unique violation hit, as SQLite (better-sqlite3) and PostgreSQL (pg) report it, if it is one. */
function uniqueViolation(error: unknown): 'id' | 'name' | undefined {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'id';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') return 'name';
  if (code === '23505') return typeof constraint === 'string' && constraint.endsWith('_pkey') ? 'id' : 'name';
  return undefined;
}
