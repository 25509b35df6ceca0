import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { flushOnSignals, type SignalProcess } from './flush-on-signals.js';
import { settle } from './telemetry-writer.test-helper.js';

/** An EventEmitter standing in for `process`, recording the signals it is sent. */
function fakeProcess(): SignalProcess & { emit(signal: NodeJS.Signals): void; sent: NodeJS.Signals[] } {
  const emitter = new EventEmitter();
  const sent: NodeJS.Signals[] = [];
  return {
    pid: 4242,
    sent,
    on: (signal, listener) => emitter.on(signal, listener),
    off: (signal, listener) => emitter.off(signal, listener),
    listenerCount: (signal) => emitter.listenerCount(signal),
    kill: (pid, signal) => {
      expect(pid).toBe(4242);
      sent.push(signal);
    },
    emit: (signal) => emitter.emit(signal, signal),
  };
}

describe('flushOnSignals', () => {
  it('closes the target, then re-raises the signal once nothing else listens', async () => {
    const fake = fakeProcess();
    let release: () => void = () => {};
    const close = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    flushOnSignals({ close }, ['SIGTERM', 'SIGINT'], fake);
    fake.emit('SIGTERM');
    await settle();
    expect(close).toHaveBeenCalledTimes(1);
    // Our listeners are gone at once: a second signal during the close gets the default (immediate exit).
    expect(fake.listenerCount('SIGTERM') + fake.listenerCount('SIGINT')).toBe(0);
    expect(fake.sent).toEqual([]);
    release();
    await settle();
    expect(fake.sent).toEqual(['SIGTERM']);
  });

  it('leaves the exit to another listener of the same signal', async () => {
    const fake = fakeProcess();
    const close = vi.fn(async () => {});
    fake.on('SIGINT', () => {});
    flushOnSignals({ close }, ['SIGTERM', 'SIGINT'], fake);
    fake.emit('SIGINT');
    await settle();
    expect(close).toHaveBeenCalledTimes(1);
    expect(fake.sent).toEqual([]);
  });

  it('re-raises even when close fails', async () => {
    const fake = fakeProcess();
    flushOnSignals({ close: async () => Promise.reject(new Error('store gone')) }, ['SIGTERM'], fake);
    fake.emit('SIGTERM');
    await settle();
    expect(fake.sent).toEqual(['SIGTERM']);
  });

  it('does nothing after its disposer ran', async () => {
    const fake = fakeProcess();
    const close = vi.fn(async () => {});
    const dispose = flushOnSignals({ close }, ['SIGTERM', 'SIGTERM'], fake);
    expect(fake.listenerCount('SIGTERM')).toBe(1);
    dispose();
    dispose();
    expect(fake.listenerCount('SIGTERM')).toBe(0);
    fake.emit('SIGTERM');
    await settle();
    expect(close).not.toHaveBeenCalled();
  });

  describe('in a real process', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-signal-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    /** Runs the fixture to its end and returns how it ended and what it printed to stderr. */
    async function runFixture(file: string, count: number, mode: 'signal' | 'idle') {
      const fixture = fileURLToPath(new URL('./flush-on-signals.fixture.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, file, String(count), mode], {
        cwd: fileURLToPath(new URL('../../../', import.meta.url)),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      return { ...exit, stderr };
    }

    async function storedIds(file: string): Promise<Set<string>> {
      const store = await openStore(`sqlite:${file}`);
      try {
        const ids = new Set<string>();
        for await (const event of store.streamEvents()) ids.add(event.id);
        return ids;
      } finally {
        await store.close();
      }
    }

    it('writes every buffered event to the SQLite store on SIGTERM and still exits by the signal', async () => {
      const file = join(directory, 'signal.db');
      const count = 2_500;
      expect(await runFixture(file, count, 'signal')).toEqual({ code: null, signal: 'SIGTERM', stderr: '' });
      const ids = await storedIds(file);
      expect(ids.size).toBe(count);
      expect(ids.has('signal-0') && ids.has(`signal-${count - 1}`)).toBe(true);
    });

    it('never keeps an idle process alive: its timers are unref’d', async () => {
      const file = join(directory, 'idle.db');
      // The process ends by itself with events still buffered; only close() (or a signal) writes them.
      expect(await runFixture(file, 10, 'idle')).toEqual({ code: 0, signal: null, stderr: '' });
      expect((await storedIds(file)).size).toBe(0);
    });
  });
});
