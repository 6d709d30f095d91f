import sharp from 'sharp';
import type { Box } from '@vigil/domain';
import type { RgbFrame } from '@vigil/vision';

/** Margin around the face box, as a share of its size: the live evidence crop's framing. */
const CROP_MARGIN = 0.25;

/** The crop rectangle of a face box: the box plus a margin, clamped to the frame. */
export function cropRegion(box: Box, width: number, height: number): { left: number; top: number; width: number; height: number } {
  const left = Math.max(0, Math.floor(box.x - box.width * CROP_MARGIN));
  const top = Math.max(0, Math.floor(box.y - box.height * CROP_MARGIN));
  const right = Math.min(width, Math.ceil(box.x + box.width * (1 + CROP_MARGIN)));
  const bottom = Math.min(height, Math.ceil(box.y + box.height * (1 + CROP_MARGIN)));
  return { left: Math.min(left, width - 1), top: Math.min(top, height - 1), width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** JPEG of a matched face (only ever called for a person on a list, never for a stranger). */
export function faceCropJpeg(frame: RgbFrame, box: Box): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract(cropRegion(box, frame.width, frame.height))
    .jpeg({ quality: 90 })
    .toBuffer();
}
