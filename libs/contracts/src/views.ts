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

/** `GET /api/persons/:id/faces`: a current reference photo (never its embedding). */
export interface FaceReferenceView {
  id: string;
  modelId: string;
  quality: Record<string, unknown>;
  source: string;
  augmented: boolean;
  augmentation: string | null;
  outlier: boolean;
  weight: number;
  /** The stored photo (`/api/media/<id>`), or null when none was kept. */
  imageUrl: string | null;
  createdAt: string;
}

/** `POST /api/persons/:id/faces` accepted: the reference and the quality measures it passed. */
export interface EnrolledFaceView {
  id: string;
  quality: Record<string, unknown> & { reasons?: string[] };
}

/** `POST /api/kiosk/check`: what the kiosk screen shows. */
export type KioskCheckView =
  | { decision: 'checked_in' | 'checked_out'; message: string; person: { id: string; name: string }; at: string; score: number }
  | { decision: 'already_recorded'; message: string; person: { id: string; name: string }; reason: string }
  | { decision: 'no_face' | 'multiple_faces' | 'retry' | 'not_recognised'; message: string; reasons?: string[] };
