import type { ConfigProblem } from '../../core/errors.js';
import { formatPath } from '../../core/validate-feature.js';

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (and `${NAME:-fallback}`) in every string of a parsed document with the variable's
 * value; `$$` is a literal `$`. Substitution happens after parsing, so a value can never change the
 * document's structure. A variable that is unset (and has no fallback) is a problem naming the field.
 */
export function expandEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$$') return '$';
      const resolved = env[name!] ?? fallback;
      if (resolved === undefined) {
        problems.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
        return '';
      }
      return resolved;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandEnv(item, env, problems, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandEnv(item, env, problems, [...path, key])]),
    );
  }
  return value;
}
