import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/event-schema.js';
import { createRemoteEventSink } from './event-sink.js';
import { RemoteRequestError } from './remote-request-error.js';

function event(index: number): TelemetryEvent {
  return {
    type: 'feedback',
    id: `e-${index}`,
    at: index,
    requestId: `r-${index}`,
    feature: 'coach-reply',
    variant: 'v1',
    accepted: true,
    selectedVariant: null,
    rating: null,
    metric: null,
    value: null,
  };
}

const batch = (count: number) => Array.from({ length: count }, (_, index) => event(index));

/** An api whose answers are scripted per call; an empty script accepts. */
function scriptedApi(script: Array<(events: readonly TelemetryEvent[]) => RemoteRequestError | undefined>) {
  const calls: string[][] = [];
  return {
    calls,
    api: {
      async postEvents(events: readonly TelemetryEvent[]) {
        calls.push(events.map((item) => item.id));
        const error = script.shift()?.(events);
        if (error) throw error;
        return { inserted: events.length, duplicates: 0 };
      },
    },
  };
}

const fast = { retryDelayMs: { initial: 1, max: 2 }, random: () => 0.5 };
const refused =
  (status: number, problems: Array<{ path: string; message: string }> = []) =>
  () =>
    new RemoteRequestError(`POST /api/events: ${status}`, { status, problems });
const unreachable = () => new RemoteRequestError('POST /api/events: connect ECONNREFUSED', {});

describe('createRemoteEventSink', () => {
  it('retries a failure that may pass, a bounded number of times, then rejects so the writer keeps the batch', async () => {
    const { api, calls } = scriptedApi([unreachable, refused(503), unreachable, unreachable]);
    const sink = createRemoteEventSink({ api, attempts: 2, ...fast });
    await expect(sink(batch(2))).rejects.toMatchObject({ status: 503 });
    expect(calls).toHaveLength(2);
    await expect(sink(batch(2))).rejects.toMatchObject({ retryable: true, status: undefined });
    await expect(sink(batch(2))).resolves.toBeUndefined();
    expect(calls).toHaveLength(5);
  });

  it('rejects at once when retrying cannot help (a refused token)', async () => {
    const { api, calls } = scriptedApi([refused(401)]);
    const sink = createRemoteEventSink({ api, attempts: 5, ...fast });
    await expect(sink(batch(1))).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1);
  });

  it('splits a batch the server finds too large', async () => {
    const { api, calls } = scriptedApi([refused(413), refused(413)]);
    const sink = createRemoteEventSink({ api, ...fast });
    await sink(batch(5));
    expect(calls).toEqual([
      ['e-0', 'e-1', 'e-2', 'e-3', 'e-4'],
      ['e-0', 'e-1', 'e-2'],
      ['e-0', 'e-1'],
      ['e-2'],
      ['e-3', 'e-4'],
    ]);
  });

  it('drops the events a 400 names, reports them, and sends the rest of the batch', async () => {
    const errors: unknown[] = [];
    const { api, calls } = scriptedApi([
      refused(400, [
        { path: 'events[1].at', message: 'too small' },
        { path: 'events[3]', message: 'unknown field "x"' },
      ]),
    ]);
    const sink = createRemoteEventSink({ api, onError: (error) => errors.push(error), ...fast });
    await sink(batch(4));
    expect(calls).toEqual([
      ['e-0', 'e-1', 'e-2', 'e-3'],
      ['e-0', 'e-2'],
    ]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('2 telemetry events dropped');
  });

  it('drops a batch refused twice, or refused without naming events, instead of blocking later batches', async () => {
    const errors: unknown[] = [];
    const naming = refused(400, [{ path: 'events[0].id', message: 'bad' }]);
    const { api, calls } = scriptedApi([naming, naming, refused(400)]);
    const sink = createRemoteEventSink({ api, onError: (error) => errors.push(error), ...fast });
    await sink(batch(3));
    await sink(batch(2));
    expect(calls).toEqual([
      ['e-0', 'e-1', 'e-2'],
      ['e-1', 'e-2'],
      ['e-0', 'e-1'],
    ]);
    expect(errors).toHaveLength(3);
  });

  it('sends at most 10,000 events per request', async () => {
    const { api, calls } = scriptedApi([]);
    await createRemoteEventSink({ api, ...fast })(batch(25_000));
    expect(calls.map((ids) => ids.length)).toEqual([10_000, 10_000, 5_000]);
  });
});
