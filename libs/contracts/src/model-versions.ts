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
  /** The learned head matching projects through (docs/learned-head.md), or null: raw descriptors. */
  head: ModelHeadView | null;
}

/** A learned head, without its weights: what it is and what training measured. */
export interface ModelHeadView {
  /** Identifies the weights; versions that inherit a head share it. */
  key: string;
  dims: number;
  /** Epochs, samples, persons, loss before → after, held-out persons… */
  training: Record<string, unknown> | null;
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

/** `interrupted`: the process running it stopped (its heartbeat went silent); nothing was changed unless a version shows it. */
export type RefreshRunStatusName = 'running' | 'finished' | 'failed' | 'interrupted';

/** Where a running refresh is: re-embedding reviewed crops (done of total), scoring, or writing the version. */
export interface RefreshProgressView {
  /** `training`: a head run's epochs (done of total). */
  phase: 'preparing' | 'embedding' | 'training' | 'evaluating' | 'committing';
  done?: number;
  total?: number;
}

/**
 * A refresh runs in the background (it re-embeds every reviewed crop: minutes on a CPU with a big
 * review history). `POST /api/model-versions/refresh` answers 202 with the run;
 * `GET /api/model-versions/refresh` shows the latest one until the next starts — from any api
 * process: runs are stored, and only one runs at a time across all of them. Progress is pushed to
 * admins as `refresh.progress`.
 */
export interface RefreshRunView {
  /** The stored run's id (a uuid). */
  id: string;
  status: RefreshRunStatusName;
  /** `refresh`: references and thresholds; `head`: a learned-head candidate (POST /api/model-versions/head). */
  kind: 'refresh' | 'head';
  trigger: 'admin' | 'schedule';
  /** The admin token's name, or null for the schedule. */
  requestedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** While running: the phase it is in. */
  progress: RefreshProgressView | null;
  /** The server process running (that ran) it. */
  node: string;
  /** Set when finished: the candidate and whether it was promoted, with why. */
  result: RefreshResultView | null;
  /** Set when failed or interrupted: what went wrong, in words a person can act on. */
  error: string | null;
}
