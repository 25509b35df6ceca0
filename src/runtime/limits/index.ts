export type { RateLimitOutcome, RateLimitPolicy, RateLimitRequest } from './consume-rate-limit.js';
export { consumeRateLimit } from './consume-rate-limit.js';
export { limitKeys } from './limit-keys.js';
export type { RateLimitWindow } from './rate-limit-window-ms.js';
export { RATE_LIMIT_WINDOW_MS } from './rate-limit-window-ms.js';
export type { BudgetHold, BudgetPolicy, BudgetRequest } from './reserve-budget.js';
export { reserveBudget } from './reserve-budget.js';
export { resolveUnitId } from './resolve-unit-id.js';
