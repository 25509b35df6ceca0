import { InvalidInputError } from '../../core/errors.js';
import type { RankItem, RankRequest } from './rank-types.js';

/** Most items one ranking takes. */
export const MAX_RANK_ITEMS = 1_000;
/** Longest item id and attribute value (profiles keep values, so they are short labels, not text). */
export const MAX_ITEM_TEXT = 200;

/** A rank request's items and limit, checked: every problem is an InvalidInputError naming its field. */
export function checkRankRequest<I extends RankItem>(
  request: RankRequest<I>,
): { items: readonly I[]; limit: number } {
  if (typeof request !== 'object' || request === null) {
    throw new InvalidInputError('request', 'must be an object such as { items: [{ id: "a" }] }');
  }
  const { items, limit } = request;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_RANK_ITEMS) {
    throw new InvalidInputError('items', `must be an array of 1 to ${MAX_RANK_ITEMS} items`);
  }
  const ids = new Set<string>();
  items.forEach((item: unknown, index) => {
    const at = `items[${index}]`;
    if (typeof item !== 'object' || item === null)
      throw new InvalidInputError(at, 'must be an object with an id');
    const { id, attributes } = item as RankItem;
    if (typeof id !== 'string' || id === '' || id.length > MAX_ITEM_TEXT) {
      throw new InvalidInputError(`${at}.id`, `must be a string of 1 to ${MAX_ITEM_TEXT} characters`);
    }
    if (ids.has(id)) throw new InvalidInputError(`${at}.id`, `repeats the id "${id}"`);
    ids.add(id);
    if (attributes === undefined) return;
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      throw new InvalidInputError(`${at}.attributes`, 'must be an object of attribute values');
    }
    for (const [name, value] of Object.entries(attributes)) {
      const fits =
        (typeof value === 'string' && value !== '' && value.length <= MAX_ITEM_TEXT) ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'boolean';
      if (!fits) {
        throw new InvalidInputError(
          `${at}.attributes.${name}`,
          `must be a string of 1 to ${MAX_ITEM_TEXT} characters, a finite number or a boolean`,
        );
      }
    }
  });
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new InvalidInputError('limit', 'must be a whole number >= 1');
  }
  return { items, limit: Math.min(limit ?? items.length, items.length) };
}
