import { InvalidInputError } from './errors';

/**
 * Face quality gate. libs/vision measures, this file decides, so the rules stay pure and testable
 * and the thresholds can be tuned without touching inference code.
 */

export type QualityReason =
  | 'too_small'
  | 'blurry'
  | 'too_dark'
  | 'washed_out'
  | 'clipped'
  | 'pose_yaw'
  | 'pose_roll'
  | 'low_score';

export type QualityProfile = 'enrolment' | 'recognition';

/** Per-face measurements produced by libs/vision. */
export interface FaceQualityMeasures {
  /** Shorter side of the detection box, in source pixels. */
  boxSizePx: number;
  /** Distance between the eye centres (68-point landmarks), in source pixels. */
  interOcularPx: number;
  /**
   * Variance of the Laplacian of the grey face crop resampled to a fixed size, divided by the
   * crop's intensity variance: comparable across face sizes and exposure (a darker copy of the
   * same face keeps the same sharpness).
   */
  sharpness: number;
  /** Mean luminance of the face crop, 0..255. */
  meanLuminance: number;
  /** Fraction (0..1) of face-crop pixels at <= 5 or >= 250. */
  clippedFraction: number;
  /** Estimated head yaw in degrees (0 = frontal), from landmark asymmetry. Absolute value is used. */
  yawDeg: number;
  /** Head roll in degrees (angle of the eye line). Absolute value is used. */
  rollDeg: number;
  /** Detector confidence, 0..1. */
  detectorScore: number;
}

export interface QualityThresholds {
  minBoxSizePx: number;
  minInterOcularPx: number;
  minSharpness: number;
  minMeanLuminance: number;
  maxMeanLuminance: number;
  maxClippedFraction: number;
  maxAbsYawDeg: number;
  maxAbsRollDeg: number;
  minDetectorScore: number;
}

/** Inclusive bounds every configured threshold must respect; outside them the gate is meaningless. */
export const QUALITY_THRESHOLD_BOUNDS: Readonly<Record<keyof QualityThresholds, { min: number; max: number }>> = {
  minBoxSizePx: { min: 16, max: 1024 },
  minInterOcularPx: { min: 5, max: 512 },
  minSharpness: { min: 0, max: 1 },
  minMeanLuminance: { min: 0, max: 128 },
  maxMeanLuminance: { min: 128, max: 255 },
  maxClippedFraction: { min: 0, max: 1 },
  maxAbsYawDeg: { min: 5, max: 90 },
  maxAbsRollDeg: { min: 5, max: 90 },
  minDetectorScore: { min: 0.05, max: 0.99 },
};

/**
 * Defaults calibrated on the six face-api sample photos (22 faces) and on blurred/darkened copies;
 * see docs/vision-measurements.md. Recognition is lenient (surveillance frames are poor and a
 * missed match costs more than a weak probe); enrolment is strict because a bad gallery image
 * degrades every later comparison.
 */
export const DEFAULT_QUALITY_THRESHOLDS: Readonly<Record<QualityProfile, Readonly<QualityThresholds>>> = {
  recognition: {
    minBoxSizePx: 40,
    minInterOcularPx: 12,
    minSharpness: 0.02,
    minMeanLuminance: 40,
    maxMeanLuminance: 220,
    maxClippedFraction: 0.4,
    maxAbsYawDeg: 60,
    maxAbsRollDeg: 50,
    minDetectorScore: 0.5,
  },
  enrolment: {
    minBoxSizePx: 96,
    minInterOcularPx: 30,
    minSharpness: 0.03,
    minMeanLuminance: 60,
    maxMeanLuminance: 200,
    maxClippedFraction: 0.25,
    maxAbsYawDeg: 35,
    maxAbsRollDeg: 30,
    minDetectorScore: 0.8,
  },
};

export interface QualityVerdict {
  ok: boolean;
  reasons: QualityReason[];
}

/**
 * Returns thresholds for a profile with overrides applied, throwing InvalidInputError on unknown
 * keys, non-numbers, out-of-bounds values or inverted luminance limits.
 */
export function resolveQualityThresholds(
  profile: QualityProfile,
  overrides: Partial<Record<string, unknown>> = {},
): QualityThresholds {
  const base = DEFAULT_QUALITY_THRESHOLDS[profile];
  if (!base) throw new InvalidInputError(`unknown quality profile '${String(profile)}'`);
  const result: QualityThresholds = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(QUALITY_THRESHOLD_BOUNDS, key)) {
      throw new InvalidInputError(`unknown quality threshold '${key}'`);
    }
    const name = key as keyof QualityThresholds;
    const bounds = QUALITY_THRESHOLD_BOUNDS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < bounds.min || value > bounds.max) {
      throw new InvalidInputError(
        `quality threshold '${key}' must be a number between ${bounds.min} and ${bounds.max}, got ${String(value)}`,
      );
    }
    result[name] = value;
  }
  if (result.minMeanLuminance >= result.maxMeanLuminance) {
    throw new InvalidInputError('minMeanLuminance must be lower than maxMeanLuminance');
  }
  return result;
}

/** Pure quality decision: every failing check contributes its named reason, in a stable order. */
export function assessFaceQuality(measures: FaceQualityMeasures, thresholds: QualityThresholds): QualityVerdict {
  const reasons: QualityReason[] = [];
  if (measures.boxSizePx < thresholds.minBoxSizePx || measures.interOcularPx < thresholds.minInterOcularPx) {
    reasons.push('too_small');
  }
  if (!(measures.sharpness >= thresholds.minSharpness)) reasons.push('blurry');
  if (measures.meanLuminance < thresholds.minMeanLuminance) reasons.push('too_dark');
  if (measures.meanLuminance > thresholds.maxMeanLuminance) reasons.push('washed_out');
  if (measures.clippedFraction > thresholds.maxClippedFraction) reasons.push('clipped');
  if (Math.abs(measures.yawDeg) > thresholds.maxAbsYawDeg) reasons.push('pose_yaw');
  if (Math.abs(measures.rollDeg) > thresholds.maxAbsRollDeg) reasons.push('pose_roll');
  if (measures.detectorScore < thresholds.minDetectorScore) reasons.push('low_score');
  return { ok: reasons.length === 0, reasons };
}
