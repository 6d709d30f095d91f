import { parse as parseCookies } from 'cookie';
import { ConsoleSessions, CSRF_HEADER, parseBearer, Principal, SESSION_COOKIE, TokenIssuer } from '@vigil/auth';
import { ForbiddenError, UnauthenticatedError } from '@vigil/domain';

type Headers = Record<string, string | string[] | undefined>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sessionCookieOf(headers: Headers): string | null {
  const raw = header(headers, 'cookie');
  if (!raw) return null;
  return parseCookies(raw)[SESSION_COOKIE] ?? null;
}

/**
 * A browser that sends Origin must send ours: a page on another site never gets to use a
 * signed-in console's cookie (with SameSite=Strict this is the second lock on the door).
 */
export function crossSiteOrigin(headers: Headers): boolean {
  const origin = header(headers, 'origin');
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== header(headers, 'host');
  } catch {
    return true;
  }
}

/**
 * Who sends this request: a bearer token (devices, scripts) or a console's session cookie. A
 * cookie session's state-changing request must carry the session's CSRF token in X-CSRF-Token
 * and come from our own origin. Null when the request carries neither credential.
 */
export async function principalOf(
  request: { method?: string; headers: Headers },
  tokens: TokenIssuer,
  sessions: ConsoleSessions,
): Promise<Principal | null> {
  const bearer = parseBearer(request.headers.authorization);
  if (bearer) {
    const principal = await tokens.verify(bearer);
    if (!principal) throw new UnauthenticatedError('The bearer token is unknown, revoked or expired; ask an administrator for a new one.');
    return principal;
  }
  const secret = sessionCookieOf(request.headers);
  if (!secret) return null;
  const principal = await sessions.verify(secret);
  if (!principal) throw new UnauthenticatedError('Your session has ended (signed out, expired or the account was disabled); sign in again.');
  if (!SAFE_METHODS.has((request.method ?? 'GET').toUpperCase())) {
    if (crossSiteOrigin(request.headers)) throw new ForbiddenError('This request came from another site and was refused.');
    if (!sessions.checkCsrf(secret, header(request.headers, CSRF_HEADER))) {
      throw new ForbiddenError('Missing or wrong CSRF token (X-CSRF-Token); reload the page and try again.');
    }
  }
  return principal;
}
