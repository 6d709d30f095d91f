import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ScanStorage } from './scan-storage';

/** What the upload route receives for the file: where it was streamed to, never its bytes. */
export interface StoredUpload {
  jobId: string;
  originalname: string;
  /** Absolute path of the stored file. */
  path: string;
  size: number;
}

type UploadRequest = { scanJobId?: string };
type IncomingFile = { originalname: string; stream: Readable };
type Done = (error: Error | null, info?: Partial<StoredUpload>) => void;

/**
 * A multer storage engine that streams the upload straight into the job's folder (never buffered
 * in memory, whatever its size). Multer stops the stream at the size limit and then calls
 * `_removeFile`, so a refused upload leaves nothing behind; the job id is drawn here, so the
 * folder and the row that follows share it.
 */
export class ScanUploadStorage {
  constructor(private readonly storage: ScanStorage) {}

  _handleFile(req: UploadRequest, file: IncomingFile, cb: Done): void {
    const jobId = (req.scanJobId ??= randomUUID());
    void this.storage
      .uploadDir(jobId)
      .then(async (dir) => {
        const target = path.join(dir, ScanStorage.storedName(file.originalname));
        const out = createWriteStream(target, { mode: 0o600, flags: 'wx' });
        let size = 0;
        file.stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        await pipeline(file.stream, out);
        return { jobId, path: target, size };
      })
      .then(
        (info) => cb(null, info),
        (error: unknown) => {
          void this.storage.removeJob(jobId).catch(() => undefined);
          cb(error instanceof Error ? error : new Error(String(error)));
        },
      );
  }

  _removeFile(_req: UploadRequest, file: { path?: string; jobId?: string }, cb: (error: Error | null) => void): void {
    const done = () => cb(null);
    if (file.jobId) void this.storage.removeJob(file.jobId).then(done, done);
    else if (file.path) void rm(file.path, { force: true }).then(done, done);
    else done();
  }
}
