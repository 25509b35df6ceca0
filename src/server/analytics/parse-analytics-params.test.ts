import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.js';
import {
  DEFAULT_RANGE_MS,
  parseDuration,
  parseEventFilterParams,
  parseMetricsParams,
  parseStatsParams,
  parseTimeRange,
} from './parse-analytics-params.js';

const NOW = Date.UTC(2025, 1, 10, 12);
const DAY = 86_400_000;

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).field;
  }
  return undefined;
}

describe('parseTimeRange', () => {
  it('defaults to the last day before now', () => {
    expect(parseTimeRange({}, NOW)).toEqual({ from: NOW - DEFAULT_RANGE_MS, to: NOW });
    expect(parseTimeRange({ to: '1000000000000' }, NOW)).toEqual({ from: 1e12 - DAY, to: 1e12 });
  });

  it('reads epoch milliseconds, zoned date-times and dates, a date-only end covering its day', () => {
    expect(parseTimeRange({ start: '2025-01-01', end: '2025-01-31' }, NOW)).toEqual({
      from: Date.UTC(2025, 0, 1),
      to: Date.UTC(2025, 1, 1),
    });
    expect(parseTimeRange({ from: '2025-01-01T10:30:00+02:00', to: '2025-01-01T10:00Z' }, NOW)).toEqual({
      from: Date.UTC(2025, 0, 1, 8, 30),
      to: Date.UTC(2025, 0, 1, 10),
    });
    expect(parseTimeRange({ from: '1735689600000', to: 1_735_776_000_000 }, NOW)).toEqual({
      from: 1_735_689_600_000,
      to: 1_735_776_000_000,
    });
    // `from` wins over its alias when both are given.
    expect(parseTimeRange({ from: '5', start: '7', to: '9' }, NOW)).toEqual({ from: 5, to: 9 });
  });

  it.each([
    ['from', { from: 'yesterday' }],
    ['start', { start: '2025-01-01T10:00:00' }],
    ['end', { end: '-5' }],
    ['to', { to: ['1', '2'] }],
  ])('names %s when it cannot be read', (field, params) => {
    expect(fieldOf(() => parseTimeRange(params, NOW))).toBe(field);
  });
});

describe('parseDuration', () => {
  it.each([
    ['300000', 300_000],
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 2 * DAY],
  ])('reads %s as %i ms', (text, milliseconds) => {
    expect(parseDuration('interval', text)).toBe(milliseconds);
  });

  it.each(['', '1.5h', '5 minutes', '-1s', 60])('rejects %j naming the field', (value) => {
    expect(fieldOf(() => parseDuration('interval', value))).toBe('interval');
  });
});

describe('analytics request parameters', () => {
  it('builds a metrics query, with the interval only when given', () => {
    expect(parseMetricsParams({ feature: 'coach-reply', interval: '1h' }, NOW)).toEqual({
      feature: 'coach-reply',
      from: NOW - DAY,
      to: NOW,
      intervalMs: 3_600_000,
    });
    expect(parseMetricsParams({ feature: 'coach-reply' }, NOW)).not.toHaveProperty('intervalMs');
    expect(fieldOf(() => parseMetricsParams({}, NOW))).toBe('feature');
    expect(fieldOf(() => parseMetricsParams({ feature: 'x', interval: 'soon' }, NOW))).toBe('interval');
  });

  it('builds a stats query with an optional feature', () => {
    expect(parseStatsParams({}, NOW)).toEqual({ from: NOW - DAY, to: NOW });
    expect(parseStatsParams({ feature: 'persona' }, NOW)).toEqual({
      from: NOW - DAY,
      to: NOW,
      feature: 'persona',
    });
  });

  it('builds an export filter that reads all history unless a time is given', () => {
    expect(parseEventFilterParams({})).toEqual({});
    expect(
      parseEventFilterParams({
        type: 'call',
        feature: 'f',
        variant: 'v2',
        requestId: 'r',
        start: '2025-01-01',
      }),
    ).toEqual({ type: 'call', feature: 'f', variant: 'v2', requestId: 'r', from: Date.UTC(2025, 0, 1) });
    expect(fieldOf(() => parseEventFilterParams({ type: 'ai_content_generated' }))).toBe('type');
    expect(fieldOf(() => parseEventFilterParams({ variant: ['a', 'b'] }))).toBe('variant');
  });
});
