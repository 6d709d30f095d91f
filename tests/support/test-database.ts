import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';

export interface TestDatabase {
  config: DatabaseConfig;
  /** For process-level tests: the data folder (embedded) or null. */
  dataDir: string | null;
  label: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new PostgreSQL database on the server named by
 * DATABASE_URL when it is set (dropped afterwards), the embedded PGlite in a temp folder otherwise.
 * In CI both runs happen, so every integration test runs on both engines.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) return createPostgresDatabase(serverUrl);
  return createEmbeddedDatabase();
}

export function createEmbeddedDatabase(): TestDatabase {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-test-'));
  return {
    config: { kind: 'embedded', dataDir: path.join(dataDir, 'db') },
    dataDir,
    label: 'embedded PGlite',
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** A fresh database on the PostgreSQL server at `serverUrl` (`prefix` + pid + random), dropped by cleanup. */
export async function createPostgresDatabase(serverUrl: string, prefix = 'vigil_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    dataDir: null,
    label: 'PostgreSQL',
    cleanup: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Two handles on one fresh database (see openTwoHandles). */
export interface TwoHandles {
  a: Database;
  b: Database;
  onPostgres: boolean;
  config: DatabaseConfig;
  close(): Promise<void>;
}

/**
 * Two handles on one fresh database, as two processes hold it: two connection pools on PostgreSQL
 * (DATABASE_URL), and on the embedded database — one process by design — the same handle twice.
 */
export async function openTwoHandles(): Promise<TwoHandles> {
  const testDb = await createTestDatabase();
  const onPostgres = testDb.config.kind === 'postgres';
  const a = await Database.open(testDb.config);
  const b = onPostgres ? await Database.open(testDb.config, { migrate: false }) : a;
  return {
    a,
    b,
    onPostgres,
    config: testDb.config,
    async close() {
      if (b !== a) await b.close();
      await a.close();
      await testDb.cleanup();
    },
  };
}
