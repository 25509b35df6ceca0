/**
 * Entry of the worker thread that writes a SQLite store file's telemetry events (`worker-event-inserter.ts`
 * starts it): its own connection to the file, the insert prepared once, one transaction per batch of rows.
 * Answers every message with the rows inserted or the error, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareEventRowsInsert } from './insert-events.js';
import { applyConnectionSettings } from './sqlite-settings.js';
import type { InsertReply, InsertRequest, InsertWorkerData } from './worker-event-inserter.js';

const port = parentPort;
if (port === null) throw new Error('event-insert-worker runs as a worker thread');
const { filename } = workerData as InsertWorkerData;
const database = new Database(filename, { fileMustExist: true });
applyConnectionSettings(database);
const insertRows = prepareEventRowsInsert(database);

port.on('message', (request: InsertRequest) => {
  if (request.type === 'close') {
    database.close();
    port.close();
    return;
  }
  let reply: InsertReply;
  try {
    reply = { id: request.id, inserted: insertRows(request.rows) };
  } catch (error) {
    const { name, message, code } = error as { name?: string; message?: string; code?: unknown };
    reply = {
      id: request.id,
      error: {
        name: name ?? 'Error',
        message: message ?? String(error),
        code: typeof code === 'string' ? code : undefined,
      },
    };
  }
  port.postMessage(reply);
});
