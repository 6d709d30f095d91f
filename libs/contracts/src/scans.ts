import type { PersonListName } from './views';

export type ScanJobStatusName = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';
/** Which enrolled people a scan looks for. */
export type ScanListName = PersonListName | 'all';

/** What ffprobe read from the upload before the job was queued. */
export interface ScanMediaView {
  kind: 'video' | 'image';
  /** Container or image format as ffprobe names it (`mov,mp4,m4a,3gp,3g2,mj2`, `png_pipe`, …). */
  format: string | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
}

/** Where a running job is (the last state for an ended one). */
export interface ScanProgressView {
  filesDone: number;
  filesTotal: number;
  /** Frames analysed so far, and the expected total (null when the duration is unknown). */
  framesDone: number;
  framesTotal: number | null;
  /** Seconds of video analysed in the current file. */
  secondsDone: number | null;
  matches: number;
}

export interface ScanSummaryView {
  files: number;
  filesFailed: number;
  framesAnalysed: number;
  faces: number;
  matches: number;
  /** Distinct people found. */
  people: number;
}

/** A scan job (GET /api/scans, GET /api/scans/:id, POST /api/scans) and the `scan.progress` push. */
export interface ScanJobView {
  id: string;
  status: ScanJobStatusName;
  list: ScanListName;
  /** The uploaded file's name as the admin's browser sent it. */
  fileName: string;
  sizeBytes: number;
  media: ScanMediaView | null;
  progress: ScanProgressView | null;
  summary: ScanSummaryView | null;
  /** Set when failed: what went wrong, in words a person can act on. */
  error: string | null;
  requestedBy: string;
  /** The worker process that runs (ran) it. */
  worker: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** GET this for the report (JSON view); `?format=json|csv|html` downloads the files. Null until finished. */
  reportUrl: string | null;
}

/** One match in a scan report: a face in the footage that matched an enrolled person. */
export interface ScanMatchView {
  file: string;
  /** Seconds from the start of the file (0 for an image). */
  atSeconds: number;
  personId: string | null;
  personName: string;
  list: PersonListName | null;
  /** Similarity shown to people (higher is closer), as on alerts. */
  score: number;
  distance: number | null;
  /** The face as found in the footage (authorised, audited). */
  cropUrl: string | null;
  /** The person's enrolled photo, when one is stored (GET /api/persons/:id/faces gives it too). */
  referenceUrl: string | null;
}

export interface ScanFileStatsView {
  file: string;
  status: 'scanned' | 'failed';
  error: string | null;
  durationSeconds: number | null;
  framesAnalysed: number;
  faces: number;
  matches: number;
}

/** GET /api/scans/:id/report */
export interface ScanReportView {
  job: ScanJobView;
  files: ScanFileStatsView[];
  matches: ScanMatchView[];
  /** The seconds between analysed frames (the report's time resolution). */
  analysisIntervalSeconds: number | null;
  downloads: { json: string; csv: string; html: string };
}
