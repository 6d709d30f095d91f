import fs from 'node:fs';
import path from 'node:path';

/**
 * Two processes on one PGlite folder silently lose writes, so the embedded database is guarded by
 * a pid lock file. A pid file (rather than an mtime-refreshed lock) lets a restart after kill -9
 * or a crash proceed at once: the old pid is gone, so the lock is stale and taken over.
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
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return lockHandle(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPid(lockPath);
    // Our own pid means a previous incarnation with the same pid (pid 1 in a container) died.
    if (holder !== null && holder !== process.pid && isAlive(holder)) {
      throw new DataDirLockedError(lockPath, holder);
    }
    // Stale: the holder is gone. Remove and retry; a racing process may win, hence the loop.
    try {
      fs.unlinkSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const holder = readPid(lockPath) ?? -1;
  throw new DataDirLockedError(lockPath, holder);
}

function lockHandle(lockPath: string): DataDirLock {
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours.
      if (readPid(lockPath) === process.pid) {
        try {
          fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      }
    },
  };
}

function readPid(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
