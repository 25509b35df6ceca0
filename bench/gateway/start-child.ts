import { type ChildProcess, spawn } from 'node:child_process';

/** A message between the benchmark and one of its server processes (`type` says which). */
export interface ChildMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A server process of the benchmark, started and ready. */
export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  /** The child's `ready` message: where it listens, and what else it tells. */
  readonly ready: ChildMessage;
  /** Sends `message` and resolves to the child's next message of the same type. */
  ask(message: ChildMessage, timeoutMs?: number): Promise<ChildMessage>;
  /** Asks the child to stop (`{ type: 'stop' }`), then kills it if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of `startChild`. */
export interface StartChildOptions {
  /** Arguments of `node`: flags, the script, its arguments. */
  readonly args: readonly string[];
  /** Environment added to this process's. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the `ready` message; default 20 s. */
  readonly readyTimeoutMs?: number;
}

const OUTPUT_KEPT = 8_192;

/**
 * Starts `node` with an IPC channel and waits for its `{ type: 'ready' }` message. The child's output is
 * kept (its last 8 KiB) to explain a failed start. A child whose parent dies sees its IPC channel close.
 *
 * @example
 * const upstream = await startChild('fake upstream', { args: ['--import', 'tsx', 'bench/gateway/fake-upstream-process.ts'] });
 * console.log(upstream.ready.url);
 * await upstream.stop();
 */
export async function startChild(name: string, options: StartChildOptions): Promise<BenchChild> {
  const child = spawn(process.execPath, [...options.args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const describe = () => `${name} (pid ${child.pid ?? '?'})`;

  let ready: ChildMessage;
  try {
    ready = await nextMessage(child, 'ready', options.readyTimeoutMs ?? 20_000, describe);
  } catch (error) {
    child.kill('SIGKILL');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- output of ${describe()} ---\n${output}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid ?? -1,
    ready,
    ask: (message, timeoutMs = 5_000) => {
      const answer = nextMessage(child, message.type, timeoutMs, describe);
      child.send(message);
      return answer;
    },
    stop: (graceMs = 15_000) => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.send({ type: 'stop' });
        // A CPU profile is written as the child exits, which can take a few seconds.
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function nextMessage(
  child: ChildProcess,
  type: string,
  timeoutMs: number,
  describe: () => string,
): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || (message as ChildMessage).type !== type) return;
      cleanUp();
      resolve(message as ChildMessage);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanUp();
      reject(new Error(`${describe()} exited (code ${code}, signal ${signal}) before its "${type}" message`));
    };
    const timer = setTimeout(() => {
      cleanUp();
      reject(new Error(`${describe()} sent no "${type}" message within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
