import type { ConsoleSessions, TokenIssuer } from '@vigil/auth';
import { ForbiddenError, Role } from '@vigil/domain';
import { principalOf } from '../auth/request-credentials';

/** The people at the consoles; a kiosk token lives on an unattended device and gets the probe view. */
export const HEALTH_DETAIL_ROLES: readonly Role[] = ['admin', 'security', 'reviewer'];

/**
 * Whether this caller sees the detailed health view (inference backend and stats, database
 * latency, KPI breaches per camera, errors) or only `{ status }`. No credential: the probe view,
 * as load balancers and container health checks have none. A bearer token or console session
 * that is sent is checked as on any route (401 unknown, 403 kiosk), never silently given less.
 */
export async function mayReadHealthDetails(
  request: { method?: string; headers: Record<string, string | string[] | undefined> },
  tokens: TokenIssuer,
  sessions: ConsoleSessions,
): Promise<boolean> {
  const principal = await principalOf(request, tokens, sessions);
  if (!principal) return false;
  if (!HEALTH_DETAIL_ROLES.includes(principal.role)) {
    throw new ForbiddenError(`The detailed health view needs role ${HEALTH_DETAIL_ROLES.join(', ')}; you have role ${principal.role}. Without a token, GET /api/health answers the status alone.`);
  }
  return true;
}
