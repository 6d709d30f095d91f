import { InvalidInputError } from './errors';

/**
 * Runtime-tunable settings of the review loop (sampling, retention, KPI targets). Stored in the
 * `setting` table under `key`, one JSON value each; environment variables are for infrastructure only.
 */
export interface ReviewSettings {
  /** Share of attendance bookings (camera tracks) sampled into the review queue. */
  attendanceSampleRate: number;
  /** At most this many sampled attendance items per camera and local day. */
  attendanceDailyCap: number;
  /** Share of tracks decided 'unknown' whose crop is kept for review. */
  unknownSampleRate: number;
  unknownDailyCap: number;
  /** Days an unknown's crop and review item are kept (strangers' images must not linger). */
  unknownRetentionDays: number;
  /** Share of unknown tracks kept as the "unseen sample" for future training. */
  unseenSampleRate: number;
  unseenDailyCap: number;
  unseenRetentionDays: number;
  /** Seed of the sampler: the same seed and decision always give the same answer. */
  samplingSeed: number;
  kpiMinAccuracy: number;
  kpiMaxFar: number;
  /** null = no target. */
  kpiMinPrecision: number | null;
  kpiMinRecall: number | null;
  /** A scope with fewer reviewed items than this is not judged (one early label is not a trend). */
  kpiMinReviewed: number;
  /** The KPI monitor judges the reviewed decisions of the last N local days. */
  kpiWindowDays: number;
}

export interface SettingSpec {
  key: string;
  default: number | null;
  min: number;
  max: number;
  integer: boolean;
  nullable: boolean;
}

const rate = (key: string, dflt: number): SettingSpec => ({ key, default: dflt, min: 0, max: 1, integer: false, nullable: false });
const count = (key: string, dflt: number, max: number, min = 0): SettingSpec => ({ key, default: dflt, min, max, integer: true, nullable: false });

export const REVIEW_SETTINGS: Readonly<Record<keyof ReviewSettings, SettingSpec>> = Object.freeze({
  attendanceSampleRate: rate('review.attendanceSampleRate', 0.05),
  attendanceDailyCap: count('review.attendanceDailyCap', 50, 100_000),
  unknownSampleRate: rate('review.unknownSampleRate', 0.1),
  unknownDailyCap: count('review.unknownDailyCap', 50, 100_000),
  unknownRetentionDays: count('review.unknownRetentionDays', 30, 365, 1),
  unseenSampleRate: rate('review.unseenSampleRate', 0.02),
  unseenDailyCap: count('review.unseenDailyCap', 20, 100_000),
  unseenRetentionDays: count('review.unseenRetentionDays', 90, 365, 1),
  samplingSeed: count('review.samplingSeed', 1, 2_147_483_647),
  kpiMinAccuracy: rate('kpi.minAccuracy', 0.95),
  kpiMaxFar: rate('kpi.maxFar', 0.0001),
  kpiMinPrecision: { ...rate('kpi.minPrecision', 0), default: null, nullable: true },
  kpiMinRecall: { ...rate('kpi.minRecall', 0), default: null, nullable: true },
  kpiMinReviewed: count('kpi.minReviewed', 20, 1_000_000, 1),
  kpiWindowDays: count('kpi.windowDays', 30, 3650, 1),
});

export const REVIEW_SETTING_NAMES = Object.keys(REVIEW_SETTINGS) as Array<keyof ReviewSettings>;
export const REVIEW_SETTING_KEYS = REVIEW_SETTING_NAMES.map((name) => REVIEW_SETTINGS[name].key);

function problem(spec: SettingSpec, value: unknown): string | null {
  if (value === null) return spec.nullable ? null : 'must not be null';
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  if (spec.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (value < spec.min || value > spec.max) return `must be between ${spec.min} and ${spec.max}`;
  return null;
}

/**
 * Settings from stored values keyed by setting key. A missing value, or one out of bounds (an older
 * version's range, a hand edit), falls back to the default rather than breaking sampling.
 */
export function resolveReviewSettings(stored: Readonly<Record<string, unknown>>): ReviewSettings {
  const out = {} as Record<keyof ReviewSettings, number | null>;
  for (const name of REVIEW_SETTING_NAMES) {
    const spec = REVIEW_SETTINGS[name];
    const value = stored[spec.key];
    out[name] = value !== undefined && problem(spec, value) === null ? (value as number | null) : spec.default;
  }
  return out as unknown as ReviewSettings;
}

/** Checks a partial update against the bounds; returns the values to store keyed by setting key. */
export function validateReviewSettingsPatch(patch: Readonly<Partial<Record<string, unknown>>>): Record<string, number | null> {
  const errors: string[] = [];
  const out: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const spec = (REVIEW_SETTINGS as Record<string, SettingSpec | undefined>)[name];
    if (!spec) {
      errors.push(`${name}: unknown setting`);
      continue;
    }
    const why = problem(spec, value);
    if (why) errors.push(`${name} ${why}`);
    else out[spec.key] = value as number | null;
  }
  if (errors.length > 0) throw new InvalidInputError(errors.join('; '));
  return out;
}

export interface KpiTargets {
  minAccuracy: number;
  maxFar: number;
  minPrecision: number | null;
  minRecall: number | null;
  minReviewed: number;
}

export function kpiTargetsOf(settings: ReviewSettings): KpiTargets {
  return {
    minAccuracy: settings.kpiMinAccuracy,
    maxFar: settings.kpiMaxFar,
    minPrecision: settings.kpiMinPrecision,
    minRecall: settings.kpiMinRecall,
    minReviewed: settings.kpiMinReviewed,
  };
}
