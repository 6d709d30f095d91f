import { InvalidInputError } from './errors';

/** Axis-aligned box in pixels, top-left origin. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Intersection over union in [0, 1]; 0 for disjoint or degenerate (zero-area) boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Centre distance in units of the larger box width; Infinity when the sizes differ by more than 2x. */
export function centerShift(a: Box, b: Box): number {
  const wa = Math.max(a.width, a.height);
  const wb = Math.max(b.width, b.height);
  if (wa <= 0 || wb <= 0 || wa > 2 * wb || wb > 2 * wa) return Infinity;
  const dx = a.x + a.width / 2 - (b.x + b.width / 2);
  const dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return Math.hypot(dx, dy) / Math.max(wa, wb);
}

/** Throws InvalidInputError unless the box has finite coordinates and a non-negative size. */
export function validateBox(box: Box, index: number): void {
  const ok =
    typeof box === 'object' &&
    box !== null &&
    [box.x, box.y, box.width, box.height].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    box.width >= 0 &&
    box.height >= 0;
  if (!ok) throw new InvalidInputError(`detection ${index} has an invalid box`);
}
