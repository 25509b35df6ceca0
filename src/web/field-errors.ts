import type { Problem } from './api-types.js';

/** Problems sorted by the field they belong to; `form` holds those no field of the form shows. */
export interface FieldErrors {
  readonly fields: Readonly<Record<string, string>>;
  readonly form: readonly string[];
}

/**
 * Sorts an API answer's problems onto form fields. `fieldOf` maps a problem path (`rules[0].split.v2`)
 * to the name of the field showing it, or undefined; several problems on one field are joined.
 *
 * @example
 * fieldErrors([{ path: 'rules[0].coverage', message: 'coverage must be between 0 and 1' }], (path) =>
 *   path === 'rules[0].coverage' ? 'coverage' : undefined,
 * ); // { fields: { coverage: 'coverage must be between 0 and 1' }, form: [] }
 */
export function fieldErrors(
  problems: readonly Problem[],
  fieldOf: (path: string) => string | undefined,
): FieldErrors {
  const fields: Record<string, string> = {};
  const form: string[] = [];
  for (const problem of problems) {
    const field = fieldOf(problem.path);
    if (field === undefined) {
      form.push(problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`);
    } else {
      fields[field] = fields[field] === undefined ? problem.message : `${fields[field]}; ${problem.message}`;
    }
  }
  return { fields, form };
}

/**
 * The field of a split rule's editor a problem path belongs to: `weight:<variant>`, `coverage` or `split`
 * (the weights together), for the rule at `ruleIndex`; undefined for any other path.
 */
export function splitRuleField(ruleIndex: number, path: string): string | undefined {
  const prefix = `rules[${ruleIndex}]`;
  if (path === `${prefix}.coverage`) return 'coverage';
  if (path === `${prefix}.split` || path === prefix) return 'split';
  if (path.startsWith(`${prefix}.split.`)) return `weight:${path.slice(prefix.length + '.split.'.length)}`;
  return undefined;
}
