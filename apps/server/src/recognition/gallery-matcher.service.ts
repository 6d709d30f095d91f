import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { decideMatch, GalleryIndex, MatchDecision, type Descriptor, type MatchPolicy } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { AppEvents } from '../core/app-events';
import { ActiveModelVersion } from '../model-versions/active-model-version.service';

/**
 * Changes made by other processes arrive by NOTIFY (see ChangeNotices); this poll of the gallery
 * revision is the safety net for a notice lost while the listening connection was down.
 */
const POLL_MS = 10_000;

/**
 * The matcher: every current reference of the embedding model in one in-memory GalleryIndex,
 * loaded from bytea at boot and reloaded when the gallery revision moves (a trigger bumps it in
 * every transaction that changes references, whichever process made it).
 */
@Injectable()
export class GalleryMatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Matcher');
  private index = new GalleryIndex();
  private stamp: string | null = null;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database, private readonly events: AppEvents, private readonly active: ActiveModelVersion) {}

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

  /** Resolves once any reload in progress has finished (tests, and callers needing a fresh index). */
  settled(): Promise<void> {
    return this.loading;
  }

  /** Reloads the index when the gallery revision differs from the one it was loaded at. One at a time. */
  private refresh(): Promise<void> {
    this.loading = this.loading.then(async () => {
      try {
        const stamp = await this.db.repos.faceReferences.galleryStamp();
        if (stamp === this.stamp) return;
        const refs = await this.db.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
        const index = new GalleryIndex();
        index.replaceAll(refs.map((r) => ({ referenceId: r.id, personId: r.personId, list: r.list, embedding: r.embedding, weight: r.weight })));
        this.index = index;
        // A change committed between the two reads bumps the revision past this one: the next refresh reloads.
        this.stamp = stamp;
        this.logger.log({ references: index.size, revision: stamp }, 'gallery index loaded');
      } catch (error) {
        this.logger.warn({ err: error }, 'gallery reload failed; keeping the previous index');
      }
    });
    return this.loading;
  }
}
