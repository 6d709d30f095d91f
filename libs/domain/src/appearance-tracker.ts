import { euclideanDistance, type Descriptor } from './descriptor';
import { InvalidInputError } from './errors';
import { centerShift, iou, validateBox, type Box } from './track-geometry';

/** A face to associate: where it is, what it looks like, and who the matcher says it is (if anyone). */
export interface TrackableFace {
  box: Box;
  /** The face's descriptor; without one only a clear overlap (IoU) can continue a track. */
  descriptor?: Descriptor | null;
  /** The person the matcher matched this face to, if any: a face matched to X never continues a track of Y. */
  identity?: string | null;
}

export interface AppearanceTrackerOptions {
  /** A track not seen for longer than this ends (default 5000 ms). */
  maxAgeMs?: number;
  /** Overlap that counts as "same place" (default 0.3). */
  minIou?: number;
  /**
   * Without overlap, a face whose centre moved at most this many box widths (similar size) may
   * still continue a track, when its appearance agrees (default 1.5): analyses seconds apart.
   */
  maxCenterShift?: number;
  /** Largest descriptor distance to the track's recent faces for the same person (default 0.55). */
  maxAppearanceDistance?: number;
  /** How many recent descriptors a track remembers (default 4): a turning head drifts slowly. */
  appearanceMemory?: number;
  /** Track id generator; default `t1, t2, …` per tracker. */
  nextId?: () => string;
}

export const APPEARANCE_TRACKER_DEFAULTS = { maxAgeMs: 5_000, minIou: 0.3, maxCenterShift: 1.5, maxAppearanceDistance: 0.55, appearanceMemory: 4 } as const;

export interface AppearanceAssignment {
  trackId: string;
  detectionIndex: number;
  isNew: boolean;
  /** Distance to the track's recent appearance (null for a new track or without descriptors). */
  appearanceDistance: number | null;
  /**
   * A new track that took the place of an old one: the old track's box overlapped this face, but
   * the face is someone else (appearance or identity disagreed), so the old track ended here.
   */
  replaced: string | null;
}

export interface AppearanceUpdate {
  assignments: AppearanceAssignment[];
  /** Tracks that ended in this update: aged out or replaced. */
  ended: string[];
}

interface Track {
  trackId: string;
  box: Box;
  firstSeenAt: number;
  lastSeenAt: number;
  recent: Descriptor[];
}

/**
 * Per camera: which face is which person over time. A track is a person, not a place: geometry
 * proposes (overlap, or a short move of a similar-sized box), the face's descriptor confirms
 * (close to the track's recent faces), and the matcher's identity vetoes (a face matched to X never
 * continues a track that `identityOf` says is Y). So the next person in a queue at the same spot
 * opens a new track with its own decision, and the old track ends at once (`replaced`).
 *
 * Per update: tracks unseen for more than maxAgeMs end; candidate pairs that pass all three tests
 * are assigned greedily, most similar first (ties: more overlap, older track, lower index); every
 * face left opens a track.
 */
export class AppearanceTracker {
  private readonly options: Required<Omit<AppearanceTrackerOptions, 'nextId'>>;
  private readonly nextId: () => string;
  private readonly tracks: Track[] = [];
  private lastAt = -Infinity;

  constructor(options: AppearanceTrackerOptions = {}) {
    this.options = {
      maxAgeMs: options.maxAgeMs ?? APPEARANCE_TRACKER_DEFAULTS.maxAgeMs,
      minIou: options.minIou ?? APPEARANCE_TRACKER_DEFAULTS.minIou,
      maxCenterShift: options.maxCenterShift ?? APPEARANCE_TRACKER_DEFAULTS.maxCenterShift,
      maxAppearanceDistance: options.maxAppearanceDistance ?? APPEARANCE_TRACKER_DEFAULTS.maxAppearanceDistance,
      appearanceMemory: options.appearanceMemory ?? APPEARANCE_TRACKER_DEFAULTS.appearanceMemory,
    };
    const o = this.options;
    if (!Number.isFinite(o.maxAgeMs) || o.maxAgeMs < 0) throw new InvalidInputError(`maxAgeMs must be a non-negative number, got ${String(o.maxAgeMs)}`);
    if (!Number.isFinite(o.minIou) || o.minIou <= 0 || o.minIou > 1) throw new InvalidInputError(`minIou must be in (0, 1], got ${String(o.minIou)}`);
    if (!Number.isFinite(o.maxCenterShift) || o.maxCenterShift < 0) throw new InvalidInputError(`maxCenterShift must be a non-negative number, got ${String(o.maxCenterShift)}`);
    if (!Number.isFinite(o.maxAppearanceDistance) || o.maxAppearanceDistance <= 0) {
      throw new InvalidInputError(`maxAppearanceDistance must be a positive number, got ${String(o.maxAppearanceDistance)}`);
    }
    if (!Number.isInteger(o.appearanceMemory) || o.appearanceMemory < 1) throw new InvalidInputError('appearanceMemory must be a positive integer');
    let n = 0;
    this.nextId = options.nextId ?? (() => `t${++n}`);
  }

  /** Ids of the tracks alive after the last update, oldest first. */
  get trackIds(): string[] {
    return this.tracks.map((t) => t.trackId);
  }

  update(faces: readonly TrackableFace[], at: number, identityOf: (trackId: string) => string | null = () => null): AppearanceUpdate {
    if (!Number.isFinite(at)) throw new InvalidInputError('update time must be a finite number');
    if (at < this.lastAt) throw new InvalidInputError(`update time ${at} is before the previous update ${this.lastAt}`);
    faces.forEach((f, i) => validateBox(f.box, i));
    this.lastAt = at;
    const o = this.options;

    const ended: string[] = [];
    for (let i = this.tracks.length - 1; i >= 0; i--) {
      if (at - this.tracks[i].lastSeenAt > o.maxAgeMs) ended.unshift(...this.tracks.splice(i, 1).map((t) => t.trackId));
    }

    const pairs: Array<{ t: number; d: number; overlap: number; distance: number | null }> = [];
    this.tracks.forEach((track, t) => {
      const identity = identityOf(track.trackId);
      faces.forEach((face, d) => {
        const overlap = iou(track.box, face.box);
        const near = overlap >= o.minIou || centerShift(track.box, face.box) <= o.maxCenterShift;
        if (!near) return;
        if (identity && face.identity && identity !== face.identity) return;
        const distance = face.descriptor && track.recent.length > 0 ? Math.min(...track.recent.map((r) => euclideanDistance(r, face.descriptor!))) : null;
        // Without an appearance to compare, only a clear overlap may continue the track.
        if (distance === null ? overlap < o.minIou : distance > o.maxAppearanceDistance) return;
        pairs.push({ t, d, overlap, distance });
      });
    });
    // Unknown appearance ranks after every measured one.
    pairs.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || b.overlap - a.overlap || a.t - b.t || a.d - b.d);

    const assignments: AppearanceAssignment[] = [];
    const trackTaken = new Set<number>();
    const faceTaken = new Set<number>();
    for (const p of pairs) {
      if (trackTaken.has(p.t) || faceTaken.has(p.d)) continue;
      trackTaken.add(p.t);
      faceTaken.add(p.d);
      const track = this.tracks[p.t];
      track.box = { ...faces[p.d].box };
      track.lastSeenAt = at;
      this.remember(track, faces[p.d].descriptor);
      assignments.push({ trackId: track.trackId, detectionIndex: p.d, isNew: false, appearanceDistance: p.distance, replaced: null });
    }

    const replaced = new Set<number>();
    faces.forEach((face, d) => {
      if (faceTaken.has(d)) return;
      // An unassigned track this face covers is someone who is no longer there.
      let displaced: number | null = null;
      this.tracks.forEach((track, t) => {
        if (!trackTaken.has(t) && !replaced.has(t) && displaced === null && iou(track.box, face.box) >= o.minIou) displaced = t;
      });
      if (displaced !== null) replaced.add(displaced);
      const trackId = this.nextId();
      const track: Track = { trackId, box: { ...face.box }, firstSeenAt: at, lastSeenAt: at, recent: [] };
      this.remember(track, face.descriptor);
      this.tracks.push(track);
      const replacedId = displaced === null ? null : this.tracks[displaced].trackId;
      assignments.push({ trackId, detectionIndex: d, isNew: true, appearanceDistance: null, replaced: replacedId });
    });
    for (const t of [...replaced].sort((a, b) => b - a)) ended.push(...this.tracks.splice(t, 1).map((x) => x.trackId));
    assignments.sort((a, b) => a.detectionIndex - b.detectionIndex);
    return { assignments, ended };
  }

  /** Ends every track (camera stopped or restarted); returns their ids. */
  endAll(): string[] {
    return this.tracks.splice(0).map((t) => t.trackId);
  }

  private remember(track: Track, descriptor: Descriptor | null | undefined): void {
    if (!descriptor) return;
    track.recent.push(descriptor);
    if (track.recent.length > this.options.appearanceMemory) track.recent.shift();
  }
}
