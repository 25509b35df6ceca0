import { InvalidInputError } from '../../core/errors.js';

/**
 * Text chunks handed from a producer to one reader: the producer pushes, ends or fails it at its own pace
 * and never waits; the reader iterates once and gets every chunk in order, then the end or the error.
 * A reader that stops early (`break`) triggers `onStop`, so the producer can stop too.
 *
 * @example
 * const queue = new TextQueue(() => controller.abort());
 * queue.push('Hel');
 * queue.push('lo');
 * queue.end();
 * for await (const chunk of queue) process.stdout.write(chunk);
 */
export class TextQueue implements AsyncIterable<string> {
  #chunks: string[] = [];
  #next = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #claimed = false;
  #wake: (() => void) | undefined;
  readonly #onStop: () => void;

  constructor(onStop: () => void = () => {}) {
    this.#onStop = onStop;
  }

  /** Adds a chunk; ignored once the queue has ended or failed. */
  push(text: string): void {
    if (this.#ended) return;
    this.#chunks.push(text);
    this.#signal();
  }

  /** Marks the end: the reader finishes after the chunks already pushed. */
  end(): void {
    this.#ended = true;
    this.#signal();
  }

  /** Ends with an error: the reader gets the chunks already pushed, then `error` is thrown. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#failure = { error };
    this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    if (this.#claimed) throw new InvalidInputError('textStream', 'can be read only once');
    this.#claimed = true;
    return {
      next: async (): Promise<IteratorResult<string>> => {
        for (;;) {
          if (this.#next < this.#chunks.length) {
            const value = this.#chunks[this.#next] as string;
            this.#next += 1;
            // Drop what was read now and then, so a long answer is not held twice.
            if (this.#next > 64 && this.#next * 2 > this.#chunks.length) {
              this.#chunks = this.#chunks.slice(this.#next);
              this.#next = 0;
            }
            return { done: false, value };
          }
          if (this.#failure !== undefined) {
            const { error } = this.#failure;
            this.#failure = undefined;
            throw error;
          }
          if (this.#ended) return { done: true, value: undefined };
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<string>> => {
        if (!this.#ended) this.#onStop();
        this.#ended = true;
        this.#chunks = [];
        this.#next = 0;
        this.#failure = undefined;
        return { done: true, value: undefined };
      },
    };
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
