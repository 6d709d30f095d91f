import { decideSample, type ReviewKind, type ReviewSettings, resolveReviewSettings, REVIEW_SETTING_KEYS } from '@vigil/domain';
import type { Repositories } from '@vigil/persistence';

export type SampledKind = Exclude<ReviewKind, 'alert'>;

/** Rate, daily cap and retention of one sampled kind ('sample' is the unseen sample). */
export function samplePolicy(kind: SampledKind, s: ReviewSettings): { rate: number; dailyCap: number; retentionDays: number | null } {
  switch (kind) {
    case 'attendance':
      return { rate: s.attendanceSampleRate, dailyCap: s.attendanceDailyCap, retentionDays: null };
    case 'unknown':
      return { rate: s.unknownSampleRate, dailyCap: s.unknownDailyCap, retentionDays: s.unknownRetentionDays };
    case 'sample':
      return { rate: s.unseenSampleRate, dailyCap: s.unseenDailyCap, retentionDays: s.unseenRetentionDays };
  }
}

export async function loadReviewSettings(repos: Repositories): Promise<ReviewSettings> {
  return resolveReviewSettings(await repos.settings.getMany(REVIEW_SETTING_KEYS));
}

/**
 * Whether a decision joins the review queue: the seeded draw under the kind's rate, and the
 * camera's cap for the local day. `key` names the decision (kind, camera, event id or time) so the
 * same decision always gets the same answer. The cap is counted, not locked: decisions of one
 * camera are sequential in the pipeline, so it holds in practice (at worst it is exceeded by the
 * decisions in flight at once).
 */
export async function drawForQueue(
  repos: Repositories,
  settings: ReviewSettings,
  d: { kind: SampledKind; cameraId: string; localDate: string; key: string },
): Promise<boolean> {
  const { rate, dailyCap } = samplePolicy(d.kind, settings);
  if (rate === 0 || dailyCap === 0) return false;
  const takenToday = await repos.reviewItems.countOnDay(d.kind, d.cameraId, d.localDate);
  return decideSample({ seed: settings.samplingSeed, key: d.key, rate, takenToday, dailyCap }).keep;
}

/** The decision key of a sampled decision; exported so tests can recompute the sample. */
export function sampleKey(kind: SampledKind, cameraId: string, id: string): string {
  return `${kind}:${cameraId}:${id}`;
}
