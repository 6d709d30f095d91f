import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@vigil/config';
import { MIGRATIONS } from '../../../migrations';
import { assertAuditAppendOnlyFor, assertDistinctRoles, currentRole, DatabaseRoleError, grantAppRole } from './app-role';
import { openEmbeddedPostgres, EmbeddedPostgres } from './embedded/open-pglite';
import { ENTITIES } from './entities';
import { embeddedLockSession, LockSession, LockSessionOptions, openPostgresLockSession } from './lock-session';
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
  lockSession(opts: LockSessionOptions): Promise<LockSession>;
}

export async function openDataSource(db: DatabaseConfig): Promise<OpenedDataSource> {
  if (db.kind === 'postgres') {
    const dataSource = await new DataSource(postgresOptions(db.url)).initialize();
    return {
      dataSource,
      kind: 'postgres',
      close: () => dataSource.destroy(),
      listen: (channels, onChange, onError) => listenPostgres(db.url, channels, onChange, onError),
      lockSession: (opts) => openPostgresLockSession(db.url, opts),
    };
  }
  const embedded = await openEmbeddedPostgres(db.dataDir);
  try {
    const dataSource = await new DataSource(embeddedOptions(embedded)).initialize();
    return {
      dataSource,
      kind: 'embedded',
      listen: (channels, onChange) => listenEmbedded(embedded.pglite, channels, onChange),
      lockSession: async () => embeddedLockSession(),
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
const PG_INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Runs pending migrations. On a shared PostgreSQL server several processes (api + workers) may
 * boot at once, so the run is serialised by a session advisory lock held on its own connection;
 * `thenLocked` (the owner's grants) runs under the same lock.
 */
export async function migrate(opened: OpenedDataSource, thenLocked?: () => Promise<void>): Promise<string[]> {
  const { dataSource } = opened;
  if (opened.kind === 'embedded') {
    const applied = (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    await thenLocked?.();
    return applied;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = (await dataSource.runMigrations({ transaction: 'each' }).catch(explainPrivilegeError)).map((m) => m.name);
      await thenLocked?.();
      return applied;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** A role without CREATE met a pending migration: say which role may run it, and how. */
function explainPrivilegeError(error: unknown): never {
  if ((error as { driverError?: { code?: string } }).driverError?.code === PG_INSUFFICIENT_PRIVILEGE) {
    throw new DatabaseRoleError(
      `The schema needs migrating and this role may not change it (${(error as Error).message}). Migrations run as ` +
        'the role that owns the schema: run `vigil migrate` with VIGIL_DATABASE_OWNER_URL set to it, or give the server ' +
        'VIGIL_DATABASE_OWNER_URL (README: "Database roles").',
    );
  }
  throw error;
}

/**
 * With VIGIL_DATABASE_OWNER_URL: migrates over a short-lived connection as the owner, grants the
 * application's role (the one `app` logs in as) what it needs, then checks from the application's
 * side that the audit trail is beyond its reach. The owner's connection is closed afterwards.
 */
export async function migrateAsOwner(app: OpenedDataSource, ownerUrl: string): Promise<string[]> {
  const appRole = await currentRole(app.dataSource);
  const owner = await openDataSource({ kind: 'postgres', url: ownerUrl });
  try {
    assertDistinctRoles(await currentRole(owner.dataSource), appRole);
    const applied = await migrate(owner, () => grantAppRole(owner.dataSource, appRole));
    await assertAuditAppendOnlyFor(app.dataSource);
    return applied;
  } finally {
    await owner.close();
  }
}
