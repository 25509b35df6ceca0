import { expect } from 'vitest';

/** Asserts `actual` matches a reference value to a relative 1e-6 (plus 1e-12 absolute, for references near 0). */
export function expectClose(actual: number | undefined | null, expected: number, relative = 1e-6): void {
  expect(typeof actual).toBe('number');
  const difference = Math.abs((actual as number) - expected);
  expect(difference, `${actual} vs reference ${expected}`).toBeLessThanOrEqual(
    relative * Math.abs(expected) + 1e-12,
  );
}

/** Runs `action` and returns the SwitchyardError it throws, failing the test if it does not throw. */
export function thrownBy(action: () => unknown): { code?: unknown; message: string } {
  try {
    action();
  } catch (error) {
    return error as { code?: unknown; message: string };
  }
  throw new Error('expected the call to throw');
}
