/** A named check of a model's reply: returns why the reply is unacceptable, or null when it is fine. */
export type OutputGuard = (text: string) => string | null;

/** What a reply must not contain or must pass. */
export interface OutputGuards {
  /** Phrases the reply must not contain, compared case-insensitively. */
  bannedPhrases?: readonly string[];
  /** Predicates the application registered; the first one that returns a reason rejects the reply. */
  guards?: readonly OutputGuard[];
}

/**
 * Checks a reply against banned phrases and guards; returns the reason of the first failure, or
 * `undefined` when the reply passes. A guard that throws rejects the reply with the thrown message.
 *
 * @example
 * checkOutputGuards('As an AI language model…', { bannedPhrases: ['as an ai'] }); // 'output contains the banned phrase "as an ai"'
 */
export function checkOutputGuards(text: string, guards: OutputGuards): string | undefined {
  if (guards.bannedPhrases !== undefined && guards.bannedPhrases.length > 0) {
    const lower = text.toLowerCase();
    for (const phrase of guards.bannedPhrases) {
      if (phrase !== '' && lower.includes(phrase.toLowerCase())) {
        return `output contains the banned phrase "${phrase}"`;
      }
    }
  }
  for (const guard of guards.guards ?? []) {
    let reason: string | null;
    try {
      reason = guard(text);
    } catch (error: unknown) {
      reason = `guard threw: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (reason !== null) return reason;
  }
  return undefined;
}
