/**
 * The RegExp GrowthBook builds for `$regex` (`insensitive` for `$regexi`): unescaped `/` are escaped first, the
 * way its SDKs read patterns. Throws a SyntaxError on an invalid pattern.
 *
 * @example
 * growthBookRegExp('^ping', false).test('pingpong'); // true
 */
export function growthBookRegExp(pattern: string, insensitive: boolean): RegExp {
  return new RegExp(pattern.replace(/([^\\])\//g, '$1\\/'), insensitive ? 'i' : undefined);
}
