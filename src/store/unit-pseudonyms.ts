import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { InvalidConfigError } from '../core/errors.js';

/**
 * How unit ids are stored: `clear` (the default) as given, or `hashed` as HMAC-SHA256 pseudonyms under a
 * secret key, so per-unit analysis, budgets and sticky assignments work on the pseudonym while the store
 * never holds the id itself.
 */
export const privacySchema = z
  .strictObject({
    unitIds: z.enum(['clear', 'hashed']).default('clear'),
    /** The HMAC key; every process that shares a store (or Redis counters) must share it. */
    key: z
      .string()
      .min(16, 'must be at least 16 characters (a secret such as the SWITCHYARD_UNIT_KEY variable)')
      .optional(),
  })
  .superRefine((privacy, context) => {
    if (privacy.unitIds === 'hashed' && privacy.key === undefined) {
      context.addIssue({ code: 'custom', path: ['key'], message: 'is required with unitIds: hashed' });
    }
    if (privacy.unitIds === 'clear' && privacy.key !== undefined) {
      context.addIssue({ code: 'custom', path: ['key'], message: 'applies only with unitIds: hashed' });
    }
  });

/** Privacy settings as written (`unitIds` defaults to `clear`). */
export type PrivacyInput = z.input<typeof privacySchema>;
/** Privacy settings, validated. */
export type Privacy = z.output<typeof privacySchema>;

/** Turns a unit id into what is stored for it. */
export type UnitPseudonymizer = (unitId: string) => string;

/** Stores unit ids as given. */
export const CLEAR_UNIT_IDS: UnitPseudonymizer = (unitId) => unitId;

/**
 * The stored form of unit ids under validated privacy settings: the id itself, or the lowercase hex
 * HMAC-SHA256 of its UTF-8 bytes under `key` (64 characters), the same in every process with the key.
 *
 * @example
 * const pseudonym = unitPseudonymizer({ unitIds: 'hashed', key: process.env.SWITCHYARD_UNIT_KEY! });
 * pseudonym('user-42'); // '3f1c…' (64 hex digits)
 */
export function unitPseudonymizer(privacy: Privacy | undefined): UnitPseudonymizer {
  if (privacy === undefined || privacy.unitIds === 'clear' || privacy.key === undefined)
    return CLEAR_UNIT_IDS;
  const key = privacy.key;
  return (unitId) => createHmac('sha256', key).update(unitId, 'utf8').digest('hex');
}

/**
 * Refuses a store whose unit ids are kept in another form than the privacy settings say (an open store
 * handed to a client or server configured otherwise): INVALID_CONFIG naming `privacy.unitIds`.
 */
export function requireUnitIdMode(kept: 'clear' | 'hashed', privacy: Privacy | undefined): void {
  const wanted = privacy?.unitIds ?? 'clear';
  if (kept === wanted) return;
  throw new InvalidConfigError('invalid options', [
    {
      path: 'privacy.unitIds',
      message:
        kept === 'hashed'
          ? 'the store keeps hashed unit ids: give privacy { unitIds: hashed, key } with its key'
          : `is ${wanted} but the store given keeps unit ids clear: open it with openStore(url, { privacy })`,
    },
  ]);
}
