import type { FaceQualityMeasures } from '@vigil/domain';
import type { RgbFrame } from './rgb-frame';

/** Pixel geometry helpers and quality measurements computed in plain JS on the source frame. */

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Side of the square, roll-corrected grey crop the sharpness/exposure measures use. */
export const QUALITY_CROP_SIZE = 96;

// 68-point (iBUG) landmark indices.
const LEFT_EYE = [36, 41] as const; // subject's right eye, image left
const RIGHT_EYE = [42, 47] as const;
const NOSE_TIP = 30;
const JAW_LEFT = 0;
const JAW_RIGHT = 16;

function centroid(points: readonly Point[], from: number, to: number): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += points[i].x;
    y += points[i].y;
  }
  const n = to - from + 1;
  return { x: x / n, y: y / n };
}

export interface PoseEstimate {
  leftEye: Point;
  rightEye: Point;
  interOcularPx: number;
  rollDeg: number;
  yawDeg: number;
}

/**
 * Roll is the angle of the eye line. Yaw is estimated from how far the nose tip sits from the
 * middle of the jaw outline, measured along the eye axis: asymmetry a = (l - r) / (l + r) in
 * [-1, 1], yaw ≈ asin(a). Crude (no 3-D model) but monotonic, which is all a gate needs.
 */
export function estimatePose(landmarks: readonly Point[]): PoseEstimate {
  if (landmarks.length !== 68) throw new Error(`expected 68 landmarks, got ${landmarks.length}`);
  const leftEye = centroid(landmarks, LEFT_EYE[0], LEFT_EYE[1]);
  const rightEye = centroid(landmarks, RIGHT_EYE[0], RIGHT_EYE[1]);
  const dx = rightEye.x - leftEye.x;
  const dy = rightEye.y - leftEye.y;
  const interOcularPx = Math.hypot(dx, dy);
  const rollDeg = (Math.atan2(dy, dx) * 180) / Math.PI;
  const ux = interOcularPx > 0 ? dx / interOcularPx : 1;
  const uy = interOcularPx > 0 ? dy / interOcularPx : 0;
  const nose = landmarks[NOSE_TIP];
  const l = (nose.x - landmarks[JAW_LEFT].x) * ux + (nose.y - landmarks[JAW_LEFT].y) * uy;
  const r = (landmarks[JAW_RIGHT].x - nose.x) * ux + (landmarks[JAW_RIGHT].y - nose.y) * uy;
  const asymmetry = l + r > 0 ? Math.max(-1, Math.min(1, (l - r) / (l + r))) : 0;
  const yawDeg = (Math.asin(asymmetry) * 180) / Math.PI;
  return { leftEye, rightEye, interOcularPx, rollDeg, yawDeg };
}

/**
 * Grey crop of side QUALITY_CROP_SIZE centred between eyes and mouth, rotated so the eyes are
 * level, covering `side` source pixels. Each output pixel averages an up-to-4x4 grid of bilinear
 * samples so large faces are low-pass filtered rather than aliased (aliasing would fake sharpness).
 */
export function alignedGreyCrop(frame: RgbFrame, center: Point, side: number, rollDeg: number): Float32Array {
  const n = QUALITY_CROP_SIZE;
  const out = new Float32Array(n * n);
  const scale = side / n;
  const sub = Math.max(1, Math.min(4, Math.ceil(scale)));
  const cos = Math.cos((rollDeg * Math.PI) / 180);
  const sin = Math.sin((rollDeg * Math.PI) / 180);
  const { width, height, data } = frame;
  const grey = (x: number, y: number): number => {
    const cx = Math.max(0, Math.min(width - 1, x));
    const cy = Math.max(0, Math.min(height - 1, y));
    const x0 = Math.floor(cx);
    const y0 = Math.floor(cy);
    const x1 = Math.min(width - 1, x0 + 1);
    const y1 = Math.min(height - 1, y0 + 1);
    const fx = cx - x0;
    const fy = cy - y0;
    const lum = (px: number, py: number): number => {
      const i = (py * width + px) * 3;
      // Rec. 601 luma: what "brightness" means for the exposure checks.
      return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    };
    const top = lum(x0, y0) * (1 - fx) + lum(x1, y0) * fx;
    const bottom = lum(x0, y1) * (1 - fx) + lum(x1, y1) * fx;
    return top * (1 - fy) + bottom * fy;
  };
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let sj = 0; sj < sub; sj++) {
        for (let si = 0; si < sub; si++) {
          const u = (i + (si + 0.5) / sub - n / 2) * scale;
          const v = (j + (sj + 0.5) / sub - n / 2) * scale;
          acc += grey(center.x + u * cos - v * sin, center.y + u * sin + v * cos);
        }
      }
      out[j * n + i] = acc / (sub * sub);
    }
  }
  return out;
}

/** Mean luminance, clipped fraction and contrast-normalised Laplacian variance of a square grey crop. */
export function cropStatistics(crop: Float32Array): { meanLuminance: number; clippedFraction: number; sharpness: number } {
  const n = Math.round(Math.sqrt(crop.length));
  let sum = 0;
  let sumSq = 0;
  let clipped = 0;
  for (const v of crop) {
    sum += v;
    sumSq += v * v;
    if (v <= 5 || v >= 250) clipped++;
  }
  const mean = sum / crop.length;
  const variance = Math.max(0, sumSq / crop.length - mean * mean);
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < n - 1; y++) {
    for (let x = 1; x < n - 1; x++) {
      const c = y * n + x;
      const lap = crop[c - 1] + crop[c + 1] + crop[c - n] + crop[c + n] - 4 * crop[c];
      lapSum += lap;
      lapSq += lap * lap;
      count++;
    }
  }
  const lapMean = lapSum / count;
  const lapVar = Math.max(0, lapSq / count - lapMean * lapMean);
  // Dividing by the crop's own variance makes the measure independent of exposure and contrast;
  // a flat crop (variance ~0) has no detail at all, so it is reported as 0.
  const sharpness = variance > 1 ? lapVar / variance : 0;
  return { meanLuminance: mean, clippedFraction: clipped / crop.length, sharpness };
}

/** All per-face quality measurements; the decision lives in @vigil/domain (assessFaceQuality). */
export function measureFaceQuality(
  frame: RgbFrame,
  box: Box,
  landmarks: readonly Point[],
  detectorScore: number,
): FaceQualityMeasures {
  const pose = estimatePose(landmarks);
  const mouth = centroid(landmarks, 48, 67);
  const eyesMid = { x: (pose.leftEye.x + pose.rightEye.x) / 2, y: (pose.leftEye.y + pose.rightEye.y) / 2 };
  // Centre between eyes and mouth, side ~2.2 inter-ocular distances: the inner face, little background.
  const center = { x: (eyesMid.x + mouth.x) / 2, y: (eyesMid.y + mouth.y) / 2 };
  const side = Math.max(8, 2.2 * Math.max(pose.interOcularPx, Math.hypot(mouth.x - eyesMid.x, mouth.y - eyesMid.y)));
  const stats = cropStatistics(alignedGreyCrop(frame, center, side, pose.rollDeg));
  return {
    boxSizePx: Math.min(box.width, box.height),
    interOcularPx: pose.interOcularPx,
    sharpness: stats.sharpness,
    meanLuminance: stats.meanLuminance,
    clippedFraction: stats.clippedFraction,
    yawDeg: pose.yawDeg,
    rollDeg: pose.rollDeg,
    detectorScore,
  };
}
