import { randomBytes as cryptoRandomBytes } from 'node:crypto';

/** Tokens read `sy_<id>_<secret>`: the id finds the stored hash, the secret is checked against it. */
export const API_TOKEN_PATTERN = /^sy_([a-z0-9]{8,32})_([A-Za-z0-9_-]{32,128})$/;

/** The two parts of an API token. */
export interface ApiTokenParts {
  /** Public: stored as is, shown in listings and audit targets. */
  readonly id: string;
  /** Secret: stored only as a scrypt hash. */
  readonly secret: string;
}

/** Splits a token into id and secret, or undefined when it is not of the form `sy_<id>_<secret>`. */
export function parseApiToken(token: unknown): ApiTokenParts | undefined {
  if (typeof token !== 'string') return undefined;
  const match = API_TOKEN_PATTERN.exec(token);
  return match === null ? undefined : { id: match[1]!, secret: match[2]! };
}

/**
 * A new random token: a 16-hex-digit id and a 256-bit base64url secret.
 *
 * @example
 * const { token, id, secret } = generateApiToken(); // token: 'sy_3f9c…_Qm7…'
 */
export function generateApiToken(
  randomBytes: (size: number) => Buffer = cryptoRandomBytes,
): ApiTokenParts & { readonly token: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `sy_${id}_${secret}` };
}
