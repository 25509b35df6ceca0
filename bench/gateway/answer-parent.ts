import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { ChildMessage } from './start-child.js';

/** What a benchmark child does for its parent. */
export interface ParentChannel {
  /** Fields of the `ready` message (where the child listens). */
  readonly ready: Record<string, unknown>;
  /** Answers by message type: the parent's `{ type }` gets `{ type, ...answer() }` back. */
  readonly answers?: Readonly<Record<string, () => Record<string, unknown>>>;
  /** Releases what the child holds; the process exits afterwards. */
  readonly stop: () => Promise<void>;
}

/**
 * In a child started by `startChild`: sends `ready`, answers the parent's questions, and stops on the
 * parent's `stop` or when the parent goes away (its IPC channel closes), so no child outlives a benchmark.
 * Every child also answers `cpu` (the CPU time this process has used, in ms) and, when `BENCH_CPU_PROFILE`
 * names a file, `profile-start` and `profile-stop` (which writes a V8 CPU profile of the time between).
 *
 * @example
 * answerParent({ ready: { url }, stop: () => server.close() });
 */
export function answerParent(channel: ParentChannel): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('this script is a child of bench/gateway.ts: run that instead');
  const profileFile = process.env.BENCH_CPU_PROFILE;
  let profiler: Session | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    channel.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  const answer = async (type: string): Promise<Record<string, unknown> | undefined> => {
    if (type === 'cpu') {
      const usage = process.cpuUsage();
      return { ms: (usage.user + usage.system) / 1_000 };
    }
    if (type === 'profile-start' && profileFile !== undefined) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      return { file: profileFile };
    }
    if (type === 'profile-stop' && profiler !== undefined) {
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      await writeFile(profileFile ?? 'bench.cpuprofile', JSON.stringify(profile));
      return { file: profileFile };
    }
    return channel.answers?.[type]?.();
  };
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'stop') return stop();
    answer(message.type).then(
      (fields) => {
        if (fields !== undefined) send({ ...fields, type: message.type });
      },
      (error: unknown) => send({ type: message.type, error: String(error) }),
    );
  });
  process.once('disconnect', stop);
  send({ ...channel.ready, type: 'ready' });
}
