/** One JSON Schema object as read from a request (JSON Schema also allows `true` / `false` as schemas). */
export type SchemaNode = Record<string, unknown>;

/** The JSON types a schema may name in `type`. */
export type JsonTypeName = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

const typeNames: ReadonlySet<string> = new Set([
  'object',
  'array',
  'string',
  'number',
  'integer',
  'boolean',
  'null',
]);

/** Whether a value is a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Follows `$ref` pointers local to the document (`#`, `#/$defs/Name`, `#/definitions/Name`) until it
 * reaches a schema object; anything unresolvable becomes the empty schema, which accepts every value.
 */
export function resolveSchema(schema: unknown, root: unknown): SchemaNode {
  let current = schema;
  for (let hops = 0; hops < 32; hops += 1) {
    if (!isRecord(current)) return {};
    const reference = current.$ref;
    if (typeof reference !== 'string') return current;
    current = followPointer(root, reference);
  }
  return {};
}

function followPointer(root: unknown, reference: string): unknown {
  if (reference === '#') return root;
  if (!reference.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const rawSegment of reference.slice(2).split('/')) {
    const segment = decodeURIComponent(rawSegment).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The types a schema names in `type`, or, when it names none, the one its keywords imply (if any). */
export function declaredTypes(node: SchemaNode): JsonTypeName[] {
  const declared = Array.isArray(node.type) ? node.type : [node.type];
  const named = declared.filter(
    (type): type is JsonTypeName => typeof type === 'string' && typeNames.has(type),
  );
  if (named.length > 0) return named;
  if ('properties' in node || 'required' in node || 'additionalProperties' in node) return ['object'];
  if ('items' in node || 'prefixItems' in node || 'minItems' in node) return ['array'];
  if ('minLength' in node || 'maxLength' in node || 'format' in node || 'pattern' in node) return ['string'];
  if ('minimum' in node || 'maximum' in node || 'exclusiveMinimum' in node || 'multipleOf' in node) {
    return ['number'];
  }
  return [];
}

/**
 * Folds `allOf` members and the first `anyOf` / `oneOf` option into the schema around them, merging
 * `properties` and `required`, so one pass over the result sees every constraint an instance must meet.
 */
export function flattenSchema(node: SchemaNode, root: unknown): SchemaNode {
  const { allOf, anyOf, oneOf, ...rest } = node;
  let merged: SchemaNode = rest;
  const parts = [...(Array.isArray(allOf) ? allOf : [])];
  const options = Array.isArray(anyOf) ? anyOf : Array.isArray(oneOf) ? oneOf : [];
  if (options.length > 0) parts.push(options[0]);
  for (const part of parts) {
    merged = mergeSchemas(merged, flattenSchema(resolveSchema(part, root), root));
  }
  return merged;
}

function mergeSchemas(left: SchemaNode, right: SchemaNode): SchemaNode {
  const merged: SchemaNode = { ...left, ...right };
  if (isRecord(left.properties) || isRecord(right.properties)) {
    const leftProperties = isRecord(left.properties) ? left.properties : {};
    merged.properties = { ...leftProperties, ...(isRecord(right.properties) ? right.properties : {}) };
  }
  if (Array.isArray(left.required) || Array.isArray(right.required)) {
    const required = [...(Array.isArray(left.required) ? left.required : [])];
    for (const key of Array.isArray(right.required) ? right.required : []) {
      if (!required.includes(key)) required.push(key);
    }
    merged.required = required;
  }
  return merged;
}
