import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ChangeChannel, ChangeListener, CHANGE_CHANNELS, Database } from '@vigil/persistence';
import { AppEvents, WakeEvent } from './app-events';

/** Which in-process event a database notice stands for. */
const EVENT_OF: Record<ChangeChannel, WakeEvent> = {
  vigil_gallery: 'gallery.changed',
  vigil_alert: 'alert.recorded',
  vigil_attendance: 'attendance.recorded',
  vigil_camera_event: 'camera.event-recorded',
  vigil_scan_job: 'scan.changed',
};

/**
 * Turns the database's NOTIFY (sent on commit by triggers, from any process sharing the database:
 * api, workers, the CLI) into the same in-process events a local write emits, so every process
 * reacts at once. Listeners keep their polls: a notice can be lost while the connection is down.
 */
@Injectable()
export class ChangeNotices implements OnApplicationBootstrap {
  private readonly logger = new Logger('ChangeNotices');
  private listener?: ChangeListener;

  constructor(private readonly db: Database, private readonly events: AppEvents) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      this.listener = await this.db.listen(CHANGE_CHANNELS, (channel) => this.events.emit(EVENT_OF[channel]), (error) =>
        this.logger.warn({ err: error }, 'change listener connection lost; reconnecting (polls cover the gap)'),
      );
    } catch (error) {
      // Not fatal: every consumer also polls.
      this.logger.warn({ err: error }, 'could not LISTEN for changes; relying on polls');
    }
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }
}
