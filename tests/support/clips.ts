import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Generated test clips, cached under os.tmpdir() (never committed). */
export const CLIP_DIR = path.join(tmpdir(), 'vigil-test-clips');

/**
 * An H.264 MP4 of ffmpeg's testsrc2 (moving pattern) at the given size: no B-frames, a
 * keyframe every 10 frames, so playback can start anywhere quickly. Takes well under a second.
 */
export function testClip(width: number, height: number, seconds = 10, fps = 25): string {
  const file = path.join(CLIP_DIR, `testsrc2-${width}x${height}-${seconds}s-${fps}.mp4`);
  if (existsSync(file)) return file;
  mkdirSync(CLIP_DIR, { recursive: true });
  const temp = `${file}.${process.pid}.tmp.mp4`;
  execFileSync('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`, '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-g', '10', '-pix_fmt', 'yuv420p', temp,
  ]);
  renameSync(temp, file);
  return file;
}
