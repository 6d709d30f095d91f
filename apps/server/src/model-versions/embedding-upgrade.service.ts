import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { actorOf } from '@vigil/auth';
import { MediaStore, reembedGallery, type ReembedResult } from '@vigil/gallery';
import { Database } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { InferenceService } from '../inference/inference.service';
import { ActiveModelVersion } from './active-model-version.service';
import { INITIAL_THRESHOLDS, VERSION_DETECTOR } from './version-policy';

/**
 * When the server's embedding model differs from the active model version's (an upgrade changed
 * the descriptor method, e.g. to the one the LFW calibration chose), the gallery is moved to the
 * new model at boot: references are re-embedded from their stored photos (reembedGallery), and a
 * new version becomes active with the calibrated default thresholds — the old version's
 * thresholds were tuned in the old embedding space and mean nothing in the new one. Until that
 * has finished the matcher serves only references already in the new model, and says so.
 */
@Injectable()
export class EmbeddingUpgrade implements OnApplicationBootstrap {
  private readonly logger = new Logger('EmbeddingUpgrade');
  /** Resolves when the upgrade (if any) has finished; tests and the health view wait on it. */
  done: Promise<ReembedResult | null> = Promise.resolve(null);

  constructor(
    private readonly db: Database,
    private readonly media: MediaStore,
    private readonly inference: InferenceService,
    private readonly active: ActiveModelVersion,
  ) {}

  onApplicationBootstrap(): void {
    this.done = this.run().catch((error: unknown) => {
      this.logger.error({ err: error }, 'embedding upgrade failed; references of the old model stay out of the matcher until the next start');
      return null;
    });
  }

  private async run(): Promise<ReembedResult | null> {
    const version = await this.db.repos.modelVersions.active();
    const legacy = await this.db.repos.faceReferences.currentOfOtherModels(EMBEDDING_MODEL_ID);
    if ((!version || version.embeddingModel === EMBEDDING_MODEL_ID) && legacy.length === 0) return null;
    this.logger.warn({ from: version?.embeddingModel, to: EMBEDDING_MODEL_ID, references: legacy.length }, 'embedding model changed: re-embedding the gallery from its photos');
    const result = await reembedGallery({ db: this.db, media: this.media, detector: await this.inference.acquire(), modelId: EMBEDDING_MODEL_ID, by: actorOf(null) });
    await this.db.transaction(async (repos) => {
      await repos.modelVersions.lockVersions();
      const current = await repos.modelVersions.active();
      if (!current || current.embeddingModel === EMBEDDING_MODEL_ID) return; // another process did it
      const galleryVersion = result.galleryVersion ?? (await repos.faceReferences.nextGalleryVersion());
      const label = `v${(await repos.modelVersions.count()) + 1}`;
      const reason =
        `Embedding model upgraded from ${current.embeddingModel} to ${EMBEDDING_MODEL_ID}: ${result.reembedded} of ${result.found} references re-embedded from their photos` +
        `${result.failed.length ? ` (${result.failed.length} could not be: re-enrol those people)` : ''}; thresholds are the calibrated defaults, since ${current.label}'s were tuned for the old embeddings.`;
      await repos.modelVersions.setStatus(current.id, 'retired', `${current.decisionReason ?? ''} Replaced by ${label} (embedding model upgrade).`.trim());
      const row = await repos.modelVersions.insert({ label, status: 'active', embeddingModel: EMBEDDING_MODEL_ID, detector: VERSION_DETECTOR, galleryVersion, thresholds: INITIAL_THRESHOLDS, decisionReason: reason, promotedAt: new Date() });
      await repos.audit.append(actorOf(null), { action: 'model_version.embedding_upgrade', objectType: 'model_version', objectId: String(row.id), galleryVersion, details: { label, from: current.embeddingModel, to: EMBEDDING_MODEL_ID, thresholds: INITIAL_THRESHOLDS, reembedded: result.reembedded, failed: result.failed.length } });
    });
    await this.active.reload();
    const log = result.failed.length ? this.logger.warn.bind(this.logger) : this.logger.log.bind(this.logger);
    log({ reembedded: result.reembedded, failed: result.failed }, 'gallery moved to the new embedding model');
    return result;
  }
}
