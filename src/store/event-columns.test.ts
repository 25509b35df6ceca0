import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallEvent, TelemetryEvent } from '../core/event-schema.js';
import { columnText, EVENT_COLUMNS, eventColumnValues, requireEventColumns } from './event-columns.js';
import { callEvent, decisionEvent, feedbackEvent } from './store-events.case.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Every UTF-16 string, lone surrogates and NUL included. */
const anyText = fc.string({ unit: 'binary', maxLength: 12 });

/** The row the slow path would give: every text column through columnText. */
function expectedRow(event: CallEvent): unknown[] {
  const text = (value: string | null | undefined) => (value == null ? null : columnText(value));
  return [
    text(event.id),
    'call',
    event.at,
    text(event.requestId),
    text(event.feature),
    text(event.variant),
    text(event.unitId),
    text(event.scope),
    text(event.servedVariant),
    text(event.outcome),
    text(event.errorClass),
    event.fallback ? 1 : 0,
    event.cached ? 1 : 0,
    event.latencyMs,
    event.inputTokens,
    event.outputTokens,
    event.costUsd,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    JSON.stringify(event),
  ];
}

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

  it('gives the same row through its fast path as through columnText on every field', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, anyText, (id, feature, message, model) => {
        const event = callEvent(`x${id}`, {
          feature: `f${feature}`,
          errorMessage: message,
          model,
          unitId: model,
        });
        expect(eventColumnValues(event)).toEqual(expectedRow(event));
      }),
    );
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
