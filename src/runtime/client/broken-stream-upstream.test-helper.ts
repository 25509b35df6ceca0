import { createServer } from 'node:http';
import type { Socket } from 'node:net';

/** A local chat-completions server whose streams send some text and then break. */
export interface BrokenStreamUpstream {
  /** Base URL ending in `/v1`. */
  readonly url: string;
  /** Chat-completions requests received. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 that answers every streamed chat completion with `chunks` of text, then
 * either drops the connection (`cut`) or goes silent until it is closed (`hang`).
 */
export async function startBrokenStreamUpstream(options: {
  chunks: readonly string[];
  ending: 'cut' | 'hang';
}): Promise<BrokenStreamUpstream> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = options.chunks.map((content, index) => {
        const delta = index === 0 ? { role: 'assistant', content } : { content };
        const chunk = {
          id: 'chatcmpl-broken',
          object: 'chat.completion.chunk',
          created: 0,
          model: 'broken-stream',
          choices: [{ index: 0, delta, finish_reason: null }],
        };
        return `data: ${JSON.stringify(chunk)}\n\n`;
      });
      response.write(events.join(''), () => {
        if (options.ending === 'cut') response.socket?.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
