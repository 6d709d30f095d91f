import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';
import type { UserRole } from './user.repository';

export interface NewUserSession {
  userId: string;
  secretHash: Buffer;
  expiresAt: Date;
  address: string | null;
  userAgent: string | null;
}

/** A live session joined with its (enabled) user: what a request is authenticated as. */
export interface ActiveSessionRow {
  sessionId: string;
  userId: string;
  username: string;
  displayName: string;
  role: UserRole;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface SessionListRow {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  address: string | null;
  userAgent: string | null;
}

/** Console sessions. Only the SHA-256 of the cookie's secret is stored. */
export class UserSessionRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(session: NewUserSession): Promise<string> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `INSERT INTO user_session (user_id, secret_hash, expires_at, address, user_agent) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [session.userId, session.secretHash, session.expiresAt, session.address, session.userAgent?.slice(0, 300) ?? null],
      ),
    );
    return rows[0]!.id;
  }

  /**
   * The session with this secret if it is usable at `now`: not revoked, before its absolute expiry,
   * seen within `idleMs`, and its user enabled.
   */
  async findActive(secretHash: Buffer, now: Date, idleMs: number): Promise<ActiveSessionRow | null> {
    const rows = rowsOf<ActiveSessionRow>(
      await this.manager.query(
        `SELECT s.id AS "sessionId", u.id AS "userId", u.username, u.display_name AS "displayName", u.role,
                s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt"
           FROM user_session s JOIN app_user u ON u.id = s.user_id
          WHERE s.secret_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
            AND s.last_seen_at > $3 AND u.disabled_at IS NULL`,
        [secretHash, now, new Date(now.getTime() - idleMs)],
      ),
    );
    return rows[0] ?? null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.manager.query(`UPDATE user_session SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [id, at]);
  }

  async revoke(id: string, at = new Date()): Promise<void> {
    await this.manager.query(`UPDATE user_session SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
  }

  /** Ends every session of a user (but `exceptId`); answers the ids ended. */
  async revokeAllOf(userId: string, at = new Date(), exceptId: string | null = null): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE user_session SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3 RETURNING id`,
        [userId, at, exceptId],
      ),
    );
    return rows.map((r) => r.id);
  }

  listActive(userId: string, now: Date, idleMs: number): Promise<SessionListRow[]> {
    return this.manager
      .query(
        `SELECT id, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt", address, user_agent AS "userAgent"
           FROM user_session WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3
          ORDER BY created_at DESC`,
        [userId, now, new Date(now.getTime() - idleMs)],
      )
      .then((r) => rowsOf<SessionListRow>(r));
  }

  /** Ids among `ids` that are no longer usable (revoked, expired, idle, user disabled, or gone). */
  async unusable(ids: string[], now: Date, idleMs: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `SELECT s.id FROM user_session s JOIN app_user u ON u.id = s.user_id
          WHERE s.id = ANY($1::uuid[]) AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled_at IS NULL`,
        [ids, now, new Date(now.getTime() - idleMs)],
      ),
    );
    const alive = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !alive.has(id));
  }

  /** Housekeeping: forgets sessions ended before `before`. */
  async purgeEnded(before: Date): Promise<number> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(`DELETE FROM user_session WHERE (revoked_at IS NOT NULL AND revoked_at < $1) OR expires_at < $1 RETURNING id`, [before]),
    );
    return rows.length;
  }
}
