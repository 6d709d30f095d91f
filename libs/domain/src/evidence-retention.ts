import { InvalidInputError } from './errors';
import type { SettingSpec } from './review-settings';

const DAY_MS = 86_400_000;

/**
 * How long the evidence of decisions is kept, in days. Settings (the `setting` table, changed by
 * an admin); where never set, the environment's VIGIL_RETENTION_*_DAYS, else the defaults below.
 * Reference photos of enrolled people are not evidence: they stay until the person is erased.
 */
export interface EvidenceRetention {
  /** Frame thumbnails stored with alerts: the whole scene, bystanders included. */
  framesDays: number;
  /** Face crops of alerts, attendance bookings and review items that carry no expiry of their own. */
  cropsDays: number;
  /** Attendance bookings, with the track and sightings behind them (set what local law requires). */
  attendanceDays: number;
}

const days = (key: string, dflt: number, min: number): SettingSpec => ({ key, default: dflt, min, max: 3650, integer: true, nullable: false });

/** Bounds are mirrored in libs/config (VIGIL_RETENTION_*_DAYS), which validates the environment. */
export const EVIDENCE_RETENTION: Readonly<Record<keyof EvidenceRetention, SettingSpec>> = Object.freeze({
  framesDays: days('retention.framesDays', 30, 1),
  cropsDays: days('retention.cropsDays', 90, 1),
  // At least a week, so a cut never reaches into the working day the attendance rules look at.
  attendanceDays: days('retention.attendanceDays', 730, 7),
});

export const EVIDENCE_RETENTION_NAMES = Object.keys(EVIDENCE_RETENTION) as Array<keyof EvidenceRetention>;
export const EVIDENCE_RETENTION_KEYS = EVIDENCE_RETENTION_NAMES.map((name) => EVIDENCE_RETENTION[name].key);

function problem(spec: SettingSpec, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  if (!Number.isInteger(value)) return 'must be a whole number of days';
  if (value < spec.min || value > spec.max) return `must be between ${spec.min} and ${spec.max} days`;
  return null;
}

/** The built-in defaults, overridden by the environment's where given (and valid). */
export function evidenceRetentionDefaults(env: Readonly<Partial<EvidenceRetention>> = {}): EvidenceRetention {
  const out = {} as EvidenceRetention;
  for (const name of EVIDENCE_RETENTION_NAMES) {
    const spec = EVIDENCE_RETENTION[name];
    const value = env[name];
    out[name] = value !== undefined && problem(spec, value) === null ? value : (spec.default as number);
  }
  return out;
}

/** Stored values by setting key over the defaults; a missing or out-of-bounds value falls back to the default. */
export function resolveEvidenceRetention(stored: Readonly<Record<string, unknown>>, defaults: EvidenceRetention): EvidenceRetention {
  const out = { ...defaults };
  for (const name of EVIDENCE_RETENTION_NAMES) {
    const spec = EVIDENCE_RETENTION[name];
    const value = stored[spec.key];
    if (value !== undefined && problem(spec, value) === null) out[name] = value as number;
  }
  return out;
}

/**
 * Checks a partial update; returns the values to store by setting key, where null means "back
 * to the default" (the stored value is removed).
 */
export function validateEvidenceRetentionPatch(patch: Readonly<Partial<Record<string, unknown>>>): Record<string, number | null> {
  const errors: string[] = [];
  const out: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const spec = (EVIDENCE_RETENTION as Record<string, SettingSpec | undefined>)[name];
    if (!spec) {
      errors.push(`${name}: unknown setting (one of ${EVIDENCE_RETENTION_NAMES.join(', ')})`);
      continue;
    }
    const why = value === null ? null : problem(spec, value);
    if (why) errors.push(`${name} ${why}`);
    else out[spec.key] = value as number | null;
  }
  if (errors.length > 0) throw new InvalidInputError(errors.join('; '));
  return out;
}

/** A stored thing the retention job judges. Media kinds as in the `media` table. */
export type RetainedRecord =
  | {
      kind: 'reference' | 'upload' | 'crop' | 'frame';
      createdAt: Date;
      /** An expiry set when it was stored (review samples of strangers); it wins over the kind's days. */
      expiresAt: Date | null;
      /** A face reference of an enrolled person was made from it (a reviewed crop added to the gallery). */
      usedByReference: boolean;
    }
  | { kind: 'attendance'; at: Date };

/**
 * When a record's retention ends (it is due from this instant on), or null when retention never
 * removes it: reference photos and uploads of enrolled people, and any image a face reference was
 * made from, stay until the person is erased.
 */
export function retentionEnd(record: RetainedRecord, retention: EvidenceRetention): Date | null {
  if (record.kind === 'attendance') return new Date(record.at.getTime() + retention.attendanceDays * DAY_MS);
  if (record.expiresAt) return record.expiresAt;
  if (record.usedByReference) return null;
  switch (record.kind) {
    case 'frame':
      return new Date(record.createdAt.getTime() + retention.framesDays * DAY_MS);
    case 'crop':
      return new Date(record.createdAt.getTime() + retention.cropsDays * DAY_MS);
    default:
      return null;
  }
}

export function isRetentionDue(record: RetainedRecord, retention: EvidenceRetention, now: Date): boolean {
  const end = retentionEnd(record, retention);
  return end !== null && end.getTime() <= now.getTime();
}

/**
 * The same rule as instants to compare with in a query: at `now`, a frame (crop) without its own
 * expiry and not used by a reference is due when created at or before `framesCreatedBy`
 * (`cropsCreatedBy`); an attendance booking when made at or before `attendanceBy`; anything with
 * an expiry when it is at or before `now`.
 */
export interface RetentionCutoffs {
  now: Date;
  framesCreatedBy: Date;
  cropsCreatedBy: Date;
  attendanceBy: Date;
}

export function retentionCutoffs(retention: EvidenceRetention, now: Date): RetentionCutoffs {
  const before = (d: number) => new Date(now.getTime() - d * DAY_MS);
  return { now, framesCreatedBy: before(retention.framesDays), cropsCreatedBy: before(retention.cropsDays), attendanceBy: before(retention.attendanceDays) };
}
