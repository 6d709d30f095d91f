import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';

/** One-time codes to set the first administrator's password. Only their SHA-256 is stored. */
export class SetupCodeRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Stores a new code and retires every earlier unused one (only the newest printed code works). */
  async replace(codeHash: Buffer, expiresAt: Date, now = new Date()): Promise<void> {
    await this.manager.query(`UPDATE setup_code SET used_at = $1 WHERE used_at IS NULL`, [now]);
    await this.manager.query(`INSERT INTO setup_code (code_hash, expires_at) VALUES ($1, $2)`, [codeHash, expiresAt]);
  }

  /** Marks the code used if it is valid at `now`; true when it was. */
  async consume(codeHash: Buffer, now = new Date()): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE setup_code SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id`,
        [codeHash, now],
      ),
    );
    return rows.length === 1;
  }

  async retireAll(now = new Date()): Promise<void> {
    await this.manager.query(`UPDATE setup_code SET used_at = $1 WHERE used_at IS NULL`, [now]);
  }
}
