import type { RecognitionMetricsView } from './views';
/** JSON shapes of /api/model-versions (the model lifecycle). */
export type ModelVersionStatusName = 'candidate' | 'active' | 'retired' | 'rejected';

export interface ModelThresholdsView {
  watchlist: number;
  employee: number;
  margin: number;
}

export interface ModelVersionView {
  id: number;
  label: string;
  status: ModelVersionStatusName;
  thresholds: ModelThresholdsView;
  /** What the refresh measured and decided (held-out metrics, calibration, changes); null for the initial version. */
  metrics: ModelVersionMetricsView | null;
  decisionReason: string | null;
  parentId: number | null;
  createdAt: string;
  promotedAt: string | null;
  /** The gallery version whose reference changes this version made (a bigint, as text). */
  galleryVersion: string;
}

/** Confusion counts and rates of one version on the held-out reviewed faces: the review metrics' shape. */
export type HeldOutMetricsView = RecognitionMetricsView;

/** What a refresh recorded on the version it built: held-out comparison, decision, split, calibration, changes. */
export interface ModelVersionMetricsView {
  heldOut?: { candidate: HeldOutMetricsView; champion: HeldOutMetricsView; championId: number };
  [detail: string]: unknown;
}

export interface RefreshResultView {
  candidate: ModelVersionView;
  promoted: boolean;
  reason: string;
  /** The active version before the refresh, on the held-out part. */
  before: HeldOutMetricsView;
  /** The candidate, on the same held-out part. */
  after: HeldOutMetricsView;
}

export type RefreshRunStatusName = 'running' | 'finished' | 'failed';

/**
 * A refresh runs in the background (it re-embeds every reviewed crop: minutes on a CPU with a big
 * review history). `POST /api/model-versions/refresh` answers 202 with the run;
 * `GET /api/model-versions/refresh` shows the latest one until the next starts.
 */
export interface RefreshRunView {
  /** Increases with every run this server process starts. */
  id: number;
  status: RefreshRunStatusName;
  trigger: 'admin' | 'schedule';
  /** The admin token's name, or null for the schedule. */
  requestedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** Set when finished: the candidate and whether it was promoted, with why. */
  result: RefreshResultView | null;
  /** Set when failed: what went wrong, in words a person can act on. */
  error: string | null;
}
