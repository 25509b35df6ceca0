/** Formatters for the numbers the dashboard shows; null (no data) reads as an em dash. */

const DASH = '—';

/** `2025-01-31 14:05:09` in local time. */
export function formatTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined) return DASH;
  const date = new Date(epochMs);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** A plain number with at most `digits` decimals (`1234.5` → `1,234.5`). */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A share from 0 to 1 as a percentage (`0.125` → `12.5 %`). */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return DASH;
  return `${formatNumber(share * 100, digits)} %`;
}

/** US dollars, with more decimals for small amounts (`0.00042` → `$0.00042`). */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const digits = Math.abs(value) >= 1 ? 2 : Math.abs(value) >= 0.01 ? 4 : 6;
  return `$${value.toLocaleString('en-US', { maximumFractionDigits: digits })}`;
}

/** Milliseconds, in seconds from 10 s on (`850` → `850 ms`, `2.5` → `2.5 ms`, `12400` → `12.4 s`). */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value >= 10_000) return `${formatNumber(value / 1000, 1)} s`;
  return `${formatNumber(value, value < 10 ? 1 : 0)} ms`;
}

/** A p-value: `< 0.001` below that, three significant digits above. */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value < 0.001 ? '< 0.001' : value.toPrecision(3);
}

/** An interval `[low, high]` with a formatter for each end. */
export function formatInterval(
  interval: readonly [number, number] | null | undefined,
  format: (value: number) => string,
): string {
  return interval ? `[${format(interval[0])}, ${format(interval[1])}]` : DASH;
}
