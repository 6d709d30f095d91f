import { actorOf } from '@vigil/auth';
import type { Database, ModelVersionRow } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { INITIAL_THRESHOLDS, VERSION_DETECTOR } from './version-policy';

/**
 * Makes sure a model version is active, creating 'v1' with the built-in default thresholds on a
 * fresh database. Runs at boot before Nest starts (like the admin token), under the versions lock,
 * so processes starting together create one.
 */
export async function ensureInitialModelVersion(db: Database): Promise<ModelVersionRow> {
  return db.transaction(async (repos) => {
    await repos.modelVersions.lockVersions();
    const active = await repos.modelVersions.active();
    if (active) return active;
    const galleryVersion = await repos.faceReferences.nextGalleryVersion();
    const label = `v${(await repos.modelVersions.count()) + 1}`;
    const row = await repos.modelVersions.insert({
      label,
      status: 'active',
      embeddingModel: EMBEDDING_MODEL_ID,
      detector: VERSION_DETECTOR,
      galleryVersion,
      thresholds: INITIAL_THRESHOLDS,
      decisionReason: 'Initial version: the built-in default thresholds and the enrolled gallery.',
      promotedAt: new Date(),
    });
    await repos.audit.append(actorOf(null), {
      action: 'model_version.initialise',
      objectType: 'model_version',
      objectId: String(row.id),
      galleryVersion,
      details: { label, thresholds: INITIAL_THRESHOLDS },
    });
    return row;
  });
}
