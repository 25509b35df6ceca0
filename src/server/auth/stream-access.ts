import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../store/store.js';
import { can, type Permission, type Principal, ROLES, type Role } from './permissions.js';

/** How long a signed stream address stays valid: a client reconnecting later fetches a new one. */
export const STREAM_ACCESS_TTL_MS = 24 * 60 * 60 * 1_000;

/**
 * A credential for an event stream that fits in its URL, for clients that cannot send headers (the
 * browser's EventSource): `<tokenId>.<expiresAt seconds>.<HMAC-SHA256>`, keyed with the token's stored
 * scrypt hash, which never leaves the server. It never carries the token's secret, holds on every server
 * that shares the store, expires, and dies with the token when the token is revoked.
 *
 * @example
 * const access = await signStreamAccess(store, principal.tokenId, clock() + STREAM_ACCESS_TTL_MS);
 * // 'k3j4h5g6.1765238400.Zq…'
 */
export async function signStreamAccess(
  store: Store,
  tokenId: string,
  expiresAtMs: number,
): Promise<string | undefined> {
  const record = await store.findToken(tokenId);
  if (record === undefined || record.revokedAt !== null) return undefined;
  const expires = Math.floor(expiresAtMs / 1_000);
  return `${tokenId}.${expires}.${mac(record.hash, tokenId, expires)}`;
}

/**
 * The principal a signed stream credential stands for, or undefined when it is malformed, expired, forged,
 * or its token unknown or revoked; the principal must also hold `permission`.
 */
export async function verifyStreamAccess(
  store: Store,
  access: string,
  nowMs: number,
  permission: Permission,
): Promise<Principal | undefined> {
  const match = /^([a-z0-9]{8,32})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(access);
  if (match === null) return undefined;
  const [, tokenId, expiresText, signature] = match as unknown as [string, string, string, string];
  const expires = Number(expiresText);
  if (expires * 1_000 <= nowMs) return undefined;
  const record = await store.findToken(tokenId);
  if (record === undefined || record.revokedAt !== null || !isRole(record.role)) return undefined;
  const expected = Buffer.from(mac(record.hash, tokenId, expires), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (!can(record.role, permission)) return undefined;
  return { tokenId: record.id, name: record.name, role: record.role };
}

function mac(key: string, tokenId: string, expires: number): string {
  return createHmac('sha256', key).update(`switchyard-stream:${tokenId}:${expires}`).digest('base64url');
}

function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role);
}
