import sharp from 'sharp';
import { InvalidInputError } from '@vigil/domain';

/**
 * Enrolment augmentation: copies of a reference photo as a camera could plausibly have taken it —
 * mirrored (cameras mounted the other way, or a mirrored webcam), slightly tilted (a camera not
 * quite level, a head slightly tilted: ±8°, inside the recognition pose gate) and 20 % brighter or
 * darker (exposure). Nothing a camera does not produce: no upside-down, no large rotations, no
 * colour shifts, no synthetic occlusion, which would teach the gallery faces it never sees.
 */
export const ENROLMENT_AUGMENTATIONS = ['flip', 'rotate+8', 'rotate-8', 'brightness+20', 'brightness-20'] as const;
export type EnrolmentAugmentation = (typeof ENROLMENT_AUGMENTATIONS)[number];

export interface AugmentOptions {
  /** Work on at most this long a side (default 1920, as the decoder does for detection). */
  maxSide?: number;
  /** Refuse more pixels than this (default 40 MP, as the decoder does). */
  maxInputPixels?: number;
}

const ROTATION_DEG: Partial<Record<EnrolmentAugmentation, number>> = { 'rotate+8': 8, 'rotate-8': -8 };
const GAIN: Partial<Record<EnrolmentAugmentation, number>> = { 'brightness+20': 1.2, 'brightness-20': 0.8 };

/**
 * Makes every augmentation of an encoded photo (already accepted by decodeImage) as a JPEG, in
 * ENROLMENT_AUGMENTATIONS order. The photo is decoded once (EXIF-oriented, downscaled like the
 * detector sees it); rotated copies are cropped back to the original size around the centre so
 * the face keeps its scale.
 */
export async function augmentPhoto(encoded: Uint8Array, options: AugmentOptions = {}): Promise<Array<{ name: EnrolmentAugmentation; jpeg: Buffer }>> {
  const maxSide = options.maxSide ?? 1920;
  if (!Number.isInteger(maxSide) || maxSide < 16) throw new InvalidInputError('maxSide must be an integer of at least 16');
  const { data, info } = await sharp(encoded, { limitInputPixels: options.maxInputPixels ?? 40_000_000, failOn: 'truncated' })
    .autoOrient()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: 3 as const };
  const out: Array<{ name: EnrolmentAugmentation; jpeg: Buffer }> = [];
  for (const name of ENROLMENT_AUGMENTATIONS) out.push({ name, jpeg: await variant(data, raw, name) });
  return out;
}

async function variant(data: Buffer, raw: { width: number; height: number; channels: 3 }, name: EnrolmentAugmentation): Promise<Buffer> {
  const jpeg = (image: sharp.Sharp) => image.jpeg({ quality: 95 }).toBuffer();
  const degrees = ROTATION_DEG[name];
  if (degrees !== undefined) {
    const rotated = await sharp(data, { raw }).rotate(degrees, { background: { r: 0, g: 0, b: 0 } }).raw().toBuffer({ resolveWithObject: true });
    const left = Math.floor((rotated.info.width - raw.width) / 2);
    const top = Math.floor((rotated.info.height - raw.height) / 2);
    return jpeg(
      sharp(rotated.data, { raw: { width: rotated.info.width, height: rotated.info.height, channels: 3 } }).extract({ left, top, width: raw.width, height: raw.height }),
    );
  }
  const gain = GAIN[name];
  if (gain !== undefined) return jpeg(sharp(data, { raw }).linear(gain, 0));
  return jpeg(sharp(data, { raw }).flop());
}
