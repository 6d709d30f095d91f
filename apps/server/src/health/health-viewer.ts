import { parseBearer, TokenIssuer } from '@vigil/auth';
import { ForbiddenError, Role, UnauthenticatedError } from '@vigil/domain';

/** The people at the consoles; a kiosk token lives on an unattended device and gets the probe view. */
export const HEALTH_DETAIL_ROLES: readonly Role[] = ['admin', 'security', 'reviewer'];

/**
 * Whether this caller sees the detailed health view (inference backend and stats, database
 * latency, KPI breaches per camera, errors) or only `{ status }`. No token: the probe view, as
 * load balancers and container health checks have none. A token that is sent is checked as on
 * any route, so a mistyped one is told rather than silently given less.
 * (Reads the bearer only; cookie sessions, when they come, are resolved here as well.)
 */
export async function mayReadHealthDetails(tokens: TokenIssuer, authorization: string | string[] | undefined): Promise<boolean> {
  if (authorization === undefined) return false;
  const secret = parseBearer(authorization);
  const principal = secret ? await tokens.verify(secret) : null;
  if (!principal) {
    throw new UnauthenticatedError('The bearer token is malformed, unknown, revoked or expired; send none for the status alone, or ask an administrator for a new one.');
  }
  if (!HEALTH_DETAIL_ROLES.includes(principal.role)) {
    throw new ForbiddenError(`The detailed health view needs role ${HEALTH_DETAIL_ROLES.join(', ')}; your token has role ${principal.role}. Without a token, GET /api/health answers the status alone.`);
  }
  return true;
}
