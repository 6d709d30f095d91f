import { InvalidInputError } from './errors';

/**
 * Champion/challenger: whether a candidate model version replaces the active one, judged only on
 * held-out reviewed data that neither version was built from. The rules, first match wins:
 *
 * | # | condition                                                        | decision                 |
 * |---|------------------------------------------------------------------|--------------------------|
 * | 1 | held-out has < minHeldOut decisions, no positives or no negatives | keep (insufficient_data) |
 * | 2 | candidate FAR > max(target, champion FAR)                        | keep (far_regression)    |
 * | 3 | candidate accuracy < champion accuracy − epsilon                 | keep (accuracy_loss)     |
 * | 4 | champion FAR > target and candidate FAR < champion FAR           | promote (fixes_far)      |
 * | 5 | candidate accuracy > champion accuracy                           | promote (more_accurate)  |
 * | 6 | equal accuracy and candidate FAR < champion FAR                  | promote (fewer_false_accepts) |
 * | 7 | otherwise                                                        | keep (not_better): ties keep the champion |
 *
 * FAR is the KPI that matters most (a false watchlist alert sends guards after an innocent
 * person), so a candidate may never make it worse beyond the target, and fixing a breach may cost
 * up to epsilon of accuracy; otherwise accuracy decides.
 */

export interface HeldOutScore {
  /** Decisions evaluated. */
  total: number;
  positives: number;
  negatives: number;
  accuracy: number;
  far: number;
}

export interface PromotionPolicy {
  maxFar: number;
  /** Accuracy the candidate may lose when it fixes a FAR breach (absolute, e.g. 0.01). */
  epsilon: number;
  minHeldOut: number;
}

export type PromotionRule = 'insufficient_data' | 'far_regression' | 'accuracy_loss' | 'fixes_far' | 'more_accurate' | 'fewer_false_accepts' | 'not_better';

export interface PromotionDecision {
  promote: boolean;
  rule: PromotionRule;
  reason: string;
}

/** Differences below this are float noise, not a better model. */
const TIE = 1e-9;

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const rate = (x: number): string => (x === 0 ? '0' : x.toPrecision(3));

function validate(s: HeldOutScore, name: string): void {
  for (const [k, v] of Object.entries(s)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidInputError(`${name}.${k} must be a finite, non-negative number`);
  }
  if (s.accuracy > 1 || s.far > 1) throw new InvalidInputError(`${name} rates must be at most 1`);
}

export function decidePromotion(champion: HeldOutScore, candidate: HeldOutScore, policy: PromotionPolicy): PromotionDecision {
  validate(champion, 'champion');
  validate(candidate, 'candidate');
  if (!(policy.maxFar > 0 && policy.maxFar < 1) || !(policy.epsilon >= 0 && policy.epsilon < 1) || !(policy.minHeldOut >= 1)) {
    throw new InvalidInputError('promotion policy needs 0 < maxFar < 1, 0 <= epsilon < 1 and minHeldOut >= 1');
  }
  const keep = (rule: PromotionRule, reason: string): PromotionDecision => ({ promote: false, rule, reason });
  const promote = (rule: PromotionRule, reason: string): PromotionDecision => ({ promote: true, rule, reason });
  const c = candidate;
  const k = champion;
  const vs = `accuracy ${pct(c.accuracy)} vs ${pct(k.accuracy)}, FAR ${rate(c.far)} vs ${rate(k.far)} (candidate vs champion, ${c.total} held-out decisions)`;

  if (c.total < policy.minHeldOut || c.positives === 0 || c.negatives === 0) {
    return keep(
      'insufficient_data',
      `Not enough held-out data to compare: ${c.total} decisions (${c.positives} genuine, ${c.negatives} impostor); at least ${policy.minHeldOut} with both kinds are needed. Label more items and refresh again.`,
    );
  }
  if (c.far > Math.max(policy.maxFar, k.far) + TIE) {
    return keep('far_regression', `The candidate accepts more impostors than the FAR target ${policy.maxFar} and the champion allow: ${vs}.`);
  }
  if (c.accuracy < k.accuracy - policy.epsilon - TIE) {
    return keep('accuracy_loss', `The candidate loses more than ${pct(policy.epsilon)} accuracy: ${vs}.`);
  }
  if (k.far > policy.maxFar + TIE && c.far < k.far - TIE) {
    return promote('fixes_far', `The champion breaches the FAR target ${policy.maxFar} and the candidate accepts fewer impostors: ${vs}.`);
  }
  if (c.accuracy > k.accuracy + TIE) return promote('more_accurate', `The candidate is more accurate: ${vs}.`);
  if (Math.abs(c.accuracy - k.accuracy) <= TIE && c.far < k.far - TIE) {
    return promote('fewer_false_accepts', `Same accuracy with fewer false accepts: ${vs}.`);
  }
  return keep('not_better', `The candidate is not better than the champion (ties keep the champion): ${vs}.`);
}
