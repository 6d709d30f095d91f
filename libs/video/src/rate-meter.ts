/** Frames per second over a sliding time window (default 5 s); null until it has 1 s of data. */
export class RateMeter {
  private readonly times: number[] = [];

  constructor(private readonly windowMs = 5000) {}

  add(at: number): void {
    this.times.push(at);
    while (this.times.length > 0 && at - this.times[0]! > this.windowMs) this.times.shift();
  }

  fps(): number | null {
    if (this.times.length < 2) return null;
    const span = this.times[this.times.length - 1]! - this.times[0]!;
    if (span < 1000) return null;
    return Math.round(((this.times.length - 1) * 1000 * 10) / span) / 10;
  }

  reset(): void {
    this.times.length = 0;
  }
}

/**
 * Decimation in Node (the `node` strategy): keeps a frame once 90 % of an output interval passed
 * since the last kept frame, like ffmpeg's select expression.
 */
export class FrameDecimator {
  private lastKept = -Infinity;
  private readonly minGapMs: number;

  constructor(fps: number) {
    this.minGapMs = (0.9 * 1000) / fps;
  }

  keep(at: number): boolean {
    if (at - this.lastKept < this.minGapMs) return false;
    this.lastKept = at;
    return true;
  }

  reset(): void {
    this.lastKept = -Infinity;
  }
}
