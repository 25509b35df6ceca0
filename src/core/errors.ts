/** Stable error codes that callers can switch on; the message is for people, the code is for programs. */
export type SwitchyardErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_INPUT'
  | 'FEATURE_NOT_FOUND'
  | 'EXPERIMENT_NOT_FOUND'
  | 'INVALID_TRANSITION'
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

/** An experiment key that the store does not know. */
export class ExperimentNotFoundError extends SwitchyardError {
  readonly experiment: string;

  constructor(experiment: string) {
    super('EXPERIMENT_NOT_FOUND', `experiment "${experiment}" not found`);
    this.name = 'ExperimentNotFoundError';
    this.experiment = experiment;
  }
}

/** A lifecycle step that the current state does not allow (`resume` of a running experiment). */
export class InvalidTransitionError extends SwitchyardError {
  readonly from: string;
  readonly transition: string;

  constructor(target: string, from: string, transition: string, detail?: string) {
    super(
      'INVALID_TRANSITION',
      `${target}: cannot ${transition} from ${from}${detail ? ` (${detail})` : ''}`,
    );
    this.name = 'InvalidTransitionError';
    this.from = from;
    this.transition = transition;
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

/** Input to a run or an API failed a rule; `field` names what was wrong. */
export class InvalidInputError extends SwitchyardError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('INVALID_INPUT', field ? `${field}: ${message}` : message);
    this.name = 'InvalidInputError';
    this.field = field;
  }
}

/** A unit hit its rate limit; retry after `retryAfterMs`. */
export class RateLimitedError extends SwitchyardError {
  readonly retryAfterMs: number;
  readonly limit: number;
  readonly tier: string | null;

  constructor(options: {
    feature: string;
    limit: number;
    tier: string | null;
    window: string;
    retryAfterMs: number;
  }) {
    const tier = options.tier === null ? '' : ` (tier ${options.tier})`;
    super(
      'RATE_LIMITED',
      `${options.feature}: rate limit of ${options.limit} per ${options.window}${tier} reached; retry in ${Math.ceil(options.retryAfterMs / 1000)} s`,
    );
    this.name = 'RateLimitedError';
    this.retryAfterMs = options.retryAfterMs;
    this.limit = options.limit;
    this.tier = options.tier;
  }
}

/** A cost budget would be exceeded; `scope` says which cap, `retryAfterMs` when its window resets. */
export class BudgetExceededError extends SwitchyardError {
  readonly scope: 'daily' | 'unit-hourly';
  readonly capUsd: number;
  readonly retryAfterMs: number;

  constructor(options: {
    feature: string;
    scope: 'daily' | 'unit-hourly';
    capUsd: number;
    retryAfterMs: number;
  }) {
    const what = options.scope === 'daily' ? 'daily budget' : 'hourly budget per unit';
    super('BUDGET_EXCEEDED', `${options.feature}: ${what} of $${options.capUsd} would be exceeded`);
    this.name = 'BudgetExceededError';
    this.scope = options.scope;
    this.capUsd = options.capUsd;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Why one variant of a run failed. */
export interface VariantFailure {
  readonly variant: string;
  readonly errorClass: string;
  readonly message: string;
}

/** Every variant of the fallback chain, the default included, failed; `causes` lists each failure in order. */
export class AllVariantsFailedError extends SwitchyardError {
  readonly causes: readonly VariantFailure[];

  constructor(feature: string, causes: readonly VariantFailure[]) {
    super(
      'ALL_VARIANTS_FAILED',
      `${feature}: all variants failed: ${causes.map((cause) => `${cause.variant} (${cause.errorClass}: ${cause.message})`).join('; ')}`,
    );
    this.name = 'AllVariantsFailedError';
    this.causes = causes;
  }
}
