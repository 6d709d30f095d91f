import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AttendanceRow, Database } from '@vigil/persistence';
import type { AttendanceEvent } from '@vigil/contracts';
import { AppEvents } from '../core/app-events';
import { OutboxRelay } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

export function toAttendanceEvent(row: AttendanceRow): AttendanceEvent {
  return { id: row.id, personId: row.personId, personName: row.personName, kind: row.kind, cameraId: row.cameraId, at: new Date(row.at).toISOString(), score: row.score };
}

/** attendance_event → `attendance`, after commit; bookings may come from another process. */
@Injectable()
export class AttendanceRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay<AttendanceRow>;
  private unsubscribe?: () => void;

  constructor(db: Database, gateway: RealtimeGateway, private readonly events: AppEvents) {
    this.relay = new OutboxRelay<AttendanceRow>(
      {
        name: 'attendance_event',
        lastOffset: () => db.repos.attendance.lastSeq(),
        readAfter: (offset, limit) => db.repos.attendance.after(offset, limit),
        offsetOf: (row) => row.seq,
        publish: (row) => gateway.emitAttendance(toAttendanceEvent(row)),
      },
      1_000,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.unsubscribe = this.events.on('attendance.recorded', () => this.relay.kick());
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.relay.stop();
  }
}
