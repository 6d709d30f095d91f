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
  metrics: Record<string, unknown> | null;
  decisionReason: string | null;
  parentId: number | null;
  createdAt: string;
  promotedAt: string | null;
  /** The gallery version whose reference changes this version made (a bigint, as text). */
  galleryVersion: string;
}

/** Confusion counts and rates of one version on the held-out reviewed faces (the review metrics' shape). */
export interface HeldOutMetricsView {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  reviewed: number;
  precision: number | null;
  recall: number | null;
  accuracy: number | null;
  far: number | null;
  frr: number | null;
  auc: number | null;
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
