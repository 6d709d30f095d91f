import sharp from 'sharp';
import { UnprocessableError } from '@vigil/domain';

export type StoredImageFormat = 'jpeg' | 'png' | 'webp';

export interface StripMetadataOptions {
  /** Refuse more pixels than this (default 40 MP, as the decoder does). */
  maxInputPixels?: number;
}

/**
 * A copy of an uploaded photo without its metadata, for storage: EXIF (GPS position, camera make
 * and serial, capture time), XMP, IPTC, ICC and comments are not kept. The EXIF orientation is
 * applied to the pixels first, so the copy shows upright — as the detector saw it (decodeImage
 * honours the orientation too). The format stays; JPEG and WebP are re-encoded at quality 95
 * (visually lossless), PNG losslessly. Call it on a photo the decoder has already accepted.
 */
export async function stripImageMetadata(encoded: Uint8Array, format: StoredImageFormat, options: StripMetadataOptions = {}): Promise<Buffer> {
  // sharp writes no metadata unless asked to (keepMetadata / withMetadata / withExif).
  const image = sharp(encoded, { limitInputPixels: options.maxInputPixels ?? 40_000_000, failOn: 'truncated' }).autoOrient();
  try {
    switch (format) {
      case 'jpeg':
        return await image.jpeg({ quality: 95 }).toBuffer();
      case 'png':
        return await image.png().toBuffer();
      case 'webp':
        return await image.webp({ quality: 95 }).toBuffer();
    }
  } catch {
    throw new UnprocessableError(`the ${format.toUpperCase()} photo could not be re-encoded without its metadata`);
  }
}
