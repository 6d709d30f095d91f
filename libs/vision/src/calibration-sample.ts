import type { FaceQualityMeasures } from '@vigil/domain';
import { degradeImage } from './degrade';
import { alignedFaceCrop } from './face-crop';
import { largestFace, type DetectedFace, type DetectorKind, type FaceEngine } from './face-engine';
import { decodeImage } from './image-decoder';

/**
 * What one calibration photo gives: the largest face of the clean photo and of its degraded copy,
 * each with every descriptor variant the calibration compares. Variants:
 * - `faceapi`: face-api's own path (what the product embeds today);
 * - `crop`: the same geometry cropped in JS (checks that the JS crop is faithful);
 * - `cropFlip`: that crop mirrored (flip-averaging is the mean of crop and cropFlip);
 * - `level` / `levelFlip`: the crop turned so the eyes are level, and its mirror.
 */
export const DESCRIPTOR_PARTS = ['faceapi', 'crop', 'cropFlip', 'level', 'levelFlip'] as const;
export type DescriptorPart = (typeof DESCRIPTOR_PARTS)[number];

export interface FaceSample {
  score: number;
  quality: FaceQualityMeasures;
  /** `faceapi` always; the others where they were asked for. */
  descriptors: Partial<Record<DescriptorPart, Float32Array>> & { faceapi: Float32Array };
}

export interface ImageSample {
  /** Clean photo's largest face; null when none was found (then degraded is null too). */
  clean: FaceSample | null;
  /** The degraded copy's largest face; null when none was found in it. */
  degraded: FaceSample | null;
  /** Scale the degradation applied (<= 1); null without a clean face. */
  degradeScale: number | null;
}

/**
 * Tiny looks at 320 px: at its default 416 it misses faces that fill a small photo (LFW's 250 px
 * portraits: ~15 % of faces lost, found at 320). What the detector misses is retried with SSD, so
 * a miss does not drop a pair: the calibration judges descriptors, not detection.
 */
export const CALIBRATION_TINY_INPUT = 320;

async function sampleFace(engine: FaceEngine, encoded: Uint8Array, detector: DetectorKind, parts: readonly DescriptorPart[]): Promise<FaceSample | null> {
  const frame = await decodeImage(encoded);
  let face: DetectedFace | undefined = largestFace(await engine.detect(frame, { detector, tinyInputSize: CALIBRATION_TINY_INPUT, descriptors: true }));
  if (!face && detector !== 'ssd') face = largestFace(await engine.detect(frame, { detector: 'ssd', descriptors: true }));
  if (!face?.descriptor) return null;
  const descriptors: FaceSample['descriptors'] = { faceapi: face.descriptor };
  for (const [part, levelEyes, flip] of [
    ['crop', false, false],
    ['cropFlip', false, true],
    ['level', true, false],
    ['levelFlip', true, true],
  ] as const) {
    if (!parts.includes(part)) continue;
    descriptors[part] = await engine.describeCrop(alignedFaceCrop(frame, face.landmarks, { levelEyes, flip }));
  }
  return { score: face.score, quality: face.quality, descriptors };
}

/** Embeds one photo, clean and degraded (degradeImage, eye distance from the clean face). */
export async function extractImageSample(engine: FaceEngine, encoded: Uint8Array, detector: DetectorKind, parts: readonly DescriptorPart[] = DESCRIPTOR_PARTS): Promise<ImageSample> {
  const clean = await sampleFace(engine, encoded, detector, parts);
  if (!clean) return { clean: null, degraded: null, degradeScale: null };
  const degradedImage = await degradeImage(encoded, { eyeDistancePx: clean.quality.interOcularPx });
  const degraded = await sampleFace(engine, degradedImage.jpeg, detector, parts);
  return { clean, degraded, degradeScale: degradedImage.scale };
}
