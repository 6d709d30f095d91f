import type { Box } from './iou-tracker';

/** How a frame continuing open face tracks is analysed: only around those faces, with the fast detector. */
export interface FollowPlan {
  /** The part of the frame to search (whole pixels, inside the frame). */
  region: Box;
  /** TinyFaceDetector input size for that region: a multiple of 32 in [128, 416]. */
  tinyInputSize: number;
}

export interface FollowOptions {
  /** The region around each face is this many times the face box, centred on it (default 3). */
  scale?: number;
}

/**
 * Where to look for faces already being tracked: the union of each box scaled `scale`× about its
 * centre (a face walking at 60 px/s between analyses ~0.4 s apart moves well inside that), clamped
 * to the frame. The detector's input size matches the region's longer side, so a face is searched
 * at its own resolution up to 416 px (larger regions are scaled down to that). Null when there is
 * nothing to follow or the region would be degenerate.
 */
export function followRegion(boxes: readonly Box[], frameWidth: number, frameHeight: number, options: FollowOptions = {}): FollowPlan | null {
  const scale = options.scale ?? 3;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    if (!(b.width > 0 && b.height > 0)) continue;
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    x0 = Math.min(x0, cx - (scale * b.width) / 2);
    y0 = Math.min(y0, cy - (scale * b.height) / 2);
    x1 = Math.max(x1, cx + (scale * b.width) / 2);
    y1 = Math.max(y1, cy + (scale * b.height) / 2);
  }
  if (x0 === Infinity) return null;
  const left = Math.max(0, Math.floor(x0));
  const top = Math.max(0, Math.floor(y0));
  const right = Math.min(frameWidth, Math.ceil(x1));
  const bottom = Math.min(frameHeight, Math.ceil(y1));
  if (right - left < 16 || bottom - top < 16) return null;
  const side = Math.max(right - left, bottom - top);
  const tinyInputSize = Math.min(416, Math.max(128, Math.ceil(side / 32) * 32));
  return { region: { x: left, y: top, width: right - left, height: bottom - top }, tinyInputSize };
}
