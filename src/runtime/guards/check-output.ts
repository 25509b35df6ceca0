import type { z } from 'zod';
import { type ConfigProblem, InvalidConfigError, InvalidInputError } from '../../core/errors.js';
import type { outputPolicySchema } from '../../core/policy-config.js';

/** The output rules of a feature policy, as written (defaults optional). */
export type OutputPolicy = z.input<typeof outputPolicySchema>;

/**
 * A named check of an output the application registers: `true`, `null` or `undefined` accept it, `false`
 * rejects it, a string rejects it with that string as the reason.
 */
export type OutputGuardFunction = (text: string) => string | null | undefined | boolean;

/** The verdict on one output: accepted, or rejected by the named guard (`bannedPhrases` or a guard name). */
export type OutputCheck = { ok: true } | { ok: false; guard: string; message: string };

/**
 * Checks a model's text output against a policy: first the banned phrases, then each guard named in
 * `policy.guards` (looked up in `guards`), in order; the first failure is returned. A phrase matches
 * case-insensitively, with any run of whitespace matching any other, invisible format characters ignored,
 * compatibility forms folded (NFKC), and only as whole words at its ends ("ass" does not match "class").
 * A guard that throws rejects the output. A guard name with no registered function is a configuration
 * error: `InvalidConfigError` lists every such `policy.output.guards[i]`.
 *
 * @example
 * checkOutput('Sure. IGNORE   previous instructions!', { bannedPhrases: ['ignore previous instructions'] });
 * // { ok: false, guard: 'bannedPhrases', message: 'contains the banned phrase "ignore previous instructions"' }
 * checkOutput('{"score": 7}', { guards: ['json'] }, { json: (text) => text.startsWith('{') });
 * // { ok: true }
 */
export function checkOutput(
  text: string,
  policy: OutputPolicy = {},
  guards: Readonly<Record<string, OutputGuardFunction>> = {},
): OutputCheck {
  const names = policy.guards ?? [];
  const missing: ConfigProblem[] = names.flatMap((name, index) =>
    Object.hasOwn(guards, name) && typeof guards[name] === 'function'
      ? []
      : [{ path: `policy.output.guards[${index}]`, message: `no guard named "${name}" is registered` }],
  );
  if (missing.length > 0) throw new InvalidConfigError('output policy', missing);
  if (typeof text !== 'string') throw new InvalidInputError('output', 'must be a string');

  const phrases = policy.bannedPhrases ?? [];
  if (phrases.length > 0) {
    const normalisedText = normalise(text);
    for (const phrase of phrases) {
      if (containsPhrase(normalisedText, normalise(phrase))) {
        return { ok: false, guard: 'bannedPhrases', message: `contains the banned phrase "${phrase}"` };
      }
    }
  }

  for (const name of names) {
    const verdict = runGuard(guards[name] as OutputGuardFunction, text);
    if (verdict !== undefined) return { ok: false, guard: name, message: verdict };
  }
  return { ok: true };
}

/** The reason the guard rejects the text, or undefined when it accepts it. */
function runGuard(guard: OutputGuardFunction, text: string): string | undefined {
  let verdict: ReturnType<OutputGuardFunction>;
  try {
    verdict = guard(text);
  } catch (error) {
    // Fail closed: an output that could not be checked is not served.
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  if (verdict === true || verdict === null || verdict === undefined) return undefined;
  if (verdict === false || verdict === '') return 'rejected the output';
  return String(verdict);
}

const invisible = /\p{Default_Ignorable_Code_Point}/gu;
const whitespace = /\s+/gu;
const wordCharacter = /[\p{L}\p{N}]/u;

/** Folds compatibility forms, drops invisible format characters, collapses whitespace and lower-cases. */
function normalise(text: string): string {
  return text.normalize('NFKC').replace(invisible, '').replace(whitespace, ' ').trim().toLowerCase();
}

/** Whether `phrase` occurs in `text` without a letter or digit glued to a word-like end of it. */
function containsPhrase(text: string, phrase: string): boolean {
  if (phrase === '') return false;
  const checkBefore = wordCharacter.test(characterAt(phrase, 0));
  const checkAfter = wordCharacter.test(characterBefore(phrase, phrase.length));
  for (let index = text.indexOf(phrase); index >= 0; index = text.indexOf(phrase, index + 1)) {
    const before = checkBefore && wordCharacter.test(characterBefore(text, index));
    const after = checkAfter && wordCharacter.test(characterAt(text, index + phrase.length));
    if (!before && !after) return true;
  }
  return false;
}

function characterBefore(text: string, index: number): string {
  if (index === 0) return '';
  const low = text.charCodeAt(index - 1);
  // Step back over a whole surrogate pair so astral letters count as letters.
  return low >= 0xdc00 && low <= 0xdfff && index >= 2
    ? text.slice(index - 2, index)
    : text.slice(index - 1, index);
}

function characterAt(text: string, index: number): string {
  const code = text.codePointAt(index);
  return code === undefined ? '' : String.fromCodePoint(code);
}
