/** JSON shapes the HTTP API returns. Plain interfaces: shared by the server and the web app. */
export type RoleName = 'admin' | 'security' | 'reviewer' | 'kiosk';
export type PersonListName = 'watchlist' | 'employee';
export type CameraStatusName = 'starting' | 'online' | 'stalled' | 'offline' | 'frozen' | 'disabled';

export interface ConsentView {
  givenAt: string;
  method: string;
  reference: string | null;
  withdrawnAt: string | null;
}

export interface PersonView {
  id: string;
  name: string;
  list: PersonListName;
  notes: string | null;
  consent: ConsentView | null;
  referenceCount: number;
  createdAt: string;
  updatedAt: string;
}

/** One reference of a person (GET /api/persons/:id/faces); never the embedding. */
export interface FaceReferenceView {
  id: string;
  modelId: string;
  quality: Record<string, unknown>;
  source: 'upload' | 'import' | 'camera' | 'review';
  /** An augmented copy of another reference (derivedFromId), e.g. augmentation 'flip'. */
  augmented: boolean;
  augmentation: string | null;
  derivedFromId: string | null;
  /** Far from the person's other photos: kept, but trusted less (weight below 1). */
  outlier: boolean;
  weight: number;
  /** The stored photo (`/api/media/<id>`), or null when none was kept. */
  imageUrl: string | null;
  createdAt: string;
}

/** POST /api/persons/:id/faces → 201. */
export interface EnrolmentView {
  id: string;
  quality: Record<string, unknown>;
  outlier: boolean;
  weight: number;
  variants: Array<{ id: string; augmentation: string }>;
  skippedVariants: Array<{ augmentation: string; reason: string }>;
  /** Every current reference of the person flagged as an outlier after this enrolment. */
  outliers: string[];
}

export interface CameraView {
  id: string;
  name: string;
  /** The stream URL with any credentials replaced by `***`. */
  url: string;
  fps: number;
  enabled: boolean;
  settings: { motionSensitivity: number; stallSeconds: number; frozenSeconds: number; analyseEverySeconds: number };
  status: CameraStatusName;
  statusReason: string | null;
  /** Frames per second measured by ingest; null until ingest reports. */
  measuredFps: number | null;
  lastFrameAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The worker process running the camera (holding its unexpired lease); null when none does. */
  worker: { id: string; name: string } | null;
  /** The lease epoch the camera's events are written under (grows at every hand-over); null when unheld. */
  leaseEpoch: string | null;
}

export interface TokenView {
  id: string;
  name: string;
  role: RoleName;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** The user who holds the token (null: VIGIL_ADMIN_TOKEN, the generated admin token, legacy tokens). */
  ownerUserId: string | null;
  /** Kiosk tokens: 'required' — a check must pass the liveness challenge; 'off' — one frame books. */
  liveness: 'required' | 'off';
}

/** A staff account (never its password hash). */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: 'admin' | 'security' | 'reviewer';
  disabled: boolean;
  hasPassword: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

/** Who the caller is: a signed-in user (cookie session) or a token. */
export interface SessionView {
  kind: 'session' | 'token';
  role: RoleName;
  name: string;
  user: UserView | null;
  /** Cookie sessions only: send it as X-CSRF-Token on every state-changing request. */
  csrfToken: string | null;
  expiresAt: string | null;
}

/** Returned once, at minting: the only time the secret is ever shown. */
export interface MintedTokenView extends TokenView {
  token: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** GET /api/health without a token (probes, load balancers): nothing but the verdict. */
export interface HealthStatusView {
  status: HealthView['status'];
}

/** GET /api/health with a token of role admin, security or reviewer. */
export interface HealthView {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  roles: string[];
  uptimeSeconds: number;
  database: { ok: boolean; kind: 'postgres' | 'embedded'; latencyMs: number | null; error?: string };
  /** Which TensorFlow backend inference runs on and why (`idle` until an api-only process needs it). */
  inference: {
    status: 'idle' | 'starting' | 'ready' | 'failed';
    backend: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | null;
    reason: string | null;
    workers: number;
    stats: { queued: number; kioskQueued: number; backgroundQueued: number; inFlight: number; processed: number; dropped: number; refused: number; timeouts: number; crashes: number; workers: number } | null;
    error?: string;
  } | null;
  /** KPI targets missed by the reviewed decisions of the monitor's window; any breach → `degraded`. */
  kpi: { breaches: KpiBreachView[]; checkedAt: string | null } | null;
  /**
   * Jobs that run in one process at a time (escalator, retention, refresh-scheduler, kpi-monitor)
   * this process campaigns for: whether it leads each, since when, its last run here. Empty in a
   * process that runs none (worker role).
   */
  jobs: JobLeadershipView[];
  /**
   * How consoles are reached (api processes; null on a worker): `memory` = this process's sockets
   * only (no VIGIL_REDIS_URL); `redis` = shared with the other api processes, `connected` false
   * while Redis is unreachable (then `degraded`: consoles on other api processes miss this one's
   * status pushes and revocations until it is back).
   */
  realtime: { adapter: 'memory' | 'redis'; connected: boolean } | null;
}

export interface JobLeadershipView {
  job: string;
  leader: boolean;
  since: string | null;
  lastRunAt: string | null;
  runs: number;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: Record<string, unknown>;
  correlationId?: string;
}

// --- Review queue, labels, recognition metrics (docs: README "Review queue and KPIs") ---

export type ReviewItemKind = 'alert' | 'attendance' | 'unknown' | 'sample';
export type ReviewItemStatus = 'open' | 'labelled' | 'confirmed' | 'expired';
export type ReviewLabelName = 'TP' | 'FP' | 'FN' | 'TN';

export interface ReviewPersonRef {
  personId: string;
  personName: string;
  list: PersonListName;
}

export interface ReviewLabelView {
  id: string;
  reviewerName: string;
  label: ReviewLabelName;
  /** "This is not X, it is Y". */
  actualPersonId: string | null;
  actualPersonName: string | null;
  /** "Not anyone enrolled". */
  notEnrolled: boolean;
  notes: string | null;
  createdAt: string;
}

export interface ReviewItemView {
  id: string;
  kind: ReviewItemKind;
  status: ReviewItemStatus;
  /** The alert this item reviews (kind 'alert'). */
  alertId: string | null;
  /** When the decision was made. */
  createdAt: string;
  cameraId: string | null;
  cameraName: string | null;
  /** Who the system said it was (alert, attendance); null for unknowns and samples. */
  candidate: ReviewPersonRef | null;
  /** Unknowns and samples: the nearest enrolled person (not accepted); null otherwise. */
  nearest: ReviewPersonRef | null;
  score: number | null;
  distance: number | null;
  /** '/api/media/<id>' (audited view); null when no crop was kept or it expired. */
  cropUrl: string | null;
  /** Enrolled reference photos of the candidate (or nearest person), up to 4. */
  referenceUrls: string[];
  modelVersionId: number | null;
  labels: ReviewLabelView[];
  /** Watchlist alerts need two different reviewers to be confirmed. */
  requiredLabels: 1 | 2;
  /** Unknowns and samples: when the crop and the item are deleted (labelled items are kept as 'expired'). */
  expiresAt: string | null;
}

export type ReviewQueueView = Page<ReviewItemView>;

export interface RecognitionMetricsView {
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

export interface KpiBreachView {
  metric: 'accuracy' | 'far' | 'precision' | 'recall';
  value: number;
  target: number;
  /** 'overall', 'list:<list>' or 'camera:<id>'. */
  scope: string;
}

export interface KpiTargetsView {
  minAccuracy: number;
  maxFar: number;
  minPrecision?: number;
  minRecall?: number;
  /** Scopes with fewer reviewed items are not judged. */
  minReviewed: number;
}

export interface RecognitionReportView {
  overall: RecognitionMetricsView;
  byDay: Array<{ day: string } & RecognitionMetricsView>;
  byCamera: Array<{ cameraId: string | null; cameraName: string | null } & RecognitionMetricsView>;
  byList: Array<{ list: PersonListName } & RecognitionMetricsView>;
  kpi: { targets: KpiTargetsView; breaches: KpiBreachView[] };
}

/** GET/PATCH /api/settings/review. Rates are shares 0..1; caps are per camera and local day. */
export interface ReviewSettingsView {
  attendanceSampleRate: number;
  attendanceDailyCap: number;
  unknownSampleRate: number;
  unknownDailyCap: number;
  unknownRetentionDays: number;
  unseenSampleRate: number;
  unseenDailyCap: number;
  unseenRetentionDays: number;
  samplingSeed: number;
  kpiMinAccuracy: number;
  kpiMaxFar: number;
  kpiMinPrecision: number | null;
  kpiMinRecall: number | null;
  kpiMinReviewed: number;
  kpiWindowDays: number;
}

/** `POST /api/persons/:id/faces` accepted: the reference and the quality measures it passed. */
export interface EnrolledFaceView {
  id: string;
  quality: Record<string, unknown> & { reasons?: string[] };
  /** Unlike the person's other photos (leave-one-out rule): kept, with a lower weight. */
  outlier: boolean;
  weight: number;
}

/** `POST /api/kiosk/check`: what the kiosk screen shows. */
export type KioskCheckView =
  | { decision: 'checked_in' | 'checked_out'; message: string; person: { id: string; name: string }; at: string; score: number }
  | { decision: 'already_recorded'; message: string; person: { id: string; name: string }; reason: string }
  | { decision: 'no_face' | 'multiple_faces' | 'retry' | 'not_recognised'; message: string; reasons?: string[] }
  /** The liveness challenge was not passed: nothing booked, nothing recorded about the person. */
  | { decision: 'not_live'; message: string; reason: string }
  /** A kiosk token with liveness 'required' sent one frame with a face: run the challenge (nothing matched or booked). */
  | { decision: 'liveness_required'; message: string };

/** POST /api/kiosk/challenge: what to ask the person, and how to answer (POST /api/kiosk/check with the nonce and the frames). */
export interface KioskChallengeView {
  nonce: string;
  action: 'turn_left' | 'turn_right';
  /** For the screen, in large text. */
  prompt: string;
  expiresAt: string;
  /** How many frames to capture, and over about how long. */
  frames: number;
  captureMs: number;
}
