import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock, DataDirLock } from './data-dir-lock';

export interface EmbeddedPostgres {
  pglite: PGlite;
  close(): Promise<void>;
}

/**
 * Opens PGlite in `dbDir`, guarded by a pid lock in its parent folder (PGlite wants its own
 * folder to itself). The lock is taken before PGlite touches any file.
 */
export async function openEmbeddedPostgres(dbDir: string): Promise<EmbeddedPostgres> {
  const lock: DataDirLock = acquireDataDirLock(path.dirname(dbDir));
  try {
    fs.mkdirSync(dbDir, { recursive: true });
    const pglite = await PGlite.create(dbDir);
    let closed = false;
    return {
      pglite,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
