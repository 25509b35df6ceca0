/**
 * Child process of worker-event-inserter.test.ts: opens a SQLite store file, appends events (which starts the
 * event thread) and returns without closing the store. The process must still end by itself: an idle event
 * thread does not keep it alive.
 */
import { openStore } from '../open-store.js';
import { decisionEvent } from '../store-events.case.js';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: worker-event-inserter.fixture.ts <file>');
const store = await openStore(`sqlite:${file}`);
const { inserted } = await store.appendEvents([decisionEvent('left-open-1'), decisionEvent('left-open-2')]);
process.stdout.write(`inserted ${inserted}\n`);
