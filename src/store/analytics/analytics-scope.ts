import { type RawBuilder, sql } from 'kysely';
import type { StoreKind } from '../store.js';

/** The events one analytics query reads and how it buckets them; every field already validated. */
export interface AnalyticsScope {
  readonly kind: StoreKind;
  /** One feature's events (as its column holds the key), or every feature's when undefined. */
  readonly feature: string | undefined;
  /** Inclusive, epoch milliseconds. */
  readonly from: number;
  /** Exclusive, epoch milliseconds. */
  readonly to: number;
  readonly intervalMs: number;
  /** `ceil((to - from) / intervalMs)`. */
  readonly bucketCount: number;
}

/**
 * The SQL condition selecting the scope's events of one type (and scope), on columns of the table alias;
 * every value is a bound parameter.
 */
export function scopeCondition(
  scope: AnalyticsScope,
  alias: string,
  type: 'call' | 'feedback',
  callScope?: 'run' | 'attempt',
): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const conditions = [
    sql`${column('type')} = ${type}`,
    sql`${column('at')} >= ${scope.from}`,
    sql`${column('at')} < ${scope.to}`,
  ];
  if (scope.feature !== undefined) {
    conditions.unshift(sql`${column('feature')} = ${scope.feature}`);
  }
  if (callScope !== undefined) {
    conditions.push(sql`${column('scope')} = ${callScope}`);
  }
  return sql<boolean>`${sql.join(conditions, sql` and `)}`;
}

/**
 * `floor((at - from) / intervalMs)` in integer arithmetic on both databases: the casts keep SQLite, which
 * binds JavaScript numbers as REAL, from dividing in floating point (`at >= from`, so truncation floors).
 */
export function bucketIndex(scope: AnalyticsScope, alias: string): RawBuilder<number> {
  return sql<number>`(${sql.ref(`${alias}.at`)} - cast(${scope.from} as bigint)) / cast(${scope.intervalMs} as bigint)`;
}

/** A count or sum as a number: PostgreSQL returns `sum(bigint)` as numeric text, and NULL over no rows. */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
