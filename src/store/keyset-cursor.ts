/** A keyset position: a time (epoch ms) and the id that breaks ties within it. */
export interface KeysetPosition {
  readonly time: number;
  readonly id: string;
}

/** An opaque page cursor for a position: base64url of `[time, id]`. */
export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.time, position.id])).toString('base64url');
}

/**
 * The position a cursor of `encodeKeysetCursor` names, or undefined for anything else (not a string, not
 * base64url JSON, not `[safe integer, string]`); callers turn undefined into their error naming `cursor`.
 */
export function decodeKeysetCursor(cursor: unknown): KeysetPosition | undefined {
  if (typeof cursor !== 'string') return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    return undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    !Number.isSafeInteger(decoded[0]) ||
    typeof decoded[1] !== 'string'
  ) {
    return undefined;
  }
  return { time: decoded[0] as number, id: decoded[1] };
}
