import type { FastifyInstance } from 'fastify';
import { InvalidInputError } from '../../core/errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a store cannot keep `text` as given, or undefined when it can: PostgreSQL refuses a NUL character in
 * any text it compares, and a lone surrogate is not Unicode at all.
 */
export function unstorableTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) {
    return 'must not contain a NUL character';
  }
  if (LONE_SURROGATE.test(text)) {
    return 'must be well-formed Unicode (it holds a lone surrogate)';
  }
  return undefined;
}

/**
 * Refuses, with a 400 naming the parameter, a request whose path or query parameters hold text no store can
 * look up (see unstorableTextProblem): the same answer on SQLite and PostgreSQL, before any handler runs.
 */
export function registerTextParameterChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    checkParameters(request.params);
    checkParameters(request.query);
  });
}

function checkParameters(parameters: unknown): void {
  if (typeof parameters !== 'object' || parameters === null) {
    return;
  }
  for (const [name, value] of Object.entries(parameters)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const text of values) {
      const problem = typeof text === 'string' ? unstorableTextProblem(text) : undefined;
      if (problem !== undefined) {
        throw new InvalidInputError(name === '*' ? 'path' : name, problem);
      }
    }
  }
}
