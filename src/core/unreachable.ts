/**
 * Ends an exhaustive `switch` over a closed set (`as const` list): the call compiles only when every member
 * was handled, so adding a member fails the build wherever it is acted on; at run time it throws, naming
 * the value, for input that escaped the types.
 *
 * @example
 * switch (action) {
 *   case 'alert': return record();
 *   case 'rollback': return rollback();
 *   default: return unreachable(action, 'alert action');
 * }
 */
export function unreachable(value: never, what: string): never {
  throw new Error(`unknown ${what}: ${JSON.stringify(value)}`);
}
