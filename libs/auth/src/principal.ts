import type { Role } from '@vigil/domain';

/**
 * Who is calling: a signed-in person (console cookie session) or a bearer token (devices,
 * integrations), resolved on every request and socket handshake.
 */
export interface Principal {
  /** The bearer token used, or null for a cookie session. */
  tokenId: string | null;
  /** The console session, or null for a bearer token. */
  sessionId: string | null;
  /** The person: the signed-in user, or the owner of the token (null for VIGIL_ADMIN_TOKEN and unowned tokens). */
  userId: string | null;
  role: Role;
  /** Display name of the user, or the token's name. */
  name: string;
}

/**
 * The identity that rules about "different people" count (the two-reviewer rule): the user when
 * there is one, otherwise the token (an unowned token stands for one unnamed actor).
 */
export function personKeyOf(principal: Principal): string {
  if (principal.userId) return `user:${principal.userId}`;
  if (principal.tokenId) return `token:${principal.tokenId}`;
  throw new Error('a principal has a user, a token or both');
}

/** The audit trail's view of a principal (or of the system itself). */
export function actorOf(principal: Principal | null): { tokenId: string | null; userId: string | null; name: string; role: string } {
  return principal
    ? { tokenId: principal.tokenId, userId: principal.userId, name: principal.name, role: principal.role }
    : { tokenId: null, userId: null, name: 'system', role: 'system' };
}
