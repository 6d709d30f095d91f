import { changedFraction, type GreyThumb } from './thumbnail';

export interface MotionGateOptions {
  /** 0 = only large changes pass, 1 = every frame passes. Per camera. */
  sensitivity?: number;
  /** A frame is analysed at least this often even without motion (default 2000 ms). */
  maxIntervalMs?: number;
  /** Grey levels a thumbnail cell must move to count as changed (default 8). */
  pixelDelta?: number;
  clock?: () => number;
}

export type GateReason = 'first' | 'motion' | 'interval' | 'still';

export interface GateDecision {
  analyse: boolean;
  reason: GateReason;
  /** Share of thumbnail cells that changed since the last analysed frame, 0..1. */
  score: number;
}

/**
 * Decides whether a frame is worth face inference: it must differ enough from the last analysed
 * frame (so slow motion accumulates rather than being missed frame by frame), or maxIntervalMs
 * must have passed since the last analysis (someone standing still is still seen).
 */
export class MotionGate {
  private last: GreyThumb | null = null;
  private lastAt = 0;
  private readonly minFraction: number;
  private readonly maxIntervalMs: number;
  private readonly pixelDelta: number;
  private readonly clock: () => number;

  constructor(options: MotionGateOptions = {}) {
    const s = options.sensitivity ?? 0.5;
    if (!(s >= 0 && s <= 1)) throw new RangeError('sensitivity must be between 0 and 1');
    // Share of thumbnail cells that must change: 5 % at sensitivity 0, 1.25 % at 0.5, nothing at 1.
    // Quadratic, because what matters for faces is the low end: one person walking far from a
    // 720p camera changes 1-3 % of the picture, and a gate that waits for 10 % sees them only at
    // the interval (measured with bench/pipeline).
    this.minFraction = 0.05 * (1 - s) ** 2;
    this.maxIntervalMs = options.maxIntervalMs ?? 2000;
    this.pixelDelta = options.pixelDelta ?? 8;
    this.clock = options.clock ?? Date.now;
  }

  check(thumb: GreyThumb): GateDecision {
    const now = this.clock();
    if (this.last === null) return this.pass(thumb, now, 'first', 1);
    const score = changedFraction(this.last, thumb, this.pixelDelta);
    if (score > 0 && score >= this.minFraction) return this.pass(thumb, now, 'motion', score);
    if (this.minFraction === 0) return this.pass(thumb, now, 'motion', score);
    if (now - this.lastAt >= this.maxIntervalMs) return this.pass(thumb, now, 'interval', score);
    return { analyse: false, reason: 'still', score };
  }

  private pass(thumb: GreyThumb, now: number, reason: GateReason, score: number): GateDecision {
    this.last = thumb;
    this.lastAt = now;
    return { analyse: true, reason, score };
  }
}
