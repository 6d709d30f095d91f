import { DEFAULT_MATCH_THRESHOLD, distanceToScore } from './descriptor';
import { InvalidInputError } from './errors';
import type { PersonList } from './person-list';

/** One recognition result of a face on a track. */
export interface TrackSighting {
  /** The matched person, or null when decideMatch said unknown. */
  personId: string | null;
  list?: PersonList;
  /** Effective distance to the matched person (ignored for unknown sightings). */
  distance: number;
  /** Face quality weight 0..1 (sharpness, pose, size): a blurred profile should count less than a frontal face. */
  quality: number;
  /** Threshold the match was decided with (list threshold); default DEFAULT_MATCH_THRESHOLD. */
  threshold?: number;
}

export interface TrackVoteOptions {
  minSightings?: number;
  /** Share of the total vote weight the winner needs, in (0.5, 1] (default 0.6). */
  minShare?: number;
  /** Vote weight of an unknown sighting before quality (default 0.75, see TrackVote). */
  unknownWeight?: number;
}

export const TRACK_VOTE_DEFAULTS = { minSightings: 3, minShare: 0.6, unknownWeight: 0.75 } as const;

export type TrackDecision =
  | { kind: 'pending'; sightings: number }
  | { kind: 'match'; personId: string; list?: PersonList; share: number; sightings: number }
  | { kind: 'unknown'; reason: 'unknown_majority' | 'no_majority' | 'tie'; share: number; sightings: number };

/**
 * Weighted vote over the sightings of one track, so that one lucky (or unlucky) frame neither
 * raises nor suppresses an alert. The rule:
 *   - a match sighting votes for its person with weight quality × distanceToScore(distance, threshold),
 *     i.e. quality × 1 at distance 0, quality × 0.5 at the threshold: a confident match counts up
 *     to twice a borderline one;
 *   - an unknown sighting votes for "unknown" with weight quality × unknownWeight. It has no
 *     distance, so by default it counts like a match at half the threshold (score 0.75);
 *   - nothing is decided before minSightings sightings, nor while the total weight is 0 (all
 *     quality 0: no evidence either way);
 *   - the option with most weight wins if it holds >= minShare of the total weight; "unknown"
 *     winning, a tie for first place, or no option reaching minShare all decide unknown.
 * A track decides once: the first decide() call that is not pending fixes the decision, and later
 * sightings are ignored, so one passage produces one alert or attendance record at most.
 */
export class TrackVote {
  private readonly sightings: TrackSighting[] = [];
  private decided: TrackDecision | null = null;

  get sightingCount(): number {
    return this.sightings.length;
  }

  get isDecided(): boolean {
    return this.decided !== null;
  }

  /** Records a sighting; returns false (and ignores it) once the track has decided. */
  add(sighting: TrackSighting): boolean {
    validateSighting(sighting);
    if (this.decided) return false;
    this.sightings.push({ ...sighting });
    return true;
  }

  /** The final decision, or null while pending. */
  decision(): TrackDecision | null {
    return this.decided;
  }

  decide(options: TrackVoteOptions = {}): TrackDecision {
    if (this.decided) return this.decided;
    const { minSightings, minShare, unknownWeight } = validateOptions(options);
    const n = this.sightings.length;
    if (n < minSightings) return { kind: 'pending', sightings: n };

    const UNKNOWN = '\u0000unknown';
    const weights = new Map<string, number>();
    const lists = new Map<string, PersonList>();
    let total = 0;
    for (const s of this.sightings) {
      const key = s.personId ?? UNKNOWN;
      const w = s.personId === null ? s.quality * unknownWeight : s.quality * distanceToScore(s.distance, s.threshold ?? DEFAULT_MATCH_THRESHOLD);
      weights.set(key, (weights.get(key) ?? 0) + w);
      if (s.personId !== null && s.list) lists.set(s.personId, s.list);
      total += w;
    }
    if (total <= 0) return { kind: 'pending', sightings: n };

    const ranked = [...weights.entries()].sort((a, b) => b[1] - a[1]);
    const [winner, top] = ranked[0];
    const share = top / total;
    const EPS = 1e-9;
    let result: TrackDecision;
    if (ranked.length > 1 && top - ranked[1][1] <= EPS * total) result = { kind: 'unknown', reason: 'tie', share, sightings: n };
    else if (winner === UNKNOWN) result = { kind: 'unknown', reason: 'unknown_majority', share, sightings: n };
    else if (share < minShare - EPS) result = { kind: 'unknown', reason: 'no_majority', share, sightings: n };
    else {
      result = { kind: 'match', personId: winner, share, sightings: n };
      const list = lists.get(winner);
      if (list) result.list = list;
    }
    this.decided = result;
    return result;
  }
}

function validateSighting(s: TrackSighting): void {
  if (s.personId !== null && (typeof s.personId !== 'string' || s.personId === '')) {
    throw new InvalidInputError('sighting personId must be a non-empty string or null');
  }
  if (typeof s.quality !== 'number' || !Number.isFinite(s.quality) || s.quality < 0 || s.quality > 1) {
    throw new InvalidInputError(`sighting quality must be between 0 and 1, got ${String(s.quality)}`);
  }
  if (s.personId !== null) {
    // distanceToScore checks distance and threshold; fail at add() rather than at decide().
    distanceToScore(s.distance, s.threshold ?? DEFAULT_MATCH_THRESHOLD);
  }
}

function validateOptions(o: TrackVoteOptions): Required<TrackVoteOptions> {
  const minSightings = o.minSightings ?? TRACK_VOTE_DEFAULTS.minSightings;
  const minShare = o.minShare ?? TRACK_VOTE_DEFAULTS.minShare;
  const unknownWeight = o.unknownWeight ?? TRACK_VOTE_DEFAULTS.unknownWeight;
  if (!Number.isInteger(minSightings) || minSightings < 1) throw new InvalidInputError('minSightings must be a positive integer');
  if (!Number.isFinite(minShare) || minShare <= 0.5 || minShare > 1) throw new InvalidInputError('minShare must be in (0.5, 1]');
  if (!Number.isFinite(unknownWeight) || unknownWeight < 0) throw new InvalidInputError('unknownWeight must be a non-negative number');
  return { minSightings, minShare, unknownWeight };
}
