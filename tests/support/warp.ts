import sharp from 'sharp';

/**
 * Warped copies of a photo, as an attacker would present a print or a phone screen: rotated,
 * scaled, squeezed, sheared and tilted in perspective (a flat picture turned about a vertical or
 * horizontal axis and seen by a pinhole camera). Each warp maps an output pixel (centred
 * coordinates) back to the source pixel it shows; null leaves it white (outside the print).
 */
export type InverseWarp = (x: number, y: number) => { x: number; y: number } | null;

const affine = (a: number, b: number, c: number, d: number): InverseWarp => {
  const det = a * d - b * c;
  return (x, y) => ({ x: (d * x - b * y) / det, y: (-c * x + a * y) / det });
};
const rotate = (deg: number) => {
  const r = (deg * Math.PI) / 180;
  return affine(Math.cos(r), -Math.sin(r), Math.sin(r), Math.cos(r));
};
/** A print turned by `deg` about its vertical axis, `distance` pixels from the camera's centre of projection. */
const tiltAboutVertical = (deg: number, distance: number): InverseWarp => {
  const p = (deg * Math.PI) / 180;
  return (x, y) => {
    const den = distance * Math.cos(p) - x * Math.sin(p);
    if (den <= 0) return null;
    const sx = (x * distance) / den;
    return { x: sx, y: (y * (distance + sx * Math.sin(p))) / distance };
  };
};
const tiltAboutHorizontal = (deg: number, distance: number): InverseWarp => {
  const t = tiltAboutVertical(deg, distance);
  return (x, y) => {
    const r = t(y, x);
    return r && { x: r.y, y: r.x };
  };
};

/** For a 250 px LFW photo: "near" is a print held about its own width from the lens. */
export const PLANAR_WARPS: Record<string, InverseWarp> = {
  identity: affine(1, 0, 0, 1),
  'rotate 20°': rotate(20),
  'rotate −25°': rotate(-25),
  'scale 0.7': affine(0.7, 0, 0, 0.7),
  'squeeze x 0.6': affine(0.6, 0, 0, 1),
  'shear x 0.4': affine(1, 0.4, 0, 1),
  'shear x −0.4': affine(1, -0.4, 0, 1),
  'shear y 0.3': affine(1, 0, 0.3, 1),
  'tilt 45° about vertical': tiltAboutVertical(45, 250),
  'tilt −45° about vertical': tiltAboutVertical(-45, 250),
  'tilt 60° about vertical, far': tiltAboutVertical(60, 500),
  'tilt 40° about horizontal': tiltAboutHorizontal(40, 250),
  'tilt 45° about vertical, near': tiltAboutVertical(45, 180),
  'tilt −45° about vertical, near': tiltAboutVertical(-45, 180),
};

/** The photo as seen through `warp`, same size, bilinear, as JPEG. */
export async function warpPhoto(jpeg: Buffer, warp: InverseWarp): Promise<Buffer> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const out = Buffer.alloc(w * h * 3, 255);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const s = warp(i - w / 2, j - h / 2);
      if (!s) continue;
      const x = s.x + w / 2;
      const y = s.y + h / 2;
      if (x < 0 || y < 0 || x > w - 1 || y > h - 1) continue;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = Math.min(w - 1, x0 + 1);
      const y1 = Math.min(h - 1, y0 + 1);
      const fx = x - x0;
      const fy = y - y0;
      for (let c = 0; c < 3; c++) {
        const at = (px: number, py: number) => data[(py * w + px) * 3 + c]!;
        const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
        const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
        out[(j * w + i) * 3 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return sharp(out, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}
