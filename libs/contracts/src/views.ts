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
}

export interface TokenView {
  id: string;
  name: string;
  role: RoleName;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
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
    stats: { queued: number; inFlight: number; processed: number; dropped: number; timeouts: number; crashes: number; workers: number } | null;
    error?: string;
  } | null;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: Record<string, unknown>;
  correlationId?: string;
}
