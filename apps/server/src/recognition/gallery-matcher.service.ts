import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { applyHead, decideMatch, HybridGalleryIndex, MatchDecision, type Descriptor, type HybridGalleryStats, type MatchPolicy, type ProjectionHead } from '@vigil/domain';
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
 *
 * A learned head (docs/learned-head.md) is applied HERE, to references and to every probe, so no
 * caller (cameras, kiosk) can forget it. The index holds the references in the space of the head it
 * was built with; when the active version's head changes, a new index is filled in that space and
 * swapped in with one assignment, together with the policy of that version. Until then probes are
 * projected with the old head and decided with the old version's thresholds: the references, the
 * probe and the thresholds always belong to one space.
 */
@Injectable()
export class GalleryMatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Matcher');
  private served: { index: HybridGalleryIndex; head: ProjectionHead | null; policy: MatchPolicy };
  private readonly newIndex: (dimension?: number) => HybridGalleryIndex;
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
    this.newIndex = (dimension) =>
      new HybridGalleryIndex({
        dimension,
        annMinReferences: config.galleryAnnMinReferences,
        createNeighbourIndex: usearch.ok ? usearch.factory : undefined,
      });
    this.served = { index: this.newIndex(), head: null, policy: active.policy };
  }

  private get index(): HybridGalleryIndex {
    return this.served.index;
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

  /**
   * The thresholds and margin decisions are made with: the active version's, unless its head differs
   * from the one the index is in (a reload under way), then those of the version the index was built for.
   */
  get policy(): MatchPolicy {
    return this.active.head?.key === this.served.head?.key ? this.active.policy : this.served.policy;
  }

  /** The learned head references and probes are projected through now (null: raw descriptors). */
  get head(): ProjectionHead | null {
    return this.served.head;
  }

  /** The active model version, recorded on what its decisions produce (alerts, attendance). */
  get modelVersionId(): number | null {
    return this.active.id;
  }

  /**
   * A descriptor in the space `policy`'s thresholds are for: through the learned head when one is
   * served. For callers that compare faces with each other at those thresholds (the kiosk's
   * same-person-throughout check) rather than against the gallery.
   */
  inMatchSpace(descriptor: Descriptor): Descriptor {
    const { head } = this.served;
    return head ? applyHead(head, descriptor) : descriptor;
  }

  match(descriptor: Descriptor): MatchDecision {
    return decideMatch(this.served.index.bestPerPerson(this.inMatchSpace(descriptor), 2), this.policy);
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
        const head = this.active.head;
        const policy = this.active.policy;
        const headChanged = head?.key !== this.served.head?.key;
        if (stamp === this.stamp && !headChanged) return;
        const refs = await this.db.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
        const wanted = [];
        for (const [i, r] of refs.entries()) {
          // Projecting 1 M references takes seconds: yield now and then so matching carries on.
          if (head && i % 2048 === 2047) await new Promise<void>((resolve) => setImmediate(resolve));
          wanted.push({ referenceId: r.id, personId: r.personId, list: r.list, embedding: head ? applyHead(head, r.embedding) : r.embedding, weight: r.weight });
        }
        let changes;
        if (headChanged) {
          const index = this.newIndex(head?.dims);
          changes = await index.sync(wanted);
          this.served = { index, head, policy };
          this.logger.log({ head: head ? { key: head.key, dims: head.dims } : null }, head ? 'gallery re-projected through the learned head' : 'learned head off: matching raw descriptors');
        } else {
          changes = await this.index.sync(wanted);
          this.served = { ...this.served, policy };
        }
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
