import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import ffmpegCommand from 'fluent-ffmpeg';
import { resolveFfmpeg } from './ffmpeg-binary';

export interface DemoClipOptions {
  width?: number;
  height?: number;
  secondsPerPhoto?: number;
  /** ffmpeg to use (default: resolveFfmpeg()). */
  ffmpegPath?: string;
}

/** The six photos shipped with @vladmandic/face-api (demo/sample1..6.jpg). */
export function samplePhotoPaths(): string[] {
  const root = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  return [1, 2, 3, 4, 5, 6].map((i) => path.join(root, 'demo', `sample${i}.jpg`));
}

/**
 * The filtergraph: each photo filled to a slightly larger frame, then a slow left-to-right pan
 * (crop window moving with t) so the picture is never frozen, then all six concatenated.
 */
export function demoClipFilter(width: number, height: number, seconds: number): string {
  const bigW = Math.round((width * 1.125) / 2) * 2;
  const bigH = Math.round((height * 1.125) / 2) * 2;
  const parts = samplePhotoPaths().map(
    (_p, i) =>
      `[${i}:v]scale=${bigW}:${bigH}:force_original_aspect_ratio=increase,crop=${bigW}:${bigH},` +
      `crop=${width}:${height}:x='(in_w-out_w)*t/${seconds}':y='(in_h-out_h)/2',setsar=1,format=yuv420p[v${i}]`,
  );
  const inputs = parts.map((_p, i) => `[v${i}]`).join('');
  return `${parts.join(';')};${inputs}concat=n=${parts.length}:v=1:a=0[out]`;
}

const pending = new Map<string, Promise<string>>();

/**
 * Makes (once; later calls return the cached file) a looping-friendly H.264 MP4 of the six
 * sample photos: 1280x720, 5 s per photo, keyframe every second, no B-frames. Written to a temp
 * name and renamed, so a crash never leaves a half clip where a camera would read it. Takes
 * ~20 s on two cores the first time.
 */
export function ensureDemoClip(dir: string, options: DemoClipOptions = {}): Promise<string> {
  const width = options.width ?? 1280;
  const height = options.height ?? 720;
  const seconds = options.secondsPerPhoto ?? 5;
  const target = path.join(dir, `demo-faces-${width}x${height}-${seconds}s.mp4`);
  const inFlight = pending.get(target);
  if (inFlight) return inFlight;
  const job = (async () => {
    if (existsSync(target)) return target;
    mkdirSync(dir, { recursive: true });
    const ffmpeg = options.ffmpegPath ?? (await resolveFfmpeg()).path;
    const temp = path.join(dir, `.demo-${process.pid}-${randomBytes(4).toString('hex')}.mp4`);
    // A one-shot batch encode: fluent-ffmpeg's builder and end/error events fit it well. (Live
    // ingest spawns ffmpeg itself — see camera-supervisor.ts for why.)
    try {
      await new Promise<void>((resolve, reject) => {
        const command = ffmpegCommand({ timeout: 300, stdoutLines: 0 }).setFfmpegPath(ffmpeg);
        for (const photo of samplePhotoPaths()) {
          command.input(photo).inputOptions(['-loop', '1', '-framerate', '25', '-t', String(seconds)]);
        }
        command
          .complexFilter(demoClipFilter(width, height, seconds))
          .outputOptions(['-map', '[out]', '-c:v', 'libx264', '-preset', 'veryfast', '-bf', '0', '-g', '25', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4'])
          .on('error', (error: Error, _stdout: string | null, stderr: string | null) =>
            reject(new Error(`demo clip encoding failed: ${(stderr ?? '').trim().split('\n').pop() || error.message}`)),
          )
          .on('end', () => resolve())
          .save(temp);
      });
      renameSync(temp, target);
      return target;
    } finally {
      rmSync(temp, { force: true });
    }
  })();
  pending.set(target, job);
  job.catch(() => pending.delete(target));
  return job;
}
