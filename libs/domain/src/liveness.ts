import { fitHomography, applyHomography, planarResidual, type PlanePoint } from './planar-geometry';

/** What the kiosk asks the person to do. Left/right are the person's own (see liveness docs). */
export const LIVENESS_ACTIONS = ['turn_left', 'turn_right'] as const;
export type LivenessAction = (typeof LIVENESS_ACTIONS)[number];

/** Per kiosk token: run the challenge before booking, or book on one frame. */
export const LIVENESS_MODES = ['required', 'off'] as const;
export type LivenessMode = (typeof LIVENESS_MODES)[number];

export const LIVENESS_PROMPTS: Record<LivenessAction, string> = {
  turn_left: 'Turn your head to your LEFT',
  turn_right: 'Turn your head to your RIGHT',
};

/** What the server measured on one frame of the challenge, in the order the kiosk captured them. */
export interface LivenessFrame {
  /** Faces found in the frame. */
  faces: number;
  /** 68-point (iBUG) landmarks of the one face, frame pixels. */
  landmarks?: readonly PlanePoint[];
  descriptor?: ArrayLike<number>;
}

export interface LivenessThresholds {
  /** Fewest frames a sequence may have. */
  minFrames: number;
  /** The frontal-most frame must be within this yaw: the turn starts from facing the kiosk. */
  maxStartYawDeg: number;
  /** The head must turn at least this far the asked way, from the frontal-most frame. */
  minTurnDeg: number;
  /** Landmark constellation of frontal vs turned frame must be at least this far from one plane. */
  minParallax: number;
  /** Every frame's descriptor within this distance of the frontal one (the employee threshold). */
  maxIdentityDistance: number;
  /**
   * Frontal and turned inner face explained this well (NCC ≥) by ONE homography of the pixels
   * means a flat picture, whatever the landmarks say (see withTexturePlanarity).
   */
  maxTexturePlanarity: number;
}

/**
 * Chosen on LFW photos and warped copies of them (docs/kiosk-liveness.md has the figures): real
 * photos 20°+ apart measure a parallax of 0.18–0.45; warped copies of one photo 0.02–0.14, up to
 * ~0.19 only under extreme perspective (a print tilted 45° at arm's length, both ways).
 */
export const DEFAULT_LIVENESS_THRESHOLDS: Omit<LivenessThresholds, 'maxIdentityDistance'> = Object.freeze({
  minFrames: 3,
  maxStartYawDeg: 12,
  minTurnDeg: 20,
  minParallax: 0.15,
  // Warped copies of a photo score 0.986–1.000; different photos of one person 20°+ apart 0.36–0.80.
  maxTexturePlanarity: 0.975,
});

export type LivenessFailure =
  | 'too_few_frames'
  | 'no_face'
  | 'multiple_faces'
  | 'not_frontal'
  | 'identity_changed'
  | 'wrong_direction'
  | 'too_little_turn'
  | 'out_of_order'
  | 'flat'
  | 'flat_picture';

export type LivenessVerdict =
  | { live: true; frontalIndex: number; turnedIndex: number; turnDeg: number; parallax: number; yawsDeg: number[]; texturePlanarity?: number }
  | { live: false; reason: LivenessFailure; frame?: number; yawsDeg?: number[]; turnDeg?: number; parallax?: number; texturePlanarity?: number };

// 68-point (iBUG) indices: outline ends at the ears, the lower jaw, the nose tip.
const JAW_LEFT = 0;
const JAW_RIGHT = 16;
const JAW_LOWER_RIGHT = 12;
const JAW_LOWER_LEFT = 4;
const NOSE_TIP = 30;
const UNIT_SQUARE: PlanePoint[] = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

/**
 * Yaw from where the nose tip sits inside the quadrilateral of four outline points, in that
 * quadrilateral's own projective coordinates: u = 0.5 is centred, yaw = asin(2u − 1). Unlike a
 * distance ratio along the eye line, those coordinates do not change when a flat picture is
 * rotated, sheared or tilted in perspective (any homography), so a turned print cannot fake a
 * turn by geometry alone; only the landmark net's own bias on warped faces moves it (measured).
 * Positive: the nose points to the image's right, i.e. the person turned to their own left
 * (the server sees the camera's unmirrored frames).
 */
export function planarYawDeg(landmarks: readonly PlanePoint[]): number {
  if (landmarks.length !== 68) throw new Error(`expected 68 landmarks, got ${landmarks.length}`);
  const quad = [landmarks[JAW_LEFT]!, landmarks[JAW_RIGHT]!, landmarks[JAW_LOWER_RIGHT]!, landmarks[JAW_LOWER_LEFT]!];
  const h = fitHomography(quad, UNIT_SQUARE);
  if (!h) return Number.NaN;
  const u = applyHomography(h, landmarks[NOSE_TIP]!).x;
  if (!Number.isFinite(u)) return Number.NaN;
  return (Math.asin(Math.max(-1, Math.min(1, 2 * u - 1))) * 180) / Math.PI;
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/**
 * The server's decision on a challenge sequence: one face in every frame, the same person
 * throughout, starting roughly frontal, then turned the asked way by at least minTurnDeg, after
 * (not before) the frontal frame, and the turn is a real 3-D one (the landmarks of the frontal
 * and turned frames are not one plane seen twice). Checks run cheapest and most telling first;
 * the first failure is the answer.
 */
export function assessLiveness(action: LivenessAction, frames: readonly LivenessFrame[], t: LivenessThresholds): LivenessVerdict {
  // Faces first: the server stops analysing at the first frame without exactly one face, so a
  // short list after such a frame is that frame's fault, not too few frames sent.
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    if (f.faces === 0 || !f.landmarks || !f.descriptor) return { live: false, reason: 'no_face', frame: i };
    if (f.faces > 1) return { live: false, reason: 'multiple_faces', frame: i };
  }
  if (frames.length < t.minFrames) return { live: false, reason: 'too_few_frames' };
  const yaws = frames.map((f) => planarYawDeg(f.landmarks!));
  if (yaws.some((y) => !Number.isFinite(y))) return { live: false, reason: 'no_face', frame: yaws.findIndex((y) => !Number.isFinite(y)) };
  let frontal = 0;
  for (let i = 1; i < yaws.length; i++) if (Math.abs(yaws[i]!) < Math.abs(yaws[frontal]!)) frontal = i;
  if (Math.abs(yaws[frontal]!) > t.maxStartYawDeg) return { live: false, reason: 'not_frontal', frame: frontal, yawsDeg: yaws };
  for (let i = 0; i < frames.length; i++) {
    if (distance(frames[i]!.descriptor!, frames[frontal]!.descriptor!) > t.maxIdentityDistance) return { live: false, reason: 'identity_changed', frame: i, yawsDeg: yaws };
  }
  const sign = action === 'turn_left' ? 1 : -1;
  let turned = frontal;
  for (let i = 0; i < yaws.length; i++) if (sign * yaws[i]! > sign * yaws[turned]!) turned = i;
  const turnDeg = sign * (yaws[turned]! - yaws[frontal]!);
  if (turnDeg < t.minTurnDeg) {
    const other = Math.max(...yaws.map((y) => -sign * (y - yaws[frontal]!)));
    return { live: false, reason: other >= t.minTurnDeg ? 'wrong_direction' : 'too_little_turn', yawsDeg: yaws, turnDeg };
  }
  if (turned < frontal) return { live: false, reason: 'out_of_order', yawsDeg: yaws, turnDeg };
  const parallax = planarResidual(frames[frontal]!.landmarks!, frames[turned]!.landmarks!);
  if (!(parallax >= t.minParallax)) return { live: false, reason: 'flat', yawsDeg: yaws, turnDeg, parallax };
  return { live: true, frontalIndex: frontal, turnedIndex: turned, turnDeg, parallax, yawsDeg: yaws };
}

/**
 * The last gate, on pixels rather than landmarks: the landmark net is not equivariant (on a
 * strongly tilted print it places points partly as if the head had turned), but a print's pixels
 * still map from the frontal to the turned frame by one homography. `planarity` is that fit's NCC
 * over the inner face (libs/vision texturePlanarity).
 */
export function withTexturePlanarity(verdict: LivenessVerdict, planarity: number, t: Pick<LivenessThresholds, 'maxTexturePlanarity'>): LivenessVerdict {
  if (!verdict.live) return verdict;
  if (!(planarity < t.maxTexturePlanarity)) return { live: false, reason: 'flat_picture', yawsDeg: verdict.yawsDeg, turnDeg: verdict.turnDeg, parallax: verdict.parallax, texturePlanarity: planarity };
  return { ...verdict, texturePlanarity: planarity };
}
