import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
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

/** Box types an MP4/MOV file starts with (ISO base media): such a file without its index was cut short. */
const ISO_FIRST_BOXES = new Set(['ftyp', 'mdat', 'moov', 'free', 'wide', 'skip', 'pnot']);

/** Whether the file starts like an MP4/MOV (ffprobe's mov demuxer also claims text files, then says "moov atom not found"). */
export function looksLikeIsoMedia(head: Buffer): boolean {
  return head.length >= 8 && ISO_FIRST_BOXES.has(head.toString('latin1', 4, 8));
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** ffmpeg's and ffprobe's error lines say where the data stops rather than that the data was never media. */
export const TRUNCATION_PATTERN = /moov atom not found|partial file|end of file|truncat/i;

/** An ffmpeg/ffprobe stderr line without its "[mov,mp4,… @ 0x55…] " context prefix. */
export function cleanFfmpegLine(line: string): string {
  return line.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/i, '').trim();
}

/**
 * What a person needs from ffprobe's error (fluent-ffmpeg prefixes its own text): the line naming
 * the truncation when there is one ("moov atom not found" comes before the generic "Invalid
 * data"), else the last line, without the file name ffprobe repeats.
 */
export function ffprobeReason(message: string): { reason: string; truncated: boolean } {
  const lines = message.split('\n').map(cleanFfmpegLine).filter((l) => l && !l.startsWith('ffprobe exited') && !l.startsWith('Error: ffprobe exited'));
  const truncation = lines.find((l) => TRUNCATION_PATTERN.test(l));
  const line = truncation ?? lines[lines.length - 1] ?? message;
  // "/x/y.mp4: Invalid data found when processing input" → the part after the file name.
  return { reason: line.replace(/^.*?:\s(?=[A-Z])/u, ''), truncated: truncation !== undefined };
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
  }).catch(async (error: unknown) => {
    // ffprobe itself missing is the machine's problem, not the file's: stop rather than fail every file.
    if (error instanceof Error && /ENOENT|Cannot find ffprobe/i.test(error.message) && !/No such file or directory/i.test(error.message)) {
      throw new Error(`cannot run ffprobe (${error.message}): install ffmpeg, which ships ffprobe, or set FFPROBE_PATH`);
    }
    const said = ffprobeReason(error instanceof Error ? error.message : String(error));
    const truncated = said.truncated && (!/moov atom/i.test(said.reason) || looksLikeIsoMedia(await readHead(file)));
    const reason = truncated || !said.truncated ? said.reason : 'Invalid data found when processing input';
    throw new MediaUnreadableError(
      file,
      truncated ? 'truncated' : 'not_media',
      truncated ? `${file} is truncated or was never finished (${reason}): copy it again from the recorder, or repair it (e.g. untrunc) and scan the copy` : `${file} is not a video or image ffprobe can read: ${reason}`,
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
