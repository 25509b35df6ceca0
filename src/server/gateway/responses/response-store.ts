import { LRUCache } from 'lru-cache';

/** One input or output item of the Responses API, as JSON. */
export type ResponseItem = Readonly<Record<string, unknown>>;

/** A response kept for `previous_response_id` and `item_reference`: its input and output items. */
export interface StoredResponse {
  readonly id: string;
  readonly input: readonly ResponseItem[];
  readonly output: readonly ResponseItem[];
}

/** How long responses are kept, and how many at most (the oldest go first). */
export const RESPONSE_RETENTION_MS = 3_600_000;
const MAX_RESPONSES = 10_000;

/**
 * The responses the gateway keeps for a while (`store`, OpenAI's default), so stateless clients can chain
 * turns by `previous_response_id` and by `item_reference` (the AI SDK refers to earlier output items by
 * id): per token (one token never reads another's), for an hour, at most 10,000 responses, in this
 * process's memory. A server that restarts, or a second server behind a balancer, does not have them: the
 * request then gets a 400 naming the id, and clients that send whole items (`store: false`) never depend
 * on them.
 */
export class ResponseStore {
  readonly #responses = new LRUCache<string, StoredResponse>({
    max: MAX_RESPONSES,
    ttl: RESPONSE_RETENTION_MS,
  });
  readonly #items = new LRUCache<string, ResponseItem>({
    max: MAX_RESPONSES * 8,
    ttl: RESPONSE_RETENTION_MS,
  });

  /** Keeps a response and each of its output items, for `owner` (a token id). */
  save(owner: string, response: StoredResponse): void {
    this.#responses.set(key(owner, response.id), response);
    for (const item of response.output) {
      if (typeof item.id === 'string') this.#items.set(key(owner, item.id), item);
    }
  }

  /** The views of one owner. */
  of(owner: string): {
    response(id: string): StoredResponse | undefined;
    item(id: string): ResponseItem | undefined;
  } {
    return {
      response: (id) => this.#responses.get(key(owner, id)),
      item: (id) => this.#items.get(key(owner, id)),
    };
  }
}

function key(owner: string, id: string): string {
  return `${owner}\u0000${id}`;
}
