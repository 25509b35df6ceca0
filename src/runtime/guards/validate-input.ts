import type { z } from 'zod';
import { InvalidConfigError, InvalidInputError } from '../../core/errors.js';
import type { inputPolicySchema } from '../../core/policy-config.js';

/** The input rules of a feature policy, as written (defaults optional). */
export type InputPolicy = z.input<typeof inputPolicySchema>;

/** Roles a chat message may have (OpenAI chat completions, including the legacy `function`). */
const messageRoles: ReadonlySet<string> = new Set([
  'system',
  'developer',
  'user',
  'assistant',
  'tool',
  'function',
]);

// Whitespace plus the invisible format characters (zero-width space and joiner, BOM, variation selectors,
// tags): a text made only of these shows nothing.
const blank = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;

// Pictographs, skin-tone modifiers, regional-indicator flags and keycaps, with the joiners and variation
// selectors between them (default-ignorable). Not all of \p{Emoji_Component}: it includes the ASCII digits,
// `#` and `*`, which are emoji only as the base of a keycap (`1️⃣`), so "123" is not emoji-only.
const emojiOnly =
  /^(?:[\p{White_Space}\p{Default_Ignorable_Code_Point}]|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3|\u20E3)*$/u;

/**
 * Rejects input a feature should not run on, throwing `InvalidInputError` whose `field` names the part
 * at fault. A string is checked as text: never empty or whitespace-only; `minLength` (counted after
 * trimming) and `maxLength` (counted on the raw text) are in Unicode code points; `rejectEmojiOnly`
 * refuses text made only of emoji. A list is read as chat messages `{ role, content }`: every role must
 * be known, and the content of the last `user` message is checked as text (for content parts, the text
 * parts joined by newlines; a message with only non-text parts such as an image just has to have one).
 * Any other object must have at least one defined field; its fields are not checked as text.
 *
 * @example
 * validateInput('  ', {}); // throws InvalidInputError: "input: must not be empty or whitespace only"
 * validateInput([{ role: 'user', content: '👍' }], { rejectEmojiOnly: true }, 'messages');
 * // throws InvalidInputError with field "messages[0].content"
 */
export function validateInput(input: unknown, policy: InputPolicy = {}, field = 'input'): void {
  checkPolicy(policy);
  if (typeof input === 'string') {
    checkText(input, policy, field);
  } else if (Array.isArray(input)) {
    checkMessages(input, policy, field);
  } else if (input === null || input === undefined) {
    throw new InvalidInputError(field, 'is required');
  } else if (typeof input === 'object') {
    const defined = Object.values(input as Record<string, unknown>).some((value) => value !== undefined);
    if (!defined) throw new InvalidInputError(field, 'must not be an empty object');
  } else {
    throw new InvalidInputError(field, 'must be a string, a list of chat messages or an object');
  }
}

function checkPolicy(policy: InputPolicy): void {
  const { minLength, maxLength } = policy;
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    throw new InvalidConfigError('input policy', [
      { path: 'policy.input.minLength', message: `${minLength} is greater than maxLength ${maxLength}` },
    ]);
  }
}

function checkText(text: string, policy: InputPolicy, field: string): void {
  if (blank.test(text)) throw new InvalidInputError(field, 'must not be empty or whitespace only');
  if (policy.maxLength !== undefined) {
    const length = codePointLength(text);
    if (length > policy.maxLength) {
      throw new InvalidInputError(field, `is ${length} characters long; the maximum is ${policy.maxLength}`);
    }
  }
  if (policy.minLength !== undefined) {
    const length = codePointLength(text.trim());
    if (length < policy.minLength) {
      throw new InvalidInputError(field, `is ${length} characters long; the minimum is ${policy.minLength}`);
    }
  }
  if (policy.rejectEmojiOnly && emojiOnly.test(text)) {
    throw new InvalidInputError(field, 'must contain text, not only emoji');
  }
}

function checkMessages(messages: readonly unknown[], policy: InputPolicy, field: string): void {
  if (messages.length === 0) throw new InvalidInputError(field, 'must contain at least one message');
  let lastUser = -1;
  messages.forEach((message, index) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new InvalidInputError(`${field}[${index}]`, 'must be a message object with role and content');
    }
    const role = (message as { role?: unknown }).role;
    if (typeof role !== 'string' || !messageRoles.has(role)) {
      throw new InvalidInputError(
        `${field}[${index}].role`,
        `must be one of ${[...messageRoles].join(', ')}; got ${JSON.stringify(role) ?? 'nothing'}`,
      );
    }
    if (role === 'user') lastUser = index;
  });
  if (lastUser < 0) throw new InvalidInputError(field, 'must contain a user message');
  const contentField = `${field}[${lastUser}].content`;
  const content = (messages[lastUser] as { content?: unknown }).content;
  if (typeof content === 'string') {
    checkText(content, policy, contentField);
    return;
  }
  if (!Array.isArray(content)) {
    throw new InvalidInputError(contentField, 'must be a string or a list of content parts');
  }
  if (content.length === 0) throw new InvalidInputError(contentField, 'must not be empty');
  const texts: string[] = [];
  content.forEach((part, index) => {
    const type = typeof part === 'object' && part !== null ? (part as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') {
      throw new InvalidInputError(`${contentField}[${index}].type`, 'must be a string such as "text"');
    }
    if (type !== 'text') return;
    const text = (part as { text?: unknown }).text;
    if (typeof text !== 'string') {
      throw new InvalidInputError(`${contentField}[${index}].text`, 'must be a string');
    }
    texts.push(text);
  });
  // Only the text parts are checked as text; a message that is just an image has nothing to measure.
  if (texts.length > 0 && (texts.length === content.length || !blank.test(texts.join('')))) {
    checkText(texts.join('\n'), policy, contentField);
  }
}

/** Length in Unicode code points: a surrogate pair (most emoji) counts once. */
function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length - 1; index += 1) {
    const high = text.charCodeAt(index);
    if (high >= 0xd800 && high <= 0xdbff) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        length -= 1;
        index += 1;
      }
    }
  }
  return length;
}
