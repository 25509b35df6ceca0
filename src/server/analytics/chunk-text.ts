/** Default chunk size: large enough to amortise a write per chunk, small enough to stream steadily. */
export const DEFAULT_CHUNK_CHARS = 64 * 1024;

/**
 * Joins small pieces of text into chunks of at least `chunkChars` characters (the last may be shorter), so
 * a response writes a few large chunks instead of one per line; holds at most one chunk at a time.
 */
export async function* chunkText(
  pieces: AsyncIterable<string> | Iterable<string>,
  chunkChars: number = DEFAULT_CHUNK_CHARS,
): AsyncGenerator<string> {
  let buffered: string[] = [];
  let length = 0;
  for await (const piece of pieces) {
    buffered.push(piece);
    length += piece.length;
    if (length >= chunkChars) {
      yield buffered.join('');
      buffered = [];
      length = 0;
    }
  }
  if (length > 0) {
    yield buffered.join('');
  }
}
