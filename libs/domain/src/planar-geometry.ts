/**
 * Plane-projective geometry on 2-D points (landmarks). A flat picture moved in front of a camera
 * — turned, tilted, rotated, scaled, sheared — changes its image by a homography; a head does not,
 * because its nose stands out of the face. These helpers express both facts as numbers.
 */

export interface PlanePoint {
  x: number;
  y: number;
}

/** A 3x3 homography with h33 = 1, row-major (h11 h12 h13 h21 h22 h23 h31 h32). */
export type Homography = readonly [number, number, number, number, number, number, number, number];

export function applyHomography(h: Homography, p: PlanePoint): PlanePoint {
  const w = h[6] * p.x + h[7] * p.y + 1;
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

/** Solves A x = b (n x n) by Gaussian elimination with partial pivoting; null when singular. */
export function solveLinear(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * The homography taking `from[i]` to `to[i]`: exact for 4 points, least squares (algebraic error,
 * h33 = 1) for more. Null when the points are degenerate (three of four collinear, all equal).
 */
export function fitHomography(from: readonly PlanePoint[], to: readonly PlanePoint[]): Homography | null {
  if (from.length !== to.length || from.length < 4) throw new Error('fitHomography needs at least 4 point pairs');
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const add = (row: readonly number[], v: number) => {
    for (let i = 0; i < 8; i++) {
      atb[i]! += row[i]! * v;
      for (let j = 0; j < 8; j++) ata[i]![j]! += row[i]! * row[j]!;
    }
  };
  for (let i = 0; i < from.length; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    add([x, y, 1, 0, 0, 0, -u * x, -u * y], u);
    add([0, 0, 0, x, y, 1, -v * x, -v * y], v);
  }
  const h = solveLinear(ata, atb);
  return h && h.every(Number.isFinite) ? (h as unknown as Homography) : null;
}

/**
 * Hartley normalisation: centroid at the origin, mean distance √2. Makes the least-squares fit
 * well conditioned and its residual independent of where and how large the face is in the frame.
 */
export function normalisePoints(points: readonly PlanePoint[]): PlanePoint[] {
  const { cx, cy, k } = pointNormalisation(points);
  return points.map((p) => ({ x: (p.x - cx) * k, y: (p.y - cy) * k }));
}

/** The centre and scale normalisePoints uses: normalised = (p − c) · k. */
export function pointNormalisation(points: readonly PlanePoint[]): { cx: number; cy: number; k: number } {
  const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
  const spread = points.reduce((s, p) => s + Math.hypot(p.x - cx, p.y - cy), 0) / points.length;
  return { cx, cy, k: spread > 0 ? Math.SQRT2 / spread : 1 };
}

/**
 * How far two views of a point set are from being one plane seen twice: the RMS residual of the
 * best homography between them, in normalised units (mean point distance √2 from the centroid).
 * Two photos of one flat picture give ~0 plus landmark noise; a head that turned gives more,
 * because its nose, eyes and outline move by different amounts. Infinity when no fit exists.
 */
export function planarResidual(a: readonly PlanePoint[], b: readonly PlanePoint[]): number {
  const na = normalisePoints(a);
  const nb = normalisePoints(b);
  const h = fitHomography(na, nb);
  if (!h) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < na.length; i++) {
    const m = applyHomography(h, na[i]!);
    sum += (m.x - nb[i]!.x) ** 2 + (m.y - nb[i]!.y) ** 2;
  }
  return Math.sqrt(sum / na.length);
}
