import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Graceful shutdown of an HTTP server's connections. */
export interface ConnectionTracker {
  /**
   * Closes every connection that is not serving a request now, and each other one as soon as its request
   * has been answered, with `Connection: close` on every answer not yet sent; after `timeoutMs` destroys
   * whatever is still open.
   */
  drain(timeoutMs: number): void;
  /** Cancels the drain timeout (call once the server has closed). */
  stop(): void;
}

/**
 * Tracks which connections are serving a request. Node's `server.close()` waits for every connection, and
 * it does not count one that was opened but never sent a request as idle (fetch clients open such spare
 * connections), so without this a shutdown could wait for the 60 s headers timeout.
 */
export function trackConnections(server: Server): ConnectionTracker {
  const active = new Map<Socket, number>();
  const unanswered = new Set<ServerResponse>();
  let draining = false;
  let timer: NodeJS.Timeout | undefined;

  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.once('close', () => active.delete(socket));
    if (draining) socket.end();
  });
  // First of the request listeners, so the header is set before any handler can answer.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    if (draining) {
      response.setHeader('connection', 'close');
    } else {
      unanswered.add(response);
      response.once('finish', () => unanswered.delete(response));
    }
    response.once('close', () => {
      unanswered.delete(response);
      const remaining = (active.get(socket) ?? 1) - 1;
      active.set(socket, remaining);
      // end(), not destroy(): the answer may still be in the socket's buffer.
      if (draining && remaining === 0) socket.end();
    });
  });

  return {
    drain(timeoutMs) {
      draining = true;
      // A client told `keep-alive` would send its next request on a socket that is about to close and
      // get a reset, not knowing whether it was served; `close` makes it open a new connection.
      for (const response of unanswered) if (!response.headersSent) response.setHeader('connection', 'close');
      unanswered.clear();
      for (const [socket, requests] of active) if (requests === 0) socket.end();
      timer = setTimeout(() => {
        for (const socket of active.keys()) socket.destroy();
      }, timeoutMs);
      timer.unref();
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
