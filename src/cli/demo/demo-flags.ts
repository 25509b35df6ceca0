import { CliError } from '../cli-io.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** The longest run the demo accepts: it is a demo, and it must stop by itself. */
export const MAX_DEMO_DURATION_MS = 24 * 3_600_000;

/**
 * Parses a duration such as `3m`, `90s`, `1m30s`, `500ms` or `2h` (a bare number is seconds) into
 * milliseconds; throws a CliError naming `--duration` for anything else or outside 1 s .. 24 h.
 *
 * @example
 * parseDuration('1m30s'); // 90000
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  let total = 0;
  if (/^\d+(\.\d+)?$/.test(trimmed)) total = Number(trimmed) * 1_000;
  else {
    const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) {
      throw new CliError(`invalid --duration: "${text}" is not a duration such as 3m, 90s or 1m30s`);
    }
    for (const [, amount, unit] of parts) total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  }
  if (!(total >= 1_000 && total <= MAX_DEMO_DURATION_MS)) {
    throw new CliError(`invalid --duration: "${text}" must be between 1s and 24h`);
  }
  return Math.round(total);
}

/** Parses `--speed`: a number from 0.1 to 100 that multiplies traffic and shortens every interval. */
export function parseSpeed(text: string): number {
  const speed = Number(text);
  if (text.trim() === '' || !(speed >= 0.1 && speed <= 100)) {
    throw new CliError(`invalid --speed: "${text}" must be a number from 0.1 to 100`);
  }
  return speed;
}

/** Parses `--seed`: an integer from 0 to 2^32 - 1. */
export function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d{1,10}$/.test(text) || seed > 4_294_967_295) {
    throw new CliError(`invalid --seed: "${text}" must be an integer from 0 to 4294967295`);
  }
  return seed;
}

/** Parses `--port`: 0 (any free port) to 65535. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || port > 65_535) {
    throw new CliError(`invalid --port: "${text}" is not a port number from 0 to 65535`);
  }
  return port;
}
