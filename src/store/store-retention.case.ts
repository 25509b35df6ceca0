import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../core/event-schema.js';
import type { ScrubCursor } from './store.js';
import { callEvent, decisionEvent, feedbackEvent } from './store-events.case.js';
import { START_TIME, type StoreHarness } from './store-harness.case.js';

const DAY = 86_400_000;

/** Retention's primitives: batched deletes of old events and audit entries, and scrubs of old content. */
export function retentionCases(harness: StoreHarness): void {
  describe('retention', () => {
    const ids = async () =>
      (await harness.store.listEvents({ limit: 100 })).events.map((event) => event.id).sort();

    it('deletes the oldest events before a time in bounded batches, and nothing newer', async () => {
      await harness.store.appendEvents([
        decisionEvent('d-old', { at: START_TIME - 3 * DAY }),
        callEvent('c-old', { at: START_TIME - 2 * DAY }),
        feedbackEvent('f-old', { at: START_TIME - 2 * DAY }),
        callEvent('c-edge', { at: START_TIME - DAY }),
        callEvent('c-new', { at: START_TIME }),
      ]);
      const cutoff = START_TIME - DAY;
      await expect(harness.store.deleteEventsBefore(cutoff, 2)).resolves.toBe(2);
      // The two oldest went first: d-old, then c-old or f-old (same time, id order: c-old).
      expect(await ids()).toEqual(['c-edge', 'c-new', 'f-old']);
      await expect(harness.store.deleteEventsBefore(cutoff, 2)).resolves.toBe(1);
      await expect(harness.store.deleteEventsBefore(cutoff, 2)).resolves.toBe(0);
      expect(await ids()).toEqual(['c-edge', 'c-new']);
      await expect(harness.store.deleteEventsBefore(cutoff, 0)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(harness.store.deleteEventsBefore(-1, 10)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('scrubs prompts and outputs of old call events only, batch by batch, keeping every other field', async () => {
      const kept = (id: string, at: number) =>
        callEvent(id, {
          at,
          prompt: `prompt of ${id}`,
          output: `output of ${id}`,
          errorMessage: 'said "prompt"',
        });
      const events: TelemetryEvent[] = [
        kept('a', START_TIME - 5 * DAY),
        callEvent('b', { at: START_TIME - 5 * DAY }),
        kept('c', START_TIME - 4 * DAY),
        callEvent('d', { at: START_TIME - 4 * DAY, output: null }),
        decisionEvent('e', { at: START_TIME - 4 * DAY }),
        kept('f', START_TIME - 3 * DAY),
        kept('g', START_TIME),
      ];
      await harness.store.appendEvents(events);
      let cursor: ScrubCursor | null = null;
      let scrubbed = 0;
      let batches = 0;
      do {
        const batch = await harness.store.scrubEventContent(START_TIME - 3 * DAY, 2, cursor);
        scrubbed += batch.scrubbed;
        cursor = batch.next;
        batches += 1;
      } while (cursor !== null && batches < 10);
      expect(scrubbed).toBe(3);
      expect(batches).toBe(3);
      const stored = new Map(
        (await harness.store.listEvents({ limit: 100 })).events.map((event) => [event.id, event]),
      );
      for (const event of events) {
        const rest: Record<string, unknown> = { ...event };
        delete rest.prompt;
        delete rest.output;
        const old = event.at < START_TIME - 3 * DAY;
        expect(stored.get(event.id)).toEqual(old && event.type === 'call' ? rest : event);
      }
      // Nothing left to scrub: a second pass changes nothing.
      await expect(harness.store.scrubEventContent(START_TIME - 3 * DAY, 100, null)).resolves.toEqual({
        scrubbed: 0,
        next: null,
      });
    });

    it('deletes the oldest audit entries before a time', async () => {
      await harness.store.appendAudit({
        actor: 'a',
        action: 'x.one',
        target: 't',
        before: null,
        after: null,
        reason: null,
        at: START_TIME - 2 * DAY,
      });
      await harness.store.appendAudit({
        actor: 'a',
        action: 'x.two',
        target: 't',
        before: null,
        after: null,
        reason: null,
        at: START_TIME - 2 * DAY,
      });
      await harness.store.appendAudit({
        actor: 'a',
        action: 'x.three',
        target: 't',
        before: null,
        after: null,
        reason: null,
        at: START_TIME,
      });
      await expect(harness.store.deleteAuditBefore(START_TIME - DAY, 1)).resolves.toBe(1);
      await expect(harness.store.deleteAuditBefore(START_TIME - DAY, 10)).resolves.toBe(1);
      const { entries } = await harness.store.listAudit({});
      expect(entries.map((entry) => entry.action)).toEqual(['x.three']);
    });
  });
}
