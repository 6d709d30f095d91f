/**
 * What the recognition pipeline saw, for an administrator asking "why was this person not
 * recognised?" (GET /api/cameras/:id/attempts) and for the live camera tiles
 * (GET /api/cameras/:id/overlay beside the JPEG of GET /api/cameras/:id/snapshot).
 * Held in the worker's memory for a few minutes only; never persisted; never an embedding.
 */

export interface BoxView {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The track's vote after this attempt. */
export type VoteStateName = 'pending' | 'match' | 'unknown';

/** What the attempt contributed to its track's vote. */
export type AttemptSightingName =
  /** Counted as a sighting of the nearest person (within the list's threshold and margin). */
  | 'match'
  /** Counted as an unknown sighting. */
  | 'unknown'
  /** Not counted: the quality gate refused the face (see quality.reasons). */
  | 'low_quality'
  /**
   * Not counted: the track had already decided. The face still had to look like the track's
   * person to join it (every analysis re-checks), so the decision still stands.
   */
  | 'decided';

export interface AttemptCandidateView {
  personId: string;
  /** null when the person was erased since. */
  personName: string | null;
  list: 'watchlist' | 'employee';
  distance: number;
  /** The list's threshold in force when the attempt was made. */
  threshold: number;
}

export interface RecognitionAttemptView {
  /** Unique within the worker process; names the attempt for its thumbnail and for enrolment. */
  id: string;
  /** Frame time, ISO 8601. */
  at: string;
  trackId: string;
  box: BoxView;
  frame: { width: number; height: number };
  /** scan: the whole frame with the scan detector; follow: only around an open track's face. */
  analysis: 'scan' | 'follow';
  detector: 'ssd' | 'tiny';
  quality: { ok: boolean; reasons: string[] };
  /** Nearest enrolled person, whether or not within the threshold; null for an empty gallery or no descriptor. */
  nearest: AttemptCandidateView | null;
  sighting: AttemptSightingName;
  vote: {
    state: VoteStateName;
    sightings: number;
    /** The decided person (state match). */
    personId: string | null;
    personName: string | null;
    /** True when this track's "unknown" was re-opened by a later good match. */
    reopened: boolean;
  };
  /** The decided track this face replaced at the same spot (a different person arrived), else null. */
  replacedTrackId: string | null;
  /** JPEG of the face with a margin, kept only for faces that matched or came close; null otherwise. */
  thumbnailUrl: string | null;
}

export interface RecognitionAttemptsView {
  cameraId: string;
  /** Attempts older than this are forgotten. */
  keptSeconds: number;
  /** At most this many attempts are kept per camera. */
  capacity: number;
  /** Newest first. */
  items: RecognitionAttemptView[];
}

export interface OverlayFaceView {
  box: BoxView;
  trackId: string;
  state: VoteStateName;
  /** Decided person's name (state match), else null. */
  personName: string | null;
  list: 'watchlist' | 'employee' | null;
}

/**
 * The faces of the camera's last analysis, in the frame's pixel coordinates (width × height). The
 * snapshot JPEG is the same picture scaled down (same aspect ratio): scale the boxes to it.
 */
export interface CameraOverlayView {
  cameraId: string;
  /** Time of the analysed frame, or null when nothing was analysed yet. */
  at: string | null;
  width: number;
  height: number;
  faces: OverlayFaceView[];
}
