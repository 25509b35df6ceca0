import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionSchema, isCompletion } from './completion-shape.js';

/** Anything a field could hold in a provider's JSON (and the non-finite numbers JSON cannot, to be sure). */
const junk = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 2 }),
);

/** The field's own kind of value, or null now and then. */
function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(null) });
}

/** Every place in a JSON value: its parent and the key (or index) the value sits at. */
function places(value: unknown, found: [Record<string, unknown>, string][] = []) {
  if (typeof value === 'object' && value !== null) {
    const parent = value as Record<string, unknown>;
    for (const key of Object.keys(parent)) {
      found.push([parent, key]);
      places(parent[key], found);
    }
  }
  return found;
}

/** A value with one place (or none) holding something else: the near misses that probe each check. */
function nearMiss(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), junk).map(([value, pick, replacement]) => {
    const copy = structuredClone(value);
    const all = places(copy);
    const place = all[pick % (all.length + 1)];
    if (place === undefined) return pick % 2 === 0 ? copy : replacement;
    // Now and then the place goes missing instead: a required field left out.
    if (pick % 7 === 0) delete place[0][place[1]];
    else place[0][place[1]] = replacement;
    return copy;
  });
}

/** A record of the given fields, those not `required` sometimes absent, with an extra field now and then. */
function loose(
  fields: Record<string, fc.Arbitrary<unknown>>,
  required: string[] = [],
): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: required }),
      fc.option(fc.tuple(fc.constantFrom('extra', 'index', 'role'), junk)),
    )
    .map(([record, extra]) => (extra === null ? record : { ...record, [extra[0]]: extra[1] }));
}

// Answers the schema takes (nullish fields null or absent at random); `nearMiss` then spoils one place.
const numberDetails = (name: string) => field(loose({ [name]: field(fc.nat()) }));
const toolCall = loose(
  {
    id: field(fc.string()),
    type: fc.constant('function'),
    function: loose({ name: fc.string(), arguments: fc.string() }, ['name', 'arguments']),
  },
  ['function'],
);
const content = fc.oneof(
  fc.string(),
  fc.array(loose({ type: fc.constantFrom('text', 'thinking'), text: fc.string() }, ['type']), {
    maxLength: 3,
  }),
);
const message = loose({
  role: fc.constant('assistant'),
  content: field(content),
  reasoning_content: field(fc.string()),
  reasoning: field(fc.string()),
  tool_calls: field(fc.array(toolCall, { maxLength: 2 })),
});
const choice = loose({ index: fc.nat(), message, finish_reason: field(fc.string()) }, ['message']);
const completion = nearMiss(
  loose(
    {
      id: field(fc.string()),
      object: fc.constant('chat.completion'),
      created: field(fc.nat()),
      model: field(fc.string()),
      choices: fc.array(choice, { maxLength: 3 }),
      usage: field(
        loose({
          prompt_tokens: field(fc.nat()),
          completion_tokens: field(fc.nat()),
          total_tokens: fc.nat(),
          prompt_tokens_details: numberDetails('cached_tokens'),
          completion_tokens_details: numberDetails('reasoning_tokens'),
        }),
      ),
    },
    ['choices'],
  ),
);

describe('isCompletion', () => {
  it('accepts exactly what completionSchema accepts, and what it accepts reads as the schema reads it', () => {
    fc.assert(
      fc.property(completion, (value) => {
        const parsed = completionSchema.safeParse(value);
        expect(isCompletion(value)).toBe(parsed.success);
        if (parsed.success) expect(value).toEqual(parsed.data);
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes a typical answer and refuses one without choices or with a non-finite number', () => {
    const answer = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
    };
    expect(isCompletion(answer)).toBe(true);
    expect(isCompletion({ ...answer, choices: undefined })).toBe(false);
    expect(isCompletion({ ...answer, usage: { prompt_tokens: Number.POSITIVE_INFINITY } })).toBe(false);
    expect(isCompletion([answer])).toBe(false);
    // zod's z.number() refuses NaN and the infinities wherever a count or a time stands.
    const places: ((value: number) => unknown)[] = [
      (value) => ({ ...answer, created: value }),
      (value) => ({ ...answer, usage: { prompt_tokens: value } }),
      (value) => ({ ...answer, usage: { completion_tokens: value } }),
      (value) => ({ ...answer, usage: { prompt_tokens_details: { cached_tokens: value } } }),
      (value) => ({ ...answer, usage: { completion_tokens_details: { reasoning_tokens: value } } }),
    ];
    for (const place of places) {
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        expect(completionSchema.safeParse(place(value)).success).toBe(false);
        expect(isCompletion(place(value))).toBe(false);
      }
      expect(isCompletion(place(3))).toBe(true);
    }
  });
});
