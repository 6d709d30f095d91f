import { EntityManager } from 'typeorm';
import type { LivenessAction } from '@vigil/domain';
import { rowsOf } from './returned-rows';

export interface NewKioskChallenge {
  nonceHash: Buffer;
  /** Who may answer it: allowanceKeyOf(principal) — 'token:<id>' for a kiosk token. */
  principalKey: string;
  tokenId: string | null;
  action: LivenessAction;
  ttlSeconds: number;
}

/** Why a nonce could not be used: never issued (to this kiosk), already used, or too old. */
export type ChallengeRefusal = 'unknown' | 'used' | 'expired';

/**
 * Liveness challenges. Expiry is judged on the database's clock (now()), so api processes with
 * skewed clocks agree; a challenge is consumed by one conditional UPDATE, so of two requests with
 * the same nonce — in one process or two — exactly one gets it.
 */
export class KioskChallengeRepository {
  constructor(private readonly manager: EntityManager) {}

  async issue(c: NewKioskChallenge): Promise<{ id: string; expiresAt: Date }> {
    const rows = rowsOf<{ id: string; expiresAt: Date }>(
      await this.manager.query(
        `INSERT INTO kiosk_challenge (nonce_hash, principal_key, token_id, action, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
         RETURNING id, expires_at AS "expiresAt"`,
        [c.nonceHash, c.principalKey, c.tokenId, c.action, c.ttlSeconds],
      ),
    );
    return rows[0]!;
  }

  /** Marks the challenge used and returns its action, or says why it cannot be used. */
  async consume(nonceHash: Buffer, principalKey: string): Promise<{ action: LivenessAction } | { refused: ChallengeRefusal }> {
    const used = rowsOf<{ action: LivenessAction }>(
      await this.manager.query(
        `UPDATE kiosk_challenge SET used_at = now()
         WHERE nonce_hash = $1 AND principal_key = $2 AND used_at IS NULL AND expires_at > now()
         RETURNING action`,
        [nonceHash, principalKey],
      ),
    );
    if (used[0]) return { action: used[0].action };
    const rows = rowsOf<{ used: boolean; expired: boolean }>(
      await this.manager.query(
        `SELECT used_at IS NOT NULL AS used, expires_at <= now() AS expired FROM kiosk_challenge WHERE nonce_hash = $1 AND principal_key = $2`,
        [nonceHash, principalKey],
      ),
    );
    const row = rows[0];
    if (!row) return { refused: 'unknown' };
    return { refused: row.used ? 'used' : 'expired' };
  }

  /** Challenges that expired more than `graceSeconds` ago carry no information any more. */
  async deleteExpired(graceSeconds: number): Promise<number> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(`DELETE FROM kiosk_challenge WHERE expires_at < now() - make_interval(secs => $1) RETURNING id`, [graceSeconds]),
    );
    return rows.length;
  }
}
