/**
 * A tiny grey picture of a frame (default 32x18) for cheap comparisons: frozen-picture detection
 * and the motion gate. Each cell is the mean luma of a sample grid inside its block (every
 * `step`-th pixel and row), which averages away most sensor noise at a fraction of the cost.
 */
export interface GreyThumb {
  width: number;
  height: number;
  /** Luma 0..255, row-major. */
  data: Float32Array;
}

export function greyThumbnail(rgb: Buffer, width: number, height: number, tw = 32, th = 18, step = 2): GreyThumb {
  if (rgb.length !== width * height * 3) throw new RangeError('rgb buffer does not match width x height x 3');
  const sums = new Float64Array(tw * th);
  const counts = new Uint32Array(tw * th);
  for (let y = 0; y < height; y += step) {
    const cy = Math.min(th - 1, Math.floor((y * th) / height));
    const row = y * width * 3;
    for (let x = 0; x < width; x += step) {
      const cx = Math.min(tw - 1, Math.floor((x * tw) / width));
      const i = row + x * 3;
      sums[cy * tw + cx]! += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
      counts[cy * tw + cx]!++;
    }
  }
  const data = new Float32Array(tw * th);
  for (let i = 0; i < data.length; i++) data[i] = counts[i]! > 0 ? sums[i]! / counts[i]! : 0;
  return { width: tw, height: th, data };
}

export function meanAbsDiff(a: GreyThumb, b: GreyThumb): number {
  if (a.data.length !== b.data.length) return Infinity; // different geometry: treat as changed
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/** Share of cells whose luma moved by more than `delta` grey levels. */
export function changedFraction(a: GreyThumb, b: GreyThumb, delta: number): number {
  if (a.data.length !== b.data.length) return 1;
  let n = 0;
  for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i]! - b.data[i]!) > delta) n++;
  return n / a.data.length;
}
