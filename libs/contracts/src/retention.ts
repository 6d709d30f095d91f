/** The evidence retention settings (PATCH /api/settings/retention fields). */
export type RetentionSettingName = 'framesDays' | 'cropsDays' | 'attendanceDays';

/** One kind of stored data and how long it is kept: a row of the admin console's retention table. */
export interface RetentionRuleView {
  /** Stable name of the kind of data. */
  kind: 'frames' | 'crops' | 'attendance' | 'unknownCrops' | 'unseenSamples' | 'references' | 'alerts';
  /** What it is, for people. */
  data: string;
  /** Days kept; null = no expiry (see `source`). */
  days: number | null;
  /** The PATCH /api/settings/retention field that sets it; null when it is set elsewhere or fixed. */
  setting: RetentionSettingName | null;
  /**
   * Where `days` comes from: `setting` (an admin set it), `environment` (VIGIL_RETENTION_*_DAYS),
   * `default` (built in), `review settings` (PATCH /api/settings/review), `until erasure`, `kept`.
   */
  source: 'setting' | 'environment' | 'default' | 'review settings' | 'until erasure' | 'kept';
  /** What applies when the setting is reset (null: not a setting). */
  defaultDays: number | null;
  min: number | null;
  max: number | null;
  note: string;
}

/** GET/PATCH /api/settings/retention. */
export interface RetentionSettingsView {
  framesDays: number;
  cropsDays: number;
  attendanceDays: number;
  rules: RetentionRuleView[];
}
