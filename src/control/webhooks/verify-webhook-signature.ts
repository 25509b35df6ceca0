import { timingSafeEqual } from 'node:crypto';
import { signWebhookPayload, WEBHOOK_SIGNATURE_SCHEME } from './sign-webhook-payload.js';

/** Input of `verifyWebhookSignature`: what the delivery carried, and the receiver's secret and clock. */
export interface VerifyWebhookSignatureInput {
  /** The shared secret; several during a rotation (any one matching is enough). */
  secret: string | readonly string[];
  /** The `x-switchyard-timestamp` header: epoch seconds. */
  timestamp: string | number | null | undefined;
  /** The raw request body, exactly as received (not parsed and serialised again). */
  body: string | Uint8Array;
  /** The `x-switchyard-signature` header: `sha256=<hex>`, or several comma-separated. */
  signature: string | null | undefined;
  /** Largest accepted distance between the timestamp and now, either way; default 300 s. */
  toleranceSeconds?: number;
  /** The receiver's clock: epoch milliseconds. */
  now: number;
}

/** Why a delivery was refused. */
export type WebhookSignatureFailure =
  | 'malformed-timestamp'
  | 'stale-timestamp'
  | 'malformed-signature'
  | 'mismatch';

/** The verdict on one delivery. */
export type WebhookSignatureVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: WebhookSignatureFailure };

const HEX_SIGNATURE = new RegExp(`^${WEBHOOK_SIGNATURE_SCHEME}=[0-9a-f]{64}$`);

/**
 * Checks a Switchyard webhook delivery: the timestamp must be whole epoch seconds within `toleranceSeconds` of
 * `now` (so a captured delivery cannot be replayed later), and one of the signatures must equal the
 * HMAC-SHA256 of `"<timestamp>.<body>"` under one of the secrets, compared in constant time. Never throws.
 *
 * @example
 * const verdict = verifyWebhookSignature({
 *   secret: process.env.SWITCHYARD_WEBHOOK_SECRET!,
 *   timestamp: request.headers['x-switchyard-timestamp'],
 *   signature: request.headers['x-switchyard-signature'],
 *   body: rawBody,
 *   now: Date.now(),
 * });
 * if (!verdict.valid) return reply.code(400).send(verdict.reason);
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): WebhookSignatureVerdict {
  const timestampText = String(input.timestamp ?? '').trim();
  if (!/^\d{1,15}$/.test(timestampText)) return { valid: false, reason: 'malformed-timestamp' };
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? 300;
  if (!(Math.abs(input.now / 1000 - timestamp) <= tolerance))
    return { valid: false, reason: 'stale-timestamp' };

  const offered = String(input.signature ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => HEX_SIGNATURE.test(part));
  if (offered.length === 0) return { valid: false, reason: 'malformed-signature' };
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret === '') continue;
    const expected = Buffer.from(signWebhookPayload(secret, timestamp, input.body));
    // Every well-formed signature has the same length, so timingSafeEqual sees equal lengths.
    if (offered.some((signature) => timingSafeEqual(Buffer.from(signature), expected)))
      return { valid: true };
  }
  return { valid: false, reason: 'mismatch' };
}
