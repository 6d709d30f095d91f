import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import type { Box, RecognitionAttempt } from '@vigil/domain';

/** Per camera, at most this many attempts are kept… */
export const ATTEMPTS_CAPACITY = 200;
/** …and none older than this. Attempts are never persisted. */
export const ATTEMPTS_KEPT_MS = 5 * 60_000;
/** A thumbnail is kept for a face that matched or came this close to its nearest person's threshold. */
const CLOSE_MARGIN = 0.15;
/** Margin around the box: enough for the detector to find the face again when it is enrolled from here. */
const THUMB_MARGIN = 0.5;
/** Thumbnails wider than this are scaled down (a face of ~270 px still passes the enrolment gate). */
const THUMB_MAX_WIDTH = 480;

export interface LoggedAttempt extends RecognitionAttempt {
  id: string;
  analysis: 'scan' | 'follow';
  detector: 'ssd' | 'tiny';
  frame: { width: number; height: number };
  thumbnail: Buffer | null;
}

export interface AttemptFrame {
  rgb: Buffer;
  width: number;
  height: number;
  analysis: 'scan' | 'follow';
  detector: 'ssd' | 'tiny';
}

/**
 * What the pipeline saw, per camera, in memory only: the last ATTEMPTS_CAPACITY analysed faces of
 * the last ATTEMPTS_KEPT_MS, with a JPEG thumbnail only for faces that matched or came close (an
 * administrator can enrol from those). No embedding is ever kept here.
 */
@Injectable()
export class AttemptLog {
  private readonly cameras = new Map<string, LoggedAttempt[]>();

  /** Records a frame's attempts; the thumbnails are encoded before the attempts become visible. */
  async record(cameraId: string, frame: AttemptFrame, attempts: readonly RecognitionAttempt[], now = Date.now()): Promise<void> {
    if (attempts.length === 0) return;
    const logged = await Promise.all(
      attempts.map(async (a): Promise<LoggedAttempt> => {
        const close = a.nearest !== null && a.nearest.distance <= a.nearest.threshold + CLOSE_MARGIN;
        const thumbnail = close ? await thumbnailOf(frame, a.box) : null;
        return { ...a, id: randomUUID(), analysis: frame.analysis, detector: frame.detector, frame: { width: frame.width, height: frame.height }, thumbnail };
      }),
    );
    const list = this.cameras.get(cameraId) ?? [];
    list.push(...logged);
    this.cameras.set(cameraId, list);
    this.prune(cameraId, now);
  }

  /** Newest first. */
  list(cameraId: string, now = Date.now()): LoggedAttempt[] {
    this.prune(cameraId, now);
    return [...(this.cameras.get(cameraId) ?? [])].reverse();
  }

  find(cameraId: string, attemptId: string, now = Date.now()): LoggedAttempt | null {
    return this.list(cameraId, now).find((a) => a.id === attemptId) ?? null;
  }

  /** Cameras with attempts in memory. */
  cameraIds(): string[] {
    return [...this.cameras.keys()];
  }

  forget(cameraId: string): void {
    this.cameras.delete(cameraId);
  }

  private prune(cameraId: string, now: number): void {
    const list = this.cameras.get(cameraId);
    if (!list) return;
    const firstFresh = list.findIndex((a) => now - a.at <= ATTEMPTS_KEPT_MS);
    if (firstFresh < 0) {
      this.cameras.delete(cameraId);
      return;
    }
    const from = Math.max(list.length - ATTEMPTS_CAPACITY, firstFresh);
    if (from > 0) list.splice(0, from);
  }
}

async function thumbnailOf(frame: AttemptFrame, box: Box): Promise<Buffer> {
  const left = Math.max(0, Math.floor(box.x - box.width * THUMB_MARGIN));
  const top = Math.max(0, Math.floor(box.y - box.height * THUMB_MARGIN));
  const right = Math.min(frame.width, Math.ceil(box.x + box.width * (1 + THUMB_MARGIN)));
  const bottom = Math.min(frame.height, Math.ceil(box.y + box.height * (1 + THUMB_MARGIN)));
  return sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) })
    .resize({ width: THUMB_MAX_WIDTH, withoutEnlargement: true })
    .jpeg({ quality: 90 })
    .toBuffer();
}
