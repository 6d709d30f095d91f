import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import type { Point } from '../face-measures';
import type { RgbFrame } from '../rgb-frame';

/**
 * Test/bench support: the six photos shipped with @vladmandic/face-api and deterministic
 * variants of them. Not exported from the library index.
 */

/** Faces visible in demo/sample1..6.jpg, counted by eye. */
export const SAMPLE_FACE_COUNTS = [3, 3, 3, 4, 5, 4] as const;

export function samplePhotoPath(index: number): string {
  const root = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  return path.join(root, 'demo', `sample${index}.jpg`);
}

export function readSamplePhoto(index: number): Buffer {
  return fs.readFileSync(samplePhotoPath(index));
}

export async function toFrame(image: sharp.Sharp): Promise<RgbFrame> {
  const { data, info } = await image.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

export async function decodeSample(index: number): Promise<RgbFrame> {
  return toFrame(sharp(readSamplePhoto(index)));
}

function fromFrame(frame: RgbFrame): sharp.Sharp {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } });
}

export type VariantName = 'flip' | 'bright+30%' | 'dark-30%' | 'rotate+10' | 'rotate-10' | 'downscale50%';
export const VARIANTS: readonly VariantName[] = ['flip', 'bright+30%', 'dark-30%', 'rotate+10', 'rotate-10', 'downscale50%'];

export interface Variant {
  frame: RgbFrame;
  /** Maps a point of the original frame to the variant frame (to pair faces geometrically). */
  map(p: Point): Point;
}

export async function makeVariant(src: RgbFrame, name: VariantName): Promise<Variant> {
  const identity = (p: Point): Point => p;
  switch (name) {
    case 'flip':
      return { frame: await toFrame(fromFrame(src).flop()), map: (p) => ({ x: src.width - p.x, y: p.y }) };
    case 'bright+30%':
      return { frame: await toFrame(fromFrame(src).linear(1.3, 0)), map: identity };
    case 'dark-30%':
      return { frame: await toFrame(fromFrame(src).linear(0.7, 0)), map: identity };
    case 'rotate+10':
    case 'rotate-10': {
      const deg = name === 'rotate+10' ? 10 : -10;
      const frame = await toFrame(fromFrame(src).rotate(deg, { background: { r: 0, g: 0, b: 0 } }));
      // sharp rotates clockwise on screen (y down) and grows the canvas around the same centre.
      const t = (deg * Math.PI) / 180;
      const map = (p: Point): Point => {
        const dx = p.x - src.width / 2;
        const dy = p.y - src.height / 2;
        return {
          x: frame.width / 2 + dx * Math.cos(t) - dy * Math.sin(t),
          y: frame.height / 2 + dx * Math.sin(t) + dy * Math.cos(t),
        };
      };
      return { frame, map };
    }
    case 'downscale50%': {
      const frame = await toFrame(fromFrame(src).resize(Math.round(src.width / 2), Math.round(src.height / 2)));
      return { frame, map: (p) => ({ x: (p.x * frame.width) / src.width, y: (p.y * frame.height) / src.height }) };
    }
  }
}

/** Index of the box whose centre is nearest to `p`, if within `maxDist` pixels. */
export function nearestBox(
  boxes: ReadonlyArray<{ x: number; y: number; width: number; height: number }>,
  p: Point,
  maxDist: number,
): number | undefined {
  let best: number | undefined;
  let bestDist = maxDist;
  boxes.forEach((b, i) => {
    const d = Math.hypot(b.x + b.width / 2 - p.x, b.y + b.height / 2 - p.y);
    if (d <= bestDist) {
      best = i;
      bestDist = d;
    }
  });
  return best;
}
