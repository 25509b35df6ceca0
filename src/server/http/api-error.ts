import type { ConfigProblem } from '../../core/errors.js';

/** An HTTP error with a stable `code`, answered as `{ error: { code, message, path?, problems? } }`. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly path: string | undefined;
  readonly problems: readonly ConfigProblem[] | undefined;
  /** Extra response headers (`WWW-Authenticate`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    details: {
      path?: string;
      problems?: readonly ConfigProblem[];
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.path = details.path;
    this.problems = details.problems;
    this.headers = details.headers ?? {};
  }
}

/** A 400 for input that failed its schema, naming the first field and listing every problem. */
export function invalidInput(subject: string, problems: readonly ConfigProblem[]): ApiError {
  const text = problems.map((problem) =>
    problem.path ? `${problem.path}: ${problem.message}` : problem.message,
  );
  return new ApiError(400, 'INVALID_INPUT', `invalid ${subject}: ${text.join('; ')}`, {
    ...(problems[0]?.path ? { path: problems[0].path } : {}),
    problems,
  });
}
