import sharp from 'sharp';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';

/** A face in one of face-api's sample photos; faces of one photo are different people. */
export interface SampleFace {
  photo: number;
  box: { x: number; y: number; width: number; height: number };
}

const face = (photo: number, x: number, y: number, width: number, height: number): SampleFace => ({ photo, box: { x, y, width, height } });

/** SSD boxes of the five faces of sample 5 and the four of sample 6 (measured once with the engine). */
export const SAMPLE5 = [face(5, 787, 109, 156, 212), face(5, 1113, 198, 158, 236), face(5, 1406, 390, 165, 271), face(5, 598, 415, 166, 249), face(5, 377, 859, 172, 301)];
export const SAMPLE6 = [face(6, 681, 321, 160, 307), face(6, 1180, 305, 188, 280), face(6, 1487, 263, 212, 296), face(6, 250, 468, 210, 291)];

type Recipe = { margin: number; shift?: number; apply: (s: sharp.Sharp) => sharp.Sharp; quality?: number };

/**
 * What a camera crop of the same face can look like: exposure, small roll, resolution, blur,
 * framing and compression — transformations cameras produce (no flips, no upside-down faces).
 */
export const CROP_VARIANTS: readonly Recipe[] = [
  { margin: 0.25, apply: (s) => s },
  { margin: 0.25, apply: (s) => s.linear(1.25, 0) },
  { margin: 0.25, apply: (s) => s.linear(0.75, 0) },
  { margin: 0.25, apply: (s) => s.rotate(8, { background: { r: 0, g: 0, b: 0 } }) },
  { margin: 0.25, apply: (s) => s.rotate(-8, { background: { r: 0, g: 0, b: 0 } }) },
  { margin: 0.25, apply: (s) => s.resize({ width: 150 }) },
  { margin: 0.25, apply: (s) => s.blur(1) },
  { margin: 0.25, apply: (s) => s.gamma(1.6) },
  { margin: 0.25, shift: 0.1, apply: (s) => s },
  { margin: 0.25, apply: (s) => s.linear(1.15, -20) },
  { margin: 0.35, apply: (s) => s },
  { margin: 0.25, shift: -0.1, apply: (s) => s },
  { margin: 0.25, apply: (s) => s.sharpen() },
  { margin: 0.25, apply: (s) => s, quality: 55 },
  { margin: 0.3, apply: (s) => s.modulate({ saturation: 0.5 }) },
];

async function region(f: SampleFace, margin: number, shift = 0) {
  const meta = await sharp(samplePhotoPath(f.photo)).metadata();
  const { x, y, width, height } = f.box;
  const left = Math.max(0, Math.floor(x - width * margin + width * shift));
  const top = Math.max(0, Math.floor(y - height * margin));
  const right = Math.min(meta.width!, Math.ceil(x + width * (1 + margin) + width * shift));
  const bottom = Math.min(meta.height!, Math.ceil(y + height * (1 + margin)));
  return { left, top, width: right - left, height: bottom - top };
}

/** Camera-style crop number `variant` (0..14) of a face, as JPEG. */
export async function faceCrop(f: SampleFace, variant: number): Promise<Buffer> {
  const r = CROP_VARIANTS[variant];
  if (!r) throw new Error(`no crop variant ${variant}`);
  return r.apply(sharp(samplePhotoPath(f.photo)).extract(await region(f, r.margin, r.shift))).jpeg({ quality: r.quality ?? 90 }).toBuffer();
}

/** An enrolment photo of the face: generous margin, full quality. */
export async function referencePhoto(f: SampleFace): Promise<Buffer> {
  return sharp(samplePhotoPath(f.photo)).extract(await region(f, 0.8)).jpeg({ quality: 95 }).toBuffer();
}
