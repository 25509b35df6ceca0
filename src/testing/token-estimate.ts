/** Characters (Unicode code points) per estimated token, close to what GPT tokenizers average on English. */
const charactersPerToken = 4;

/**
 * Cuts text into estimated tokens of four code points each; the pieces are what a fake stream sends
 * and what `max_tokens` counts, so plain and streamed answers always agree on token counts.
 *
 * @example
 * splitIntoTokens('Hello world'); // ['Hell', 'o wo', 'rld']
 */
export function splitIntoTokens(text: string): string[] {
  const points = Array.from(text);
  const tokens: string[] = [];
  for (let start = 0; start < points.length; start += charactersPerToken) {
    tokens.push(points.slice(start, start + charactersPerToken).join(''));
  }
  return tokens;
}

/** The estimated token count of a text: one token per four code points, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(Array.from(text).length / charactersPerToken);
}
