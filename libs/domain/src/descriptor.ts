import { CALIBRATED_DEFAULTS } from './calibrated-defaults';
import { InvalidInputError } from './errors';

/** Length of a FaceRecognitionNet descriptor. */
export const DESCRIPTOR_LENGTH = 128;

/**
 * Default match threshold (euclidean distance, match when distance <= threshold) where no list
 * applies (score scale, the outlier rule): the employee list's calibrated threshold, FAR 1e-3 on
 * LFW between enrolment photos and camera-degraded faces (docs/performance.md, `vigil calibrate`).
 */
export const DEFAULT_MATCH_THRESHOLD = CALIBRATED_DEFAULTS.employee;

/** Allowed range for a configured match threshold; outside it the system is either useless or matches everybody. */
export const MATCH_THRESHOLD_BOUNDS = { min: 0.2, max: 0.8 } as const;

/**
 * Distance at which the score reaches 0. Descriptors are not unit-normalised (norm ~1.5), and
 * different people measured at most 0.874 apart on the sample photos, so 1.2 spans the useful range
 * without compressing the scores of clear non-matches to almost nothing.
 */
export const SCORE_ZERO_DISTANCE = 1.2;

export type Descriptor = Float32Array | readonly number[];

function assertDescriptor(d: Descriptor, name: string): void {
  if (d.length !== DESCRIPTOR_LENGTH) {
    throw new InvalidInputError(`${name} must have ${DESCRIPTOR_LENGTH} values, got ${d.length}`);
  }
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) throw new InvalidInputError(`${name} contains a non-finite value`);
  }
}

/** Euclidean (L2) distance between two face descriptors. */
export function euclideanDistance(a: Descriptor, b: Descriptor): number {
  assertDescriptor(a, 'first descriptor');
  assertDescriptor(b, 'second descriptor');
  let sum = 0;
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
    const diff = a[i] - b[i];
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/**
 * Similarity score in [0, 1] from a distance. Piecewise linear so that it is easy to explain
 * to operators and monotonic:
 *   - distance 0 → 1,  distance >= SCORE_ZERO_DISTANCE → 0,
 *   - the match threshold maps to exactly 0.5, so "score >= 0.5" means "is a match".
 * Below the threshold the score rises linearly from 0.5 to 1, above it falls linearly to 0.
 */
export function distanceToScore(distance: number, threshold: number = DEFAULT_MATCH_THRESHOLD): number {
  if (!Number.isFinite(distance) || distance < 0) {
    throw new InvalidInputError('distance must be a finite, non-negative number');
  }
  validateMatchThreshold(threshold);
  if (distance <= threshold) return 1 - 0.5 * (distance / threshold);
  if (distance >= SCORE_ZERO_DISTANCE) return 0;
  return 0.5 * (1 - (distance - threshold) / (SCORE_ZERO_DISTANCE - threshold));
}

/** Match decision used everywhere: distance <= threshold. */
export function isMatch(distance: number, threshold: number = DEFAULT_MATCH_THRESHOLD): boolean {
  return distance <= threshold;
}

/** Throws InvalidInputError unless threshold is a number within MATCH_THRESHOLD_BOUNDS. */
export function validateMatchThreshold(threshold: number): number {
  if (
    typeof threshold !== 'number' ||
    !Number.isFinite(threshold) ||
    threshold < MATCH_THRESHOLD_BOUNDS.min ||
    threshold > MATCH_THRESHOLD_BOUNDS.max
  ) {
    throw new InvalidInputError(
      `match threshold must be between ${MATCH_THRESHOLD_BOUNDS.min} and ${MATCH_THRESHOLD_BOUNDS.max}, got ${String(threshold)}`,
    );
  }
  return threshold;
}
