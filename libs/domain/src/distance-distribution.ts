import { InvalidInputError } from './errors';

/**
 * A distribution of distances in fixed bins, for rates far in the tail (FAR 1e-5 needs hundreds of
 * thousands of impostor pairs; sorting them for every descriptor variant would be wasteful).
 * Bin width 1e-4 over [0, maxDistance): thresholds come out to 4 decimals, finer than anything
 * a threshold is configured with. Distances at or past maxDistance land in the last bin.
 */
export class DistanceDistribution {
  static readonly BIN = 1e-4;
  private readonly bins: Uint32Array;
  private count = 0;

  constructor(readonly maxDistance = 2.5) {
    if (!(maxDistance > 0) || !Number.isFinite(maxDistance)) throw new InvalidInputError('maxDistance must be a positive number');
    this.bins = new Uint32Array(Math.ceil(maxDistance / DistanceDistribution.BIN));
  }

  get size(): number {
    return this.count;
  }

  add(distance: number): void {
    if (!(distance >= 0) || !Number.isFinite(distance)) throw new InvalidInputError('distance must be a finite, non-negative number');
    this.bins[Math.min(this.bins.length - 1, Math.floor(distance / DistanceDistribution.BIN))]++;
    this.count++;
  }

  /** Share of distances below the threshold, at bin resolution: bins that end at or before it count. */
  rateAtOrBelow(threshold: number): number | null {
    if (this.count === 0) return null;
    const last = Math.min(this.bins.length - 1, Math.floor(threshold / DistanceDistribution.BIN + 1e-9) - 1);
    if (last < 0) return 0;
    let n = 0;
    for (let i = 0; i <= last; i++) n += this.bins[i];
    return n / this.count;
  }

  /**
   * The largest threshold (a bin edge) at which at most `rate` of the distances are <= it: the
   * loosest threshold keeping a false accept rate. Null when the sample cannot resolve the rate
   * (fewer than 1/rate distances).
   */
  thresholdForRate(rate: number): number | null {
    if (!(rate > 0 && rate <= 1)) throw new InvalidInputError('rate must be in (0, 1]');
    if (this.count === 0 || this.count < 1 / rate - 1e-9) return null;
    const allowed = Math.floor(rate * this.count + 1e-9);
    let n = 0;
    for (let i = 0; i < this.bins.length; i++) {
      if (n + this.bins[i] > allowed) return i * DistanceDistribution.BIN;
      n += this.bins[i];
    }
    return this.maxDistance;
  }
}
