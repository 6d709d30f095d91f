import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kiosk liveness (issue #15). Each kiosk token says whether a check needs the active challenge
 * (`liveness`: existing tokens keep working as they did, 'off'; the API mints new kiosk tokens
 * with 'required'). A challenge is stored — any api process behind the load balancer can verify
 * it — as the SHA-256 of its nonce, bound to the principal that asked for it (its token, or a
 * console user), short-lived, and used at most once: consuming it is one conditional UPDATE.
 */
export class KioskLiveness1797300000000 implements MigrationInterface {
  name = 'KioskLiveness1797300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_token ADD COLUMN liveness text NOT NULL DEFAULT 'off' CHECK (liveness IN ('required', 'off'))`);
    await q.query(`
      CREATE TABLE kiosk_challenge (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nonce_hash bytea NOT NULL UNIQUE,
        principal_key text NOT NULL,
        token_id uuid REFERENCES api_token (id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('turn_left', 'turn_right')),
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CHECK (expires_at > issued_at)
      )`);
    await q.query(`CREATE INDEX kiosk_challenge_expires_idx ON kiosk_challenge (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kiosk_challenge`);
    await q.query(`ALTER TABLE api_token DROP COLUMN liveness`);
  }
}
