import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventInserter } from '../event-inserter.js';
import { type EventRows, eventRows } from './insert-events.js';

/** What the worker is started with. */
export interface InsertWorkerData {
  readonly filename: string;
}

/** A message to the worker: a batch of rows to insert, or the end. */
export type InsertRequest = { type: 'insert'; id: number; rows: EventRows } | { type: 'close' };

/** The worker's answer to one insert. */
export type InsertReply =
  | { id: number; inserted: number; error?: undefined }
  | { id: number; inserted?: undefined; error: { name: string; message: string; code: string | undefined } };

/** An event insert that runs in a worker thread, and the way to stop that thread. */
export interface WorkerEventInserter {
  readonly insert: EventInserter;
  /** Waits for the batches in flight, then closes the worker's connection and ends the thread. */
  close(): Promise<void>;
}

interface Waiting {
  resolve(inserted: number): void;
  reject(error: Error): void;
}

/**
 * The worker's entry beside this file. Running from the TypeScript sources (tests, `tsx`), it is the `.ts`
 * file, imported once tsx's loader is registered in the worker (a worker ignores `--import` in `execArgv`).
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./event-insert-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

/**
 * The script a worker runs from the sources: register tsx, then import the entry. tsx is found from this
 * file rather than the working directory, and by its ESM entry (`require.resolve` gives the CommonJS one).
 */
function sourceBoot(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = new URL('dist/esm/api/index.mjs', pathToFileURL(manifest)).href;
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
}

/**
 * Writes a SQLite file's telemetry events from a worker thread with a connection of its own (WAL mode lets it
 * write while the store's connection reads). This thread turns each batch into rows (`eventColumnValues`:
 * the columns and `data`) and the worker binds and commits them: the two halves of an insert run on two
 * cores, the next batch is prepared while the last commits, and a commit (several milliseconds for 1,000
 * events) no longer holds up the event loop that serves requests (docs/decisions/0012-sqlite-event-thread.md).
 *
 * The worker starts with the first batch, keeps the process alive only while a batch is in flight, and is
 * started again after it stops on an error; batches in flight when it stopped fail with that error, and the
 * telemetry writer retries them. Inserts are idempotent by id, so a batch sent twice is stored once.
 */
export function workerEventInserter(filename: string): WorkerEventInserter {
  let worker: Worker | undefined;
  let nextId = 0;
  let closing: Promise<void> | undefined;
  const waiting = new Map<number, Waiting>();

  const failAll = (error: Error) => {
    const failed = [...waiting.values()];
    waiting.clear();
    for (const entry of failed) entry.reject(error);
  };

  const start = (): Worker => {
    const workerData: InsertWorkerData = { filename };
    const started = FROM_SOURCE
      ? new Worker(sourceBoot(), { eval: true, workerData })
      : new Worker(WORKER_URL, { workerData });
    started.unref();
    started.on('message', (reply: InsertReply) => {
      const entry = waiting.get(reply.id);
      if (entry === undefined) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) started.unref();
      if (reply.error === undefined) {
        entry.resolve(reply.inserted);
      } else {
        entry.reject(Object.assign(new Error(reply.error.message), reply.error));
      }
    });
    started.on('error', (error) => {
      if (worker === started) worker = undefined;
      failAll(error);
    });
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`the SQLite event writer thread stopped (exit code ${code})`));
    });
    return started;
  };

  const insert: EventInserter = (_db, events) => {
    if (closing !== undefined) {
      return Promise.reject(new Error('the store is closed: no events can be written'));
    }
    const rows = eventRows(events);
    worker ??= start();
    const id = nextId++;
    const inserted = new Promise<number>((resolve, reject) => waiting.set(id, { resolve, reject }));
    worker.ref();
    worker.postMessage({ type: 'insert', id, rows } satisfies InsertRequest);
    return inserted;
  };

  const close = async () => {
    const running = worker;
    if (running === undefined) return;
    // The worker handles messages in order: every batch sent before this is answered before it ends.
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.ref();
    running.postMessage({ type: 'close' } satisfies InsertRequest);
    await exited;
  };

  return {
    insert,
    close() {
      closing ??= close();
      return closing;
    },
  };
}
