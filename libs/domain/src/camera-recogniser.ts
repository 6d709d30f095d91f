import { AppearanceTracker, type AppearanceTrackerOptions } from './appearance-tracker';
import type { Descriptor } from './descriptor';
import type { PlannedTrack } from './analysis-plan';
import type { MatchDecision, MatchPolicy } from './match-policy';
import type { PersonList } from './person-list';
import { assessFaceQuality, type FaceQualityMeasures, type QualityThresholds, type QualityVerdict } from './quality';
import type { Box } from './track-geometry';
import { TrackVote, type TrackVoteOptions } from './track-vote';

/** One face of an analysed frame, as the engine reports it. */
export interface RecogniserFace {
  box: Box;
  descriptor: Descriptor | null;
  quality: FaceQualityMeasures;
}

/** The matcher in force for this analysis (the active model version's policy may change between calls). */
export interface RecogniserMatcher {
  match(descriptor: Descriptor): MatchDecision;
  readonly policy: MatchPolicy;
}

export interface CameraRecogniserOptions {
  quality: QualityThresholds;
  tracker?: AppearanceTrackerOptions;
  vote?: TrackVoteOptions;
}

export type VoteState = 'pending' | 'match' | 'unknown';
/** What a face contributed to its track's vote (see RecognitionAttemptView in @vigil/contracts). */
export type AttemptSighting = 'match' | 'unknown' | 'low_quality' | 'decided';

export interface NearestCandidate {
  personId: string;
  list: PersonList;
  distance: number;
  threshold: number;
}

/** What the recogniser saw of one face: the record an operator reads when someone "is not recognised". */
export interface RecognitionAttempt {
  at: number;
  faceIndex: number;
  trackId: string;
  box: Box;
  quality: QualityVerdict;
  nearest: NearestCandidate | null;
  sighting: AttemptSighting;
  vote: { state: VoteState; sightings: number; personId: string | null; list: PersonList | null; reopened: boolean };
  /** The track this face replaced at the same spot (someone else stood there), else null. */
  replacedTrackId: string | null;
}

export type RecognitionDecision =
  | {
      kind: 'match';
      trackId: string;
      faceIndex: number;
      personId: string;
      list: PersonList;
      /** The person's best (closest) sighting on this track. */
      score: number;
      distance: number;
      sightings: number;
      trackStartedAt: number;
      /** The track had first been decided unknown. */
      reopened: boolean;
    }
  | {
      kind: 'unknown';
      trackId: string;
      faceIndex: number;
      /** Nearest enrolled person among the track's sightings (for a reviewer to compare). */
      nearest: { personId: string; distance: number } | null;
      sightings: number;
      trackStartedAt: number;
    };

export interface RecogniserResult {
  attempts: RecognitionAttempt[];
  decisions: RecognitionDecision[];
  /** Tracks that ended (aged out or replaced). */
  ended: string[];
}

export interface OverlayFace {
  box: Box;
  trackId: string;
  state: VoteState;
  personId: string | null;
  list: PersonList | null;
}

interface TrackState {
  startedAt: number;
  /** When the current vote started (the track's start, or its re-opening). */
  voteStartedAt: number;
  lastSeenAt: number;
  lastBox: Box;
  vote: TrackVote;
  decision: { kind: 'match'; personId: string; list: PersonList } | { kind: 'unknown' } | null;
  reopened: boolean;
  /** People this track has already produced a decision for: at most one alert / booking each. */
  emitted: Set<string>;
  unknownEmitted: boolean;
  best: Map<string, { score: number; distance: number }>;
  nearest: { personId: string; distance: number } | null;
}

/**
 * Per camera, pure: analysed faces in, decisions out. Tracks follow people (AppearanceTracker);
 * each track gathers quality-gated sightings into a TrackVote and decides once; a track decided
 * "unknown" is re-opened by a later good-quality sighting that matches someone (the first frames
 * of a person walking in are often poor), and a decided track keeps being re-checked by
 * appearance on every analysis, so the next person at the same spot gets a track and a decision
 * of their own. Every face leaves an attempt record; nothing here is stored.
 */
export class CameraRecogniser {
  private readonly tracker: AppearanceTracker;
  private readonly tracks = new Map<string, TrackState>();
  private lastFaces: OverlayFace[] = [];
  private lastAt: number | null = null;

  constructor(private readonly options: CameraRecogniserOptions) {
    this.tracker = new AppearanceTracker(options.tracker);
  }

  analyse(at: number, faces: readonly RecogniserFace[], matcher: RecogniserMatcher): RecogniserResult {
    const matches = faces.map((f) => (f.descriptor ? matcher.match(f.descriptor) : null));
    const identities = matches.map((m) => (m?.kind === 'match' ? m.personId : null));
    const update = this.tracker.update(
      faces.map((f, i) => ({ box: f.box, descriptor: f.descriptor, identity: identities[i] })),
      at,
      (trackId) => this.identityOf(trackId),
    );
    for (const id of update.ended) this.tracks.delete(id);

    const attempts: RecognitionAttempt[] = [];
    const decisions: RecognitionDecision[] = [];
    for (const { trackId, detectionIndex, replaced } of update.assignments) {
      const face = faces[detectionIndex]!;
      let track = this.tracks.get(trackId);
      if (!track) {
        track = { startedAt: at, voteStartedAt: at, lastSeenAt: at, lastBox: face.box, vote: new TrackVote(), decision: null, reopened: false, emitted: new Set(), unknownEmitted: false, best: new Map(), nearest: null };
        this.tracks.set(trackId, track);
      }
      track.lastSeenAt = at;
      track.lastBox = face.box;
      const match = matches[detectionIndex] ?? null;
      const verdict = assessFaceQuality(face.quality, this.options.quality);
      const sighting = this.sight(track, at, verdict, match, matcher.policy);
      const decision = sighting === 'match' || sighting === 'unknown' ? this.decide(track, trackId, detectionIndex) : null;
      if (decision) decisions.push(decision);
      attempts.push({
        at,
        faceIndex: detectionIndex,
        trackId,
        box: { ...face.box },
        quality: verdict,
        nearest: nearestOf(match, matcher.policy),
        sighting,
        vote: this.voteView(track),
        replacedTrackId: replaced,
      });
    }
    this.lastAt = at;
    this.lastFaces = attempts.map((a) => ({ box: a.box, trackId: a.trackId, state: a.vote.state, personId: a.vote.personId, list: a.vote.list }));
    return { attempts, decisions, ended: update.ended };
  }

  /** What planAnalysis needs: an undecided (or re-opened) track makes the camera urgent. */
  plannedTracks(): PlannedTrack[] {
    return [...this.tracks.values()].map((t) => ({ decided: t.decision !== null, startedAt: t.voteStartedAt, lastSeenAt: t.lastSeenAt, lastBox: t.lastBox }));
  }

  /** The faces of the last analysis (for the live view), with their tracks' vote state. */
  overlay(): { at: number | null; faces: OverlayFace[] } {
    return { at: this.lastAt, faces: this.lastFaces.map((f) => ({ ...f, box: { ...f.box } })) };
  }

  /** Forgets every track (camera stopped or restarted). */
  reset(): void {
    this.tracker.endAll();
    this.tracks.clear();
    this.lastFaces = [];
  }

  /** The person a track decided for: a face the matcher gives to someone else never joins it. */
  private identityOf(trackId: string): string | null {
    const t = this.tracks.get(trackId);
    if (!t) return null;
    if (t.decision?.kind === 'match') return t.decision.personId;
    return null;
  }

  private sight(track: TrackState, at: number, verdict: QualityVerdict, match: MatchDecision | null, policy: MatchPolicy): AttemptSighting {
    if (track.decision?.kind === 'match') return 'decided';
    if (!verdict.ok || !match) return track.decision ? 'decided' : 'low_quality';
    if (track.decision?.kind === 'unknown') {
      // Unknown is provisional: a good sighting that matches re-opens the vote from here.
      if (match.kind !== 'match') return 'decided';
      track.vote = new TrackVote();
      track.voteStartedAt = at;
      track.decision = null;
      track.reopened = true;
    }
    if (match.kind === 'match') {
      track.vote.add({ personId: match.personId, list: match.list, distance: match.distance, quality: 1, threshold: policy.thresholds[match.list] });
      const best = track.best.get(match.personId);
      if (!best || match.distance < best.distance) track.best.set(match.personId, { score: match.score, distance: match.distance });
      return 'match';
    }
    track.vote.add({ personId: null, distance: match.bestDistance ?? 1, quality: 1 });
    if (match.bestPersonId !== undefined && match.bestDistance !== undefined && (!track.nearest || match.bestDistance < track.nearest.distance)) {
      track.nearest = { personId: match.bestPersonId, distance: match.bestDistance };
    }
    return 'unknown';
  }

  private decide(track: TrackState, trackId: string, faceIndex: number): RecognitionDecision | null {
    const outcome = track.vote.decide(this.options.vote);
    if (outcome.kind === 'pending') return null;
    if (outcome.kind === 'unknown') {
      track.decision = { kind: 'unknown' };
      if (track.unknownEmitted) return null;
      track.unknownEmitted = true;
      return { kind: 'unknown', trackId, faceIndex, nearest: track.nearest, sightings: outcome.sightings, trackStartedAt: track.startedAt };
    }
    const list = outcome.list ?? 'watchlist';
    track.decision = { kind: 'match', personId: outcome.personId, list };
    if (track.emitted.has(outcome.personId)) return null;
    track.emitted.add(outcome.personId);
    // The deciding frame may itself be an unknown sighting; the person's best match is reported.
    const { score, distance } = track.best.get(outcome.personId) ?? { score: 0, distance: 0 };
    return { kind: 'match', trackId, faceIndex, personId: outcome.personId, list, score, distance, sightings: outcome.sightings, trackStartedAt: track.startedAt, reopened: track.reopened };
  }

  private voteView(track: TrackState): RecognitionAttempt['vote'] {
    const d = track.decision;
    return {
      state: d === null ? 'pending' : d.kind,
      sightings: track.vote.sightingCount,
      personId: d?.kind === 'match' ? d.personId : null,
      list: d?.kind === 'match' ? d.list : null,
      reopened: track.reopened,
    };
  }
}

function nearestOf(match: MatchDecision | null, policy: MatchPolicy): NearestCandidate | null {
  if (!match) return null;
  if (match.kind === 'match') return { personId: match.personId, list: match.list, distance: match.distance, threshold: policy.thresholds[match.list] };
  if (match.bestPersonId === undefined || match.bestDistance === undefined || match.bestList === undefined) return null;
  return { personId: match.bestPersonId, list: match.bestList, distance: match.bestDistance, threshold: policy.thresholds[match.bestList] };
}
