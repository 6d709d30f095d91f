import { InvalidInputError } from '@vigil/domain';

/** Packed 8-bit RGB pixels, row-major, no padding: what ffmpeg's rawvideo/rgb24 emits. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Frames above this are refused: at 3 bytes/pixel and int32 tensors they would cost >0.5 GB each. */
export const MAX_FRAME_PIXELS = 40_000_000;

/** Throws InvalidInputError unless the frame's dimensions and buffer length agree. */
export function assertRgbFrame(frame: RgbFrame): RgbFrame {
  if (frame === null || typeof frame !== 'object') throw new InvalidInputError('frame must be an object');
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InvalidInputError(`frame width and height must be positive integers, got ${width}x${height}`);
  }
  if (width * height > MAX_FRAME_PIXELS) {
    throw new InvalidInputError(`frame ${width}x${height} exceeds ${MAX_FRAME_PIXELS} pixels`);
  }
  if (!(data instanceof Uint8Array)) throw new InvalidInputError('frame data must be a Buffer or Uint8Array');
  const expected = width * height * 3;
  if (data.length !== expected) {
    throw new InvalidInputError(
      `frame data has ${data.length} bytes but ${width}x${height} RGB needs ${expected} (width*height*3)`,
    );
  }
  return frame;
}
