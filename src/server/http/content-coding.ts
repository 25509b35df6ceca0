import { brotliCompressSync, constants, createGzip, type Gzip, gzipSync } from 'node:zlib';

/** A content coding the server compresses answers with. */
export type ContentCoding = 'br' | 'gzip';

/** Answers smaller than this go out as they are: compressing them saves less than it costs. */
export const MIN_COMPRESSED_BYTES = 1_024;

/**
 * The coding to answer an `Accept-Encoding` header with: brotli when acceptable, else gzip, else none
 * (RFC 9110 section 12.5.3: a coding with `q=0` is refused; `*` stands for any coding not listed).
 */
export function chooseContentCoding(
  header: string | string[] | undefined,
  codings: readonly ContentCoding[] = ['br', 'gzip'],
): ContentCoding | undefined {
  if (header === undefined) return undefined;
  const weights = new Map<string, number>();
  for (const entry of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [name = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (name === '') continue;
    let weight = 1;
    for (const parameter of parameters) {
      const match = /^q=([01](?:\.\d{0,3})?)$/.exec(parameter);
      if (match !== null) weight = Number(match[1]);
    }
    weights.set(name, weight);
  }
  let best: ContentCoding | undefined;
  let bestWeight = 0;
  for (const coding of codings) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/** A body compressed with a coding (brotli at a quality fit for answering at once, gzip at its default). */
export function compressBody(body: string | Buffer, coding: ContentCoding): Buffer {
  return coding === 'br'
    ? brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body),
        },
      })
    : gzipSync(body);
}

/**
 * A gzip stream for server-sent events: every write is flushed at once (a sync flush), so each event
 * reaches the client as it happens while the stream keeps one dictionary across events.
 */
export function createEventStreamGzip(): Gzip {
  return createGzip({ flush: constants.Z_SYNC_FLUSH });
}
