import { InvalidConfigError } from '../core/errors.js';
import type { FeatureConfig } from '../core/feature-config.js';
import type { ChangeMeta } from './store.js';

/** Checks that a field is a non-empty string, naming it when it is not. */
export function requireText(subject: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidConfigError(subject, [{ path: field, message: 'must be a non-empty string' }]);
  }
  return value;
}

/** Checks that a field is a finite number (times, revisions). */
export function requireNumber(subject: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidConfigError(subject, [{ path: field, message: 'must be a finite number' }]);
  }
  return value;
}

/** Checks that a field is an integer within bounds (versions, page sizes). */
export function requireInteger(
  subject: string,
  field: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidConfigError(subject, [
      { path: field, message: `must be an integer from ${min} to ${max}` },
    ]);
  }
  return value;
}

/** Checks who made a change: the audit log must never record an anonymous or malformed write. */
export function requireChange(change: ChangeMeta): void {
  requireText('invalid change', 'actor', change.actor);
  if (change.reason !== undefined && typeof change.reason !== 'string') {
    throw new InvalidConfigError('invalid change', [{ path: 'reason', message: 'must be a string' }]);
  }
}

/** The feature's key; callers validate configs with the schema, the store only needs a key to file it under. */
export function requireFeatureKey(config: FeatureConfig, expectedKey?: string): string {
  const key = requireText('invalid feature', 'key', config.key);
  if (expectedKey !== undefined && key !== expectedKey) {
    throw new InvalidConfigError('invalid feature', [
      { path: 'key', message: `must be "${expectedKey}", the feature being updated` },
    ]);
  }
  return key;
}
