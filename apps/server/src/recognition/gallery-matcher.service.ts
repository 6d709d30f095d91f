import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { decideMatch, HybridGalleryIndex, MatchDecision, type Descriptor, type HybridGalleryStats, type MatchPolicy } from '@vigil/domain';
import { loadUsearch } from '@vigil/gallery';
import { Database } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { ActiveModelVersion } from '../model-versions/active-model-version.service';

/**
 * Changes made by other processes arrive by NOTIFY (see ChangeNotices); this poll of the gallery
 * revision is the safety net for a notice lost while the listening connection was down.
 */
const POLL_MS = 10_000;

/**
 * The matcher: every current reference of the embedding model in one in-memory HybridGalleryIndex
 * (exact search below VIGIL_GALLERY_ANN_MIN_REFERENCES, an HNSW index re-ranked exactly above),
 * loaded from bytea at boot and brought up to date when the gallery revision moves (a trigger bumps
 * it in every transaction that changes references, whichever process made it). An update applies
 * only the differences, so the HNSW index, minutes to build at 1 M references, survives it; while
 * it is (re)built in the background, matching carries on exactly.
 */
@Injectable()
export class GalleryMatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Matcher');
  private readonly index: HybridGalleryIndex;
  private stamp: string | null = null;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private loading: Promise<void> = Promise.resolve();
  private reporting = false;

  constructor(
    private readonly db: Database,
    private readonly events: AppEvents,
    private readonly active: ActiveModelVersion,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
  ) {
    const usearch = loadUsearch();
    if (!usearch.ok) this.logger.warn({ reason: usearch.reason }, 'approximate gallery index unavailable on this platform; searching exactly');
    this.index = new HybridGalleryIndex({
      annMinReferences: config.galleryAnnMinReferences,
      createNeighbourIndex: usearch.ok ? usearch.factory : undefined,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.unsubscribe = this.events.on('gallery.changed', () => void this.refresh());
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  get size(): number {
    return this.index.size;
  }

  /** The active model version's thresholds and margin (they switch when another version is activated). */
  get policy(): MatchPolicy {
    return this.active.policy;
  }

  /** The active model version, recorded on what its decisions produce (alerts, attendance). */
  get modelVersionId(): number | null {
    return this.active.id;
  }

  match(descriptor: Descriptor): MatchDecision {
    return decideMatch(this.index.bestPerPerson(descriptor, 2), this.active.policy);
  }

  /** How the gallery is searched right now (exact or approximate, indexing progress). */
  searchStats(): HybridGalleryStats {
    return this.index.stats();
  }

  /** Resolves once any reload in progress has finished (tests, and callers needing a fresh index). */
  settled(): Promise<void> {
    return this.loading;
  }

  /** Resolves once the approximate index (if any) holds every reference; matching does not wait for this. */
  async indexed(): Promise<void> {
    await this.loading;
    await this.index.whenIndexed();
  }

  /** Logs once the background build has caught up (minutes at 1 M references). */
  private reportWhenIndexed(): void {
    if (this.reporting) return;
    this.reporting = true;
    void this.index.whenIndexed().then(() => {
      this.reporting = false;
      const { references, mode, indexed, buildMs, lastError } = this.index.stats();
      if (lastError) this.logger.warn({ references, error: lastError }, 'approximate gallery index failed; searching exactly');
      else this.logger.log({ references, search: mode, indexed, buildMs }, 'approximate gallery index built');
    });
  }

  /** Reloads the index when the gallery revision differs from the one it was loaded at. One at a time. */
  private refresh(): Promise<void> {
    this.loading = this.loading.then(async () => {
      try {
        const stamp = await this.db.repos.faceReferences.galleryStamp();
        if (stamp === this.stamp) return;
        const refs = await this.db.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
        const changes = await this.index.sync(refs.map((r) => ({ referenceId: r.id, personId: r.personId, list: r.list, embedding: r.embedding, weight: r.weight })));
        // A change committed between the two reads bumps the revision past this one: the next refresh reloads.
        this.stamp = stamp;
        const { references, mode, indexed, waiting } = this.index.stats();
        this.logger.log({ references, revision: stamp, ...changes, search: mode, indexed, waiting }, 'gallery index loaded');
        // A build under way (boot, wholesale change): say when matching turns approximate.
        if (mode === 'exact' && waiting > 0) this.reportWhenIndexed();
      } catch (error) {
        this.logger.warn({ err: error }, 'gallery reload failed; keeping the previous index');
      }
    });
    return this.loading;
  }
}
