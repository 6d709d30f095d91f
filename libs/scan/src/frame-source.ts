import { spawn } from 'node:child_process';
import sharp from 'sharp';
import { FrameReader, resolveFfmpeg, StderrTail, terminateChild } from '@vigil/video';
import type { RgbFrame } from '@vigil/vision';
import { cleanFfmpegLine } from './media-probe';
import { MediaUnreadableError, ScanCancelledError } from './scan-errors';
import { analysisSize, decodedTooShort, formatVideoTime, frameTimeMs } from './scan-rules';
import type { MediaProbe } from './scan-types';

/** One picture to analyse, at its time in the video. */
export interface SourceFrame {
  index: number;
  atMs: number;
  frame: RgbFrame;
}

/** What ffmpeg's error output says when the data stops before the index says it should. */
const TRUNCATION = /partial file|moov atom not found|end of file|truncat|Invalid NAL|corrupt|error while decoding/i;

/**
 * Decodes a video to RGB at `fps` as fast as ffmpeg can (no -re: recorded footage, not a camera),
 * scaled down per analysisSize. Reading is pulled: ffmpeg waits while the scan is busy analysing.
 * Ends with MediaUnreadableError when ffmpeg fails or the decoded frames fall short of the probed
 * duration (a cut-off file is never a complete one); with ScanCancelledError on abort (ffmpeg killed).
 */
export async function* decodeVideo(probe: MediaProbe, fps: number, signal?: AbortSignal): AsyncGenerator<SourceFrame> {
  const { width, height } = analysisSize(probe.width, probe.height);
  const ffmpeg = await resolveFfmpeg();
  const child = spawn(
    ffmpeg.path,
    ['-hide_banner', '-nostdin', '-v', 'error', '-i', probe.file, '-map', '0:v:0', '-an', '-sn', '-vf', `fps=${fps},scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr = new StderrTail(10);
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // Listened for from the start: ffmpeg may exit while the consumer is still busy with earlier frames.
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('close', (code) => resolve({ code }));
    child.once('error', (error) => resolve({ code: null, error }));
  });
  const onAbort = (): void => void terminateChild(child, 1_000);
  signal?.addEventListener('abort', onAbort, { once: true });
  let index = 0;
  let completed = false;
  try {
    const ready: RgbFrame[] = [];
    const reader = new FrameReader(width, height, (data) => ready.push({ width, height, data }));
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw new ScanCancelledError();
      reader.push(chunk);
      while (ready.length > 0) {
        yield { index, atMs: frameTimeMs(index, fps), frame: ready.shift()! };
        index++;
        if (signal?.aborted) throw new ScanCancelledError();
      }
    }
    reader.end();
    if (signal?.aborted) throw new ScanCancelledError();
    const exit = await exited;
    stderr.flush();
    const lastLine = stderr.last() === undefined ? undefined : cleanFfmpegLine(stderr.last()!);
    const reason = lastLine ?? exit.error?.message ?? `ffmpeg exited with ${String(exit.code)}`;
    const decoded = `${formatVideoTime(index / fps)} of ${formatVideoTime(probe.durationSeconds)} decoded`;
    if (exit.code !== 0) {
      const truncated = TRUNCATION.test(stderr.all().join('\n'));
      throw new MediaUnreadableError(
        probe.file,
        truncated ? 'truncated' : 'decode_failed',
        truncated ? `${probe.file} is truncated or damaged (${decoded}): ${reason}` : `${probe.file} could not be decoded (${decoded}): ${reason}`,
      );
    }
    if (decodedTooShort(probe.durationSeconds, index, fps)) {
      throw new MediaUnreadableError(probe.file, 'truncated', `${probe.file} is truncated: only ${decoded}${lastLine ? ` (${lastLine})` : ''}; copy it again from the recorder`);
    }
    completed = true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stopped early (cancel, failure downstream): ffmpeg must not outlive the scan.
    if (!completed) await terminateChild(child, 1_000);
  }
}

/** A still picture as one frame at time 0 (EXIF orientation applied, scaled like video frames). */
export async function decodeImage(probe: MediaProbe): Promise<SourceFrame> {
  const size = analysisSize(probe.width, probe.height);
  try {
    const { data, info } = await sharp(probe.file)
      .rotate()
      .resize({ width: size.width, withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion`);
    return { index: 0, atMs: 0, frame: { width: info.width, height: info.height, data } };
  } catch (error) {
    throw new MediaUnreadableError(probe.file, 'decode_failed', `${probe.file} could not be decoded as an image: ${error instanceof Error ? error.message : String(error)}`);
  }
}
