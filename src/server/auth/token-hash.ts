import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters: N = 2^14, r = 8, p = 1 (16 MiB, tens of milliseconds per check, on purpose). */
const DEFAULT_PARAMETERS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const PREFIX = 'scrypt';

/** A hashed secret as stored: `scrypt$N$r$p$<key>` (base64url key) and the base64url salt. */
export interface HashedSecret {
  readonly hash: string;
  readonly salt: string;
}

/**
 * Hashes a token secret with scrypt and a fresh 16-byte salt; the cost parameters travel inside the hash,
 * so they can be raised later without invalidating stored tokens.
 */
export async function hashTokenSecret(
  secret: string,
  parameters: { N: number; r: number; p: number } = DEFAULT_PARAMETERS,
): Promise<HashedSecret> {
  const salt = randomBytes(16).toString('base64url');
  const key = await derive(secret, salt, parameters);
  const { N, r, p } = parameters;
  return { hash: `${PREFIX}$${N}$${r}$${p}$${key.toString('base64url')}`, salt };
}

/** Whether `secret` matches a stored hash, compared in constant time; false for a malformed hash. */
export async function verifyTokenSecret(secret: string, stored: HashedSecret): Promise<boolean> {
  const [prefix, n, r, p, encoded, ...rest] = stored.hash.split('$');
  if (prefix !== PREFIX || encoded === undefined || rest.length > 0) return false;
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(parameters).every((value) => Number.isSafeInteger(value) && value > 0)) return false;
  const expected = Buffer.from(encoded, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await derive(secret, stored.salt, parameters);
  return timingSafeEqual(actual, expected);
}

function derive(secret: string, salt: string, parameters: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above the 32 MiB default leaves room for raising N later.
    scrypt(secret, salt, KEY_LENGTH, { ...parameters, maxmem: 256 * 1024 * 1024 }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}
