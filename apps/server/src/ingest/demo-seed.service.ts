import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { FaceGallery, MediaStore } from '@vigil/gallery';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { InferenceService } from '../inference/inference.service';
import { seedDemoCamera } from './demo-camera';
import { seedDemoPeople } from './demo-people';

/**
 * First start (no camera yet, VIGIL_DEMO not 0): the demo camera, then the two demo people, in
 * the background — the clip takes a while to encode and enrolment waits for the face models, and
 * the server answers meanwhile. People are seeded only together with the camera, so a later
 * start never brings back demo people an administrator deleted.
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
    if (!cameraId || this.stopping) return;
    this.logger.log({ cameraId }, 'demo camera registered');
    this.events.emit('camera.changed', cameraId);
    const gallery = new FaceGallery({ db: this.db, media: this.media, detector: () => this.inference.acquire() });
    const people = await seedDemoPeople(this.db, gallery, () => this.stopping);
    if (people.length === 0) return;
    this.events.emit('gallery.changed');
    this.logger.log({ personIds: people }, 'demo people enrolled');
  }
}
