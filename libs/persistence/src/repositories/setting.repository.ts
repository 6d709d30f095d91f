import { EntityManager } from 'typeorm';

/**
 * Runtime-tunable settings (the `setting` table): JSON values by key, defaults live in code.
 * Callers validate what they read; an absent key means "use the default".
 */
export class SettingRepository {
  constructor(private readonly manager: EntityManager) {}

  async get(key: string): Promise<unknown> {
    const [row] = (await this.manager.query(`SELECT value FROM setting WHERE key = $1`, [key])) as Array<{ value: unknown }>;
    return row?.value;
  }

  async set(key: string, value: unknown, byTokenId: string | null = null): Promise<void> {
    await this.manager.query(
      `INSERT INTO setting (key, value, updated_by) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`,
      [key, JSON.stringify(value), byTokenId],
    );
  }
}
