import { z } from 'zod';

const UNITS = { h: 3_600_000, d: 86_400_000 } as const;

/**
 * A retention window: `90d` or `36h` (whole days or hours), or milliseconds (an integer, as the parsed
 * settings hold it); from one hour to 36,500 days.
 */
export const retentionWindowSchema = z
  .union([
    z
      .string()
      .regex(/^[1-9][0-9]{0,5}[hd]$/, 'must be a whole number of days or hours, such as 90d or 36h')
      .transform((text) => Number(text.slice(0, -1)) * UNITS[text.at(-1) as keyof typeof UNITS]),
    z.int().min(UNITS.h, 'must be at least an hour (3600000 ms)'),
  ])
  .refine((ms) => ms <= 36_500 * UNITS.d, 'must be at most 36500d');

/** What is kept and for how long (`retention` in the server config); a window left out keeps forever. */
export const retentionSettingsSchema = z.strictObject({
  /** Events older than this are deleted. */
  events: retentionWindowSchema.optional(),
  /** Stored prompts and outputs are removed from events older than this. */
  content: retentionWindowSchema.optional(),
  /** Audit entries older than this are deleted. */
  audit: retentionWindowSchema.optional(),
  /** How often the automatic pass runs; default hourly. */
  intervalMs: z.int().min(1_000).max(86_400_000).default(3_600_000),
  /** Rows per statement; default 1,000. Each batch is a short statement of its own, so serving never waits long. */
  batchSize: z.int().min(1).max(10_000).default(1_000),
});

/** Retention settings as written (windows as `90d`). */
export type RetentionSettingsInput = z.input<typeof retentionSettingsSchema>;
/** Retention settings with windows in milliseconds and defaults applied. */
export type RetentionSettings = z.output<typeof retentionSettingsSchema>;
