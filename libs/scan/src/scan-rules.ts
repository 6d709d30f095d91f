import { InvalidInputError, type PersonList } from '@vigil/domain';
import type { ScanFileResult, ScanListChoice, ScanStatus } from './scan-types';

/**
 * Frames analysed per second of video by default. Lower than the live 5 fps: recorded footage is
 * scanned for people who stay in view for a second or more, and the vote still gets its three
 * sightings in 1.5 s; --fps 5 analyses as the live path does, at 2.5x the time.
 */
export const DEFAULT_ANALYSIS_FPS = 2;
export const MAX_ANALYSIS_FPS = 30;
/** Wider frames are scaled down to this before analysis (faces the detector finds stay found; decoding and copying cost less). */
export const MAX_ANALYSIS_WIDTH = 1280;

export function validateAnalysisFps(fps: number): number {
  if (!Number.isFinite(fps) || fps <= 0 || fps > MAX_ANALYSIS_FPS) throw new InvalidInputError(`the analysis rate must be a number of frames per second in (0, ${MAX_ANALYSIS_FPS}], e.g. 2`);
  return fps;
}

export function parseListChoice(value: string | undefined, fallback: ScanListChoice): ScanListChoice {
  if (value === undefined) return fallback;
  if (value === 'watchlist' || value === 'employee' || value === 'all') return value;
  throw new InvalidInputError(`--list must be watchlist, employee or all (got "${value}")`);
}

export function listIncluded(choice: ScanListChoice, list: PersonList): boolean {
  return choice === 'all' || choice === list;
}

/** Video time (ms) of the index-th analysed frame: ffmpeg's fps filter emits frame i for time i / fps. */
export function frameTimeMs(index: number, fps: number): number {
  return Math.round((index * 1000) / fps);
}

/** Size frames are analysed at: the source size, scaled down (even sides, aspect kept) when wider than maxWidth. */
export function analysisSize(width: number, height: number, maxWidth = MAX_ANALYSIS_WIDTH): { width: number; height: number } {
  if (width <= maxWidth) return { width: even(width), height: even(height) };
  return { width: even(maxWidth), height: even((height * maxWidth) / width) };
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

/** Frames a video of `durationSeconds` gives at `fps` (for the progress estimate). */
export function expectedFrames(durationSeconds: number, fps: number): number {
  return Math.max(1, Math.round(durationSeconds * fps));
}

/**
 * Whether a decode that ended normally still fell short of the probed duration: a file whose index
 * promises more than its data holds (cut off while copying, recorder lost power). Tolerance: two
 * analysis intervals plus half a second (container durations round up to the last packet's end).
 * A file of unknown duration (0) cannot be judged this way.
 */
export function decodedTooShort(durationSeconds: number, framesDecoded: number, fps: number): boolean {
  if (durationSeconds <= 0) return framesDecoded === 0;
  const decodedSeconds = framesDecoded / fps;
  return decodedSeconds < durationSeconds - 2 / fps - 0.5;
}

export function scanStatus(files: readonly Pick<ScanFileResult, 'status'>[]): ScanStatus {
  return files.some((f) => f.status === 'failed') ? 'completed_with_errors' : 'completed';
}

/** 83.25 → "00:01:23.3": a timestamp an investigator can type into a player. */
export function formatVideoTime(seconds: number): string {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const h = Math.floor(tenths / 36_000);
  const m = Math.floor((tenths % 36_000) / 600);
  const s = (tenths % 600) / 10;
  return `${pad(h)}:${pad(m)}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
