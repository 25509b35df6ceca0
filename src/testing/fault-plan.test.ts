import { describe, expect, it } from 'vitest';
import { drawFault, faultProblems } from './fault-plan.js';

const fixed = (value: number) => () => value;

describe('drawFault', () => {
  it('maps one draw onto disjoint slices in a fixed order', () => {
    const faults = {
      errorRate: 0.1,
      timeoutRate: 0.1,
      resetRate: 0.1,
      malformedRate: 0.1,
      schemaInvalidRate: 0.1,
      slowStreamRate: 0.1,
    };
    expect(drawFault(faults, fixed(0.05))).toBe('error');
    expect(drawFault(faults, fixed(0.15))).toBe('timeout');
    expect(drawFault(faults, fixed(0.25))).toBe('reset');
    expect(drawFault(faults, fixed(0.35))).toBe('malformed');
    expect(drawFault(faults, fixed(0.45))).toBe('schemaInvalid');
    expect(drawFault(faults, fixed(0.55))).toBe('slowStream');
    expect(drawFault(faults, fixed(0.65))).toBeUndefined();
  });

  it('consumes one draw even when the model has no faults', () => {
    let calls = 0;
    const counting = () => {
      calls += 1;
      return 0.5;
    };
    drawFault(undefined, counting);
    drawFault({ errorRate: 1 }, counting);
    expect(calls).toBe(2);
  });
});

describe('faultProblems', () => {
  it('names rates out of range, rates adding up past 1, and bad statuses', () => {
    expect(faultProblems({ errorRate: 0.5, resetRate: 0.5, status: 429 }, 'f')).toEqual([]);
    expect(faultProblems({ errorRate: 1.5 }, 'f')[0]?.path).toBe('f.errorRate');
    expect(faultProblems({ errorRate: 0.7, timeoutRate: 0.7 }, 'f')[0]?.message).toContain('more than 1');
    expect(faultProblems({ status: 200 }, 'f')[0]?.path).toBe('f.status');
    expect(faultProblems({ retryAfterSeconds: -2 }, 'f')[0]?.path).toBe('f.retryAfterSeconds');
  });
});
