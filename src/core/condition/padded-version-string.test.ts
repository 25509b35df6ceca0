import { paddedVersionString as growthBookPaddedVersionString } from '@growthbook/growthbook';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paddedVersionString } from './padded-version-string.js';

describe('paddedVersionString', () => {
  it('pads numeric parts, drops the v prefix and build metadata, and marks releases with ~', () => {
    expect(paddedVersionString('v1.2.3-rc.1+build.5')).toBe('    1-    2-    3-rc-    1');
    expect(paddedVersionString('1.0.0')).toBe('    1-    0-    0-~');
    expect(paddedVersionString(2)).toBe('    2');
    expect(paddedVersionString(null)).toBe('    0');
    expect(paddedVersionString('')).toBe('    0');
  });

  it('orders versions by plain string comparison', () => {
    const ordered = [
      '0.9.9',
      '1.0.0-alpha',
      '1.0.0-beta.2',
      '1.0.0-beta.10',
      '1.0.0',
      '1.2.0',
      '1.10.0',
      '10.0.0',
    ];
    for (let index = 1; index < ordered.length; index++) {
      expect(paddedVersionString(ordered[index - 1]) < paddedVersionString(ordered[index])).toBe(true);
    }
  });

  it("gives GrowthBook's output for any string over version-like characters", () => {
    const character = fc.constantFrom(...'0123456789v.-+~ab\n\r\u2028 '.split(''));
    const versionLike = fc.oneof(fc.string({ unit: character, maxLength: 16 }), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(
        fc.oneof(versionLike, fc.integer(), fc.double(), fc.constant(null), fc.boolean()),
        (input) => {
          expect(paddedVersionString(input)).toBe(growthBookPaddedVersionString(input));
        },
      ),
      { seed: 11, numRuns: 3000 },
    );
  });
});
