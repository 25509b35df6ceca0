/** How progress is shown: lines redrawn in place (a terminal), plain periodic lines (logs, CI), or nothing. */
export type ProgressMode = 'live' | 'plain' | 'quiet';

/** Options of `createDemoProgress`. */
export interface DemoProgressOptions {
  readonly mode: ProgressMode;
  readonly write: (text: string) => void;
  /** Epoch-ms clock. */
  readonly clock: () => number;
  /** In plain mode, the least time between two status lines; default 10 s. */
  readonly plainEveryMs?: number;
  /** In live mode, the terminal width each status line is cut to; default 120. */
  readonly columns?: number;
}

/** Where the demo reports as it runs. */
export interface DemoProgress {
  /** Prints a line that stays (something happened), above the live status lines. */
  event(text: string): void;
  /**
   * The current status, as a few short lines: redrawn in place (live), or joined into one line printed now and
   * then (plain).
   */
  status(lines: readonly string[]): void;
  /** Removes the live status lines so that what follows starts on a clean line. */
  end(): void;
}

const CLEAR_LINE = '\r\x1b[2K';
const UP_AND_CLEAR = '\x1b[1A\r\x1b[2K';

/**
 * Creates the progress display. Live mode keeps the status lines at the bottom of the terminal and prints
 * events above them; plain mode prints events as they come and the status at most every `plainEveryMs`.
 *
 * @example
 * const progress = createDemoProgress({ mode: 'plain', write: (text) => process.stdout.write(text), clock: Date.now });
 * progress.status(['0:10/3:00', '412 requests']);
 */
export function createDemoProgress(options: DemoProgressOptions): DemoProgress {
  const { mode, write, clock } = options;
  const plainEveryMs = options.plainEveryMs ?? 10_000;
  const columns = Math.max(40, options.columns ?? 120);
  let shown: string[] = [];
  let lastPlain = Number.NEGATIVE_INFINITY;
  // Moves to the start of the first status line, clearing every status line on the way.
  const erase = () => (shown.length === 0 ? '' : CLEAR_LINE + UP_AND_CLEAR.repeat(shown.length - 1));
  const draw = () => shown.join('\n');

  return {
    event(text) {
      if (mode === 'quiet') return;
      if (mode === 'live') write(`${erase()}${text}\n${draw()}`);
      else write(`${text}\n`);
    },
    status(lines) {
      if (mode === 'quiet') return;
      if (mode === 'live') {
        const before = erase();
        shown = lines.map((line) => (line.length >= columns ? `${line.slice(0, columns - 2)}…` : line));
        write(`${before}${draw()}`);
        return;
      }
      const now = clock();
      if (now - lastPlain < plainEveryMs) return;
      lastPlain = now;
      write(`${lines.join(' · ')}\n`);
    },
    end() {
      if (mode === 'live' && shown.length > 0) write(erase());
      shown = [];
    },
  };
}
