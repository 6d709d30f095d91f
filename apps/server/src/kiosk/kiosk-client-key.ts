import type { Principal } from '@vigil/auth';

/**
 * Who is asking, as a key for per-kiosk limits: the token. A principal without a token id (a
 * future cookie session) is keyed by role and name, so it still has one bucket of its own.
 */
export function kioskClientKey(principal: Principal): string {
  const tokenId = (principal as { tokenId?: string | null }).tokenId;
  return tokenId ? `token:${tokenId}` : `${principal.role}:${principal.name}`;
}
