import { ConflictError } from '@vigil/domain';
import type { Repositories } from '@vigil/persistence';
import { loadReviewSettings } from '../reviews/review-sampling';

/** Model refresh tunables, see LifecycleSettings['refresh']. */
export const REFRESH_SETTINGS_KEY = 'lifecycle.refresh';

export interface LifecycleSettings {
  maxFar: number;
  minAccuracy: number;
  refresh: {
    /** Hours between scheduled refreshes; 0 (default) = off. */
    intervalHours: number;
    /** Seed of the build / held-out split. Keep it fixed so held-out faces stay held out. */
    seed: number;
    /** Share of reviewed faces held out for the comparison, in percent. */
    heldOutPercent: number;
    /** Accuracy a candidate may give up when it fixes a FAR breach. */
    accuracyEpsilon: number;
    /** Fewest held-out decisions a promotion may rest on. */
    minHeldOut: number;
  };
}

export const LIFECYCLE_DEFAULTS: LifecycleSettings = {
  maxFar: 0.0001,
  minAccuracy: 0.95,
  refresh: { intervalHours: 0, seed: 20240601, heldOutPercent: 20, accuracyEpsilon: 0.01, minHeldOut: 3 },
};

type Check = (v: number) => boolean;
const RULES: Record<string, { check: Check; text: string }> = {
  intervalHours: { check: (v) => v >= 0 && v <= 24 * 365, text: 'hours, 0 to turn the schedule off' },
  seed: { check: (v) => Number.isSafeInteger(v), text: 'an integer' },
  heldOutPercent: { check: (v) => Number.isInteger(v) && v >= 5 && v <= 50, text: 'an integer percentage from 5 to 50' },
  accuracyEpsilon: { check: (v) => v >= 0 && v < 0.5, text: 'an accuracy difference from 0 to 0.5, e.g. 0.01' },
  minHeldOut: { check: (v) => Number.isInteger(v) && v >= 1, text: 'a positive integer' },
};

function pick<T extends object>(key: string, raw: unknown, defaults: T): T {
  if (raw === undefined || raw === null) return defaults;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConflictError(`Setting ${key} must be a JSON object; fix or delete it.`);
  const out = { ...defaults } as Record<string, unknown>;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(name in defaults)) continue; // other features' fields (e.g. minPrecision) share the object
    const rule = RULES[name]!;
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule.check(value)) {
      throw new ConflictError(`Setting ${key}.${name} must be ${rule.text}; it is ${JSON.stringify(value)}.`);
    }
    out[name] = value;
  }
  return out as T;
}

/**
 * Reads and validates the lifecycle settings; a stored value that makes no sense is a 409 naming
 * it. The KPI targets are the review settings' `kpi.maxFar` / `kpi.minAccuracy` (one source for
 * the metrics' breaches and the refresh's calibration and promotion).
 */
export async function readLifecycleSettings(repos: Repositories): Promise<LifecycleSettings> {
  const review = await loadReviewSettings(repos);
  const kpi = { maxFar: review.kpiMaxFar, minAccuracy: review.kpiMinAccuracy };
  const refresh = pick(REFRESH_SETTINGS_KEY, await repos.settings.get(REFRESH_SETTINGS_KEY), LIFECYCLE_DEFAULTS.refresh);
  return { ...kpi, refresh };
}
