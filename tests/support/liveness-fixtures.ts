import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FaceEngine, largestFace } from '@vigil/vision';
import { PLANAR_WARPS, warpPhoto } from './warp';

/** Repository root from dist/tests/support (compiled) or tests/support (source). */
export const LIVENESS_FIXTURES = resolve(__dirname, __dirname.includes(`${join('dist', 'tests')}`) ? '../../..' : '../..', 'tests/fixtures/liveness');

export const LIVENESS_PHOTOS = ['colin-frontal', 'colin-left-19', 'colin-left-28', 'colin-right-22', 'colin-right-29', 'colin-enrol', 'bush-frontal'] as const;
export type LivenessPhoto = (typeof LIVENESS_PHOTOS)[number];

export const livenessPhoto = (name: LivenessPhoto): Buffer => readFileSync(join(LIVENESS_FIXTURES, `${name}.jpg`));

/** What the engine measured on one fixture frame (the domain spec runs on these, without an engine). */
export interface MeasuredFrame {
  faces: number;
  landmarks: { x: number; y: number }[];
  descriptor: number[];
}

export interface MeasuredFixtures {
  photos: Record<string, MeasuredFrame>;
  /** Warped copies of colin-frontal, by warp name. */
  warpedFrontal: Record<string, MeasuredFrame>;
  /** Warped copies of colin-left-19 (a photo already turned ~19°), by warp name. */
  warpedLeft19: Record<string, MeasuredFrame>;
}

/**
 * Regenerates measured.json: `node dist/tests/support/liveness-fixtures.js` (after npm run build).
 * Run it again when the landmark or descriptor model changes.
 */
async function main(): Promise<void> {
  const engine = await FaceEngine.create({ detector: 'ssd' });
  const measure = async (jpeg: Buffer): Promise<MeasuredFrame> => {
    const faces = await engine.detectImage(jpeg);
    const face = largestFace(faces)!;
    const r2 = (v: number) => Math.round(v * 100) / 100;
    return { faces: faces.length, landmarks: face.landmarks.map((p) => ({ x: r2(p.x), y: r2(p.y) })), descriptor: Array.from(face.descriptor!, (v) => Math.round(v * 1e5) / 1e5) };
  };
  const out: MeasuredFixtures = { photos: {}, warpedFrontal: {}, warpedLeft19: {} };
  for (const name of LIVENESS_PHOTOS) out.photos[name] = await measure(livenessPhoto(name));
  for (const [name, warp] of Object.entries(PLANAR_WARPS)) out.warpedFrontal[name] = await measure(await warpPhoto(livenessPhoto('colin-frontal'), warp));
  for (const [name, warp] of Object.entries(PLANAR_WARPS)) out.warpedLeft19[name] = await measure(await warpPhoto(livenessPhoto('colin-left-19'), warp));
  writeFileSync(join(LIVENESS_FIXTURES, 'measured.json'), `${JSON.stringify(out)}\n`);
}

if (require.main === module) void main();
