import { randomUUID } from 'node:crypto';
import { mkdir, opendir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Image files under VIGIL_DATA_DIR/media. Paths are generated here (never taken from a request),
 * grouped by owner so erasure can remove a person's folder, and written atomically.
 */
export class MediaStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'media');
  }

  /** Writes bytes and returns the path relative to the media root. */
  async writePersonImage(personId: string, bytes: Buffer, extension: 'jpg' | 'png' | 'webp'): Promise<string> {
    if (!/^[0-9a-f-]{36}$/.test(personId)) throw new Error('invalid person id for a media path');
    return this.write(path.posix.join('persons', personId, `${randomUUID()}.${extension}`), bytes);
  }

  /**
   * Absolute path of a stored file, or null when the relative path would leave the media root
   * (defence in depth: paths come from the database, which also refuses '..' and absolute paths).
   */
  resolve(relative: string): string | null {
    const absolute = path.resolve(this.root, relative);
    return absolute.startsWith(this.root + path.sep) ? absolute : null;
  }

  /** Alert crops and frames, by camera and day (retention deletes whole days). */
  async writeCameraImage(cameraId: string, bytes: Buffer): Promise<string> {
    if (!/^[0-9a-f-]{36}$/.test(cameraId)) throw new Error('invalid camera id for a media path');
    const day = new Date().toISOString().slice(0, 10);
    return this.write(path.posix.join('cameras', cameraId, day, `${randomUUID()}.jpg`), bytes);
  }

  private async write(relative: string, bytes: Buffer): Promise<string> {
    const absolute = path.join(this.root, relative);
    await mkdir(path.dirname(absolute), { recursive: true });
    const temp = `${absolute}.${process.pid}.tmp`;
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, absolute);
    return relative;
  }

  /** A stored file's bytes, or null when it is gone (or the path would leave the media root). */
  async read(relative: string): Promise<Buffer | null> {
    const file = this.resolve(relative);
    if (!file) return null;
    return readFile(file).catch(() => null);
  }

  async remove(relative: string): Promise<void> {
    await rm(path.join(this.root, relative), { force: true });
  }

  /**
   * Removes a file (a no-op when it is already gone, or when the path would leave the media root)
   * and then its folder if that is now empty: camera crops are grouped by day, a person's photos
   * in their own folder.
   */
  async removeAndPrune(relative: string): Promise<void> {
    const file = this.resolve(relative);
    if (!file) return;
    await rm(file, { force: true });
    const dir = path.dirname(file);
    if (dir !== this.root) await rmdir(dir).catch(() => undefined); // not empty: other files remain
  }

  /** Is this a half-written file (a writer died between writing and renaming it)? */
  static isTemporary(relative: string): boolean {
    return relative.endsWith('.tmp');
  }

  /**
   * Every file under the media root (relative path with '/' separators, modification time),
   * streamed folder by folder so a tree of millions of crops is never held in memory.
   */
  async *files(): AsyncGenerator<{ relative: string; mtimeMs: number }> {
    yield* walk(this.root, '');
  }
}

async function* walk(dir: string, prefix: string): AsyncGenerator<{ relative: string; mtimeMs: number }> {
  let handle;
  try {
    handle = await opendir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing stored yet, or removed meanwhile
    throw error;
  }
  for await (const entry of handle) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(absolute, relative);
    } else if (entry.isFile()) {
      const info = await stat(absolute).catch(() => null); // removed meanwhile
      if (info) yield { relative, mtimeMs: info.mtimeMs };
    }
  }
}
