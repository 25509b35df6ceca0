/**
 * Every stable error code, in one list: callers switch on the code (the message is for people), and each
 * place that acts on a code switches over this list exhaustively, so a new code cannot slip through.
 */
export const SWITCHYARD_ERROR_CODES = [
  'INVALID_CONFIG',
  'INVALID_INPUT',
  'FEATURE_NOT_FOUND',
  'EXPERIMENT_NOT_FOUND',
  'INVALID_TRANSITION',
  'VERSION_CONFLICT',
  'ALREADY_EXISTS',
  'RATE_LIMITED',
  'BUDGET_EXCEEDED',
  'ALL_VARIANTS_FAILED',
  'CANCELLED',
  'MODEL_CALL_FAILED',
  'REMOTE_REQUEST_FAILED',
] as const;

/** Stable error codes that callers can switch on; the message is for people, the code is for programs. */
export type SwitchyardErrorCode = (typeof SWITCHYARD_ERROR_CODES)[number];

/**
 * Whether `error` carries `marker` as an own flag: the AI SDK's pattern, which unlike `instanceof` holds when
 * two copies of the package are loaded (a symbol from `Symbol.for` is the same in both).
 */
export function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

const switchyardErrorMarker = Symbol.for('switchyard.error');
const invalidConfigMarker = Symbol.for('switchyard.error.InvalidConfigError');
const featureNotFoundMarker = Symbol.for('switchyard.error.FeatureNotFoundError');
const experimentNotFoundMarker = Symbol.for('switchyard.error.ExperimentNotFoundError');
const invalidTransitionMarker = Symbol.for('switchyard.error.InvalidTransitionError');
const versionConflictMarker = Symbol.for('switchyard.error.VersionConflictError');
const alreadyExistsMarker = Symbol.for('switchyard.error.AlreadyExistsError');
const invalidInputMarker = Symbol.for('switchyard.error.InvalidInputError');
const rateLimitedMarker = Symbol.for('switchyard.error.RateLimitedError');
const budgetExceededMarker = Symbol.for('switchyard.error.BudgetExceededError');
const allVariantsFailedMarker = Symbol.for('switchyard.error.AllVariantsFailedError');
const cancelledMarker = Symbol.for('switchyard.error.CancelledError');

/** One validation problem: where it is (`rules[1].split.v2`) and what is wrong with it. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Base class of every error Switchyard throws on purpose; `code` is stable across releases. */
export class SwitchyardError extends Error {
  // The flag `isInstance` looks for: symbol-keyed, so it never shows in JSON or Object.keys.
  readonly [switchyardErrorMarker] = true;
  readonly code: SwitchyardErrorCode;
  /** The request id of the run that failed with it, when a run had started (telemetry records it). */
  declare requestId?: string;

  constructor(code: SwitchyardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SwitchyardError';
    this.code = code;
  }

  /** Whether `error` is a SwitchyardError, from this copy of the package or any other. */
  static isInstance(error: unknown): error is SwitchyardError {
    return hasMarker(error, switchyardErrorMarker);
  }
}

/** A configuration (feature, options, file) failed validation; `problems` lists every one with its path. */
export class InvalidConfigError extends SwitchyardError {
  readonly [invalidConfigMarker] = true;
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

  /** Whether `error` is a InvalidConfigError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is InvalidConfigError {
    return hasMarker(error, invalidConfigMarker);
  }
}

/** A feature key that no store or config knows. */
export class FeatureNotFoundError extends SwitchyardError {
  readonly [featureNotFoundMarker] = true;
  readonly feature: string;

  constructor(feature: string) {
    super('FEATURE_NOT_FOUND', `feature "${feature}" not found`);
    this.name = 'FeatureNotFoundError';
    this.feature = feature;
  }

  /** Whether `error` is a FeatureNotFoundError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is FeatureNotFoundError {
    return hasMarker(error, featureNotFoundMarker);
  }
}

/** An experiment key that the store does not know. */
export class ExperimentNotFoundError extends SwitchyardError {
  readonly [experimentNotFoundMarker] = true;
  readonly experiment: string;

  constructor(experiment: string) {
    super('EXPERIMENT_NOT_FOUND', `experiment "${experiment}" not found`);
    this.name = 'ExperimentNotFoundError';
    this.experiment = experiment;
  }

  /** Whether `error` is a ExperimentNotFoundError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is ExperimentNotFoundError {
    return hasMarker(error, experimentNotFoundMarker);
  }
}

/** A lifecycle step that the current state does not allow (`resume` of a running experiment). */
export class InvalidTransitionError extends SwitchyardError {
  readonly [invalidTransitionMarker] = true;
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

  /** Whether `error` is a InvalidTransitionError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is InvalidTransitionError {
    return hasMarker(error, invalidTransitionMarker);
  }
}

/** An update named a version that is no longer the current one (optimistic concurrency). */
export class VersionConflictError extends SwitchyardError {
  readonly [versionConflictMarker] = true;
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

  /** Whether `error` is a VersionConflictError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is VersionConflictError {
    return hasMarker(error, versionConflictMarker);
  }
}

/** A create named a key that already exists. */
export class AlreadyExistsError extends SwitchyardError {
  readonly [alreadyExistsMarker] = true;
  constructor(target: string) {
    super('ALREADY_EXISTS', `${target} already exists`);
    this.name = 'AlreadyExistsError';
  }

  /** Whether `error` is a AlreadyExistsError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is AlreadyExistsError {
    return hasMarker(error, alreadyExistsMarker);
  }
}

/** Formats one problem as `path: message`, or the message alone at the root. */
export function formatProblem(problem: ConfigProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/** Input to a run or an API failed a rule; `field` names what was wrong. */
export class InvalidInputError extends SwitchyardError {
  readonly [invalidInputMarker] = true;
  readonly field: string;

  constructor(field: string, message: string) {
    super('INVALID_INPUT', field ? `${field}: ${message}` : message);
    this.name = 'InvalidInputError';
    this.field = field;
  }

  /** Whether `error` is a InvalidInputError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is InvalidInputError {
    return hasMarker(error, invalidInputMarker);
  }
}

/** A unit hit its rate limit; retry after `retryAfterMs`. */
export class RateLimitedError extends SwitchyardError {
  readonly [rateLimitedMarker] = true;
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

  /** Whether `error` is a RateLimitedError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is RateLimitedError {
    return hasMarker(error, rateLimitedMarker);
  }
}

/** A cost budget would be exceeded; `scope` says which cap, `retryAfterMs` when its window resets. */
export class BudgetExceededError extends SwitchyardError {
  readonly [budgetExceededMarker] = true;
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

  /** Whether `error` is a BudgetExceededError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is BudgetExceededError {
    return hasMarker(error, budgetExceededMarker);
  }
}

/** Why one variant of a run failed. */
export interface VariantFailure {
  readonly variant: string;
  readonly errorClass: string;
  readonly message: string;
  /** How long the provider asked to wait (its Retry-After), when it was rate limited and said so. */
  readonly retryAfterMs?: number;
}

/** Every variant of the fallback chain, the default included, failed; `causes` lists each failure in order. */
export class AllVariantsFailedError extends SwitchyardError {
  readonly [allVariantsFailedMarker] = true;
  readonly causes: readonly VariantFailure[];

  constructor(feature: string, causes: readonly VariantFailure[]) {
    super(
      'ALL_VARIANTS_FAILED',
      `${feature}: all variants failed: ${causes.map((cause) => `${cause.variant} (${cause.errorClass}: ${cause.message})`).join('; ')}`,
    );
    this.name = 'AllVariantsFailedError';
    this.causes = causes;
  }

  /** Whether `error` is a AllVariantsFailedError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is AllVariantsFailedError {
    return hasMarker(error, allVariantsFailedMarker);
  }
}

/**
 * The caller's signal aborted a run: it stopped at once (no retry, no fallback), its budget was settled at
 * what was really spent, and it is recorded with outcome `cancelled`. `reason` is the signal's reason.
 */
export class CancelledError extends SwitchyardError {
  readonly [cancelledMarker] = true;
  readonly reason: unknown;

  constructor(feature: string, reason: unknown) {
    const why = reason instanceof Error ? `: ${reason.message}` : '';
    super('CANCELLED', `${feature}: the run was cancelled by the caller${why}`, { cause: reason });
    this.name = 'CancelledError';
    this.reason = reason;
  }

  /** Whether `error` is a CancelledError, from this copy of the package or any other. */
  static override isInstance(error: unknown): error is CancelledError {
    return hasMarker(error, cancelledMarker);
  }
}
