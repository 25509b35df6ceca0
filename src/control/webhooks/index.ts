/** Notifications: signed webhook deliveries with bounded retries, and the receiver's signature check. */
export {
  createWebhookSender,
  type WebhookDeliveryResult,
  type WebhookSender,
  type WebhookSenderOptions,
} from './send-webhook.js';
export { signWebhookPayload, WEBHOOK_SIGNATURE_SCHEME } from './sign-webhook-payload.js';
export {
  type VerifyWebhookSignatureInput,
  verifyWebhookSignature,
  type WebhookSignatureFailure,
  type WebhookSignatureVerdict,
} from './verify-webhook-signature.js';
