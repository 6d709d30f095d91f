import { DEFAULT_MATCH_POLICY, validateMatchPolicy, type MatchPolicy } from '@vigil/domain';
import type { VersionThresholds } from '@vigil/persistence';

/** A version's stored thresholds as the matcher's policy (throws InvalidInputError when out of bounds). */
export function policyOf(t: VersionThresholds): MatchPolicy {
  return validateMatchPolicy({ thresholds: { watchlist: t.watchlist, employee: t.employee }, margin: t.margin });
}

export function thresholdsOf(p: MatchPolicy): VersionThresholds {
  return { watchlist: p.thresholds.watchlist, employee: p.thresholds.employee, margin: p.margin };
}

/** What the first version starts from: the built-in defaults. */
export const INITIAL_THRESHOLDS: VersionThresholds = thresholdsOf(DEFAULT_MATCH_POLICY);

/** The detector every camera and kiosk decision runs (recorded on each version). */
export const VERSION_DETECTOR = 'ssd';
