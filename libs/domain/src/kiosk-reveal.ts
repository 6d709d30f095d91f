import { InvalidInputError } from './errors';
import type { MatchDecision, MatchPolicy } from './match-policy';

/**
 * When the kiosk may say a name. The kiosk answers whoever stands in front of it, so a name is
 * personal data given to an unauthenticated person: it is said only on a confident employee match;
 * every other face (stranger, watchlist person, employee matched without confidence) gets the same
 * "not recognised", so the answer cannot be used to look people up or to learn who is watched.
 */
export interface KioskRevealPolicy {
  /** The match distance must be at least this much below the employee threshold. */
  belowThreshold: number;
  /**
   * The next other enrolled person (any list) must be at least this much farther than the match.
   * Stricter than the matcher's own margin: two look-alikes must not be told apart by a guess.
   */
  runnerUpGap: number;
}

/**
 * With the calibrated employee threshold (0.53, FAR 1e-3 on LFW) a confident match is within 0.48,
 * with the next other person at least 0.10 farther (twice the matcher's default margin). Same-face
 * variants of the sample photos sit at a median 0.20 from their reference (docs/performance.md), so
 * a clear, frontal kiosk frame of an enrolled employee keeps its name; a borderline one is asked to
 * the front desk like a stranger, and is not booked.
 */
export const DEFAULT_KIOSK_REVEAL: Readonly<KioskRevealPolicy> = Object.freeze({ belowThreshold: 0.05, runnerUpGap: 0.1 });

export type KioskRevealVerdict =
  | { reveal: true }
  | {
      reveal: false;
      /** not_employee: no match, or a watchlist match; near_threshold / close_runner_up: an employee match without confidence. */
      reason: 'not_employee' | 'near_threshold' | 'close_runner_up';
    };

/**
 * Whether a kiosk may name (and book attendance for) the person of this match decision. `policy`
 * is the matcher's active policy (its employee threshold); `margin` on the decision is the gap to
 * the next other person, null when nobody else was a candidate (then there is no runner-up to confuse).
 */
export function kioskReveal(match: MatchDecision, policy: MatchPolicy, reveal: KioskRevealPolicy = DEFAULT_KIOSK_REVEAL): KioskRevealVerdict {
  validateKioskReveal(reveal);
  if (match.kind !== 'match' || match.list !== 'employee') return { reveal: false, reason: 'not_employee' };
  // Tiny epsilons: a distance or gap exactly on the boundary (in floating point) counts as confident.
  if (match.distance > policy.thresholds.employee - reveal.belowThreshold + 1e-9) return { reveal: false, reason: 'near_threshold' };
  if (match.margin !== null && match.margin < reveal.runnerUpGap - 1e-9) return { reveal: false, reason: 'close_runner_up' };
  return { reveal: true };
}

export function validateKioskReveal(reveal: KioskRevealPolicy): KioskRevealPolicy {
  for (const name of ['belowThreshold', 'runnerUpGap'] as const) {
    const v = reveal?.[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 0.5) throw new InvalidInputError(`kiosk reveal ${name} must be a number between 0 and 0.5, got ${String(v)}`);
  }
  return reveal;
}
