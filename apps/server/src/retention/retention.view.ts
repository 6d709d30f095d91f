import type { RetentionRuleView, RetentionSettingsView } from '@vigil/contracts';
import { EVIDENCE_RETENTION, type EvidenceRetention, type ReviewSettings } from '@vigil/domain';

export interface RetentionViewInput {
  policy: EvidenceRetention;
  defaults: EvidenceRetention;
  /** What the environment set (VIGIL_RETENTION_*_DAYS). */
  fromEnvironment: Partial<EvidenceRetention>;
  /** Stored values by setting key. */
  stored: Readonly<Record<string, unknown>>;
  review: ReviewSettings;
}

/** Every kind of stored data and how long it is kept: what the admin console's table shows. */
export function toRetentionView(input: RetentionViewInput): RetentionSettingsView {
  const { policy, defaults, fromEnvironment, stored, review } = input;
  const setting = (name: keyof EvidenceRetention, kind: RetentionRuleView['kind'], data: string, note: string): RetentionRuleView => {
    const spec = EVIDENCE_RETENTION[name];
    const isStored = stored[spec.key] !== undefined && stored[spec.key] === policy[name];
    return {
      kind, data, note,
      days: policy[name],
      setting: name,
      source: isStored ? 'setting' : fromEnvironment[name] !== undefined ? 'environment' : 'default',
      defaultDays: defaults[name],
      min: spec.min,
      max: spec.max,
    };
  };
  const fixed = (kind: RetentionRuleView['kind'], data: string, days: number | null, source: RetentionRuleView['source'], note: string): RetentionRuleView => ({
    kind, data, days, setting: null, source, defaultDays: null, min: null, max: null, note,
  });
  return {
    ...policy,
    rules: [
      setting('framesDays', 'frames', 'Frames stored with alerts (the whole scene, bystanders included)', 'File and row deleted; the alert stays and shows "evidence expired".'),
      setting('cropsDays', 'crops', 'Face crops of alerts and attendance bookings, and of review items without their own expiry', 'File and row deleted; the alert stays and shows "evidence expired". A crop added to the gallery from a review is a reference photo (below).'),
      setting('attendanceDays', 'attendance', 'Attendance bookings, with the track and sightings behind them', 'Set what local law requires. Labelled review items of a deleted booking are kept, so metrics keep their labels.'),
      fixed('unknownCrops', 'Crops of unknown faces kept for review, and their review items', review.unknownRetentionDays, 'review settings', 'Set as unknownRetentionDays in the review settings; labelled items stay as "expired" without their crop.'),
      fixed('unseenSamples', 'The unseen sample (unknown faces kept for future training)', review.unseenRetentionDays, 'review settings', 'Set as unseenRetentionDays in the review settings.'),
      fixed('references', 'Reference photos and face templates of enrolled people', null, 'until erasure', 'Kept while the person is enrolled; erasing the person deletes them at once.'),
      fixed('alerts', 'Alert records (who, where, when, status)', null, 'kept', 'Not expired: their crop and frame go as above.'),
    ],
  };
}
