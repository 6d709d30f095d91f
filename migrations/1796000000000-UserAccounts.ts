import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named staff accounts (issue #13):
 * - app_user: username (unique, case-insensitive), display name, role, argon2id password hash
 *   (null until set), disabled flag, and the per-account sign-in failure counter that slows
 *   password guessing across every api process;
 * - user_session: a console's server-side session. The browser holds a 256-bit random secret in
 *   an HttpOnly cookie; only its SHA-256 is stored. Idle and absolute expiry are checked on use;
 *   revoked_at ends it at once (sign-out, sign-out everywhere, account disabled);
 * - setup_code: the one-time code printed at first start to set the first admin's password;
 * - API tokens are owned by a user (devices and integrations); the env/bootstrap admin token has none;
 * - "who" columns gain the user beside the token: audit, review labels, alert actions, settings.
 *   The two-reviewer rule counts people: one label per (item, user), or per token where a legacy
 *   token has no owner.
 */
export class UserAccounts1796000000000 implements MigrationInterface {
  name = 'UserAccounts1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
        display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('admin', 'security', 'reviewer')),
        password_hash text,
        password_changed_at timestamptz,
        disabled_at timestamptz,
        failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
        last_failed_sign_in_at timestamptz,
        last_sign_in_at timestamptz,
        created_by_user uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_username_uq ON app_user (username)`);

    await q.query(`
      CREATE TABLE user_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        secret_hash bytea NOT NULL UNIQUE CHECK (octet_length(secret_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        address text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX user_session_user_idx ON user_session (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE setup_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code_hash bytea NOT NULL UNIQUE CHECK (octet_length(code_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);

    await q.query(`ALTER TABLE api_token ADD COLUMN owner_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX api_token_owner_idx ON api_token (owner_user_id) WHERE revoked_at IS NULL`);
    // Append-only: no foreign key (the record outlives what it names).
    await q.query(`ALTER TABLE audit_event ADD COLUMN actor_user_id uuid`);
    await q.query(`ALTER TABLE review_label ADD COLUMN reviewer_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL`);
    await q.query(`CREATE UNIQUE INDEX review_label_one_per_person_uq ON review_label (item_id, (COALESCE(reviewer_user_id, reviewer_token_id)))`);
    for (const column of ['acknowledged_by_user', 'resolved_by_user', 'escalated_by_user']) {
      await q.query(`ALTER TABLE alert ADD COLUMN ${column} uuid REFERENCES app_user (id) ON DELETE SET NULL`);
    }
    await q.query(`ALTER TABLE setting ADD COLUMN updated_by_user uuid REFERENCES app_user (id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE setting DROP COLUMN updated_by_user`);
    for (const column of ['escalated_by_user', 'resolved_by_user', 'acknowledged_by_user']) {
      await q.query(`ALTER TABLE alert DROP COLUMN ${column}`);
    }
    await q.query(`DROP INDEX review_label_one_per_person_uq`);
    await q.query(`ALTER TABLE review_label DROP COLUMN reviewer_user_id`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN actor_user_id`);
    await q.query(`DROP INDEX api_token_owner_idx`);
    await q.query(`ALTER TABLE api_token DROP COLUMN owner_user_id`);
    await q.query(`DROP TABLE setup_code`);
    await q.query(`DROP TABLE user_session`);
    await q.query(`DROP TABLE app_user`);
  }
}
