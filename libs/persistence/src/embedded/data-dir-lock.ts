import fs from 'node:fs';
import path from 'node:path';
import {
  currentBootId, formatIdentity, holderIsRunning, ownIdentity, parseIdentity, pidExists, readProcessStat, type ProcessIdentity,
} from './process-identity';

/**
 * Two processes on one PGlite folder silently lose writes, so the embedded database is guarded by
 * a lock file naming its holder: pid, the process's start time and the boot id (see
 * process-identity.ts). A restart after kill -9 or a crash proceeds at once: the holder is gone,
 * a zombie not yet reaped, or its pid now belongs to another process (another start time, or
 * another boot), so the lock is stale and taken over. A live holder is never taken over.
 */
export class DataDirLockedError extends Error {
  constructor(readonly lockPath: string, readonly holderPid: number) {
    super(
      `Another Vigil process (pid ${holderPid}) is using the embedded database in ${path.dirname(lockPath)}. ` +
        'Stop that process, point this one at another folder with VIGIL_DATA_DIR, ' +
        'or set DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export function acquireDataDirLock(dir: string, lockName = 'vigil.lock'): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, lockName);
  const self = ownIdentity();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, formatIdentity(self));
      fs.closeSync(fd);
      return lockHandle(lockPath, self);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockPath);
    // Our own pid means a previous incarnation with the same pid (pid 1 in a container) died.
    if (holder !== null && holder.pid !== process.pid && isRunning(holder)) {
      throw new DataDirLockedError(lockPath, holder.pid);
    }
    // Stale: the holder is gone. Remove and retry; a racing process may win, hence the loop.
    try {
      fs.unlinkSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const holder = readHolder(lockPath)?.pid ?? -1;
  throw new DataDirLockedError(lockPath, holder);
}

function isRunning(holder: ProcessIdentity): boolean {
  return holderIsRunning(holder, { bootId: currentBootId(), stat: (pid) => readProcessStat(pid), pidExists });
}

function lockHandle(lockPath: string, self: ProcessIdentity): DataDirLock {
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours.
      const holder = readHolder(lockPath);
      if (holder?.pid === self.pid && holder.startTime === self.startTime) {
        try {
          fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      }
    },
  };
}

function readHolder(lockPath: string): ProcessIdentity | null {
  try {
    return parseIdentity(fs.readFileSync(lockPath, 'utf8'));
  } catch {
    return null;
  }
}
