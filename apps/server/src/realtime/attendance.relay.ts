import { Injectable } from '@nestjs/common';
import { AttendanceRow, Database } from '@vigil/persistence';
import type { AttendanceEvent } from '@vigil/contracts';
import { AppEvents } from '../core/app-events';
import { OutboxRelayHost } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

export function toAttendanceEvent(row: AttendanceRow): AttendanceEvent {
  return { id: row.id, personId: row.personId, personName: row.personName, kind: row.kind, cameraId: row.cameraId, at: new Date(row.at).toISOString(), score: row.score };
}

/** attendance_event → `attendance`, after commit; bookings may come from another process. */
@Injectable()
export class AttendanceRelay extends OutboxRelayHost<AttendanceRow> {
  constructor(db: Database, gateway: RealtimeGateway, events: AppEvents) {
    super(
      {
        name: 'attendance_event',
        lastOffset: () => db.repos.attendance.lastSeq(),
        readAfter: (offset, limit) => db.repos.attendance.after(offset, limit),
        offsetOf: (row) => row.seq,
        publish: (row) => gateway.emitAttendance(toAttendanceEvent(row)),
      },
      events,
      'attendance.recorded',
    );
  }
}
