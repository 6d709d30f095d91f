import { followRegion } from './follow-region';
import type { Box } from './track-geometry';

/** What the planner needs to know of a camera's track. */
export interface PlannedTrack {
  decided: boolean;
  startedAt: number;
  lastSeenAt: number;
  lastBox: Box;
}

/** Per camera, carried from one analysis to the next. */
export interface FollowState {
  followsInARow: number;
  /** The last follow found no face. */
  followMissed: boolean;
}

export const INITIAL_FOLLOW_STATE: FollowState = { followsInARow: 0, followMissed: false };

export interface AnalysisRules {
  /** A track seen longer ago than this no longer makes the camera urgent (ms). */
  urgentSinceSeenMs: number;
  /** Nor does one that started longer ago: a track that cannot decide quickly is not helped by more follows (ms). */
  urgentWindowMs: number;
  /** Follows in a row before the whole frame is scanned again. */
  maxFollowsInARow: number;
}

export const DEFAULT_ANALYSIS_RULES: AnalysisRules = { urgentSinceSeenMs: 2_000, urgentWindowMs: 4_000, maxFollowsInARow: 2 };

export type AnalysisPlan =
  /** The whole frame with the configured detector; urgent when it also serves open tracks. */
  | { kind: 'scan'; lane: 'normal' | 'urgent' }
  /** Only the region around the open tracks' faces, with the fast detector. */
  | { kind: 'follow'; lane: 'urgent'; region: Box };

/**
 * How to analyse a camera's next frame. With no undecided track seen lately, a normal scan. With
 * one, the frame is urgent (its vote needs sightings before the face walks out) and mostly a
 * follow — but every (maxFollowsInARow + 1)-th analysis, and the one after a follow that found
 * nothing, scans the whole frame, so a new face elsewhere is never ignored for long.
 */
export function planAnalysis(
  tracks: Iterable<PlannedTrack>,
  state: FollowState,
  frame: { at: number; width: number; height: number },
  rules: AnalysisRules = DEFAULT_ANALYSIS_RULES,
): { plan: AnalysisPlan; next: FollowState } {
  const open = openTrackBoxes(tracks, frame.at, rules);
  if (open.length === 0) return { plan: { kind: 'scan', lane: 'normal' }, next: { followsInARow: 0, followMissed: false } };
  const region = state.followsInARow < rules.maxFollowsInARow && !state.followMissed ? followRegion(open, frame.width, frame.height) : null;
  if (!region) return { plan: { kind: 'scan', lane: 'urgent' }, next: { followsInARow: 0, followMissed: false } };
  return { plan: { kind: 'follow', lane: 'urgent', region }, next: { followsInARow: state.followsInARow + 1, followMissed: false } };
}

/**
 * The boxes of the tracks whose vote still needs sightings now: undecided, seen lately, and not
 * older than the urgency window. While there is one, every frame counts, even a still one.
 */
export function openTrackBoxes(tracks: Iterable<PlannedTrack>, at: number, rules: AnalysisRules = DEFAULT_ANALYSIS_RULES): Box[] {
  const open: Box[] = [];
  for (const t of tracks) {
    if (!t.decided && at - t.lastSeenAt <= rules.urgentSinceSeenMs && at - t.startedAt <= rules.urgentWindowMs) open.push(t.lastBox);
  }
  return open;
}

/** After a follow's result: whether it found a face decides if the next analysis may follow again. */
export function afterFollow(state: FollowState, facesFound: number): FollowState {
  return { ...state, followMissed: facesFound === 0 };
}
