import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';
import { ConflictError } from '@vigil/domain';
import { isUniqueViolation } from '../pg-errors';

export type UserRole = 'admin' | 'security' | 'reviewer';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  hasPassword: boolean;
  disabledAt: Date | null;
  failedSignIns: number;
  lastFailedSignInAt: Date | null;
  lastSignInAt: Date | null;
  passwordChangedAt: Date | null;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash: string | null;
  createdByUser?: string | null;
}

export interface UserPatch {
  displayName?: string;
  role?: UserRole;
}

const COLUMNS = `id, username, display_name AS "displayName", role, (password_hash IS NOT NULL) AS "hasPassword",
  disabled_at AS "disabledAt", failed_sign_ins AS "failedSignIns", last_failed_sign_in_at AS "lastFailedSignInAt",
  last_sign_in_at AS "lastSignInAt", password_changed_at AS "passwordChangedAt", created_at AS "createdAt"`;

/** Staff accounts. The password hash leaves this repository only through `passwordHashOf`. */
export class UserRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(user: NewUser): Promise<UserRow> {
    try {
      const rows = rowsOf<UserRow>(
        await this.manager.query(
          `INSERT INTO app_user (username, display_name, role, password_hash, password_changed_at, created_by_user)
           VALUES ($1, $2, $3, $4, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END, $5) RETURNING ${COLUMNS}`,
          [user.username, user.displayName, user.role, user.passwordHash, user.createdByUser ?? null],
        ),
      );
      return rows[0]!;
    } catch (error) {
      if (isUniqueViolation(error, 'app_user_username_uq')) {
        throw new ConflictError(`A user named "${user.username}" already exists; choose another username.`);
      }
      throw error;
    }
  }

  async findById(id: string): Promise<UserRow | null> {
    return rowsOf<UserRow>(await this.manager.query(`SELECT ${COLUMNS} FROM app_user WHERE id = $1`, [id]))[0] ?? null;
  }

  async findByUsername(username: string): Promise<UserRow | null> {
    return rowsOf<UserRow>(await this.manager.query(`SELECT ${COLUMNS} FROM app_user WHERE username = $1`, [username]))[0] ?? null;
  }

  async list(): Promise<UserRow[]> {
    return rowsOf<UserRow>(await this.manager.query(`SELECT ${COLUMNS} FROM app_user ORDER BY username`));
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const rows = rowsOf<{ hash: string | null }>(await this.manager.query(`SELECT password_hash AS hash FROM app_user WHERE id = $1`, [id]));
    return rows[0]?.hash ?? null;
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    await this.manager.query(`UPDATE app_user SET password_hash = $2, password_changed_at = now(), failed_sign_ins = 0 WHERE id = $1`, [id, hash]);
  }

  async patch(id: string, patch: UserPatch): Promise<UserRow | null> {
    const rows = rowsOf<UserRow>(
      await this.manager.query(
        `UPDATE app_user SET display_name = COALESCE($2, display_name), role = COALESCE($3, role) WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, patch.displayName ?? null, patch.role ?? null],
      ),
    );
    return rows[0] ?? null;
  }

  async setDisabled(id: string, disabled: boolean, at = new Date()): Promise<UserRow | null> {
    const rows = rowsOf<UserRow>(
      await this.manager.query(`UPDATE app_user SET disabled_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, disabled ? at : null]),
    );
    return rows[0] ?? null;
  }

  /** Counts a failed sign-in; answers the new count (the delay before the next try grows with it). */
  async recordFailure(id: string, at = new Date()): Promise<number> {
    const rows = rowsOf<{ n: number }>(
      await this.manager.query(
        `UPDATE app_user SET failed_sign_ins = failed_sign_ins + 1, last_failed_sign_in_at = $2 WHERE id = $1 RETURNING failed_sign_ins AS n`,
        [id, at],
      ),
    );
    return rows[0]?.n ?? 0;
  }

  async recordSuccess(id: string, at = new Date()): Promise<void> {
    await this.manager.query(`UPDATE app_user SET failed_sign_ins = 0, last_sign_in_at = $2 WHERE id = $1`, [id, at]);
  }

  /** Enabled admins that can sign in (have a password). */
  async countActiveAdmins(): Promise<number> {
    const rows = rowsOf<{ n: string }>(
      await this.manager.query(`SELECT count(*) AS n FROM app_user WHERE role = 'admin' AND disabled_at IS NULL AND password_hash IS NOT NULL`),
    );
    return Number(rows[0]?.n ?? 0);
  }

  async count(): Promise<number> {
    const rows = rowsOf<{ n: string }>(await this.manager.query(`SELECT count(*) AS n FROM app_user`));
    return Number(rows[0]?.n ?? 0);
  }

  /** Ids among `ids` of users that are disabled or gone. */
  async unusable(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(`SELECT id FROM app_user WHERE id = ANY($1::uuid[]) AND disabled_at IS NULL`, [ids]),
    );
    const alive = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !alive.has(id));
  }
}
