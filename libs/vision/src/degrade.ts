import sharp from 'sharp';
import { InvalidInputError } from '@vigil/domain';

/**
 * A CCTV-like copy of a photo, for judging recognition in camera conditions rather than on
 * portraits: the face downscaled to about `targetEyeDistancePx` between the eye centres (a
 * typical corridor camera; portraits have 40–120 px), a gaussian blur (optics, motion, the
 * camera's own scaler) and heavy JPEG compression (a stream's key frames at low bitrate).
 * A face already smaller than the target is not enlarged.
 */
export interface DegradeOptions {
  /** Distance between the eye centres in the source photo, in its pixels (from the landmarks). */
  eyeDistancePx: number;
  /** Default 40. */
  targetEyeDistancePx?: number;
  /** Gaussian sigma in output pixels; default 1.0. */
  blurSigma?: number;
  /** Default 30. */
  jpegQuality?: number;
}

export const DEFAULT_DEGRADATION = Object.freeze({ targetEyeDistancePx: 40, blurSigma: 1.0, jpegQuality: 30 });

export interface DegradedImage {
  jpeg: Buffer;
  /** The scale applied to the source (<= 1). */
  scale: number;
  width: number;
  height: number;
}

export async function degradeImage(encoded: Uint8Array, options: DegradeOptions): Promise<DegradedImage> {
  const target = options.targetEyeDistancePx ?? DEFAULT_DEGRADATION.targetEyeDistancePx;
  const sigma = options.blurSigma ?? DEFAULT_DEGRADATION.blurSigma;
  const quality = options.jpegQuality ?? DEFAULT_DEGRADATION.jpegQuality;
  if (!(options.eyeDistancePx > 0) || !Number.isFinite(options.eyeDistancePx)) throw new InvalidInputError('eyeDistancePx must be a positive number');
  if (!(target >= 8 && target <= 400)) throw new InvalidInputError('targetEyeDistancePx must be between 8 and 400');
  if (!(sigma === 0 || (sigma >= 0.3 && sigma <= 10))) throw new InvalidInputError('blurSigma must be 0 or between 0.3 and 10');
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new InvalidInputError('jpegQuality must be an integer from 1 to 100');
  const source = sharp(encoded, { failOn: 'truncated', limitInputPixels: 40_000_000 }).autoOrient();
  const meta = await source.metadata();
  const rotated = (meta.orientation ?? 1) >= 5;
  const srcWidth = (rotated ? meta.height : meta.width) ?? 0;
  const srcHeight = (rotated ? meta.width : meta.height) ?? 0;
  if (!srcWidth || !srcHeight) throw new InvalidInputError('image has no size');
  const scale = Math.min(1, target / options.eyeDistancePx);
  const width = Math.max(16, Math.round(srcWidth * scale));
  const height = Math.max(16, Math.round(srcHeight * scale));
  let image = source.resize({ width, height, fit: 'fill', kernel: 'lanczos3' }).removeAlpha();
  if (sigma > 0) image = image.blur(sigma);
  const jpeg = await image.jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false }).toBuffer();
  return { jpeg, scale, width, height };
}
