import { InvalidInputError } from './errors';

/** Axis-aligned box in pixels, top-left origin. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Intersection over union in [0, 1]; 0 for disjoint or degenerate (zero-area) boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

export interface IouTrackerOptions {
  /** A detection continues a track only with IoU >= minIou against the track's last box (default 0.3). */
  minIou?: number;
  /** A track not seen for longer than this ends (default 2000 ms). */
  maxAgeMs?: number;
  /** Track id generator; default `t1, t2, …` per tracker, so ids are unique per camera only. */
  nextId?: () => string;
  /**
   * Second chance for pairs left after IoU matching: a detection of similar size (0.5–2x) whose
   * centre moved at most this many box widths continues the track (default 0 = off), when the pair
   * is unambiguous (no other unmatched track or detection within reach of either). When frames are
   * analysed seconds apart (CPU inference, many cameras) a walking face's boxes no longer overlap,
   * and without this each analysis would open a new track and no vote would ever gather.
   */
  maxCenterShift?: number;
}

export interface TrackAssignment {
  trackId: string;
  detectionIndex: number;
  isNew: boolean;
}

export interface TrackUpdate {
  assignments: TrackAssignment[];
  ended: string[];
}

export interface ActiveTrack {
  trackId: string;
  box: Box;
  firstSeenAt: number;
  lastSeenAt: number;
}

export const IOU_TRACKER_DEFAULTS = { minIou: 0.3, maxAgeMs: 2000, maxCenterShift: 0 } as const;

/** Centre distance in units of the larger box width; Infinity when the sizes differ by more than 2x. */
export function centerShift(a: Box, b: Box): number {
  const wa = Math.max(a.width, a.height);
  const wb = Math.max(b.width, b.height);
  if (wa <= 0 || wb <= 0 || wa > 2 * wb || wb > 2 * wa) return Infinity;
  const dx = a.x + a.width / 2 - (b.x + b.width / 2);
  const dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return Math.hypot(dx, dy) / Math.max(wa, wb);
}

/**
 * Frame-to-frame face tracker for one camera. Faces move little between analysed frames, so plain
 * IoU association is enough and needs no appearance model; its job is to let several sightings of
 * one passing face be voted on together (TrackVote) instead of alerting on each frame.
 *
 * Per update: first tracks unseen for more than maxAgeMs end (so a stale track cannot capture a
 * newcomer at the same spot); then pairs with IoU >= minIou are assigned greedily, highest IoU first
 * (ties: older track, then lower detection index); unassigned detections open new tracks.
 */
export class IouTracker {
  private readonly minIou: number;
  private readonly maxAgeMs: number;
  private readonly nextId: () => string;
  private readonly maxCenterShift: number;
  private readonly tracks: ActiveTrack[] = [];
  private lastAt = -Infinity;

  constructor(options: IouTrackerOptions = {}) {
    this.minIou = options.minIou ?? IOU_TRACKER_DEFAULTS.minIou;
    this.maxAgeMs = options.maxAgeMs ?? IOU_TRACKER_DEFAULTS.maxAgeMs;
    this.maxCenterShift = options.maxCenterShift ?? IOU_TRACKER_DEFAULTS.maxCenterShift;
    if (!Number.isFinite(this.maxCenterShift) || this.maxCenterShift < 0) {
      throw new InvalidInputError(`maxCenterShift must be a non-negative number, got ${String(this.maxCenterShift)}`);
    }
    if (!Number.isFinite(this.minIou) || this.minIou <= 0 || this.minIou > 1) {
      throw new InvalidInputError(`minIou must be in (0, 1], got ${String(this.minIou)}`);
    }
    if (!Number.isFinite(this.maxAgeMs) || this.maxAgeMs < 0) {
      throw new InvalidInputError(`maxAgeMs must be a non-negative number, got ${String(this.maxAgeMs)}`);
    }
    let n = 0;
    this.nextId = options.nextId ?? (() => `t${++n}`);
  }

  /** Tracks alive after the last update, oldest first (copies). */
  get activeTracks(): ActiveTrack[] {
    return this.tracks.map((t) => ({ ...t, box: { ...t.box } }));
  }

  update<D extends { box: Box }>(detections: readonly D[], at: number): TrackUpdate {
    if (!Number.isFinite(at)) throw new InvalidInputError('update time must be a finite number');
    // Going back in time would make track ages negative; frames of one camera arrive in order.
    if (at < this.lastAt) throw new InvalidInputError(`update time ${at} is before the previous update ${this.lastAt}`);
    detections.forEach((d, i) => validateBox(d.box, i));
    this.lastAt = at;

    const ended: string[] = [];
    for (let i = this.tracks.length - 1; i >= 0; i--) {
      if (at - this.tracks[i].lastSeenAt > this.maxAgeMs) ended.unshift(...this.tracks.splice(i, 1).map((t) => t.trackId));
    }

    const pairs: Array<{ t: number; d: number; iou: number }> = [];
    this.tracks.forEach((track, t) =>
      detections.forEach((det, d) => {
        const v = iou(track.box, det.box);
        if (v >= this.minIou) pairs.push({ t, d, iou: v });
      }),
    );
    pairs.sort((a, b) => b.iou - a.iou || a.t - b.t || a.d - b.d);

    const assignments: TrackAssignment[] = [];
    const trackTaken = new Set<number>();
    const detTaken = new Set<number>();
    const assign = (t: number, d: number): void => {
      trackTaken.add(t);
      detTaken.add(d);
      const track = this.tracks[t];
      track.box = { ...detections[d].box };
      track.lastSeenAt = at;
      assignments.push({ trackId: track.trackId, detectionIndex: d, isNew: false });
    };
    for (const p of pairs) {
      if (!trackTaken.has(p.t) && !detTaken.has(p.d)) assign(p.t, p.d);
    }
    if (this.maxCenterShift > 0) {
      // Only unambiguous pairs: the track has exactly one unmatched detection within reach and that
      // detection exactly one track. In a crowd (faces about a width apart) guessing would swap
      // identities between tracks and spoil both votes; a new track is the honest answer there.
      const near: Array<{ t: number; d: number }> = [];
      this.tracks.forEach((track, t) => {
        if (trackTaken.has(t)) return;
        detections.forEach((det, d) => {
          if (!detTaken.has(d) && centerShift(track.box, det.box) <= this.maxCenterShift) near.push({ t, d });
        });
      });
      for (const p of near) {
        const unique = near.filter((q) => q.t === p.t).length === 1 && near.filter((q) => q.d === p.d).length === 1;
        if (unique) assign(p.t, p.d);
      }
    }
    detections.forEach((det, d) => {
      if (detTaken.has(d)) return;
      const trackId = this.nextId();
      this.tracks.push({ trackId, box: { ...det.box }, firstSeenAt: at, lastSeenAt: at });
      assignments.push({ trackId, detectionIndex: d, isNew: true });
    });
    assignments.sort((a, b) => a.detectionIndex - b.detectionIndex);
    return { assignments, ended };
  }

  /** Ends every track (camera stopped or restarted); returns their ids. */
  endAll(): string[] {
    return this.tracks.splice(0).map((t) => t.trackId);
  }
}

function validateBox(box: Box, index: number): void {
  const ok =
    typeof box === 'object' &&
    box !== null &&
    [box.x, box.y, box.width, box.height].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    box.width >= 0 &&
    box.height >= 0;
  if (!ok) throw new InvalidInputError(`detection ${index} has an invalid box`);
}
