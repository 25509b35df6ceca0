import type { Kysely } from 'kysely';
import { jsonColumn } from '../json-column.js';
import { type StoreDatabase, TABLES } from '../store-database.js';

/**
 * The variant names each feature configures, in config order: the named feature's (archived or not), or
 * every live feature's. Analytics lists these variants even when they have no events in the range.
 */
export async function selectConfiguredVariants(
  db: Kysely<StoreDatabase>,
  feature: string | undefined,
): Promise<Map<string, string[]>> {
  let select = db.selectFrom(TABLES.features).select(['key', 'config']);
  select =
    feature === undefined ? select.where('archived_at', 'is', null) : select.where('key', '=', feature);
  const rows = await select.execute();
  return new Map(rows.map((row) => [row.key, variantNames(jsonColumn.decode(row.config))]));
}

function variantNames(config: unknown): string[] {
  const variants = (config as { variants?: unknown } | null)?.variants;
  return typeof variants === 'object' && variants !== null ? Object.keys(variants) : [];
}
