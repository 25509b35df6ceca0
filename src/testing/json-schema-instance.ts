import { declaredTypes, flattenSchema, isRecord, resolveSchema, type SchemaNode } from './schema-node.js';

/** Nesting deeper than this (a recursive schema) ends in `null` instead of recursing for ever. */
const maxDepth = 24;

/**
 * Builds a small JSON value that satisfies a JSON Schema: required properties only, `minItems` items,
 * the first `enum` value or `anyOf` option, numbers inside their bounds, strings in common `format`s.
 * Regular-expression `pattern`s are not solved for.
 *
 * @example
 * jsonSchemaInstance({ type: 'object', properties: { n: { type: 'integer', minimum: 3 } }, required: ['n'] });
 * // { n: 3 }
 */
export function jsonSchemaInstance(schema: unknown): unknown {
  return instanceOf(schema, schema, 0, 0);
}

/**
 * `variant` makes sibling array items differ (so `uniqueItems` holds) while staying valid;
 * `depth` bounds recursion through `$ref`.
 */
function instanceOf(schema: unknown, root: unknown, depth: number, variant: number): unknown {
  if (depth > maxDepth) return null;
  const node = flattenSchema(resolveSchema(schema, root), root);
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[variant % node.enum.length];
  const types = declaredTypes(node);
  // Prefer a non-null type: `["string", "null"]` reads as "a string, nullable", and a string is more useful.
  const type = types.find((candidate) => candidate !== 'null') ?? types[0];
  switch (type) {
    case 'object':
      return objectInstance(node, root, depth);
    case 'array':
      return arrayInstance(node, root, depth);
    case 'string':
      return stringInstance(node, variant);
    case 'number':
    case 'integer':
      return numberInstance(node, type === 'integer', variant);
    case 'boolean':
      return variant % 2 === 0;
    default:
      return null;
  }
}

function objectInstance(node: SchemaNode, root: unknown, depth: number): Record<string, unknown> {
  const properties = isRecord(node.properties) ? node.properties : {};
  const extraSchema = isRecord(node.additionalProperties) ? node.additionalProperties : {};
  const keys = (Array.isArray(node.required) ? node.required : []).filter(
    (key): key is string => typeof key === 'string',
  );
  const minProperties = nonNegativeInteger(node.minProperties);
  for (const key of Object.keys(properties)) {
    if (keys.length >= minProperties) break;
    if (!keys.includes(key)) keys.push(key);
  }
  for (let extra = 1; keys.length < minProperties && node.additionalProperties !== false; extra += 1) {
    if (!keys.includes(`extra${extra}`)) keys.push(`extra${extra}`);
  }
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const value = instanceOf(key in properties ? properties[key] : extraSchema, root, depth + 1, 0);
    // defineProperty, because a plain assignment to a key named `__proto__` would change the prototype.
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

function arrayInstance(node: SchemaNode, root: unknown, depth: number): unknown[] {
  // Draft 2020-12 tuples use `prefixItems` + `items`; draft 7 uses an `items` array + `additionalItems`.
  const prefix = Array.isArray(node.prefixItems)
    ? node.prefixItems
    : Array.isArray(node.items)
      ? node.items
      : [];
  const rest = Array.isArray(node.items) ? node.additionalItems : node.items;
  const count = Math.max(nonNegativeInteger(node.minItems), nonNegativeInteger(node.minContains));
  const items: unknown[] = [];
  for (let index = 0; index < count; index += 1) {
    const itemSchema = index < prefix.length ? prefix[index] : rest;
    items.push(instanceOf(itemSchema === undefined ? {} : itemSchema, root, depth + 1, index));
  }
  return items;
}

const formatSamples: Readonly<Record<string, string>> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00',
  duration: 'P1D',
  email: 'user@example.com',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function stringInstance(node: SchemaNode, variant: number): string {
  const sample = typeof node.format === 'string' ? formatSamples[node.format] : undefined;
  let text = sample ?? (variant === 0 ? 'text' : `text-${variant}`);
  const minLength = nonNegativeInteger(node.minLength);
  const length = Array.from(text).length;
  if (length < minLength) text += 'x'.repeat(minLength - length);
  if (typeof node.maxLength === 'number' && length > node.maxLength) {
    text = Array.from(text)
      .slice(0, Math.max(0, Math.floor(node.maxLength)))
      .join('');
  }
  return text;
}

function numberInstance(node: SchemaNode, integer: boolean, variant: number): number {
  const { minimum, maximum } = node;
  // Draft 2020-12 writes exclusive bounds as numbers; draft 4 as booleans beside minimum / maximum.
  const low = typeof node.exclusiveMinimum === 'number' ? node.exclusiveMinimum : asNumber(minimum);
  const lowExclusive = typeof node.exclusiveMinimum === 'number' || node.exclusiveMinimum === true;
  const high = typeof node.exclusiveMaximum === 'number' ? node.exclusiveMaximum : asNumber(maximum);
  const highExclusive = typeof node.exclusiveMaximum === 'number' || node.exclusiveMaximum === true;
  const above = (value: number) => low === undefined || (lowExclusive ? value > low : value >= low);
  const below = (value: number) => high === undefined || (highExclusive ? value < high : value <= high);
  const multipleOf = typeof node.multipleOf === 'number' && node.multipleOf > 0 ? node.multipleOf : undefined;
  const step = multipleOf ?? (integer ? 1 : undefined);
  if (step !== undefined) {
    // Work in multiples of `step`: the lowest and highest allowed multiples, then the one nearest zero.
    let lowest = low === undefined ? undefined : Math.ceil(low / step);
    if (lowest !== undefined && !above(lowest * step)) lowest += 1;
    let highest = high === undefined ? undefined : Math.floor(high / step);
    if (highest !== undefined && !below(highest * step)) highest -= 1;
    let chosen = 0;
    if (lowest !== undefined && lowest > 0) chosen = lowest;
    else if (highest !== undefined && highest < 0) chosen = highest;
    chosen += variant;
    if (highest !== undefined && chosen > highest) chosen = Math.max(highest, chosen - variant);
    return chosen * step;
  }
  let value = variant;
  if (!above(value) && low !== undefined) value = (lowExclusive ? low + 1 : low) + variant;
  if (!below(value) && high !== undefined) value = highExclusive ? high - 1 : high;
  if (!above(value) && low !== undefined && high !== undefined) value = (low + high) / 2;
  return value;
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function nonNegativeInteger(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
}
