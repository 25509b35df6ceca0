import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * The version a write expects, from the body's `version` or an `If-Match` header (`"3"` or `3`); 400 when
 * they disagree, when the header is malformed, or (with `required`) when neither is given.
 */
export function expectedVersion(
  request: FastifyRequest,
  bodyVersion: number | undefined,
  required: boolean,
): number | undefined {
  const header = request.headers['if-match'];
  let fromHeader: number | undefined;
  if (header !== undefined) {
    const match = typeof header === 'string' ? /^\s*"?([1-9][0-9]{0,15})"?\s*$/.exec(header) : null;
    if (match === null) {
      throw new ApiError(400, 'INVALID_INPUT', 'If-Match must be the version you read, e.g. "3"', {
        path: 'If-Match',
      });
    }
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new ApiError(
      400,
      'INVALID_INPUT',
      `version: the body says ${bodyVersion} but If-Match says ${fromHeader}`,
      { path: 'version' },
    );
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined && required) {
    throw new ApiError(
      400,
      'INVALID_INPUT',
      'version: is required; send the version you read in the body or as If-Match: "<version>"',
      { path: 'version' },
    );
  }
  return version;
}
