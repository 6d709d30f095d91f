import type { Point } from './face-measures';
import type { RgbFrame } from './rgb-frame';

/** Side of the crop FaceRecognitionNet reads (it resizes any input to this). */
export const DESCRIPTOR_CROP_SIZE = 150;

export interface FaceCropOptions {
  /** Rotate the crop so the eye line is horizontal (face-api does not rotate). */
  levelEyes: boolean;
  /** Mirror the crop left-right. */
  flip: boolean;
}

/**
 * The square, DESCRIPTOR_CROP_SIZE-sided RGB crop FaceRecognitionNet embeds, as float 0..255.
 *
 * Geometry is face-api's own "dlib" alignment (what `withFaceDescriptors` uses): the reference
 * points are the two eye centres and the mouth centre; the side is the mean eye-to-mouth distance
 * / 0.45 and the square's top-left is (centre.x - 0.5 side, centre.y - 0.43 side) from the
 * centroid of the three points. With `levelEyes` that square is turned about the same centroid by
 * the eye line's roll, so a tilted head is seen upright; without it the crop matches face-api's to
 * within resampling. Pixels outside the frame are black, as face-api's square padding is.
 * Bilinear sampling with a box pre-filter when the face is larger than the crop (no aliasing).
 */
export function alignedFaceCrop(frame: RgbFrame, landmarks: readonly Point[], options: FaceCropOptions): Float32Array {
  if (landmarks.length !== 68) throw new Error(`expected 68 landmarks, got ${landmarks.length}`);
  const mean = (from: number, to: number): Point => {
    let x = 0;
    let y = 0;
    for (let i = from; i < to; i++) {
      x += landmarks[i].x;
      y += landmarks[i].y;
    }
    return { x: x / (to - from), y: y / (to - from) };
  };
  const leftEye = mean(36, 42);
  const rightEye = mean(42, 48);
  const mouth = mean(48, 68);
  const eyeToMouth = (Math.hypot(mouth.x - leftEye.x, mouth.y - leftEye.y) + Math.hypot(mouth.x - rightEye.x, mouth.y - rightEye.y)) / 2;
  const side = Math.max(1, eyeToMouth / 0.45);
  const cx = (leftEye.x + rightEye.x + mouth.x) / 3;
  const cy = (leftEye.y + rightEye.y + mouth.y) / 3;
  const roll = options.levelEyes ? Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x) : 0;
  const cos = Math.cos(roll);
  const sin = Math.sin(roll);
  const n = DESCRIPTOR_CROP_SIZE;
  const step = side / n;
  // Average a k×k grid of bilinear samples per output pixel when one output pixel covers several
  // source pixels; k = 1 when the face is about crop-sized or smaller.
  const k = Math.min(4, Math.max(1, Math.round(step)));
  const out = new Float32Array(n * n * 3);
  const { width, height, data } = frame;
  const sample = (x: number, y: number, acc: Float64Array): void => {
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    for (let dy = 0; dy <= 1; dy++) {
      const yy = y0 + dy;
      const wy = dy ? fy : 1 - fy;
      if (yy < 0 || yy >= height || wy === 0) continue;
      for (let dx = 0; dx <= 1; dx++) {
        const xx = x0 + dx;
        const w = wy * (dx ? fx : 1 - fx);
        if (xx < 0 || xx >= width || w === 0) continue;
        const o = (yy * width + xx) * 3;
        acc[0] += w * data[o];
        acc[1] += w * data[o + 1];
        acc[2] += w * data[o + 2];
      }
    }
  };
  const acc = new Float64Array(3);
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      acc.fill(0);
      for (let sy = 0; sy < k; sy++) {
        for (let sx = 0; sx < k; sx++) {
          // Local crop coordinates relative to the centroid, before rotation.
          const lx = (u + (sx + 0.5) / k) * step - 0.5 * side;
          const ly = (v + (sy + 0.5) / k) * step - 0.43 * side;
          sample(cx + lx * cos - ly * sin - 0.5, cy + lx * sin + ly * cos - 0.5, acc);
        }
      }
      const o = (v * n + (options.flip ? n - 1 - u : u)) * 3;
      const kk = k * k;
      out[o] = acc[0] / kk;
      out[o + 1] = acc[1] / kk;
      out[o + 2] = acc[2] / kk;
    }
  }
  return out;
}
