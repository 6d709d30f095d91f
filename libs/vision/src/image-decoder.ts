import sharp from 'sharp';
import { PayloadTooLargeError, UnprocessableError, UnsupportedMediaError } from '@vigil/domain';
import type { RgbFrame } from './rgb-frame';

export interface DecodeOptions {
  /** Refuse images with more pixels than this (checked from the header, before decoding). Default 40 MP. */
  maxInputPixels?: number;
  /** Refuse encoded payloads larger than this many bytes. Default 25 MB. */
  maxBytes?: number;
  /**
   * Downscale so that the longer side is at most this (no upscaling). Default 1920: detectors work
   * at ≤608 px anyway and a 40 MP int32 tensor would cost ~0.5 GB.
   */
  maxSide?: number;
}

export interface DecodedImage extends RgbFrame {
  format: 'jpeg' | 'png' | 'webp';
  /** Size of the encoded image before downscaling (after EXIF rotation). */
  originalWidth: number;
  originalHeight: number;
}

const DEFAULTS: Required<DecodeOptions> = { maxInputPixels: 40_000_000, maxBytes: 25 * 1024 * 1024, maxSide: 1920 };

/**
 * Content sniffing, not file names: only these three formats are accepted, so SVG (which libvips
 * would rasterise, with its own parser attack surface), HTML, GIF, TIFF… are refused up front.
 */
function sniffFormat(buf: Uint8Array): DecodedImage['format'] | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (
    buf.length >= 8 &&
    buf[0] === 0x89 &&
    buf[1] === 0x50 &&
    buf[2] === 0x4e &&
    buf[3] === 0x47 &&
    buf[4] === 0x0d &&
    buf[5] === 0x0a &&
    buf[6] === 0x1a &&
    buf[7] === 0x0a
  ) {
    return 'png';
  }
  if (
    buf.length >= 12 &&
    Buffer.from(buf.subarray(0, 4)).toString('latin1') === 'RIFF' &&
    Buffer.from(buf.subarray(8, 12)).toString('latin1') === 'WEBP'
  ) {
    return 'webp';
  }
  return null;
}

function isTruncation(message: string): boolean {
  return /truncated|premature end|unexpected end|not enough data|corrupt|read error|bad huffman|invalid/i.test(message);
}

/**
 * Decodes an untrusted JPEG/PNG/WebP upload into an RGB frame.
 * - not one of those formats, or header unreadable → UnsupportedMediaError (415)
 * - too many bytes or pixels (pixel bombs) → PayloadTooLargeError (413), decided from the header only
 * - truncated or corrupt pixel data → UnprocessableError (422)
 */
export async function decodeImage(input: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const opts = { ...DEFAULTS, ...options };
  if (!(input instanceof Uint8Array) || input.length === 0) {
    throw new UnsupportedMediaError('empty upload: expected a JPEG, PNG or WebP image');
  }
  if (input.length > opts.maxBytes) {
    throw new PayloadTooLargeError(`image is ${input.length} bytes; the limit is ${opts.maxBytes}`);
  }
  const format = sniffFormat(input);
  if (!format) throw new UnsupportedMediaError('unsupported image type: expected a JPEG, PNG or WebP image');

  let meta: sharp.Metadata;
  try {
    // Header only; limitInputPixels disabled here so that we can report the size ourselves.
    meta = await sharp(input, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch {
    throw new UnsupportedMediaError(`the ${format.toUpperCase()} image header could not be read`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new UnsupportedMediaError('the image has no readable dimensions');
  if (width * height > opts.maxInputPixels) {
    throw new PayloadTooLargeError(
      `image is ${width}x${height} (${width * height} pixels); the limit is ${opts.maxInputPixels} pixels`,
    );
  }
  if ((meta.pages ?? 1) > 1) throw new UnsupportedMediaError('animated or multi-page images are not supported');

  try {
    const { data, info } = await sharp(input, { limitInputPixels: opts.maxInputPixels, failOn: 'truncated' })
      .rotate() // honour EXIF orientation so landmarks/pose are measured on an upright face
      .resize({ width: opts.maxSide, height: opts.maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new UnprocessableError(`decoded image has ${info.channels} channels, expected 3`);
    const rotated = (meta.orientation ?? 1) >= 5;
    return {
      width: info.width,
      height: info.height,
      data,
      format,
      originalWidth: rotated ? height : width,
      originalHeight: rotated ? width : height,
    };
  } catch (err) {
    if (err instanceof UnprocessableError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) {
      throw new PayloadTooLargeError(`image exceeds the ${opts.maxInputPixels} pixel limit`);
    }
    throw new UnprocessableError(
      isTruncation(message)
        ? `the ${format.toUpperCase()} image is truncated or corrupt`
        : `the ${format.toUpperCase()} image could not be decoded`,
    );
  }
}
