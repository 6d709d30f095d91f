import { MediaUnreadableError, probeMedia, ScanCancelledError, scanMedia, writeReports } from '@vigil/scan';
import type { MediaProbe, ScanDetector, ScanListChoice, ScanMatcher, ScanPeople, ScanProgress, ScanReport } from '@vigil/scan';
import { UnprocessableError, UnsupportedMediaError } from '@vigil/domain';
import type { ScanMediaView } from '@vigil/contracts';

export { ScanCancelledError };
export type { ScanProgress, ScanReport };

/**
 * The scan core (@vigil/scan, shared with `vigil scan`) as the server uses it. The core names
 * files by their path; on the server that is a path under the data folder, which is nobody's
 * business: every message and report here names the file as the admin uploaded it.
 */
export async function probeUpload(file: string, originalName: string): Promise<ScanMediaView> {
  let probe: MediaProbe;
  try {
    probe = await probeMedia(file);
  } catch (error) {
    if (error instanceof MediaUnreadableError) {
      // Not media at all: 415; media that cannot be read whole (truncated, undecodable): 422.
      const Refusal = error.problem === 'not_media' ? UnsupportedMediaError : UnprocessableError;
      throw new Refusal(`${renamed(error.message, file, originalName)}. Nothing was queued: upload a video (MP4, MOV, MKV, AVI, WebM…) or a photo (JPEG, PNG, WebP).`, {
        file: originalName,
        problem: error.problem,
      });
    }
    throw error;
  }
  return {
    kind: probe.kind,
    format: null,
    durationSeconds: probe.kind === 'video' ? probe.durationSeconds || null : null,
    width: probe.width,
    height: probe.height,
    codec: probe.codec,
  };
}

export interface CoreScan {
  file: string;
  originalName: string;
  list: ScanListChoice;
  engine: ScanDetector;
  matcher: ScanMatcher;
  people: ScanPeople;
  concurrency: number;
  detector: 'ssd' | 'tiny';
  signal: AbortSignal;
  onProgress(progress: ScanProgress): void;
}

/** Scans one uploaded file; the report names it by its original name. */
export async function scanUpload(job: CoreScan): Promise<ScanReport> {
  const report = await scanMedia({
    files: [job.file],
    list: job.list,
    engine: job.engine,
    matcher: job.matcher,
    people: job.people,
    concurrency: job.concurrency,
    detector: job.detector,
    signal: job.signal,
    onProgress: (p) => job.onProgress({ ...p, currentFile: p.currentFile === null ? null : job.originalName }),
  });
  const rename = (text: string) => renamed(text, job.file, job.originalName);
  return {
    ...report,
    files: report.files.map((f) => ({ ...f, file: job.originalName, error: f.error === null ? null : rename(f.error) })),
    matches: report.matches.map((m) => ({ ...m, file: job.originalName })),
  };
}

export async function writeScanReports(report: ScanReport, outDir: string): Promise<void> {
  await writeReports(report, outDir);
}

function renamed(text: string, file: string, originalName: string): string {
  return text.split(file).join(`“${originalName}”`);
}
