import type { Box } from '@vigil/domain';
import type { Repositories } from '@vigil/persistence';

/** What a camera decision rests on: the track that voted, the deciding sighting and its images. */
export interface DecisionEvidence {
  track: { startedAt: Date; sightings: number };
  decidedAt: Date;
  box: Box;
  quality: Record<string, unknown>;
  distance: number | null;
  crop?: { path: string; bytes: number };
  frame?: { path: string; bytes: number };
}

/**
 * Records the evidence (media rows, track, sighting) inside the caller's transaction, so the
 * decision and what proves it commit together. Media belong to the matched person: erasing the
 * person erases them.
 */
export async function recordEvidence(
  repos: Repositories,
  match: { cameraId: string; personId: string; score: number; modelVersionId?: number | null; leaseEpoch?: string | null },
  evidence: DecisionEvidence,
): Promise<{ trackId: string; sightingId: string; cropMediaId: string | null; frameMediaId: string | null }> {
  const media = (kind: 'crop' | 'frame', file: { path: string; bytes: number } | undefined) =>
    file ? repos.media.insert({ kind, path: file.path, contentType: 'image/jpeg', bytes: file.bytes, personId: match.personId, cameraId: match.cameraId }) : Promise.resolve(null);
  const cropMediaId = await media('crop', evidence.crop);
  const frameMediaId = await media('frame', evidence.frame);
  const { trackId, sightingId } = await repos.tracks.recordDecided({
    cameraId: match.cameraId,
    personId: match.personId,
    startedAt: evidence.track.startedAt,
    decidedAt: evidence.decidedAt,
    sightings: evidence.track.sightings,
    score: match.score,
    modelVersionId: match.modelVersionId ?? null,
    leaseEpoch: match.leaseEpoch ?? null,
    sighting: { box: evidence.box, quality: evidence.quality, distance: evidence.distance, cropMediaId, frameMediaId },
  });
  return { trackId, sightingId, cropMediaId, frameMediaId };
}
