import { describe, expect, it } from 'vitest';
import { PartQueue } from './part-queue.js';

async function drain(queue: PartQueue<string>) {
  const chunks: string[] = [];
  try {
    for await (const chunk of queue) chunks.push(chunk);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

describe('PartQueue', () => {
  it('hands every chunk to the reader in order, whether pushed before or while it waits', async () => {
    const queue = new PartQueue<string>();
    queue.push('a');
    const reading = drain(queue);
    for (let index = 0; index < 200; index++) {
      await Promise.resolve();
      queue.push(String(index % 10));
    }
    queue.end();
    queue.push('ignored');
    const { chunks } = await reading;
    expect(chunks.join('')).toBe(`a${'0123456789'.repeat(20)}`);
  });

  it('gives the chunks already pushed, then the error', async () => {
    const queue = new PartQueue<string>();
    queue.push('partial');
    queue.fail(new Error('cut'));
    expect(await drain(queue)).toMatchObject({ chunks: ['partial'], error: { message: 'cut' } });
  });

  it('tells the producer when the reader stops early, and can be read only once', async () => {
    let stopped = 0;
    const queue = new PartQueue<string>(() => {
      stopped += 1;
    });
    queue.push('one');
    queue.push('two');
    for await (const chunk of queue) {
      expect(chunk).toBe('one');
      break;
    }
    expect(stopped).toBe(1);
    expect(() => queue[Symbol.asyncIterator]()).toThrowError(/once/);
  });
});
