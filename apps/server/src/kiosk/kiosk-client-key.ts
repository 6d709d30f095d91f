import { personKeyOf, type Principal } from '@vigil/auth';

/**
 * Who is asking, as a key for per-kiosk limits: the kiosk's token; a console session (an admin
 * trying the kiosk) by its user. Each gets a bucket of its own.
 */
export function kioskClientKey(principal: Principal): string {
  return principal.tokenId ? `token:${principal.tokenId}` : personKeyOf(principal);
}
