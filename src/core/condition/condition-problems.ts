import type { ConfigProblem } from '../errors.js';
import { isOperatorObject } from './compile-value-condition.js';
import { growthBookRegExp } from './growthbook-regexp.js';

/** Every operator GrowthBook's condition language knows, by the kind of operand it takes. */
const OPERAND_KINDS: Readonly<Record<string, OperandKind>> = {
  $eq: 'any',
  $ne: 'any',
  $lt: 'any',
  $lte: 'any',
  $gt: 'any',
  $gte: 'any',
  $exists: 'any',
  $veq: 'version',
  $vne: 'version',
  $vlt: 'version',
  $vlte: 'version',
  $vgt: 'version',
  $vgte: 'version',
  $in: 'list',
  $nin: 'list',
  $ini: 'list',
  $nini: 'list',
  $all: 'conditions',
  $alli: 'conditions',
  $inGroup: 'group',
  $notInGroup: 'group',
  $not: 'value',
  $size: 'value',
  $elemMatch: 'element',
  $regex: 'regex',
  $regexi: 'regex',
  $type: 'type',
};

type OperandKind =
  | 'any'
  | 'version'
  | 'list'
  | 'conditions'
  | 'group'
  | 'value'
  | 'element'
  | 'regex'
  | 'type';

const TYPE_NAMES: ReadonlySet<string> = new Set([
  'string',
  'number',
  'boolean',
  'object',
  'array',
  'null',
  'undefined',
  'unknown',
]);

/**
 * Problems with a targeting condition that would make it silently match nobody (or everybody): unknown
 * `$operators`, invalid regexes, operands of the wrong kind and conditions that are not objects. Paths are
 * relative to `path`, e.g. `when.$or[1].name.$regex`; an empty array means the condition is fine.
 *
 * @example
 * conditionProblems({ name: { $regx: '^a' } }, 'when');
 * // [{ path: 'when.name.$regx', message: 'unknown operator "$regx"' }]
 */
export function conditionProblems(condition: unknown, path = ''): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  checkCondition(condition, path, problems);
  return problems;
}

function checkCondition(condition: unknown, path: string, problems: ConfigProblem[]): void {
  if (!isPlainObject(condition)) {
    problems.push({ path, message: 'must be an object mapping attributes to conditions' });
    return;
  }
  for (const [key, value] of Object.entries(condition)) {
    const at = join(path, key);
    if (key === '$or' || key === '$nor' || key === '$and') {
      if (!Array.isArray(value)) {
        problems.push({ path: at, message: `${key} must be a list of conditions` });
        continue;
      }
      for (const [index, item] of value.entries()) checkCondition(item, `${at}[${index}]`, problems);
    } else if (key === '$not') {
      checkCondition(value, at, problems);
    } else if (key.startsWith('$')) {
      // GrowthBook would read this as an attribute named `$...`; it is almost always a misspelt operator.
      problems.push({ path: at, message: `unknown operator "${key}"` });
    } else {
      checkValue(value, at, problems);
    }
  }
}

function checkValue(value: unknown, path: string, problems: ConfigProblem[]): void {
  if (!isPlainObject(value)) return;
  const keys = Object.keys(value);
  const operatorCount = keys.filter((key) => key.startsWith('$')).length;
  if (operatorCount === 0) return;
  if (operatorCount < keys.length) {
    problems.push({
      path,
      message: 'mixes $operators with plain keys, so it would be compared as a literal object',
    });
    return;
  }
  for (const operator of keys) checkOperator(operator, value[operator], join(path, operator), problems);
}

function checkOperator(operator: string, operand: unknown, path: string, problems: ConfigProblem[]): void {
  const kind = Object.hasOwn(OPERAND_KINDS, operator) ? OPERAND_KINDS[operator] : undefined;
  const problem = (message: string) => problems.push({ path, message });
  switch (kind) {
    case undefined:
      problem(`unknown operator "${operator}"`);
      return;
    case 'any':
      return;
    case 'version':
      if (typeof operand !== 'string' && typeof operand !== 'number') problem('must be a version string');
      return;
    case 'list':
      if (!Array.isArray(operand)) problem('must be a list');
      return;
    case 'conditions':
      if (!Array.isArray(operand)) problem('must be a list');
      else for (const [index, item] of operand.entries()) checkValue(item, `${path}[${index}]`, problems);
      return;
    case 'group':
      if (typeof operand !== 'string') problem('must be a saved group id (a string)');
      return;
    case 'value':
      checkValue(operand, path, problems);
      return;
    case 'element':
      if (isPlainObject(operand) && isOperatorObject(operand)) checkValue(operand, path, problems);
      else checkCondition(operand, path, problems);
      return;
    case 'regex':
      checkRegex(operand, operator === '$regexi', problem);
      return;
    case 'type':
      if (typeof operand !== 'string' || !TYPE_NAMES.has(operand)) {
        problem(`must be one of ${[...TYPE_NAMES].join(', ')}`);
      }
      return;
  }
}

function checkRegex(operand: unknown, insensitive: boolean, problem: (message: string) => void): void {
  if (typeof operand !== 'string') {
    problem('must be a regular expression (a string)');
    return;
  }
  try {
    growthBookRegExp(operand, insensitive);
  } catch (error) {
    problem(`invalid regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
