import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { FaceGallery, MediaStore } from '@vigil/gallery';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { InferenceService } from '../inference/inference.service';
import { DEMO_PEOPLE_SETTING, seedDemoCamera } from './demo-camera';
import { seedDemoPeople } from './demo-people';

/** Waits between attempts at enrolling the demo people (then the last one, until it works or the server stops). */
const RETRY_DELAYS_MS = [5_000, 15_000, 60_000];

/**
 * First start (no camera yet, VIGIL_DEMO not 0): the demo camera, then the two demo people, in
 * the background — the clip takes a while to encode and enrolment waits for the face models, and
 * the server answers meanwhile. The camera's creation records that the people are owed
 * (`demo.people` = `pending`); they are enrolled (idempotently, by name) until that is `done`,
 * retried with backoff and resumed by the next start after a crash. Once done, a later start never
 * brings back demo people an administrator deleted.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Demo');
  private stopping = false;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly db: Database,
    private readonly events: AppEvents,
    private readonly inference: InferenceService,
    private readonly media: MediaStore,
  ) {}

  onApplicationBootstrap(): void {
    void this.seed().catch((error: unknown) => {
      if (this.stopping) this.logger.debug({ err: error }, 'demo seeding interrupted by shutdown');
      else this.logger.warn({ err: error }, 'could not set up the demo');
    });
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  private async seed(): Promise<void> {
    const cameraId = await seedDemoCamera(this.config, this.db);
    if (cameraId) {
      this.logger.log({ cameraId }, 'demo camera registered');
      this.events.emit('camera.changed', cameraId);
    }
    if (this.config.demo === false) return;
    for (let attempt = 0; !this.stopping; attempt++) {
      if ((await this.db.repos.settings.get(DEMO_PEOPLE_SETTING)) !== 'pending') return;
      try {
        await this.seedPeople();
        return;
      } catch (error) {
        if (this.stopping) throw error;
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
        this.logger.warn({ err: error, retryInMs: delay }, 'could not enrol the demo people yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  private async seedPeople(): Promise<void> {
    const gallery = new FaceGallery({ db: this.db, media: this.media, detector: () => this.inference.acquire() });
    const people = await seedDemoPeople(this.db, gallery, () => this.stopping);
    if (this.stopping) return; // not done: the next start resumes
    await this.db.repos.settings.set(DEMO_PEOPLE_SETTING, 'done');
    if (people.length === 0) return;
    this.events.emit('gallery.changed');
    this.logger.log({ personIds: people }, 'demo people enrolled');
  }
}
