/** Keywords OpenAI's strict structured-output mode rejects. */
const unsupportedKeywords = [
  'allOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'unevaluatedProperties',
];

/**
 * Whether a JSON Schema fits OpenAI's strict structured-output subset: the root is an object, every
 * object lists all its properties in `required` and sets `additionalProperties: false`, and no
 * unsupported keyword appears. Strict mode guarantees a conforming reply; other schemas are sent
 * non-strict and rely on validation and repair instead of a 400 from the provider.
 *
 * @example
 * isStrictJsonSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }); // true
 */
export function isStrictJsonSchema(schema: Record<string, unknown>): boolean {
  if (schema.type !== 'object') return false;
  return isStrictNode(schema, 0);
}

/** Deeper nesting than this is not worth checking: send such a schema non-strict. */
const maxDepth = 64;

function isStrictNode(node: unknown, depth: number): boolean {
  if (typeof node === 'boolean') return false;
  if (!isRecord(node) || depth > maxDepth) return false;
  if (unsupportedKeywords.some((keyword) => keyword in node)) return false;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object') || isRecord(node.properties)) {
    const properties = isRecord(node.properties) ? node.properties : {};
    const required = Array.isArray(node.required) ? node.required : [];
    if (node.additionalProperties !== false) return false;
    if (!Object.keys(properties).every((key) => required.includes(key))) return false;
    if (!Object.values(properties).every((child) => isStrictNode(child, depth + 1))) return false;
  }
  if (node.items !== undefined && !isStrictNode(node.items, depth + 1)) return false;
  if (Array.isArray(node.anyOf) && !node.anyOf.every((child) => isStrictNode(child, depth + 1))) return false;
  for (const definitions of [node.$defs, node.definitions]) {
    if (
      isRecord(definitions) &&
      !Object.values(definitions).every((child) => isStrictNode(child, depth + 1))
    ) {
      return false;
    }
  }
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
