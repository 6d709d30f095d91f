import { EntityManager } from 'typeorm';

/**
 * Runtime-tunable settings (the `setting` table): one JSON value per key; defaults and bounds live
 * in the domain. Callers validate what they read; an absent key means "use the default".
 */
export class SettingRepository {
  constructor(private readonly manager: EntityManager) {}

  async getMany(keys: readonly string[]): Promise<Record<string, unknown>> {
    const rows = (await this.manager.query(`SELECT key, value FROM setting WHERE key = ANY($1::text[])`, [keys])) as Array<{ key: string; value: unknown }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async get(key: string): Promise<unknown> {
    return (await this.getMany([key]))[key];
  }

  async setMany(values: Readonly<Record<string, unknown>>, byTokenId: string | null, byUserId: string | null = null): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      await this.manager.query(
        `INSERT INTO setting (key, value, updated_at, updated_by, updated_by_user) VALUES ($1, $2::jsonb, now(), $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by,
           updated_by_user = EXCLUDED.updated_by_user`,
        [key, JSON.stringify(value), byTokenId, byUserId],
      );
    }
  }

  /**
   * Stores `value` under `key` unless the key already has one, and returns the stored value: the
   * first writer wins, so concurrent callers (processes booting together) all read the same value.
   */
  async setIfAbsent(key: string, value: unknown): Promise<unknown> {
    await this.manager.query(`INSERT INTO setting (key, value, updated_at) VALUES ($1, $2::jsonb, now()) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify(value)]);
    return this.get(key);
  }

  set(key: string, value: unknown, byTokenId: string | null = null): Promise<void> {
    return this.setMany({ [key]: value }, byTokenId);
  }

  /** Removes stored values, so their defaults apply again. */
  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.manager.query(`DELETE FROM setting WHERE key = ANY($1::text[])`, [keys]);
  }
}
