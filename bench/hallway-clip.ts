import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../libs/vision/src/testing/sample-photos';

/** The face of sample photo 1 as the benches enrol and show it. */
export function walkerFace(): sharp.Sharp {
  return sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 });
}

/**
 * A `cycleS`-second 1280x720 hallway clip: empty, then the face walks slowly across (60 px/s) for
 * `faceS` seconds from `faceAt`. It has to move: the motion gate rightly skips a picture that does
 * not change.
 */
export async function hallwayClip(dir: string, faceAt: number, opts: { cycleS: number; faceS: number }): Promise<string> {
  const face = path.join(dir, 'face.jpg');
  await walkerFace().resize({ height: 300 }).jpeg().toFile(face);
  const out = path.join(dir, `hallway-${faceAt}.mp4`);
  const end = faceAt + opts.faceS;
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=0x5c5850:s=1280x720:r=25:d=${opts.cycleS}`, '-loop', '1', '-i', face,
    '-filter_complex', `[0:v][1:v]overlay=x='400+(t-${faceAt})*60':y=200:enable='between(t,${faceAt},${end})':shortest=1[v]`,
    '-map', '[v]', '-t', String(opts.cycleS), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', out,
  ]);
  return out;
}
