import type { ChangeMeta, Store, StoredAlert } from './store.js';

/**
 * Resolves an open alert for a person (API or CLI) and audits it as `alert.resolve` on its feature, under
 * the caller and reason; an alert resolved already comes back unchanged and is not audited again; undefined
 * when no alert has the id. The rule opens a new alert if it fires again; nothing the monitor did is undone.
 *
 * @example
 * await resolveAlertByHand(store, alertId, { actor: 'cli', reason: 'cache warmed up' }, Date.now());
 */
export async function resolveAlertByHand(
  store: Store,
  id: string,
  change: ChangeMeta,
  now: number,
): Promise<StoredAlert | undefined> {
  const before = await store.getAlert(id);
  if (before === undefined || before.status === 'resolved') return before;
  const after = (await store.resolveAlert(id, { at: now })) ?? before;
  await store.appendAudit({
    actor: change.actor,
    action: 'alert.resolve',
    target: `feature:${after.feature}`,
    before: { id, status: before.status },
    after: { id, status: after.status },
    reason: change.reason ?? null,
    at: now,
  });
  return after;
}
