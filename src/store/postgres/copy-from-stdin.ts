import pg from 'pg';

/** The part of pg's connection that `copy … from stdin` writes to: pg has these methods, its typings do not. */
interface CopyInConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/** A pg query that answers the server's CopyInResponse with data instead of refusing it. */
type CopyQuery = pg.Query & { handleCopyInResponse(connection: CopyInConnection): void };

/**
 * Runs a `copy … from stdin` statement on a client and resolves to the number of rows it copied. The rows come
 * from `chunks`, read only once the server is ready for them; each chunk goes to the socket as soon as it is
 * made, so the server parses one while the next is built. pg has no stream of its own for this (the
 * `pg-copy-streams` package adds one), but its query objects accept the data through the hook used here.
 * A chunk that throws aborts the copy, which then rejects with that error.
 */
export function copyFromStdin(
  client: pg.ClientBase,
  sql: string,
  chunks: () => Iterable<Buffer>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let failure: { error: unknown } | undefined;
    const query = new pg.Query(sql, [], (error, result) => {
      if (failure !== undefined) reject(failure.error);
      else if (error) reject(error);
      else resolve(result.rowCount ?? 0);
    }) as CopyQuery;
    query.handleCopyInResponse = (connection) => {
      try {
        for (const chunk of chunks()) {
          connection.sendCopyFromChunk(chunk);
        }
      } catch (error) {
        failure = { error };
        connection.sendCopyFail(error instanceof Error ? error.message : String(error));
        return;
      }
      connection.endCopyFrom();
    };
    client.query(query);
  });
}
