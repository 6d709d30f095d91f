import type { VigilConfig } from '@vigil/config';
import { Database, DataDirLockedError } from '@vigil/persistence';

/** Exit code of a command refused because a running server holds the embedded database. */
export const DATABASE_IN_USE = 3;

/**
 * Opens the database for a command that works beside (not inside) the server. The embedded
 * database is one process at a time: when a running server holds it, says so with what to do
 * (`hint`: how this command's work reaches the server) and returns null — the caller exits with
 * DATABASE_IN_USE. Every other failure is thrown.
 */
export async function openCommandDatabase(config: VigilConfig, command: string, hint: string, err: (text: string) => void): Promise<Database | null> {
  try {
    return await Database.open(config.database);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    err(`vigil ${command}: the embedded database is in use by a running Vigil server (pid ${error.holderPid}).\n${hint}\n`);
    return null;
  }
}
