import { z } from 'zod';

/** The parts of a chat-completions answer that are read; other fields pass unchecked, as in the AI SDK. */
export const completionSchema = z.looseObject({
  id: z.string().nullish(),
  created: z.number().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      message: z.looseObject({
        content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullish(),
        reasoning_content: z.string().nullish(),
        reasoning: z.string().nullish(),
        tool_calls: z
          .array(
            z.looseObject({
              id: z.string().nullish(),
              function: z.looseObject({ name: z.string(), arguments: z.string() }),
            }),
          )
          .nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: z
    .looseObject({
      prompt_tokens: z.number().nullish(),
      completion_tokens: z.number().nullish(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
      completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

/** A chat-completions answer as `completionSchema` reads it. */
export type Completion = z.output<typeof completionSchema>;

/**
 * Whether `value` (parsed JSON) is an answer `completionSchema` accepts, by plain checks: a provider's
 * answer is read once per call, and zod's parse of it costs several times this check (it copies every
 * object it passes). It accepts exactly what the schema accepts (a property test holds the two together),
 * so the schema only runs to describe an answer this check refused.
 *
 * @example
 * const value: unknown = JSON.parse(body);
 * const completion = isCompletion(value) ? value : completionSchema.parse(value);
 */
export function isCompletion(value: unknown): value is Completion {
  if (!isRecord(value)) return false;
  if (!nullishString(value.id) || !nullishNumber(value.created) || !nullishString(value.model)) return false;
  const { choices, usage } = value;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) if (!isChoice(choice)) return false;
  if (usage == null) return true;
  return (
    isRecord(usage) &&
    nullishNumber(usage.prompt_tokens) &&
    nullishNumber(usage.completion_tokens) &&
    nullishRecordWith(usage.prompt_tokens_details, 'cached_tokens') &&
    nullishRecordWith(usage.completion_tokens_details, 'reasoning_tokens')
  );
}

function isChoice(choice: unknown): boolean {
  if (!isRecord(choice) || !nullishString(choice.finish_reason)) return false;
  const message = choice.message;
  if (!isRecord(message)) return false;
  if (!nullishString(message.reasoning_content) || !nullishString(message.reasoning)) return false;
  const content = message.content;
  if (content != null && typeof content !== 'string') {
    if (!Array.isArray(content)) return false;
    for (const part of content) if (!isRecord(part) || typeof part.type !== 'string') return false;
  }
  const calls = message.tool_calls;
  if (calls == null) return true;
  if (!Array.isArray(calls)) return false;
  for (const call of calls) {
    if (!isRecord(call) || !nullishString(call.id)) return false;
    const named = call.function;
    if (!isRecord(named) || typeof named.name !== 'string' || typeof named.arguments !== 'string')
      return false;
  }
  return true;
}

/** An object that is not an array, as zod's object schemas take one. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nullishString(value: unknown): boolean {
  return value == null || typeof value === 'string';
}

/** zod's `z.number()` refuses NaN and the infinities. */
function nullishNumber(value: unknown): boolean {
  return value == null || (typeof value === 'number' && Number.isFinite(value));
}

/** Null, undefined, or an object whose `field` is a nullish number. */
function nullishRecordWith(value: unknown, field: string): boolean {
  return value == null || (isRecord(value) && nullishNumber(value[field]));
}
