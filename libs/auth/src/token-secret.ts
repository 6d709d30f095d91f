import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens are 256 random bits, shown once and stored as their SHA-256. With that much entropy
 * a slow password hash adds nothing; a fast hash keeps the per-request lookup an index probe.
 * The `vgl_` prefix lets secret scanners recognise leaked tokens.
 */
export const TOKEN_PREFIX = 'vgl_';

export function generateTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Console session cookies: as random as tokens, with their own prefix so a leak is told apart. */
export function generateSessionSecret(): string {
  return 'vgs_' + randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Extracts the token from an `Authorization: Bearer <token>` header value. */
export function parseBearer(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1]! : null;
}
