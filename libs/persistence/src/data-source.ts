import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@vigil/config';
import { MIGRATIONS } from '../../../migrations';
import { openEmbeddedPostgres, EmbeddedPostgres } from './embedded/open-pglite';
import { ENTITIES } from './entities';
import { ChangeChannel, ChangeListener, listenEmbedded, listenPostgres, OnChange } from './notifications';

const COMMON = {
  type: 'postgres' as const,
  entities: ENTITIES,
  migrations: MIGRATIONS,
  migrationsTableName: 'schema_migration',
  synchronize: false,
  // The schema (pgcrypto-free gen_random_uuid) needs no extensions; never let TypeORM install any.
  installExtensions: false,
  logging: false,
};

export function postgresOptions(url: string): DataSourceOptions {
  return {
    ...COMMON,
    url,
    poolSize: 10,
    extra: { application_name: 'vigil', connectionTimeoutMillis: 10_000 },
  };
}

/**
 * PGlite is reached through its own node-postgres adapter, so TypeORM uses the real `pg` driver
 * (real Buffers, error codes, transactions). One connection: PGlite is single-session, and a pool
 * of one serialises transactions — never await the global manager inside transaction().
 */
export function embeddedOptions(embedded: EmbeddedPostgres): DataSourceOptions {
  return { ...COMMON, poolSize: 1, extra: createPgConfig(embedded.pglite) };
}

export interface OpenedDataSource {
  dataSource: DataSource;
  kind: DatabaseConfig['kind'];
  close(): Promise<void>;
  listen(channels: readonly ChangeChannel[], onChange: OnChange, onError: (error: unknown) => void): Promise<ChangeListener>;
}

export async function openDataSource(db: DatabaseConfig): Promise<OpenedDataSource> {
  if (db.kind === 'postgres') {
    const dataSource = await new DataSource(postgresOptions(db.url)).initialize();
    return {
      dataSource,
      kind: 'postgres',
      close: () => dataSource.destroy(),
      listen: (channels, onChange, onError) => listenPostgres(db.url, channels, onChange, onError),
    };
  }
  const embedded = await openEmbeddedPostgres(db.dataDir);
  try {
    const dataSource = await new DataSource(embeddedOptions(embedded)).initialize();
    return {
      dataSource,
      kind: 'embedded',
      listen: (channels, onChange) => listenEmbedded(embedded.pglite, channels, onChange),
      async close() {
        try {
          if (dataSource.isInitialized) await dataSource.destroy();
        } finally {
          await embedded.close();
        }
      },
    };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

const MIGRATION_LOCK_KEY = 7_166_915_001; // arbitrary, constant: "vigil migrations"

/**
 * Runs pending migrations. On a shared PostgreSQL server several processes (api + workers) may
 * boot at once, so the run is serialised by a session advisory lock held on its own connection.
 */
export async function migrate(opened: OpenedDataSource): Promise<string[]> {
  const { dataSource } = opened;
  if (opened.kind === 'embedded') {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
