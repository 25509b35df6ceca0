import { type Kysely, sql } from 'kysely';
import { AlreadyExistsError, InvalidInputError } from '../core/errors.js';
import { ALERT_TABLES, type AlertRow, withAlertTables } from './alert-tables.js';
import { columnText } from './event-columns.js';
import { requireInputText, requireInputTime } from './input-fields.js';
import { jsonColumn } from './json-column.js';
import type {
  AlertEvidence,
  AlertResolution,
  AlertSeverity,
  AlertStatus,
  NewAlert,
  OpenAlertResult,
  StoredAlert,
} from './store.js';
import type { StoreDatabase } from './store-database.js';

/** The severities an alert may have. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['warning', 'critical'];

/** The states an alert may be in. */
export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'resolved'];

/**
 * Inserts the incident's open alert or, when it has one, refreshes its evidence and counts the occurrence
 * (see `Store.openAlert`). One upsert on the partial unique index of open alerts: a concurrent opener of the
 * same incident waits for the first insert to commit and then updates it, on both databases. The insert
 * path writes occurrences 1 and the update path at least 2, which tells the caller which one ran.
 */
export async function upsertOpenAlert(db: Kysely<StoreDatabase>, alert: NewAlert): Promise<OpenAlertResult> {
  const row = newAlertRow(alert);
  let stored: AlertRow | undefined;
  try {
    const result = await sql<AlertRow>`insert into switchyard_alerts
        (id, rule_id, feature, experiment, variant, metric, severity, status, action,
         opened_at, updated_at, resolved_at, evidence, occurrences)
      values (${row.id}, ${row.rule_id}, ${row.feature}, ${row.experiment}, ${row.variant}, ${row.metric},
        ${row.severity}, ${row.status}, ${row.action}, ${row.opened_at}, ${row.updated_at}, ${row.resolved_at},
        ${row.evidence}, ${row.occurrences})
      on conflict (rule_id, feature, coalesce(variant, '')) where status = 'open'
      do update set evidence = excluded.evidence, updated_at = excluded.updated_at,
        occurrences = switchyard_alerts.occurrences + 1
      returning *`.execute(db);
    stored = result.rows[0];
  } catch (error) {
    // Only the primary key can conflict outside the upsert's own index: the caller's new id is taken.
    const { code } = (error ?? {}) as { code?: unknown };
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') {
      throw new AlreadyExistsError(`alert "${row.id}"`);
    }
    throw error;
  }
  if (stored === undefined) throw new Error('openAlert: the upsert returned no row');
  return { alert: toStoredAlert(stored), opened: stored.occurrences === 1 };
}

/**
 * Resolves an open alert, or returns it unchanged when resolved already (see `Store.resolveAlert`). The
 * status guard makes the update a no-op for a resolved alert, so a second resolver never moves its times.
 */
export async function resolveAlertRow(
  db: Kysely<StoreDatabase>,
  id: string,
  resolution: AlertResolution,
): Promise<StoredAlert | undefined> {
  const key = columnText(requireInputText('id', id));
  if (typeof resolution !== 'object' || resolution === null) {
    throw new InvalidInputError('resolution', 'must be an object');
  }
  const at = requireInputTime('at', resolution.at);
  const evidence = resolution.evidence === undefined ? undefined : encodeEvidence(resolution.evidence);
  const alerts = withAlertTables(db);
  const updated = await alerts
    .updateTable(ALERT_TABLES.alerts)
    .set({
      status: 'resolved',
      resolved_at: at,
      updated_at: at,
      ...(evidence === undefined ? {} : { evidence }),
    })
    .where('id', '=', key)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
  if (updated !== undefined) return toStoredAlert(updated);
  return selectAlert(db, key);
}

/** One alert (see `Store.getAlert`). */
export async function selectAlert(db: Kysely<StoreDatabase>, id: string): Promise<StoredAlert | undefined> {
  if (typeof id !== 'string') return undefined;
  const row = await withAlertTables(db)
    .selectFrom(ALERT_TABLES.alerts)
    .selectAll()
    .where('id', '=', columnText(id))
    .executeTakeFirst();
  return row === undefined ? undefined : toStoredAlert(row);
}

/** The alert as its row holds it. */
export function toStoredAlert(row: AlertRow): StoredAlert {
  return {
    id: row.id,
    ruleId: row.rule_id,
    feature: row.feature,
    experiment: row.experiment,
    variant: row.variant,
    metric: row.metric,
    severity: row.severity as AlertSeverity,
    status: row.status as AlertStatus,
    action: row.action,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    evidence: jsonColumn.decode(row.evidence) as AlertEvidence,
    occurrences: row.occurrences,
  };
}

/** Checks a new alert field by field, naming the first bad one, and builds its open row. */
function newAlertRow(alert: NewAlert): AlertRow {
  if (typeof alert !== 'object' || alert === null) {
    throw new InvalidInputError('alert', 'must be an object');
  }
  const at = requireInputTime('at', alert.at);
  return {
    id: columnText(requireInputText('id', alert.id)),
    rule_id: columnText(requireInputText('ruleId', alert.ruleId)),
    feature: columnText(requireInputText('feature', alert.feature)),
    experiment: optionalText('experiment', alert.experiment),
    variant: optionalText('variant', alert.variant),
    metric: columnText(requireInputText('metric', alert.metric)),
    severity: requireOneOf('severity', alert.severity, ALERT_SEVERITIES),
    status: 'open',
    action: columnText(requireInputText('action', alert.action)),
    opened_at: at,
    updated_at: at,
    resolved_at: null,
    evidence: encodeEvidence(alert.evidence),
    occurrences: 1,
  };
}

/** Checks that a value is one of the allowed strings, InvalidInputError naming the field when it is not. */
export function requireOneOf<Value extends string>(
  field: string,
  value: unknown,
  allowed: readonly Value[],
): Value {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new InvalidInputError(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as Value;
}

function optionalText(field: string, value: unknown): string | null {
  return value === undefined || value === null ? null : columnText(requireInputText(field, value));
}

/** The evidence as JSON text; it must be a JSON object (arrays and scalars say too little to act on). */
function encodeEvidence(evidence: unknown): string {
  if (typeof evidence !== 'object' || evidence === null || Array.isArray(evidence)) {
    throw new InvalidInputError('evidence', 'must be a JSON object');
  }
  let text: string | null;
  try {
    text = jsonColumn.encode(evidence);
  } catch {
    text = null;
  }
  if (text === null) throw new InvalidInputError('evidence', 'must be a JSON object');
  return text;
}
