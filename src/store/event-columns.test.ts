import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../core/event-schema.js';
import {
  columnText,
  EVENT_COLUMNS,
  type EventColumnRow,
  eventColumnValues,
  eventFromColumns,
  requireEventColumns,
} from './event-columns.js';
import { callEvent, decisionEvent, feedbackEvent } from './store-events.case.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Every UTF-16 string, lone surrogates and NUL included. */
const anyText = fc.string({ unit: 'binary', maxLength: 12 });

/** The row as a select gives it: values by column name. */
const stored = (event: TelemetryEvent): EventColumnRow =>
  Object.fromEntries(
    EVENT_COLUMNS.map((column, index) => [column, eventColumnValues(event)[index]]),
  ) as EventColumnRow;

/** Text for the fields the schema wants non-empty. */
const someText = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const number = fc.double({ min: 0, max: 1e12, noNaN: true });

/** Events of all three types, built through the schema (its key order), with any text in every text field. */
const anyEvent: fc.Arbitrary<TelemetryEvent> = fc.oneof(
  fc
    .record({
      id: anyText,
      feature: anyText,
      variant: someText,
      unitId: nullable(anyText),
      ruleId: nullable(anyText),
    })
    .map(({ id, feature, ...fields }) => decisionEvent(`d${id}`, { feature: `f${feature}`, ...fields })),
  fc
    .record({
      requestId: anyText,
      variant: someText,
      servedVariant: nullable(someText),
      errorMessage: nullable(anyText),
      model: nullable(anyText),
      unitId: nullable(anyText),
      fallback: fc.boolean(),
      cached: fc.boolean(),
      latencyMs: number,
      inputTokens: fc.nat(),
      costUsd: number,
      prompt: fc.option(nullable(anyText), { nil: undefined }),
    })
    .map(({ requestId, prompt, ...fields }) =>
      callEvent('c', { requestId: `r${requestId}`, ...fields, ...(prompt === undefined ? {} : { prompt }) }),
    ),
  fc
    .record({
      variant: nullable(someText),
      accepted: nullable(fc.boolean()),
      selectedVariant: nullable(someText),
      rating: nullable(fc.double({ noNaN: true, noDefaultInfinity: true })),
      metric: nullable(someText),
      value: nullable(fc.double({ noNaN: true, noDefaultInfinity: true })),
    })
    .map((fields) => feedbackEvent('f', fields)),
);

describe('columnText', () => {
  it('leaves text without NUL or lone surrogates exactly as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        expect(columnText(text)).toBe(text.replaceAll('\u0000', '\ufffd'));
      }),
    );
    expect(columnText('Coach 🧭 日本語 "q" \\ e\u0301')).toBe('Coach 🧭 日本語 "q" \\ e\u0301');
  });

  it('replaces each NUL and lone surrogate with one U+FFFD, keeping pairs and length', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const column = columnText(text);
        expect(column).toHaveLength(text.length);
        expect(column.includes('\u0000')).toBe(false);
        expect(LONE_SURROGATE.test(column)).toBe(false);
        expect(columnText(column)).toBe(column);
      }),
    );
    expect(columnText('a\u0000b\ud800c\udc00😀')).toBe('a\ufffdb\ufffdc\ufffd😀');
  });
});

describe('eventColumnValues', () => {
  it('fills the columns of each event type in EVENT_COLUMNS order', () => {
    const row = (event: TelemetryEvent) =>
      Object.fromEntries(EVENT_COLUMNS.map((column, index) => [column, eventColumnValues(event)[index]]));
    expect(row(decisionEvent('d'))).toMatchObject({
      type: 'decision',
      variant: 'v2',
      unit_id: 'user-1',
      scope: null,
    });
    expect(row(callEvent('c'))).toMatchObject({
      fallback: 1,
      cached: 0,
      latency_ms: 812.5,
      cost_usd: 0.00231,
    });
    expect(row(feedbackEvent('f'))).toMatchObject({
      accepted: 1,
      rating: 4.5,
      metric: 'edit_distance',
      value: 0.25,
    });
    expect(row(feedbackEvent('f', { accepted: false })).accepted).toBe(0);
  });

  it('keeps in data only the fields without a column', () => {
    const data = (event: TelemetryEvent) => JSON.parse(stored(event).data as string) as unknown;
    expect(data(callEvent('c', { prompt: 'Hi' }))).toEqual({
      errorMessage: null,
      provider: 'openai',
      model: 'gpt-4o-mini',
      attempts: 2,
      prompt: 'Hi',
    });
    expect(data(decisionEvent('d'))).toEqual({ version: 3 });
    expect(data(feedbackEvent('f'))).toEqual({});
  });

  it('gives every event back exactly, in schema key order, and fills text columns through columnText', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        const row = stored(event);
        const read = eventFromColumns(row);
        expect(read).toEqual(event);
        expect(JSON.stringify(read)).toBe(JSON.stringify(event));
        expect(row.id).toBe(columnText(event.id));
        expect(row.feature).toBe(columnText(event.feature));
        expect(row.variant).toBe(event.variant === null ? null : columnText(event.variant));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps fields of another type or unknown to the schema in data, and reads whole-event rows', () => {
    const odd = { ...callEvent('c'), latencyMs: { ms: 3 }, cached: 'no', extra: [1, 'two'] };
    const row = stored(odd as unknown as TelemetryEvent);
    expect(row.latency_ms).toBeNull();
    expect(row.cached).toBeNull();
    expect(eventFromColumns(row)).toEqual(odd);
    // Rows written before 0013 hold the whole event in `data`.
    const event = feedbackEvent('f', { metric: 'nul\u0000' });
    expect(eventFromColumns({ ...stored(event), data: JSON.stringify(event) })).toEqual(event);
  });

  it('names the event and field its columns cannot hold', () => {
    const broken = { ...callEvent('c'), requestId: 7 } as unknown as TelemetryEvent;
    expect(() => requireEventColumns(broken, 4)).toThrow(
      /events\[4\]\.requestId: must be a non-empty string/,
    );
    const unknownType = { ...callEvent('c'), type: 'exposure' } as unknown as TelemetryEvent;
    expect(() => requireEventColumns(unknownType, 0)).toThrow(/events\[0\]\.type/);
    expect(() => requireEventColumns({ ...callEvent('c'), at: -1 }, 0)).toThrow(/events\[0\]\.at/);
    expect(() => requireEventColumns(callEvent('c'), 0)).not.toThrow();
  });
});
