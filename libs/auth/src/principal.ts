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
export function personKeyOf(principal: Pick<Principal, 'userId' | 'tokenId'>): string {
  const key = personKeyOrNull(principal);
  if (key === null) throw new Error('a principal has a user, a token or both');
  return key;
}

/** As `personKeyOf`, for stored rows whose user and token may both be gone (null). */
export function personKeyOrNull(who: { userId: string | null; tokenId: string | null }): string | null {
  if (who.userId) return `user:${who.userId}`;
  return who.tokenId ? `token:${who.tokenId}` : null;
}

/**
 * Whose allowance a request or socket draws on (rate limits, sockets per principal): a signed-in
 * person's console sessions share one (per user); each device/integration token has its own, so a
 * kiosk held by an admin does not eat into the admin's consoles.
 */
export function allowanceKeyOf(principal: Principal): string {
  return principal.tokenId ? `token:${principal.tokenId}` : personKeyOf(principal);
}

/** The audit trail's view of a principal (or of the system itself). */
export function actorOf(principal: Principal | null): { tokenId: string | null; userId: string | null; name: string; role: string } {
  return principal
    ? { tokenId: principal.tokenId, userId: principal.userId, name: principal.name, role: principal.role }
    : { tokenId: null, userId: null, name: 'system', role: 'system' };
}
