import { EntityManager } from 'typeorm';
import type { Box } from '@vigil/domain';
import { translateLeaseLost } from '../pg-errors';

/** A track whose vote decided a match, with the sighting that carried the decision. */
export interface DecidedTrack {
  cameraId: string;
  personId: string;
  startedAt: Date;
  /** When the vote decided (the deciding sighting's frame time). */
  decidedAt: Date;
  sightings: number;
  score: number;
  modelVersionId?: number | null;
  /** The camera lease epoch of the worker that decided it: the sighting is refused once the lease is lost. */
  leaseEpoch?: string | null;
  sighting: {
    box: Box;
    quality: Record<string, unknown>;
    distance: number | null;
    cropMediaId?: string | null;
    frameMediaId?: string | null;
  };
}

/**
 * Tracks and sightings of decided matches. Only matches are stored: a track that decided
 * "unknown" leaves no row (strangers are not collected), and no row ever holds an embedding.
 */
export class TrackRepository {
  constructor(private readonly manager: EntityManager) {}

  async recordDecided(track: DecidedTrack): Promise<{ trackId: string; sightingId: string }> {
    const [t] = (await this.manager.query(
      `INSERT INTO track (camera_id, started_at, sightings_count, decision, person_id, score, model_version_id)
       VALUES ($1, $2, $3, 'match', $4, $5, $6) RETURNING id`,
      [track.cameraId, track.startedAt, track.sightings, track.personId, track.score, track.modelVersionId ?? null],
    )) as Array<{ id: string }>;
    const s = track.sighting;
    const [row] = (await this.manager
      .query(
        `INSERT INTO sighting (track_id, camera_id, at, box, quality, person_id, distance, crop_media_id, frame_media_id, lease_epoch)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [t!.id, track.cameraId, track.decidedAt, JSON.stringify(s.box), JSON.stringify(s.quality), track.personId, s.distance, s.cropMediaId ?? null, s.frameMediaId ?? null, track.leaseEpoch ?? null],
      )
      .catch((error: unknown) => {
        throw translateLeaseLost(error, track.cameraId, track.leaseEpoch);
      })) as Array<{ id: string }>;
    return { trackId: t!.id, sightingId: row!.id };
  }

  /** Marks a stored track as over (the tracker lost it). */
  async end(trackId: string, endedAt: Date): Promise<void> {
    await this.manager.query(`UPDATE track SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL`, [trackId, endedAt]);
  }

  /**
   * Deletes these tracks, with their sightings, unless an alert or a booking still points at one.
   * Returns how many went.
   */
  async deleteUnreferenced(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = (await this.manager.query(
      `DELETE FROM track t WHERE t.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.track_id = t.id)
          AND NOT EXISTS (SELECT 1 FROM attendance_event e WHERE e.track_id = t.id)
        RETURNING t.id`,
      [ids],
    )) as unknown[];
    return (Array.isArray(result[0]) ? (result[0] as unknown[]) : result).length;
  }
}
