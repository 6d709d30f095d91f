import { meanAbsDiff, type GreyThumb } from './thumbnail';

export interface FrozenDetectorOptions {
  /** How long the picture must stay the same while frames arrive (default 30 s). */
  frozenAfterMs?: number;
  /**
   * Mean absolute luma difference (0..255) under which two thumbnails count as the same picture.
   * A repeating encoder gives ~0; a still real scene keeps some sensor/codec noise above it.
   */
  epsilon?: number;
}

/**
 * "Frames arrive but the picture does not change" (a hung encoder repeating its last frame).
 * Compares with the last picture that differed, not with the previous frame, so a slow drift
 * below epsilon per frame still counts as change once it adds up.
 */
export class FrozenDetector {
  private reference: GreyThumb | null = null;
  private sameSince = 0;
  private frozenNow = false;
  private readonly frozenAfterMs: number;
  private readonly epsilon: number;

  constructor(options: FrozenDetectorOptions = {}) {
    this.frozenAfterMs = options.frozenAfterMs ?? 30_000;
    this.epsilon = options.epsilon ?? 0.25;
  }

  /** Feeds one frame's thumbnail; returns whether the picture is frozen now. */
  update(thumb: GreyThumb, at: number): boolean {
    if (this.reference === null || meanAbsDiff(this.reference, thumb) >= this.epsilon) {
      this.reference = thumb;
      this.sameSince = at;
      this.frozenNow = false;
    } else if (at - this.sameSince >= this.frozenAfterMs) {
      this.frozenNow = true;
    }
    return this.frozenNow;
  }

  get frozen(): boolean {
    return this.frozenNow;
  }

  /** Forget the picture (e.g. after a reconnect the first frames must not count as frozen). */
  reset(): void {
    this.reference = null;
    this.frozenNow = false;
  }
}
