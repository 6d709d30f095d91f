import { DESCRIPTOR_LENGTH, euclideanDistance } from '../descriptor';
import { decideMatch, type MatchPolicy } from '../match-policy';
import type { PersonList } from '../person-list';
import type { FaceQualityMeasures } from '../quality';
import type { Box } from '../track-geometry';

/**
 * Synthetic faces for the tracking and recognition specs: person k's face is the unit vector on
 * axis k (two different people are √2 ≈ 1.41 apart), and `face(k, d)` is that face seen at
 * distance d from it (the rest of the change on axis 127, so variants of one face stay close).
 */
export function face(person: number, distance = 0): Float32Array {
  if (person < 0 || person >= DESCRIPTOR_LENGTH - 1) throw new Error(`person index ${person} out of range`);
  const v = new Float32Array(DESCRIPTOR_LENGTH);
  // Unit vector rotated towards axis 127 by the angle whose chord is `distance`.
  const angle = 2 * Math.asin(Math.min(1, distance / 2));
  v[person] = Math.cos(angle);
  v[DESCRIPTOR_LENGTH - 1] = Math.sin(angle);
  return v;
}

export const GOOD_QUALITY: Readonly<FaceQualityMeasures> = Object.freeze({
  boxSizePx: 200, interOcularPx: 70, sharpness: 0.1, meanLuminance: 120, clippedFraction: 0, yawDeg: 0, rollDeg: 0, detectorScore: 0.99,
});

/** A face turned well away from the camera: the recognition quality gate refuses it. */
export const TURNED_AWAY: Readonly<FaceQualityMeasures> = Object.freeze({ ...GOOD_QUALITY, yawDeg: 75 });

export const box = (x: number, y = 100, size = 200): Box => ({ x, y, width: size, height: size });

/**
 * The thresholds the rule specs' tables are written for. They test rules (votes, margins, tracks),
 * not the calibrated defaults, which move whenever the calibration is re-run.
 */
export const TEST_POLICY: MatchPolicy = Object.freeze({ thresholds: Object.freeze({ watchlist: 0.4, employee: 0.45 }), margin: 0.05 });

/** The real match policy over a small gallery of synthetic faces. */
export function fakeMatcher(gallery: Array<{ personId: string; list: PersonList; person: number }>, policy: MatchPolicy = TEST_POLICY) {
  const refs = gallery.map((g) => ({ ...g, descriptor: face(g.person) }));
  return {
    policy,
    match: (d: Float32Array | readonly number[]) => decideMatch(refs.map((r) => ({ personId: r.personId, list: r.list, distance: euclideanDistance(r.descriptor, d) })), policy),
  };
}
