/** A chat-completions request body with one user message, plus any extra fields. */
export function chatBody(
  model: string,
  content: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content }], ...extra };
}

/** POSTs a JSON body (or raw text) to `<url>/chat/completions` with the global fetch. */
export function postChat(
  url: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** The `data:` payloads of a finished server-sent-events body, in order. */
export async function readSseData(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

/** Reads a body until it ends or fails; returns what arrived and the error, if any. */
export async function readUntilFailure(response: Response): Promise<{ text: string; error: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error: unknown) {
    return { text, error };
  }
}

/** The fields of a chat completion the tests read. */
export interface CompletionJson {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: [{ index: number; message: { role: string; content: string }; finish_reason: string }];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** The fields of a streamed chunk the tests read; the usage chunk has an empty `choices`. */
export interface ChunkJson {
  id: string;
  object: string;
  choices: [{ delta: { role?: string; content?: string }; finish_reason: string | null }];
  usage?: CompletionJson['usage'] | null;
}

/** The error object of an OpenAI-style error body. */
export interface ErrorJson {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** Decodes a response body as a chat completion. */
export async function completionOf(response: Response | Promise<Response>): Promise<CompletionJson> {
  return (await (await response).json()) as CompletionJson;
}

/** Decodes a response body as an OpenAI-style error and returns its `error` object. */
export async function errorOf(response: Response | Promise<Response>): Promise<ErrorJson> {
  return ((await (await response).json()) as { error: ErrorJson }).error;
}

/** Decodes the `data:` payloads before `[DONE]` as chunks. */
export function chunksOf(events: string[]): ChunkJson[] {
  return events.filter((data) => data !== '[DONE]').map((data) => JSON.parse(data) as ChunkJson);
}

/** The item `fromEnd` places from the end (1 = last), failing loudly when there is none. */
export function fromEnd<T>(items: readonly T[], position = 1): T {
  const item = items.at(-position);
  if (item === undefined) throw new Error(`expected at least ${position} items, got ${items.length}`);
  return item;
}
