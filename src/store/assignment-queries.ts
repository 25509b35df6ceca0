import type { Kysely } from 'kysely';
import { InvalidConfigError } from '../core/errors.js';
import { columnText } from './event-columns.js';
import type { Assignment } from './store.js';
import { type AssignmentRow, type StoreDatabase, TABLES } from './store-database.js';
import { requireNumber, requireText } from './store-input.js';

const ASSIGNMENT = 'invalid assignment';

/**
 * Inserts the assignment unless the unit has one in the experiment, and returns the stored one (see
 * `Store.assignOnce`). `on conflict do nothing` waits for a concurrent insert of the same key to commit, so
 * the read that follows sees the winner on both databases. Text goes through `columnText`, as event columns.
 */
export async function insertAssignmentOnce(
  db: Kysely<StoreDatabase>,
  assignment: Assignment,
): Promise<Assignment> {
  if (typeof assignment !== 'object' || assignment === null) {
    throw new InvalidConfigError(ASSIGNMENT, [{ path: '', message: 'must be an object' }]);
  }
  const row: AssignmentRow = {
    experiment: columnText(requireText(ASSIGNMENT, 'experiment', assignment.experiment)),
    unit_id: columnText(requireText(ASSIGNMENT, 'unitId', assignment.unitId)),
    variant: columnText(requireText(ASSIGNMENT, 'variant', assignment.variant)),
    seed: columnText(requireText(ASSIGNMENT, 'seed', assignment.seed)),
    at: requireNumber(ASSIGNMENT, 'at', assignment.at),
  };
  await db
    .insertInto(TABLES.assignments)
    .values(row)
    .onConflict((conflict) => conflict.columns(['experiment', 'unit_id']).doNothing())
    .execute();
  const stored = await selectRow(db, row.experiment, row.unit_id);
  // Assignments are never deleted, so the row a conflict kept is there to read.
  return toAssignment(stored ?? row);
}

/** The unit's assignment in the experiment (see `Store.findAssignment`). */
export async function selectAssignment(
  db: Kysely<StoreDatabase>,
  experiment: string,
  unitId: string,
): Promise<Assignment | undefined> {
  if (typeof experiment !== 'string' || typeof unitId !== 'string') return undefined;
  const row = await selectRow(db, columnText(experiment), columnText(unitId));
  return row === undefined ? undefined : toAssignment(row);
}

function selectRow(
  db: Kysely<StoreDatabase>,
  experiment: string,
  unitId: string,
): Promise<AssignmentRow | undefined> {
  return db
    .selectFrom(TABLES.assignments)
    .selectAll()
    .where('experiment', '=', experiment)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

function toAssignment(row: AssignmentRow): Assignment {
  return {
    experiment: row.experiment,
    unitId: row.unit_id,
    variant: row.variant,
    seed: row.seed,
    at: row.at,
  };
}
