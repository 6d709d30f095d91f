import type { Box } from './track-geometry';

export interface FollowOptions {
  /** The region around each face is this many times the face box, centred on it (default 3). */
  scale?: number;
}

/**
 * Where to look for faces already being tracked: the union of each box scaled `scale`× about its
 * centre (a face walking at 60 px/s between analyses ~0.4 s apart moves well inside that), clamped
 * to the frame, in whole pixels. Null when there is nothing to follow or the region would be
 * degenerate (under 16 px a side).
 */
export function followRegion(boxes: readonly Box[], frameWidth: number, frameHeight: number, options: FollowOptions = {}): Box | null {
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
  return { x: left, y: top, width: right - left, height: bottom - top };
}
