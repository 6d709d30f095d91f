import { UnprocessableError } from '@vigil/domain';

/** Why a file could not be scanned (what the report's per-file error says). */
export type MediaProblem = 'missing' | 'not_media' | 'truncated' | 'decode_failed';

/**
 * A file that cannot be scanned: not there, not a video or image ffprobe can read, cut short, or
 * failing to decode. The message names the file and says what to do; an HTTP caller maps it to 422.
 */
export class MediaUnreadableError extends UnprocessableError {
  constructor(
    readonly file: string,
    readonly problem: MediaProblem,
    message: string,
  ) {
    super(message, { file, problem });
  }
}

/** The scan was cancelled (AbortSignal): ffmpeg was stopped and no report is produced. */
export class ScanCancelledError extends Error {
  constructor() {
    super('scan cancelled');
    this.name = 'ScanCancelledError';
  }
}
