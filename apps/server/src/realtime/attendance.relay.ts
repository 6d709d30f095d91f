import { Injectable } from '@nestjs/common';
import { AttendanceRow, Database } from '@vigil/persistence';
import { toAttendanceEvent } from '../attendance/attendance.view';
import { AppEvents } from '../core/app-events';
import { OutboxRelayHost } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

/**
 * attendance_event → `attendance` to admins and security (kiosks get their own answer over HTTP),
 * after commit; bookings may come from another process. Every api process relays the table
 * itself, so it emits to its own sockets only.
 */
@Injectable()
export class AttendanceRelay extends OutboxRelayHost<AttendanceRow> {
  constructor(db: Database, gateway: RealtimeGateway, events: AppEvents) {
    super(
      {
        name: 'attendance_event',
        lastOffset: () => db.repos.attendance.lastSeq(),
        readAfter: (offset, limit) => db.repos.attendance.after(offset, limit),
        offsetOf: (row) => row.seq,
        publish: (row) => gateway.emitToRolesLocal(['admin', 'security'], 'attendance', toAttendanceEvent(row)),
      },
      events,
      'attendance.recorded',
    );
  }
}
