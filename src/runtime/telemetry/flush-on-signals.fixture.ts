/**
 * A service that buffers telemetry and is stopped by SIGTERM: writes `count` events to a writer whose
 * interval would not flush for a minute, then sends itself SIGTERM. flushOnSignals must write them all to
 * the SQLite file and still let the signal end the process. In `idle` mode it sends no signal and simply
 * runs out of work: the writer's timers must not keep it alive.
 *
 * Usage: node --import tsx flush-on-signals.fixture.ts <sqlite file> <count> [signal|idle]
 */
import { openStore } from '../../store/open-store.js';
import { createTelemetryWriter, flushOnSignals } from './telemetry-writer.js';

const [file, countText, mode = 'signal'] = process.argv.slice(2);
const count = Number(countText);
const store = await openStore(`sqlite:${file}`);
const writer = createTelemetryWriter({
  sink: (events) => store.appendEvents(events),
  // No batch fills and no interval passes: every event reaches the file through the signal's close().
  flushIntervalMs: 60_000,
  maxBuffer: count + 1,
  batchSize: count + 1,
});
flushOnSignals({
  close: async () => {
    await writer.close();
    await store.close();
  },
});
for (let index = 0; index < count; index++) {
  writer.write({
    id: `signal-${index}`,
    type: 'decision',
    at: 1_700_000_000_000 + index,
    requestId: `request-${index}`,
    feature: 'coach-reply',
    variant: 'v2',
    reason: 'SPLIT',
    ruleId: 'rollout',
    unitId: `user-${index}`,
    version: 1,
  });
}
if (mode === 'signal') {
  // Only the re-raised signal should end this process; if it does not, fail loudly instead of hanging.
  setTimeout(() => {
    console.error('the signal did not end the process');
    process.exit(3);
  }, 20_000);
  process.kill(process.pid, 'SIGTERM');
}
