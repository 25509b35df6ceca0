import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';
import { callEvent, decisionEvent } from '../store-events.case.js';

describe('SQLite file store: events written from the event thread', () => {
  const directories: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  const freshFile = () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-event-thread-'));
    directories.push(directory);
    return join(directory, 'store.db');
  };
  const open = async (file: string) => {
    const store = await openStore(`sqlite:${file}`);
    stores.push(store);
    return store;
  };
  const count = (file: string) => {
    const database = new Database(file, { readonly: true });
    try {
      return (database.prepare('select count(*) as count from switchyard_events').get() as { count: number })
        .count;
    } finally {
      database.close();
    }
  };

  it('inserts idempotently, and the store reads each batch as soon as it is acknowledged', async () => {
    const store = await open(freshFile());
    const events = [decisionEvent('thread-1'), callEvent('thread-2'), callEvent('thread-2')];
    expect(await store.appendEvents(events)).toEqual({ inserted: 2, duplicates: 1 });
    expect((await store.listEvents()).events.map((event) => event.id)).toEqual(['thread-1', 'thread-2']);
    expect(await store.appendEvents(events.slice(0, 2))).toEqual({ inserted: 0, duplicates: 2 });
  });

  it("fails a batch whole with the driver's error, and goes on with the next", async () => {
    const file = freshFile();
    const store = await open(file);
    // A trigger refuses one row inside the worker's transaction, after the first row went in.
    const other = new Database(file);
    other.exec(`create trigger refuse_event before insert on switchyard_events when new.id = 'refused'
      begin select raise(abort, 'refused by the test trigger'); end`);
    other.close();
    const failure = store.appendEvents([decisionEvent('kept-out'), callEvent('refused')]);
    await expect(failure).rejects.toThrow(/refused by the test trigger/);
    await expect(failure).rejects.toMatchObject({ name: 'SqliteError', code: 'SQLITE_CONSTRAINT_TRIGGER' });
    expect(count(file)).toBe(0);
    expect(await store.appendEvents([decisionEvent('after')])).toEqual({ inserted: 1, duplicates: 0 });
  });

  it('waits for a write transaction of another connection, then inserts', async () => {
    const file = freshFile();
    const store = await open(file);
    await store.appendEvents([decisionEvent('first')]);
    const other = new Database(file);
    other.exec('begin immediate');
    other
      .prepare(
        "insert into switchyard_audit_entries (at, actor, action, target, before, after, reason) values (1, 'test', 'hold', 'lock', null, null, null)",
      )
      .run();
    let settled = false;
    const pending = store.appendEvents([decisionEvent('second')]).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    other.exec('commit');
    other.close();
    expect(await pending).toEqual({ inserted: 1, duplicates: 0 });
  });

  it('answers every batch sent before close(), then refuses more with a clear error', async () => {
    const file = freshFile();
    const store = await openStore(`sqlite:${file}`);
    const batches = Array.from({ length: 5 }, (_, batch) =>
      Array.from({ length: 200 }, (_, index) => callEvent(`close-${batch}-${index}`)),
    );
    const appends = batches.map((batch) => store.appendEvents(batch));
    const closed = store.close();
    expect((await Promise.all(appends)).map((result) => result.inserted)).toEqual([200, 200, 200, 200, 200]);
    await closed;
    expect(count(file)).toBe(1_000);
    await expect(store.appendEvents([decisionEvent('late')])).rejects.toThrow();
  });

  it('lets a process that never closed its store end by itself', async () => {
    const file = freshFile();
    const fixture = join(import.meta.dirname, 'worker-event-inserter.fixture.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const exit = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 15_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    expect(output).toBe('inserted 2\n');
    expect(exit).toBe(0);
    expect(count(file)).toBe(2);
  }, 20_000);
});
