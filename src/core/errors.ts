/** Stable error codes that callers can switch on; the message is for people, the code is for programs. */
export type SwitchyardErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_INPUT'
  | 'FEATURE_NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'ALREADY_EXISTS'
  | 'RATE_LIMITED'
  | 'BUDGET_EXCEEDED'
  | 'ALL_VARIANTS_FAILED';

/** One validation problem: where it is (`rules[1].split.v2`) and what is wrong with it. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Base class of every error Switchyard throws on purpose; `code` is stable across releases. */
export class SwitchyardError extends Error {
  readonly code: SwitchyardErrorCode;

  constructor(code: SwitchyardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SwitchyardError';
    this.code = code;
  }
}

/** A configuration (feature, options, file) failed validation; `problems` lists every one with its path. */
export class InvalidConfigError extends SwitchyardError {
  readonly problems: readonly ConfigProblem[];

  constructor(subject: string, problems: readonly ConfigProblem[]) {
    super('INVALID_CONFIG', `${subject}: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'InvalidConfigError';
    this.problems = problems;
  }

  /** The field path of the first problem, for APIs that report one `path`. */
  get path(): string | undefined {
    return this.problems[0]?.path;
  }
}

/** A feature key that no store or config knows. */
export class FeatureNotFoundError extends SwitchyardError {
  readonly feature: string;

  constructor(feature: string) {
    super('FEATURE_NOT_FOUND', `feature "${feature}" not found`);
    this.name = 'FeatureNotFoundError';
    this.feature = feature;
  }
}

/** An update named a version that is no longer the current one (optimistic concurrency). */
export class VersionConflictError extends SwitchyardError {
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(target: string, expectedVersion: number, actualVersion: number) {
    super(
      'VERSION_CONFLICT',
      `${target}: expected version ${expectedVersion} but the current version is ${actualVersion}`,
    );
    this.name = 'VersionConflictError';
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** A create named a key that already exists. */
export class AlreadyExistsError extends SwitchyardError {
  constructor(target: string) {
    super('ALREADY_EXISTS', `${target} already exists`);
    this.name = 'AlreadyExistsError';
  }
}

/** Formats one problem as `path: message`, or the message alone at the root. */
export function formatProblem(problem: ConfigProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
