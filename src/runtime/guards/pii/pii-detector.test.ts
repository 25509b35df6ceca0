import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../core/errors.js';
import { compilePiiDetector, type PiiDetector } from './pii-detector.js';

describe('compilePiiDetector', () => {
  it('runs a pattern over the whole text even without the g flag, and leaves the caller’s RegExp alone', () => {
    const pattern = /EMP-\d{6}/;
    const detector = compilePiiDetector({ type: 'employee-id', pattern }, 'detectors[0]');
    expect(detector.find('EMP-000001 and EMP-000002')).toEqual([
      { start: 0, end: 10 },
      { start: 15, end: 25 },
    ]);
    expect(pattern.lastIndex).toBe(0);
    expect(detector.type).toBe('employee-id');
  });

  it('gives the same spans on every call with a global pattern (no lastIndex carried over)', () => {
    const detector = compilePiiDetector({ type: 'code', pattern: /X\d/g }, 'detectors[0]');
    expect(detector.find('X1 X2')).toEqual(detector.find('X1 X2'));
    expect(detector.find('X1 X2')).toHaveLength(2);
  });

  it('drops matches the validator rejects and empty matches', () => {
    const detector = compilePiiDetector(
      { type: 'even', pattern: /\d*/, validate: (match) => Number(match) % 2 === 0 },
      'detectors[0]',
    );
    expect(detector.find('12 7 40')).toEqual([
      { start: 0, end: 2 },
      { start: 5, end: 7 },
    ]);
  });

  it('clamps finder spans to the text and drops empty ones', () => {
    const detector = compilePiiDetector(
      {
        type: 'all',
        find: () => [
          { start: -5, end: 3 },
          { start: 4, end: 4 },
          { start: 5, end: 99 },
        ],
      },
      'detectors[0]',
    );
    expect(detector.find('abcdefgh')).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 8 },
    ]);
  });

  it('rejects a finder span without integer offsets, naming the detector', () => {
    const detector = compilePiiDetector(
      { type: 'bad', find: () => [{ start: 0.5, end: 2 }] },
      'detectors[3]',
    );
    expect(() => detector.find('abc')).toThrow(InvalidConfigError);
    expect(() => detector.find('abc')).toThrow(/detectors\[3\]/);
  });

  it('reports every problem of a malformed detector with its path', () => {
    const malformed = { type: '', validate: 'yes' } as unknown as PiiDetector;
    try {
      compilePiiDetector(malformed, 'extraDetectors[1]');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as InvalidConfigError).problems.map((problem) => problem.path)).toEqual([
        'extraDetectors[1].type',
        'extraDetectors[1]',
        'extraDetectors[1].validate',
      ]);
    }
    expect(() => compilePiiDetector(null as unknown as PiiDetector, 'detectors[0]')).toThrow(
      InvalidConfigError,
    );
  });
});
