/** A recognition attempt in words, for the attempts panel (what an operator reads when someone is not recognised). */
import type { AttemptCandidateView, RecognitionAttemptView } from '@vigil/contracts';
import { num } from '../../components/format';
import { REASON_TEXT } from './person-forms';

export const personName = (name: string | null): string => name ?? '(erased person)';

/** "Good", or the quality gate's reasons: "too blurry, head turned". */
export function qualityText(quality: RecognitionAttemptView['quality']): string {
  if (quality.ok) return 'Good';
  return quality.reasons.length > 0 ? quality.reasons.map((r) => REASON_TEXT[r] ?? r.replace(/_/g, ' ')).join(', ') : 'Refused';
}

/** A match needs distance <= the list's threshold (lower is closer). */
export const isWithin = (c: AttemptCandidateView): boolean => c.distance <= c.threshold;

/** "0.31 / 0.45": the distance to the nearest person against the threshold, 2 decimals. */
export const distanceText = (c: AttemptCandidateView): string => `${num(c.distance, 2)} / ${num(c.threshold, 2)}`;

/** What the attempt counted as in its track's vote. */
export function sightingText(a: RecognitionAttemptView): string {
  switch (a.sighting) {
    case 'match':
      return `Sighting of ${a.nearest ? personName(a.nearest.personName) : 'the nearest person'}`;
    case 'unknown':
      return 'Unknown sighting';
    case 'low_quality':
      return 'Not counted: quality too low';
    case 'decided':
      return 'Not counted: track already decided (still the same face)';
  }
}

/** The track's vote after the attempt: "Pending (2 sightings)", "Match Walter", "Unknown". */
export function voteText(vote: RecognitionAttemptView['vote']): string {
  if (vote.state === 'match') return `Match ${personName(vote.personName)}`;
  if (vote.state === 'unknown') return 'Unknown';
  return `Pending (${vote.sightings} ${vote.sightings === 1 ? 'sighting' : 'sightings'})`;
}
