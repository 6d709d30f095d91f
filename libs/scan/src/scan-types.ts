import type { Box, PersonList, RecogniserMatcher } from '@vigil/domain';
import type { DetectedFace, DetectOptions, RgbFrame } from '@vigil/vision';

/** What `--list` asks for: one list, or both. */
export type ScanListChoice = PersonList | 'all';

export type MediaKind = 'video' | 'image';

/** What ffprobe says about a file before it is decoded. */
export interface MediaProbe {
  file: string;
  kind: MediaKind;
  /** Seconds; 0 for an image. */
  durationSeconds: number;
  /** Source frame rate (frames per second); 0 for an image or when the container does not say. */
  frameRate: number;
  width: number;
  height: number;
  /** Codec name as ffprobe reports it (h264, hevc, mjpeg, png…). */
  codec: string;
}

/**
 * The face engine the scan runs on: an InferencePool (n workers) or a single FaceEngine. Frames
 * are handed over as copies, so a pool that moves (transfers) buffers is fine.
 */
export interface ScanDetector {
  detect(frame: RgbFrame, options?: DetectOptions): Promise<DetectedFace[]>;
}

/** Who a person of the gallery is, for the report (name, list, the enrolled photo). */
export interface ScanPerson {
  personId: string;
  name: string;
  list: PersonList;
  /** An enrolled photo (JPEG/PNG/WebP bytes) shown beside the crop; null when none is stored. */
  photo: { data: Buffer; contentType: string } | null;
}

/** Looks up the people a scan matched (once, at the end: only people actually found are read). */
export interface ScanPeople {
  describe(personIds: readonly string[]): Promise<Map<string, ScanPerson>>;
}

/** The matcher a scan decides with, and what it is (recorded in the report). */
export interface ScanMatcher extends RecogniserMatcher {
  /** The active model version (null: built-in defaults). */
  readonly modelVersionId: number | null;
  readonly modelVersionLabel: string | null;
  /** References in the gallery; a scan with an empty gallery is refused (it could match nobody). */
  readonly size: number;
}

/** Progress of a scan, reported after every analysed frame and at each file's start and end. */
export interface ScanProgress {
  /** probing: reading every file's duration first (filesDone counts files probed); scanning: analysing. */
  phase: 'probing' | 'scanning';
  filesTotal: number;
  /** Files finished (ok or failed). */
  filesDone: number;
  /** The file being scanned (null once all are done). */
  currentFile: string | null;
  /** Frames analysed so far, all files. */
  framesAnalysed: number;
  /** Estimated frames to analyse in all files (from probed durations at the analysis rate). */
  framesEstimated: number;
  matches: number;
  /** Milliseconds since the scan started. */
  elapsedMs: number;
}

export interface ScanOptions {
  /** Files to scan, in order (listMedia expands a folder). */
  files: readonly string[];
  /** Which lists' matches are reported (matching itself always uses the whole gallery, as live). */
  list: ScanListChoice;
  engine: ScanDetector;
  matcher: ScanMatcher;
  people: ScanPeople;
  /** Frames analysed per second of video (default DEFAULT_ANALYSIS_FPS). */
  analysisFps?: number;
  /** Frames analysed at once (the inference pool's workers); default 1. */
  concurrency?: number;
  /** Detector for each frame (default 'ssd', the product's camera detector). */
  detector?: 'ssd' | 'tiny';
  onProgress?(progress: ScanProgress): void;
  /** Aborting kills ffmpeg and rejects with ScanCancelledError. */
  signal?: AbortSignal;
}

/** One person found in one file: a decided track of the live recogniser. */
export interface ScanMatch {
  /** 1-based, in report order (file, then time). */
  index: number;
  file: string;
  personId: string;
  name: string;
  list: PersonList;
  /** Seconds into the video when the person's track started (first sighting); 0 for an image. */
  firstSeenSeconds: number;
  /** Seconds into the video when the vote decided. */
  decidedSeconds: number;
  /** Seconds into the video of the track's last sighting. */
  lastSeenSeconds: number;
  /** The person's best score on the track (0..1, higher is closer). */
  score: number;
  distance: number;
  sightings: number;
  box: Box;
  /** JPEG of the face at the decision (a watchlist/employee person's face, never a stranger's). */
  crop: Buffer;
}

export type ScanFileStatus = 'ok' | 'failed';

/** What one file's faces came to (FileTally counts them as the recogniser decides). */
export interface FileCounts {
  /** Face detections, all frames. */
  facesSeen: number;
  /** Distinct face tracks (people, as the tracker followed them). */
  tracks: number;
  /** Tracks decided for a person on a reported list. */
  matches: number;
  /** Tracks decided for a person on a list that was not asked for (counted, not reported). */
  otherListMatches: number;
  /** Tracks decided unknown: strangers, counted only. */
  strangers: number;
  /** Tracks never decided (too few good sightings). */
  undecided: number;
}

export interface ScanFileResult extends FileCounts {
  file: string;
  kind: MediaKind | null;
  status: ScanFileStatus;
  /** Why the file failed, for a person to act on; null when ok. */
  error: string | null;
  durationSeconds: number;
  /** Seconds of video actually decoded and analysed (equals duration for a complete file). */
  analysedSeconds: number;
  framesAnalysed: number;
}

/** ok: every file scanned; completed_with_errors: some files failed (see files[].error). */
export type ScanStatus = 'completed' | 'completed_with_errors';

export interface ScanReport {
  status: ScanStatus;
  list: ScanListChoice;
  analysisFps: number;
  detector: 'ssd' | 'tiny';
  modelVersionId: number | null;
  modelVersionLabel: string | null;
  startedAt: string;
  finishedAt: string;
  elapsedSeconds: number;
  files: ScanFileResult[];
  matches: ScanMatch[];
  /** Enrolled photos and names of the matched people (for the HTML report). */
  people: ScanPerson[];
}
