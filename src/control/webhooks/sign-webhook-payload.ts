import { createHmac } from 'node:crypto';

/** The scheme prefix of a signature: `sha256=<hex>`. */
export const WEBHOOK_SIGNATURE_SCHEME = 'sha256';

/**
 * Signs a webhook delivery the Stripe way: hex HMAC-SHA256, keyed with the shared secret, of
 * `"<timestamp>.<body>"`, so that a receiver can tell the body and its timestamp came from the holder of the
 * secret and reject old deliveries replayed later. Returns the header value `sha256=<hex>`.
 *
 * @example
 * signWebhookPayload('whsec_test', 1_700_000_000, '{"a":1}'); // 'sha256=…'
 */
export function signWebhookPayload(
  secret: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestampSeconds}.`);
  hmac.update(body);
  return `${WEBHOOK_SIGNATURE_SCHEME}=${hmac.digest('hex')}`;
}
