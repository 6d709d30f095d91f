import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { KpiBreachEvent, RefreshRunView } from '@vigil/contracts';

/** In-process notices between modules, sent after the change they describe has committed. */
export interface AppEventMap {
  /** A camera was created, edited, disabled or deleted: ingest reconciles its supervisor now. */
  'camera.changed': [cameraId: string];
  /** A camera status change was stored: the realtime relay reads the outbox now, not at its next poll. */
  'camera.event-recorded': [];
  /** A reference was enrolled or removed: the matcher reloads its index. */
  'gallery.changed': [];
  /** An alert committed: the alert relay reads the outbox now. */
  'alert.recorded': [];
  /** An alert's status changed (acknowledged, escalated, resolved): pushed as `alert.status`. */
  'alert.status-changed': [alertId: string, by: string, reason?: 'unacknowledged'];
  /** An attendance event committed: its relay reads the outbox now. */
  'attendance.recorded': [];
  /** A review item committed: the `review.item` relay reads the outbox now. */
  'review.item-recorded': [];
  /** Review settings (sampling, retention, KPI targets) changed: the KPI monitor re-checks. */
  'review.settings-changed': [];
  /** A KPI target is newly missed: pushed to reviewers and admins as `kpi.breach`. */
  'kpi.breach': [breach: KpiBreachEvent];
  /** The model refresh run changed (stored first): pushed to admins as `refresh.progress`. */
  'refresh.progress': [run: RefreshRunView];
  /** A scan job was queued, changed or ended (any process): workers look for work, api processes push `scan.progress`. */
  'scan.changed': [];
  /** A token was revoked: live sockets using it are cut. */
  'token.revoked': [tokenId: string];
  /**
   * Console sessions ended (sign-out, password change) or a whole account stopped working
   * (disabled): live sockets riding on them, and on the account's tokens when `wholeUser`, are cut.
   */
  'access.ended': [ended: { userId: string; sessionIds: string[]; wholeUser: boolean }];
}

/** The events that carry no arguments (wake-ups). */
export type WakeEvent = { [K in keyof AppEventMap]: AppEventMap[K] extends [] ? K : never }[keyof AppEventMap];

/**
 * Other processes sharing the database learn the same facts from the database's NOTIFY (see
 * ChangeNotices, which re-emits them here) and, as a safety net, by polling (ingest reconciliation,
 * the relay's outbox poll, the socket token re-check), so these events only make this process
 * react sooner; nothing depends on them for correctness.
 */
@Injectable()
export class AppEvents {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof AppEventMap>(event: K, ...args: AppEventMap[K]): void {
    this.emitter.emit(event, ...args);
  }

  on<K extends keyof AppEventMap>(event: K, listener: (...args: AppEventMap[K]) => void): () => void {
    const fn = listener as (...args: unknown[]) => void;
    this.emitter.on(event, fn);
    return () => this.emitter.off(event, fn);
  }
}
