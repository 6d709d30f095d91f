/**
 * Shapes of the review / lifecycle API (GET /api/reviews/queue, POST /api/reviews,
 * GET /api/metrics/recognition, /api/model-versions) as agreed for the consoles. Kept here until
 * the backend's own types land in @vigil/contracts; then these become re-exports.
 */
export type ReviewLabelName = 'TP' | 'FP' | 'FN' | 'TN';
export type ReviewKind = 'alert' | 'attendance' | 'unknown' | 'sample';
export type ReviewStatus = 'open' | 'labelled' | 'confirmed' | 'expired';

export interface ReviewLabelView {
  id: string;
  reviewerName: string;
  label: ReviewLabelName;
  actualPersonId: string | null;
  actualPersonName: string | null;
  notEnrolled: boolean;
  notes: string | null;
  createdAt: string;
}

export interface ReviewItemView {
  id: string;
  kind: ReviewKind;
  status: ReviewStatus;
  /** The alert this item reviews (kind 'alert'). */
  alertId?: string | null;
  createdAt: string;
  cameraId: string | null;
  cameraName: string | null;
  candidate: { personId: string; personName: string; list: 'watchlist' | 'employee' } | null;
  /** Unknowns and samples: the nearest enrolled person, not accepted as a match. */
  nearest?: { personId: string; personName: string; list: 'watchlist' | 'employee' } | null;
  score: number | null;
  distance: number | null;
  cropUrl: string | null;
  referenceUrls: string[];
  modelVersionId: number | null;
  labels: ReviewLabelView[];
  requiredLabels: 1 | 2;
}

export interface ReviewQueueView {
  items: ReviewItemView[];
  total: number;
  limit: number;
  offset: number;
}

export interface NewReviewLabel {
  itemId: string;
  label: ReviewLabelName;
  actualPersonId?: string;
  notEnrolled?: boolean;
  notes?: string;
}

export interface Metrics {
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

export interface KpiBreach {
  metric: string;
  value: number;
  target: number;
  scope: string;
}

export interface RecognitionMetricsView {
  overall: Metrics;
  byDay: Array<{ day: string } & Metrics>;
  byCamera: Array<{ cameraId: string | null; cameraName: string | null } & Metrics>;
  byList: Array<{ list: string } & Metrics>;
  kpi: { targets: { minAccuracy: number; maxFar: number; minPrecision?: number; minRecall?: number }; breaches: KpiBreach[] };
}

export interface ModelVersionView {
  id: number;
  label: string;
  status: 'candidate' | 'active' | 'retired' | 'rejected';
  thresholds: { watchlist: number; employee: number; margin: number };
  metrics: Partial<Metrics> | null;
  decisionReason: string | null;
  parentId: number | null;
  createdAt: string;
  promotedAt: string | null;
  galleryVersion: string | number;
}

export interface RefreshResultView {
  candidate: ModelVersionView;
  promoted: boolean;
  reason: string;
  before: Metrics;
  after: Metrics;
}
