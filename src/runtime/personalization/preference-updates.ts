import { InvalidInputError } from '../../core/errors.js';
import type { PreferenceUpdate } from './preference-update.js';
import type { RememberedRanking } from './ranking-memory.js';
import { halfLifeMs } from './score-items.js';

/** The item feedback on a ranking names. */
export interface ItemFeedback {
  readonly accepted: boolean | null;
  readonly itemId: string | null;
  readonly selectedItem: string | null;
}

/**
 * The evidence feedback on a ranking adds to every profile the ranking was for (global, groups, unit):
 * `{ accepted, itemId }` is a success or failure for the item's attribute values (signal `accepted`);
 * `{ selectedItem }` a success for the selected item and a failure for each item served above it, which the
 * unit passed over (signal `selected`). Throws InvalidInputError when an item was not served.
 */
export function preferenceUpdates(
  ranking: RememberedRanking,
  feedback: ItemFeedback,
  at: number,
): PreferenceUpdate[] {
  const updates: PreferenceUpdate[] = [];
  const position = (field: 'itemId' | 'selectedItem', id: string) => {
    const index = ranking.served.findIndex((item) => item.id === id);
    if (index < 0) throw new InvalidInputError(field, `"${id}" is not an item this ranking served`);
    return index;
  };
  const add = (index: number, successes: number, failures: number) => {
    for (const [attribute, value] of ranking.served[index]?.values ?? []) {
      for (const level of ranking.levels) {
        updates.push({
          feature: ranking.feature,
          level,
          attribute,
          value,
          successes,
          failures,
          at,
          halfLifeMs: halfLifeMs(ranking.learn),
        });
      }
    }
  };
  const itemIndex = feedback.itemId === null ? undefined : position('itemId', feedback.itemId);
  const selectedIndex =
    feedback.selectedItem === null ? undefined : position('selectedItem', feedback.selectedItem);
  if (itemIndex !== undefined && feedback.accepted !== null && ranking.learn.signals.includes('accepted')) {
    add(itemIndex, feedback.accepted ? 1 : 0, feedback.accepted ? 0 : 1);
  }
  if (selectedIndex !== undefined && ranking.learn.signals.includes('selected')) {
    add(selectedIndex, 1, 0);
    for (let above = 0; above < selectedIndex; above += 1) add(above, 0, 1);
  }
  return updates;
}
