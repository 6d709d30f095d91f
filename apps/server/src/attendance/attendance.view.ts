import type { AttendanceRow } from '@vigil/persistence';
import type { AttendanceEvent } from '@vigil/contracts';

export function toAttendanceEvent(row: AttendanceRow): AttendanceEvent {
  return { id: row.id, personId: row.personId, personName: row.personName, kind: row.kind, cameraId: row.cameraId, at: new Date(row.at).toISOString(), score: row.score };
}
