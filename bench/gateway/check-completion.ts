import type { GatewayTarget } from './measure-target.js';

/**
 * Sends `body` to a target once and checks that the answer is a 200 chat completion whose message is
 * `reply`; throws, naming the target and showing the answer, when it is not. Returns the answer's text.
 *
 * @example
 * await checkCompletion(target, benchChat.body, benchChat.reply);
 */
export async function checkCompletion(target: GatewayTarget, body: string, reply: string): Promise<string> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const fail = (reason: string) => new Error(`${target.name}: ${reason}; answer ${response.status}: ${text}`);
  if (response.status !== 200) throw fail('not a 200');
  let completion: unknown;
  try {
    completion = JSON.parse(text);
  } catch {
    throw fail('not JSON');
  }
  const { object, id, choices } = completion as { object?: unknown; id?: unknown; choices?: unknown };
  if (object !== 'chat.completion' || typeof id !== 'string') throw fail('not a chat completion');
  const first = Array.isArray(choices)
    ? (choices[0] as { message?: { role?: unknown; content?: unknown } })
    : {};
  if (first?.message?.role !== 'assistant' || first.message.content !== reply) {
    throw fail(`the first choice is not the assistant's "${reply}"`);
  }
  return text;
}
