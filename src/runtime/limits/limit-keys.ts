/**
 * The counter keys of rate limits and budgets. Parts are URI-encoded so a feature or unit id
 * containing `:` can never address another counter, and the anonymous unit has a key no real
 * unit id can produce.
 */
export const limitKeys = {
  /** Requests of one unit to one feature (one counter across tiers, so a mid-window upgrade keeps the count). */
  rate(feature: string, unitId: string | null | undefined): string {
    return `rate:${encodeURIComponent(feature)}:${unitPart(unitId)}`;
  },
  /** Spend of one feature across all units. */
  dailyBudget(feature: string): string {
    return `budget:${encodeURIComponent(feature)}:all`;
  },
  /** Spend of one unit on one feature. */
  unitBudget(feature: string, unitId: string | null | undefined): string {
    return `budget:${encodeURIComponent(feature)}:${unitPart(unitId)}`;
  },
};

// Missing, null and empty ids all mean "no unit", as in resolveUnitId.
function unitPart(unitId: string | null | undefined): string {
  return unitId === undefined || unitId === null || unitId === ''
    ? 'anonymous'
    : `unit:${encodeURIComponent(unitId)}`;
}
