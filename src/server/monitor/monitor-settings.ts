import { z } from 'zod';

/** What the monitor tells webhooks about. */
export const MONITOR_EVENT_TYPES = [
  'alert.opened',
  'alert.resolved',
  'ramp.advanced',
  'ramp.completed',
] as const;
/** One of MONITOR_EVENT_TYPES. */
export type MonitorEventType = (typeof MONITOR_EVENT_TYPES)[number];

/** One webhook receiver of monitor events (payloads and signatures in docs/webhooks.md). */
export const webhookTargetSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  /** Shared secret for the HMAC-SHA256 signature; at least 16 characters. */
  secret: z.string().min(16, 'must be at least 16 characters'),
  /** Event types to send; default all. */
  events: z.array(z.enum(MONITOR_EVENT_TYPES)).min(1).optional(),
  /** Alert events below this severity are not sent; default `warning` (all). */
  minSeverity: z.enum(['warning', 'critical']).default('warning'),
});

/** Settings of the guardrail monitor, in `createServer({ monitor })` and the config file's `monitor` section. */
export const monitorSettingsSchema = z.strictObject({
  /** Default true; false runs no monitor in this server (another server on the store may run it). */
  enabled: z.boolean().default(true),
  /** How often rules are evaluated and ramps advanced; default 10 s. */
  intervalMs: z.int().min(100).max(3_600_000).default(10_000),
  /**
   * How long a server stays the acting monitor without renewing its lease; default 3 intervals. Another server
   * takes over once it lapses.
   */
  leaseMs: z.int().min(300).max(86_400_000).optional(),
  webhooks: z.array(webhookTargetSchema).max(20).default([]),
});

/** Monitor settings as written (defaults optional). */
export type MonitorSettingsInput = z.input<typeof monitorSettingsSchema>;
/** Monitor settings with defaults applied. */
export type MonitorSettings = z.output<typeof monitorSettingsSchema>;
/** One webhook receiver with defaults applied. */
export type WebhookTarget = z.output<typeof webhookTargetSchema>;
