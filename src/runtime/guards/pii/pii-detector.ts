import { type ConfigProblem, InvalidConfigError } from '../../../core/errors.js';

/** A half-open range `[start, end)` of UTF-16 offsets into the scanned text. */
export interface PiiSpan {
  start: number;
  end: number;
}

/** A detector that scans the text itself and returns the ranges it recognises. */
export interface PiiFinder {
  /** Names the kind of data (`email`); the default replacement is `[EMAIL]`. */
  readonly type: string;
  find(text: string): readonly PiiSpan[];
}

/** A detector written as a regular expression, with an optional check of each match (a checksum, a range). */
export interface PiiPattern {
  /** Names the kind of data (`employee-id`); the default replacement is `[EMPLOYEE-ID]`. */
  readonly type: string;
  /** Matched over the whole text; the `g` flag is added when missing. */
  readonly pattern: RegExp;
  /** Returns false to discard a match that only looks like the data. */
  validate?(match: string): boolean;
}

/** One kind of personal data the redactor recognises: a finder function or a validated pattern. */
export type PiiDetector = PiiFinder | PiiPattern;

/** A detector reduced to one shape, with its spans checked and clamped to the text. */
export interface CompiledPiiDetector {
  readonly type: string;
  find(text: string): readonly PiiSpan[];
}

/**
 * Checks a detector's shape and turns it into a finder; `path` names it in the error (`detectors[2]`).
 *
 * @example
 * const employeeIds = compilePiiDetector({ type: 'employee-id', pattern: /\bEMP-\d{6}\b/ }, 'detectors[0]');
 * employeeIds.find('ask EMP-004211'); // [{ start: 4, end: 14 }]
 */
export function compilePiiDetector(detector: PiiDetector, path: string): CompiledPiiDetector {
  const problems: ConfigProblem[] = [];
  const candidate = detector as Partial<PiiFinder & PiiPattern> | null;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new InvalidConfigError('PII detector', [{ path, message: 'must be an object' }]);
  }
  if (typeof candidate.type !== 'string' || candidate.type.trim() === '') {
    problems.push({ path: `${path}.type`, message: 'must be a non-empty string' });
  }
  const hasFind = typeof candidate.find === 'function';
  const hasPattern = candidate.pattern instanceof RegExp;
  if (!hasFind && !hasPattern) {
    problems.push({ path, message: 'needs a find(text) function or a pattern RegExp' });
  }
  if (candidate.validate !== undefined && typeof candidate.validate !== 'function') {
    problems.push({ path: `${path}.validate`, message: 'must be a function' });
  }
  if (problems.length > 0) throw new InvalidConfigError('PII detector', problems);
  const type = candidate.type as string;
  if (hasFind) {
    const finder = detector as PiiFinder;
    return { type, find: (text) => checkedSpans(finder.find(text), text.length, path) };
  }
  return { type, find: patternFinder(detector as PiiPattern) };
}

function patternFinder(detector: PiiPattern): (text: string) => PiiSpan[] {
  // matchAll needs `g`, and a sticky `y` would stop at the first gap; matchAll clones the expression,
  // so the caller's lastIndex is never touched.
  const flags = `${detector.pattern.flags.replace('y', '')}${detector.pattern.global ? '' : 'g'}`;
  const pattern = new RegExp(detector.pattern.source, flags);
  return (text) => {
    const spans: PiiSpan[] = [];
    for (const match of text.matchAll(pattern)) {
      const value = match[0];
      if (value === '') continue;
      if (detector.validate && !detector.validate(value)) continue;
      spans.push({ start: match.index, end: match.index + value.length });
    }
    return spans;
  };
}

function checkedSpans(spans: readonly PiiSpan[], length: number, path: string): PiiSpan[] {
  if (!Array.isArray(spans)) {
    throw new InvalidConfigError('PII detector', [{ path, message: 'find() must return an array' }]);
  }
  const checked: PiiSpan[] = [];
  for (const span of spans) {
    if (!Number.isInteger(span?.start) || !Number.isInteger(span?.end)) {
      throw new InvalidConfigError('PII detector', [
        { path, message: 'find() returned a span without integer start and end' },
      ]);
    }
    // Clamp rather than drop: a span that runs past the text still marks data that must not leak.
    const start = Math.max(0, span.start);
    const end = Math.min(length, span.end);
    if (end > start) checked.push({ start, end });
  }
  return checked;
}
