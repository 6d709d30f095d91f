import type { CameraStatusEvent, CameraView, Page } from '@vigil/contracts';
import type { Api } from './http';
import { Observable } from './store';

/** Last-frame times and measured fps are written by ingest every few seconds; status is pushed. */
const POLL_MS = 5_000;

/**
 * Cameras as the API lists them, with `camera.status` pushes applied in between polls, so a
 * camera going offline shows at once and the last-frame time stays current.
 */
export class CameraStore {
  readonly cameras = new Observable<CameraView[]>([]);
  readonly error = new Observable<string | null>(null);
  private timer: number | undefined;
  private users = 0;

  constructor(private readonly api: Api) {}

  /** Starts polling while at least one screen shows cameras; returns the matching stop. */
  watch(): () => void {
    if (this.users++ === 0) {
      void this.refresh();
      this.timer = window.setInterval(() => void this.refresh(), POLL_MS);
    }
    return () => {
      if (--this.users === 0) window.clearInterval(this.timer);
    };
  }

  async refresh(): Promise<void> {
    try {
      const page = await this.api.get<Page<CameraView>>('/api/cameras?limit=500');
      this.cameras.set(page.items);
      this.error.set(null);
    } catch (error) {
      this.error.set(error instanceof Error ? error.message : String(error));
    }
  }

  apply(event: CameraStatusEvent): void {
    const list = this.cameras.get();
    if (!list.some((c) => c.id === event.cameraId)) {
      void this.refresh(); // a camera this page has not seen yet
      return;
    }
    this.cameras.set(
      list.map((c) =>
        c.id === event.cameraId
          ? { ...c, status: event.status, statusReason: event.reason ?? null, measuredFps: event.fps ?? c.measuredFps }
          : c,
      ),
    );
  }

  name(id: string | null): string {
    if (!id) return 'Kiosk';
    return this.cameras.get().find((c) => c.id === id)?.name ?? 'Unknown camera';
  }
}
