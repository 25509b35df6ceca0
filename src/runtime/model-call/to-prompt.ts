import type { LanguageModelV3Message, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { InvalidInputError } from '../../core/errors.js';
import type { RunMessage } from './model-request.js';

/** The part types each role may carry (LanguageModelV3). */
const PART_TYPES: Readonly<Record<string, ReadonlySet<string>>> = {
  user: new Set(['text', 'file']),
  assistant: new Set(['text', 'file', 'reasoning', 'tool-call', 'tool-result']),
  tool: new Set(['tool-result', 'tool-approval-response']),
};

/**
 * Turns a run's messages into the language-model spec's prompt: a plain `{ role, content: string }` becomes
 * one text part (a system message keeps its string), typed messages pass through as they are, and the
 * variant's `system` prompt goes first unless the conversation already starts with it (with `mode`
 * `replace`, the caller's system messages are left out instead). Each message is
 * checked by hand (a zod parse per call would cost more than the rest of the run): a role the spec does not
 * have, or a part its role cannot carry, is an InvalidInputError naming `messages[i].content[j]`.
 *
 * @example
 * toPrompt([{ role: 'user', content: 'Hi' }], 'Be brief.');
 * // [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hi' }] }]
 */
export function toPrompt(
  messages: readonly RunMessage[],
  system?: string,
  mode: 'prepend' | 'replace' = 'prepend',
): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [];
  const first = messages[0];
  const replace = mode === 'replace' && system !== undefined;
  if (system !== undefined && (replace || !(first?.role === 'system' && first.content === system))) {
    prompt.push({ role: 'system', content: system });
  }
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    // The variant's system prompt stands in for the caller's.
    if (replace && message?.role === 'system') continue;
    prompt.push(toSpecMessage(message, `messages[${index}]`));
  }
  return prompt;
}

function toSpecMessage(message: unknown, field: string): LanguageModelV3Message {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidInputError(field, 'must be a message such as { role: "user", content: "Hi" }');
  }
  const { role, content } = message as { role?: unknown; content?: unknown };
  if (role === 'system') {
    if (typeof content !== 'string') throw new InvalidInputError(`${field}.content`, 'must be a string');
    return message as LanguageModelV3Message;
  }
  const allowed = typeof role === 'string' ? PART_TYPES[role] : undefined;
  if (allowed === undefined) {
    throw new InvalidInputError(`${field}.role`, 'must be "system", "user", "assistant" or "tool"');
  }
  if (typeof content === 'string') {
    if (role === 'tool')
      throw new InvalidInputError(`${field}.content`, 'must be a list of tool-result parts');
    // A plain message: the spec's form is one text part. Object.assign keeps providerOptions, if any.
    return Object.assign({}, message, {
      content: [{ type: 'text', text: content }],
    }) as LanguageModelV3Message;
  }
  if (!Array.isArray(content)) {
    throw new InvalidInputError(`${field}.content`, 'must be a string or a list of parts');
  }
  for (let index = 0; index < content.length; index++)
    checkPart(content[index], allowed, `${field}.content[${index}]`);
  return message as LanguageModelV3Message;
}

function checkPart(part: unknown, allowed: ReadonlySet<string>, field: string): void {
  const type = (part as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !allowed.has(type)) {
    throw new InvalidInputError(`${field}.type`, `must be one of ${[...allowed].join(', ')}`);
  }
  const fields = part as Record<string, unknown>;
  const need = (name: string, kind: string) => {
    if (typeof fields[name] !== kind) throw new InvalidInputError(`${field}.${name}`, `must be a ${kind}`);
  };
  switch (type) {
    case 'text':
    case 'reasoning':
      need('text', 'string');
      return;
    case 'file':
      need('mediaType', 'string');
      if (
        !(typeof fields.data === 'string' || fields.data instanceof Uint8Array || fields.data instanceof URL)
      ) {
        throw new InvalidInputError(`${field}.data`, 'must be base64 text, bytes or a URL');
      }
      return;
    case 'tool-call':
      need('toolCallId', 'string');
      need('toolName', 'string');
      return;
    case 'tool-result':
      need('toolCallId', 'string');
      need('toolName', 'string');
      if (typeof (fields.output as { type?: unknown } | null)?.type !== 'string') {
        throw new InvalidInputError(
          `${field}.output`,
          'must be a tool output such as { type: "json", value }',
        );
      }
      return;
    case 'tool-approval-response':
      need('approvalId', 'string');
      need('approved', 'boolean');
      return;
  }
}
