import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { resolveFfmpeg } from '@vigil/video';
import { MediaUnreadableError } from './scan-errors';
import { isImagePath } from './media-files';
import type { MediaProbe } from './scan-types';

/** Codecs of still pictures: a "video" stream of one of these in an image file is one frame. */
const IMAGE_CODECS = new Set(['mjpeg', 'png', 'webp', 'bmp', 'tiff', 'gif', 'jpegls', 'jpeg2000']);

let ffprobePath: Promise<string> | undefined;

/**
 * ffprobe: FFPROBE_PATH, else the one beside the ffmpeg we run (Debian and static builds ship them
 * together), else `ffprobe` on PATH.
 */
export function resolveFfprobe(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.FFPROBE_PATH) return Promise.resolve(env.FFPROBE_PATH);
  ffprobePath ??= resolveFfmpeg()
    .then(async ({ path: ffmpegPath }) => {
      const beside = path.join(path.dirname(ffmpegPath), 'ffprobe');
      await access(beside, constants.X_OK);
      return beside;
    })
    .catch(() => 'ffprobe');
  return ffprobePath;
}

/** The last meaningful line of ffprobe's error (fluent-ffmpeg prefixes its own text and argv). */
export function ffprobeReason(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('ffprobe exited'));
  const last = lines[lines.length - 1] ?? message;
  // "x.mp4: Invalid data found when processing input" → the part after the file name.
  return last.replace(/^.*?:\s(?=[A-Z])/u, '');
}

/**
 * Reads what a file holds before decoding it. Throws MediaUnreadableError naming the file when it
 * is missing, not a video or image ffprobe can read, or has no picture stream.
 */
export async function probeMedia(file: string): Promise<MediaProbe> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new MediaUnreadableError(file, 'missing', `${file} does not exist or is not a file`);
  if (info.size === 0) throw new MediaUnreadableError(file, 'not_media', `${file} is empty (0 bytes): copy it again from the source`);
  ffmpeg.setFfprobePath(await resolveFfprobe());
  const data = await new Promise<ffmpeg.FfprobeData>((resolve, reject) => {
    ffmpeg.ffprobe(file, (error: Error | null, metadata: ffmpeg.FfprobeData) => (error ? reject(error) : resolve(metadata)));
  }).catch((error: unknown) => {
    const reason = ffprobeReason(error instanceof Error ? error.message : String(error));
    const truncated = /moov atom not found|partial file|end of file|truncat/i.test(reason);
    throw new MediaUnreadableError(
      file,
      truncated ? 'truncated' : 'not_media',
      truncated ? `${file} is truncated (${reason}): the copy is incomplete; copy it again from the recorder` : `${file} is not a video or image ffprobe can read: ${reason}`,
    );
  });
  const stream = data.streams.find((s) => s.codec_type === 'video' && (s.width ?? 0) > 0 && (s.height ?? 0) > 0);
  if (!stream) throw new MediaUnreadableError(file, 'not_media', `${file} holds no picture (no video stream): nothing to scan`);
  const codec = stream.codec_name ?? 'unknown';
  const still = IMAGE_CODECS.has(codec) && (isImagePath(file) || Number(stream.nb_frames) === 1 || data.format.format_name?.includes('image2') === true);
  const duration = still ? 0 : positive(Number(stream.duration)) || positive(Number(data.format.duration));
  return {
    file,
    kind: still ? 'image' : 'video',
    durationSeconds: duration,
    frameRate: still ? 0 : rate(stream.avg_frame_rate) || rate(stream.r_frame_rate),
    width: stream.width!,
    height: stream.height!,
    codec,
  };
}

function positive(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** "25/1" → 25; "0/0" → 0. */
function rate(fraction: string | undefined): number {
  if (!fraction) return 0;
  const [num, den] = fraction.split('/').map(Number);
  return positive(den ? num! / den : num!);
}
