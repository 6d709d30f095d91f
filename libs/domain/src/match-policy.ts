import { CALIBRATED_DEFAULTS } from './calibrated-defaults';
import { distanceToScore, validateMatchThreshold } from './descriptor';
import { InvalidInputError } from './errors';
import { PERSON_LISTS, type PersonList } from './person-list';

export interface MatchPolicy {
  /** Match when the nearest person's distance <= the threshold of that person's list. */
  thresholds: Record<PersonList, number>;
  /** The nearest person must be at least this much closer than the next person, else 'ambiguous'. */
  margin: number;
}

/**
 * The defaults come from the LFW calibration (CALIBRATED_DEFAULTS, `vigil calibrate`; the tables
 * are in docs/performance.md): the watchlist at the threshold that keeps false alerts at 1 % of
 * stranger looks with ~1,000 people enrolled, the employee list at FAR 1e-3 between an enrolment
 * photo and a camera face. The watchlist is the stricter one: a false alert sends security staff
 * after an innocent person, a false attendance record is merely corrected by HR. Each model version
 * stores its own thresholds; the review-driven refresh recalibrates from there.
 */
export const DEFAULT_MATCH_POLICY: Readonly<MatchPolicy> = Object.freeze({
  thresholds: Object.freeze({ watchlist: CALIBRATED_DEFAULTS.watchlist, employee: CALIBRATED_DEFAULTS.employee }),
  margin: 0.05,
});

/** Above 0.3 nearly every face would be ambiguous given thresholds of 0.2..0.8. */
export const MATCH_MARGIN_BOUNDS = { min: 0, max: 0.3 } as const;

export interface MatchCandidate {
  personId: string;
  list: PersonList;
  distance: number;
  referenceId?: string;
}

export type MatchDecision =
  | {
      kind: 'match';
      personId: string;
      list: PersonList;
      distance: number;
      score: number;
      /** Distance gap to the next person; null when no other person was a candidate. */
      margin: number | null;
      referenceId?: string;
    }
  | {
      kind: 'unknown';
      reason: 'no_candidates' | 'above_threshold' | 'ambiguous';
      bestDistance?: number;
      /** The nearest enrolled person (not a match): what a reviewer compares an unknown with. */
      bestPersonId?: string;
      bestList?: PersonList;
    };

/** Throws InvalidInputError unless every threshold is within MATCH_THRESHOLD_BOUNDS and the margin within MATCH_MARGIN_BOUNDS. */
export function validateMatchPolicy(policy: MatchPolicy): MatchPolicy {
  if (typeof policy !== 'object' || policy === null || typeof policy.thresholds !== 'object' || policy.thresholds === null) {
    throw new InvalidInputError('match policy must have thresholds and a margin');
  }
  for (const list of PERSON_LISTS) validateMatchThreshold(policy.thresholds[list]);
  const m = policy.margin;
  if (typeof m !== 'number' || !Number.isFinite(m) || m < MATCH_MARGIN_BOUNDS.min || m > MATCH_MARGIN_BOUNDS.max) {
    throw new InvalidInputError(`match margin must be between ${MATCH_MARGIN_BOUNDS.min} and ${MATCH_MARGIN_BOUNDS.max}, got ${String(m)}`);
  }
  return policy;
}

/**
 * Decides who a face is from per-person candidates (GalleryIndex.bestPerPerson). The rule, in order:
 *   1. no candidates → unknown 'no_candidates';
 *   2. the nearest person is above the threshold of their own list → unknown 'above_threshold'.
 *      We do not fall through to a farther person who would pass a looser list threshold: the face
 *      resembles someone we would not accept more than anyone else, so accepting a worse explanation
 *      would be a false accept in disguise;
 *   3. the next *other* person is closer than best + margin → unknown 'ambiguous' (two enrolled
 *      people look alike from this angle; guessing between them is worse than saying unknown);
 *   4. otherwise a match, scored with the list's threshold (so score >= 0.5 ⇔ match).
 * The input need not be sorted or deduplicated; a person listed twice counts with their best distance.
 */
export function decideMatch(candidates: readonly MatchCandidate[], policy: MatchPolicy = DEFAULT_MATCH_POLICY): MatchDecision {
  validateMatchPolicy(policy);
  let best: MatchCandidate | undefined;
  for (const c of candidates) {
    if (typeof c.distance !== 'number' || !Number.isFinite(c.distance) || c.distance < 0) {
      throw new InvalidInputError('candidate distance must be a finite, non-negative number');
    }
    if (!best || c.distance < best.distance) best = c;
  }
  if (!best) return { kind: 'unknown', reason: 'no_candidates' };

  let second: number | null = null;
  for (const c of candidates) {
    if (c.personId !== best.personId && (second === null || c.distance < second)) second = c.distance;
  }

  const threshold = policy.thresholds[best.list];
  if (threshold === undefined) throw new InvalidInputError(`unknown person list ${String(best.list)}`);
  if (best.distance > threshold) return { kind: 'unknown', reason: 'above_threshold', bestDistance: best.distance, bestPersonId: best.personId, bestList: best.list };

  const margin = second === null ? null : second - best.distance;
  // Tiny epsilon so that a gap of exactly `margin` (e.g. 0.45 − 0.40 in floating point) passes.
  if (margin !== null && margin < policy.margin - 1e-9) {
    return { kind: 'unknown', reason: 'ambiguous', bestDistance: best.distance, bestPersonId: best.personId, bestList: best.list };
  }
  const decision: MatchDecision = {
    kind: 'match',
    personId: best.personId,
    list: best.list,
    distance: best.distance,
    score: distanceToScore(best.distance, threshold),
    margin,
  };
  if (best.referenceId !== undefined) decision.referenceId = best.referenceId;
  return decision;
}
