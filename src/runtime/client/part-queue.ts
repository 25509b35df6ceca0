import { InvalidInputError } from '../../core/errors.js';

/**
 * Items (stream parts, text chunks) handed from a producer to one reader: the producer pushes, ends or
 * fails it at its own pace and never waits; the reader iterates once and gets every item in order, then
 * the end or the error. A reader that stops early (`break`) triggers `onStop`, so the producer can stop too.
 *
 * @example
 * const queue = new PartQueue<string>(() => controller.abort());
 * queue.push('Hel');
 * queue.push('lo');
 * queue.end();
 * for await (const chunk of queue) process.stdout.write(chunk);
 */
export class PartQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #next = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #claimed = false;
  #wake: (() => void) | undefined;
  readonly #onStop: () => void;

  constructor(onStop: () => void = () => {}) {
    this.#onStop = onStop;
  }

  /** Adds an item; ignored once the queue has ended or failed. */
  push(item: T): void {
    if (this.#ended) return;
    this.#items.push(item);
    this.#signal();
  }

  /** Marks the end: the reader finishes after the items already pushed. */
  end(): void {
    this.#ended = true;
    this.#signal();
  }

  /** Ends with an error: the reader gets the items already pushed, then `error` is thrown. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#failure = { error };
    this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#claimed) throw new InvalidInputError('stream', 'can be read only once (parts or textStream)');
    this.#claimed = true;
    return {
      next: async (): Promise<IteratorResult<T>> => {
        for (;;) {
          if (this.#next < this.#items.length) {
            const value = this.#items[this.#next] as T;
            this.#next += 1;
            // Drop what was read now and then, so a long answer is not held twice.
            if (this.#next > 64 && this.#next * 2 > this.#items.length) {
              this.#items = this.#items.slice(this.#next);
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
      return: async (): Promise<IteratorResult<T>> => {
        if (!this.#ended) this.#onStop();
        this.#ended = true;
        this.#items = [];
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
