import { hash } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.js';
import { FEATURE_KEY_PATTERN, NAME_PATTERN } from '../../core/feature-config.js';

/** What an exact cache key is computed from: everything that changes the model's answer. */
export interface ExactCacheKeyInput {
  feature: string;
  variant: string;
  model?: string;
  /** Call parameters such as `temperature`, `maxTokens`, `system`: compared exactly, key order aside. */
  params?: Record<string, unknown>;
  /** The prompt: a string, a list of messages, or any JSON; normalised before hashing. */
  input: unknown;
}

/** What a derived cache key is computed from: chosen fields of the input and its version. */
export interface DerivedCacheKeyInput {
  feature: string;
  variant: string;
  /** Paths into `input` (`userId`, `profile.interests`) whose values decide the answer. */
  fields: readonly string[];
  /** A path whose value changes whenever the underlying data does (`profile.updatedAt`). */
  versionField?: string;
  input: Record<string, unknown>;
}

/** The start of every cache key this version of Switchyard writes; a format change bumps `v1`. */
export const CACHE_KEY_PREFIX = 'sy:cache:v1';

const WHITESPACE_RUN = /\s+/g;

/**
 * The key of a call whose answer depends on its whole input: feature, variant, model, parameters and
 * the input with strings trimmed and whitespace runs collapsed, object keys in any order, and chat
 * messages reduced to role and content (ids and timestamps do not change an answer). The text itself
 * is hashed (sha256), so keys never carry what the user wrote.
 *
 * @example
 * ```ts
 * exactCacheKey({ feature: 'coach-reply', variant: 'v2', model: 'gpt-4o-mini',
 *   params: { temperature: 0 }, input: [{ role: 'user', content: 'How do I  start?' }] });
 * // 'sy:cache:v1:coach-reply:v2:3f1c…' (64 hex digits)
 * ```
 */
export function exactCacheKey(key: ExactCacheKeyInput): string {
  const { feature, variant } = requireNames(key);
  if (key.model !== undefined && typeof key.model !== 'string') {
    throw new InvalidInputError('model', 'must be a string');
  }
  if (key.params !== undefined && !isPlainRecord(key.params)) {
    throw new InvalidInputError('params', 'must be an object');
  }
  const material = {
    kind: 'exact',
    feature,
    variant,
    model: key.model ?? null,
    params: canonical(key.params ?? {}, 'params', false, new Set()),
    input: canonical(key.input, 'input', true, new Set()) ?? null,
  };
  return `${CACHE_KEY_PREFIX}:${feature}:${variant}:${sha256(JSON.stringify(material))}`;
}

/**
 * The key of a call whose answer depends only on some fields of its input, plus the version field's
 * value, so updating the record (its `updatedAt`) moves it to a new key. Returns undefined when a
 * named field or the version field is missing or null: such a call is not cached.
 *
 * @example
 * ```ts
 * derivedCacheKey({ feature: 'persona-generation', variant: 'qloo-first',
 *   fields: ['userId', 'profile.interests'], versionField: 'profile.updatedAt', input: request });
 * ```
 */
export function derivedCacheKey(key: DerivedCacheKeyInput): string | undefined {
  const { feature, variant } = requireNames(key);
  if (!Array.isArray(key.fields) || key.fields.length === 0) {
    throw new InvalidInputError('fields', 'must be a non-empty list of field paths');
  }
  key.fields.forEach((path, index) => {
    requirePath(path, `fields[${index}]`);
  });
  if (key.versionField !== undefined) requirePath(key.versionField, 'versionField');
  if (!isPlainRecord(key.input)) throw new InvalidInputError('input', 'must be an object');

  // Keyed by path, so the order the fields are listed in does not matter.
  const values: Record<string, unknown> = Object.create(null);
  for (const path of key.fields) {
    const value = readPath(key.input, path);
    if (value === undefined || value === null) return undefined;
    values[path] = value;
  }
  let version: unknown = null;
  if (key.versionField !== undefined) {
    version = readPath(key.input, key.versionField);
    if (version === undefined || version === null) return undefined;
  }
  const material = {
    kind: 'derived',
    feature,
    variant,
    fields: canonical(values, 'input', false, new Set()),
    versionField: key.versionField ?? null,
    version: canonical(version, key.versionField ?? 'versionField', false, new Set()),
  };
  return `${CACHE_KEY_PREFIX}:${feature}:${variant}:${sha256(JSON.stringify(material))}`;
}

function requireNames(key: { feature: unknown; variant: unknown }): { feature: string; variant: string } {
  // Both appear in the key as they are, so they must be the config's plain names, never free text.
  if (typeof key.feature !== 'string' || !FEATURE_KEY_PATTERN.test(key.feature)) {
    throw new InvalidInputError(
      'feature',
      'must be a feature key (lowercase letters, digits, ".", "_", "-")',
    );
  }
  if (typeof key.variant !== 'string' || !NAME_PATTERN.test(key.variant)) {
    throw new InvalidInputError('variant', 'must be a variant name (letters, digits, ".", "_", "-")');
  }
  return { feature: key.feature, variant: key.variant };
}

function requirePath(path: unknown, field: string): void {
  if (typeof path !== 'string' || path.split('.').some((segment) => segment === '')) {
    throw new InvalidInputError(field, 'must be a dotted path such as "profile.updatedAt"');
  }
}

function readPath(input: Record<string, unknown>, path: string): unknown {
  let current: unknown = input;
  for (const segment of path.split('.')) {
    // Own properties only: a path must never reach `constructor` or other inherited members.
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMessage(value: Record<string, unknown>): boolean {
  return typeof value.role === 'string' && Object.hasOwn(value, 'content');
}

/**
 * The value as JSON data with object keys sorted (so `JSON.stringify` is canonical), `undefined` and
 * functions dropped as JSON drops them, and, when `normaliseText`, strings trimmed with whitespace
 * runs collapsed and messages reduced to role and content.
 */
function canonical(value: unknown, field: string, normaliseText: boolean, parents: Set<object>): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return normaliseText ? value.trim().replace(WHITESPACE_RUN, ' ') : value;
    case 'number':
      // JSON has no NaN or Infinity (they become null) and no -0.
      return Number.isFinite(value) ? value + 0 : null;
    case 'boolean':
      return value;
    case 'bigint':
      throw new InvalidInputError(field, 'must be JSON data (it contains a bigint)');
    case 'object':
      break;
    default:
      return undefined;
  }
  const object = value as object;
  const json = (object as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') {
    return canonical(json.call(object), field, normaliseText, parents);
  }
  if (parents.has(object)) throw new InvalidInputError(field, 'must not contain a cycle');
  parents.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item) => canonical(item, field, normaliseText, parents) ?? null);
    }
    let record = object as Record<string, unknown>;
    if (normaliseText && isMessage(record)) record = { role: record.role, content: record.content };
    // No prototype, so an own `__proto__` key stays a plain key instead of replacing the prototype.
    const sorted: Record<string, unknown> = Object.create(null);
    for (const name of Object.keys(record).sort()) {
      const item = canonical(record[name], field, normaliseText, parents);
      if (item !== undefined) sorted[name] = item;
    }
    return sorted;
  } finally {
    parents.delete(object);
  }
}

function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
