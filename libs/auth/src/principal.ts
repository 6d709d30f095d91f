import type { Role } from '@vigil/domain';

/** Who is calling: resolved from a bearer token on every request and socket handshake. */
export interface Principal {
  tokenId: string;
  role: Role;
  name: string;
}

/** The audit trail's view of a principal (or of the system itself). */
export function actorOf(principal: Principal | null): { tokenId: string | null; name: string; role: string } {
  return principal
    ? { tokenId: principal.tokenId, name: principal.name, role: principal.role }
    : { tokenId: null, name: 'system', role: 'system' };
}
