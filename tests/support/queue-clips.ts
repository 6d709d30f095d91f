import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { CLIP_DIR } from './clips';
import { faceCrop, type SampleFace } from './face-crops';

export const QUEUE_WIDTH = 1280;
export const QUEUE_HEIGHT = 720;
export const QUEUE_FPS = 25;
/**
 * Height every camera-style crop is scaled to. faceCrop's crops have a 25 % margin around the SSD
 * box on each side, so the face itself is about 450 / 1.5 = 300 px tall: a person close to a
 * door or kiosk camera.
 */
export const QUEUE_CROP_HEIGHT = 450;
/** Horizontal centres (share of the frame width) used by the clips. */
export const SPOT = { centre: 0.5, left: 0.3, right: 0.7 } as const;

/** One person in a shot: camera-style crop `variant` of `face`, centred at `x` (share of the width). */
export interface Placement {
  face: SampleFace;
  variant: number;
  x: number;
}

/** A still scene held for `seconds`: who stands in front of the camera. */
export interface Shot {
  seconds: number;
  people: Placement[];
}

/** Grey 1280x720 frame with each person's crop scaled to QUEUE_CROP_HEIGHT, vertically centred. */
export async function shotFrame(people: readonly Placement[]): Promise<Buffer> {
  const layers: sharp.OverlayOptions[] = [];
  for (const p of people) {
    const scaled = await sharp(await faceCrop(p.face, p.variant)).resize({ height: QUEUE_CROP_HEIGHT }).png().toBuffer();
    const { width } = await sharp(scaled).metadata();
    layers.push({
      input: scaled,
      left: Math.round(QUEUE_WIDTH * p.x - width! / 2),
      top: Math.round((QUEUE_HEIGHT - QUEUE_CROP_HEIGHT) / 2),
    });
  }
  return sharp({ create: { width: QUEUE_WIDTH, height: QUEUE_HEIGHT, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite(layers)
    .png()
    .toBuffer();
}

/**
 * An H.264 MP4 of `shots` back to back (no gap between them), the whole sequence repeated `rounds`
 * times: people following each other at the same spot, like a queue at a door. 1280x720, 25 fps,
 * no B-frames, a keyframe every second. The repetition is in the file because rtsp-server.py plays
 * a file once per RTSP session: looping by reconnecting would put a reconnect gap (backoff) between
 * rounds. Cached under CLIP_DIR by content.
 */
export async function queueClip(name: string, shots: readonly Shot[], rounds: number): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify({ v: 1, shots, rounds, QUEUE_CROP_HEIGHT }))
    .digest('hex')
    .slice(0, 12);
  const file = path.join(CLIP_DIR, `queue-${name}-${key}.mp4`);
  if (existsSync(file)) return file;
  mkdirSync(CLIP_DIR, { recursive: true });
  const work = mkdtempSync(path.join(CLIP_DIR, `queue-${name}-`));
  try {
    const stills: string[] = [];
    for (const [i, shot] of shots.entries()) {
      const png = path.join(work, `shot${i}.png`);
      await sharp(await shotFrame(shot.people)).toFile(png);
      stills.push(png);
    }
    const inputs: string[] = [];
    for (let r = 0; r < rounds; r++) {
      shots.forEach((shot, i) => inputs.push('-loop', '1', '-framerate', String(QUEUE_FPS), '-t', String(shot.seconds), '-i', stills[i]!));
    }
    const n = rounds * shots.length;
    const concat = `${Array.from({ length: n }, (_, i) => `[${i}:v]`).join('')}concat=n=${n}:v=1:a=0,format=yuv420p[v]`;
    const temp = path.join(work, 'out.mp4');
    execFileSync('ffmpeg', [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...inputs,
      '-filter_complex', concat, '-map', '[v]', '-r', String(QUEUE_FPS),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-g', String(QUEUE_FPS), '-pix_fmt', 'yuv420p', temp,
    ]);
    renameSync(temp, file);
    return file;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Seconds of one round of `shots`. */
export function roundSeconds(shots: readonly Shot[]): number {
  return shots.reduce((sum, s) => sum + s.seconds, 0);
}
