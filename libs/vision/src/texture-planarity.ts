import sharp from 'sharp';
import { applyHomography, fitHomography, normalisePoints, pointNormalisation, solveLinear, type Homography, type PlanePoint } from '@vigil/domain';

/** A blurred grey image: what the photometric comparison samples. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Blur before comparing: JPEG noise and sub-pixel landmark error must not look like depth. */
const BLUR_SIGMA = 1.5;
const GRID = 32;
const ITERATIONS = 12;
const STEP = 1e-3;

export async function decodeGrey(encoded: Uint8Array): Promise<GreyImage> {
  const { data, info } = await sharp(encoded).rotate().greyscale().blur(BLUR_SIGMA).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height * info.channels).filter((_, i) => i % info.channels === 0) };
}

function sample(img: GreyImage, x: number, y: number): number {
  const cx = Math.max(0, Math.min(img.width - 1.001, x));
  const cy = Math.max(0, Math.min(img.height - 1.001, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const fx = cx - x0;
  const fy = cy - y0;
  const i = y0 * img.width + x0;
  const d = img.data;
  return (d[i]! * (1 - fx) + d[i + 1]! * fx) * (1 - fy) + (d[i + img.width]! * (1 - fx) + d[i + img.width + 1]! * fx) * fy;
}

function zeroMeanUnit(v: Float64Array): Float64Array {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  const sd = Math.sqrt(ss / v.length) || 1;
  return v.map((x) => (x - mean) / sd);
}

/**
 * How well ONE homography explains the pixels of the inner face between two frames: normalised
 * cross-correlation after aligning the frames' inner faces with a homography (started from the
 * landmarks, refined on the pixels by Gauss–Newton). A flat picture moved in front of the lens is
 * one homography, so it scores near 1 however the landmark net misreads it; a head that turned
 * does not (the nose, cheeks and outline move by different amounts and parts of the face hide).
 */
export function texturePlanarity(a: GreyImage, landmarksA: readonly PlanePoint[], b: GreyImage, landmarksB: readonly PlanePoint[]): number {
  const na = pointNormalisation(landmarksA);
  const nb = pointNormalisation(landmarksB);
  const init = fitHomography(normalisePoints(landmarksA), normalisePoints(landmarksB));
  if (!init) return 0;
  // The inner face of A: brows, eyes, nose, mouth (landmarks 17–67), in A's normalised coordinates.
  const inner = normalisePoints(landmarksA).slice(17);
  const xs = inner.map((p) => p.x);
  const ys = inner.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const grid: PlanePoint[] = [];
  for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) grid.push({ x: x0 + ((i + 0.5) / GRID) * (x1 - x0), y: y0 + ((j + 0.5) / GRID) * (y1 - y0) });
  const ga = zeroMeanUnit(Float64Array.from(grid, (p) => sample(a, p.x / na.k + na.cx, p.y / na.k + na.cy)));
  const warped = (h: Homography) =>
    zeroMeanUnit(
      Float64Array.from(grid, (p) => {
        const q = applyHomography(h, p);
        return sample(b, q.x / nb.k + nb.cx, q.y / nb.k + nb.cy);
      }),
    );
  const ncc = (v: Float64Array) => v.reduce((s, x, i) => s + x * ga[i]!, 0) / v.length;
  let h = [...init] as number[];
  let best = ncc(warped(h as unknown as Homography));
  let lambda = 1e-2;
  for (let it = 0; it < ITERATIONS; it++) {
    const base = warped(h as unknown as Homography);
    const r = base.map((x, i) => x - ga[i]!);
    const jac: Float64Array[] = [];
    for (let k = 0; k < 8; k++) {
      const hk = [...h];
      hk[k]! += STEP;
      const moved = warped(hk as unknown as Homography);
      jac.push(moved.map((x, i) => (x - base[i]!) / STEP));
    }
    const jtj = Array.from({ length: 8 }, (_, p) => Array.from({ length: 8 }, (_, q) => jac[p]!.reduce((s, x, i) => s + x * jac[q]![i]!, 0)));
    const jtr = Array.from({ length: 8 }, (_, p) => -jac[p]!.reduce((s, x, i) => s + x * r[i]!, 0));
    for (let p = 0; p < 8; p++) jtj[p]![p]! *= 1 + lambda;
    const step = solveLinear(jtj, jtr);
    if (!step) break;
    const candidate = h.map((v, k) => v + step[k]!);
    const score = ncc(warped(candidate as unknown as Homography));
    if (score > best) {
      h = candidate;
      best = score;
      lambda /= 3;
    } else {
      lambda *= 10;
    }
  }
  return best;
}
