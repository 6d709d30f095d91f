import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REPORT_FILES = { json: 'report.json', csv: 'report.csv', html: 'report.html' } as const;
export type ReportFormat = keyof typeof REPORT_FILES;

/**
 * Where scan jobs keep their files: `<VIGIL_DATA_DIR>/scans/<job id>/` with the upload under
 * `upload/` and the report under `report/`. Deliberately not under `media/`: the orphan sweep
 * deletes every file there that no `media` row records. Like media, the folder must be shared by
 * api processes (which write uploads) and workers (which read them and write reports).
 */
export class ScanStorage {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'scans');
  }

  /** The folder an upload for this job is streamed into (created). */
  async uploadDir(jobId: string): Promise<string> {
    const dir = path.join(this.jobDir(jobId), 'upload');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * The name the upload is stored under: `upload` plus the original extension when it is a plain
   * one (ffprobe reads content, but still pictures are told from videos partly by extension).
   */
  static storedName(originalName: string): string {
    const ext = path.extname(originalName).toLowerCase();
    return /^\.[a-z0-9]{1,5}$/.test(ext) ? `upload${ext}` : 'upload';
  }

  /** Relative path (as stored in the row) → absolute, or null when it would leave the root. */
  resolve(relative: string): string | null {
    const absolute = path.resolve(this.root, relative);
    return absolute.startsWith(this.root + path.sep) ? absolute : null;
  }

  relative(absolute: string): string {
    return path.relative(this.root, absolute).split(path.sep).join('/');
  }

  reportDir(jobId: string): string {
    return path.join(this.jobDir(jobId), 'report');
  }

  /** A report file of a job whose report folder is `reportDir` (relative), or null. */
  reportFile(reportDir: string, format: ReportFormat): string | null {
    return this.resolve(path.posix.join(reportDir, REPORT_FILES[format]));
  }

  /** A match's crop (`crops/match-0001.jpg`) in the report folder, or null for any other name. */
  cropFile(reportDir: string, name: string): string | null {
    if (!/^match-\d{4,}\.jpg$/.test(name)) return null;
    return this.resolve(path.posix.join(reportDir, 'crops', name));
  }

  /** Removes the upload (the footage is not kept once the job has ended). */
  async removeUpload(jobId: string): Promise<void> {
    await rm(path.join(this.jobDir(jobId), 'upload'), { recursive: true, force: true });
  }

  /** Removes everything of a job (upload and report). */
  async removeJob(jobId: string): Promise<void> {
    await rm(this.jobDir(jobId), { recursive: true, force: true });
  }

  private jobDir(jobId: string): string {
    if (!UUID.test(jobId)) throw new Error('invalid scan job id for a path');
    return path.join(this.root, jobId);
  }
}
