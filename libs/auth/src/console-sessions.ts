import { createHmac, timingSafeEqual } from 'node:crypto';
import { RateLimitedError, UnauthenticatedError } from '@vigil/domain';
import type { Database, UserRow } from '@vigil/persistence';
import { burnVerification, verifyPassword } from './password-hash';
import { actorOf, Principal } from './principal';
import { accountWaitMs, AddressFailures, AddressLimits, DEFAULT_ADDRESS_LIMITS } from './sign-in-throttle';
import { generateSessionSecret, hashTokenSecret } from './token-secret';
import { normaliseUsername } from './usernames';
import type { Ended } from './user-directory';

/** The console's session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS). */
export const SESSION_COOKIE = 'vigil_session';
/** State-changing requests from a cookie session carry this header with the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionTimes {
  idleMs: number;
  maxMs: number;
}

export interface SignInRequest {
  username: string;
  password: string;
  address: string;
  userAgent?: string | null;
}

export interface SignedIn {
  principal: Principal;
  user: UserRow;
  /** The cookie's value; never stored, never logged. */
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

const WRONG = 'The username or password is not right.';

function minutes(ms: number): string {
  const m = Math.ceil(ms / 60_000);
  return m <= 1 ? 'a minute' : `${m} minutes`;
}

/**
 * Console sign-in and server-side sessions. A session is a random 256-bit secret in a cookie;
 * the database keeps its SHA-256, the user, idle and absolute expiry, and revocation. The CSRF
 * token is an HMAC of the secret, so it needs no storage and dies with the session.
 * Every sign-in attempt is audited (ok or not; refusals by the throttle at most once a minute per
 * account or address, so a flood cannot flood the audit trail).
 */
export class ConsoleSessions {
  private readonly addresses: AddressFailures;
  private readonly lastTouched = new Map<string, number>();
  private readonly refusalAudited = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly times: SessionTimes,
    private readonly now: () => Date = () => new Date(),
    addressLimits: AddressLimits = DEFAULT_ADDRESS_LIMITS,
  ) {
    this.addresses = new AddressFailures(addressLimits);
  }

  async signIn(request: SignInRequest): Promise<SignedIn> {
    const now = this.now();
    const addressWait = this.addresses.waitMs(request.address, now);
    if (addressWait > 0) {
      await this.auditRefusal(`address:${request.address}`, null, request.address);
      throw this.tooMany(`Too many failed sign-ins from this address; try again in ${minutes(addressWait)}.`, addressWait);
    }
    let username: string | null = null;
    try {
      username = normaliseUsername(request.username ?? '');
    } catch {
      username = null;
    }
    const user = username ? await this.db.repos.users.findByUsername(username) : null;
    if (user) {
      const wait = accountWaitMs(user.failedSignIns, user.lastFailedSignInAt, now);
      if (wait > 0) {
        await this.auditRefusal(`user:${user.id}`, user.id, request.address);
        throw this.tooMany(`Too many failed sign-ins for this account; try again in ${wait < 60_000 ? `${Math.ceil(wait / 1000)} seconds` : minutes(wait)}.`, wait);
      }
    }
    const hash = user && !user.disabledAt ? await this.db.repos.users.passwordHashOf(user.id) : null;
    let ok = false;
    if (hash) ok = await verifyPassword(hash, request.password ?? '');
    else await burnVerification(request.password ?? '');
    if (!ok || !user) {
      this.addresses.record(request.address, now);
      const outcome = !user ? 'unknown_user' : user.disabledAt ? 'disabled' : !hash ? 'no_password' : 'wrong_password';
      await this.db.transaction(async (repos) => {
        if (user) await repos.users.recordFailure(user.id, now);
        await repos.audit.append(actorOf(null), { action: 'auth.sign-in', objectType: 'app_user', objectId: user?.id ?? null, details: { outcome, address: request.address } });
      });
      throw new UnauthenticatedError(WRONG);
    }
    const secret = generateSessionSecret();
    const expiresAt = new Date(now.getTime() + this.times.maxMs);
    const sessionId = await this.db.transaction(async (repos) => {
      const id = await repos.userSessions.insert({ userId: user.id, secretHash: hashTokenSecret(secret), expiresAt, address: request.address, userAgent: request.userAgent ?? null });
      await repos.users.recordSuccess(user.id, now);
      const principal = this.principalOf(user, id);
      await repos.audit.append(actorOf(principal), { action: 'auth.sign-in', objectType: 'app_user', objectId: user.id, details: { outcome: 'ok', address: request.address, sessionId: id } });
      return id;
    });
    return { principal: this.principalOf(user, sessionId), user, secret, csrfToken: this.csrfTokenFor(secret), expiresAt };
  }

  /** The principal of a usable session cookie, or null. Refreshes the idle clock (at most once a minute). */
  async verify(secret: string | null | undefined): Promise<Principal | null> {
    if (!secret || secret.length > 200) return null;
    const now = this.now();
    const row = await this.db.repos.userSessions.findActive(hashTokenSecret(secret), now, this.times.idleMs);
    if (!row) return null;
    await this.touch([row.sessionId]);
    return { tokenId: null, sessionId: row.sessionId, userId: row.userId, role: row.role, name: row.displayName };
  }

  /** Keeps sessions alive while their console is connected (called for live sockets). */
  async touch(sessionIds: string[]): Promise<void> {
    const now = this.now();
    for (const id of sessionIds) {
      if (now.getTime() - (this.lastTouched.get(id) ?? 0) < 60_000) continue;
      this.lastTouched.set(id, now.getTime());
      await this.db.repos.userSessions.touch(id, now);
    }
    if (this.lastTouched.size > 10_000) this.lastTouched.clear();
  }

  csrfTokenFor(secret: string): string {
    return createHmac('sha256', secret).update('vigil csrf v1').digest('base64url');
  }

  checkCsrf(secret: string, header: string | undefined): boolean {
    if (!header) return false;
    const expected = Buffer.from(this.csrfTokenFor(secret));
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async signOut(principal: Principal): Promise<Ended | null> {
    if (!principal.sessionId || !principal.userId) return null;
    await this.db.transaction(async (repos) => {
      await repos.userSessions.revoke(principal.sessionId!, this.now());
      await repos.audit.append(actorOf(principal), { action: 'auth.sign-out', objectType: 'app_user', objectId: principal.userId });
    });
    return { userId: principal.userId, sessionIds: [principal.sessionId] };
  }

  /** Ends every session of the signed-in user (this one included). */
  async signOutEverywhere(principal: Principal): Promise<Ended> {
    if (!principal.userId) throw new UnauthenticatedError('Sign in with your username and password to end your sessions.');
    return this.db.transaction(async (repos) => {
      const sessionIds = await repos.userSessions.revokeAllOf(principal.userId!, this.now());
      await repos.audit.append(actorOf(principal), { action: 'auth.sign-out-everywhere', objectType: 'app_user', objectId: principal.userId, details: { sessionsEnded: sessionIds.length } });
      return { userId: principal.userId!, sessionIds };
    });
  }

  /** Ids among `ids` that no longer authenticate anybody. */
  unusable(ids: string[]): Promise<string[]> {
    return this.db.repos.userSessions.unusable(ids, this.now(), this.times.idleMs);
  }

  private principalOf(user: UserRow, sessionId: string): Principal {
    return { tokenId: null, sessionId, userId: user.id, role: user.role, name: user.displayName };
  }

  private tooMany(message: string, waitMs: number): RateLimitedError {
    return new RateLimitedError(message, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
  }

  private async auditRefusal(key: string, userId: string | null, address: string): Promise<void> {
    const now = this.now().getTime();
    if (now - (this.refusalAudited.get(key) ?? 0) < 60_000) return;
    this.refusalAudited.set(key, now);
    if (this.refusalAudited.size > 10_000) this.refusalAudited.clear();
    await this.db.repos.audit.append(actorOf(null), { action: 'auth.sign-in', objectType: 'app_user', objectId: userId, details: { outcome: 'throttled', address } });
  }
}
